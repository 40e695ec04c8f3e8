"""Pure builders: Public API list items → the key → id maps of an `IdMap`.

No network here. Every builder sorts its keys and id lists so that two
fetches of an unchanged workspace give byte-identical files. Keys that would
name different objects in a one-id map (`str` values) are left out and
noted, so that consumers report "unknown" instead of guessing. So are list
items that are not objects or lack the fields a map needs.

The keys left out so (a duplicate, an id a URL path cannot hold) are also
recorded in `left` ("<map>/<key>" → why, the id map's `skipped`), so that
consumers say why instead of advising a new fetch that would leave them out again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from migrator.counts import counted
from migrator.idmap import id_problem, names_several

Item = Mapping[str, Any]
Left = dict[str, str]
"""Keys left out on purpose: "<map>/<key>" (`sources/s5`) → why."""
Keys = Callable[[Item], Iterable[str]]
"""The "<map>/<key>" keys an item would have had."""


def slugify(name: str) -> str:
    """A display name in the catalog's slug form: "Google Universal Analytics" → "google-universal-analytics"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def usable(
    items: Iterable[Any], what: str, notes: list[str], *fields: str, keys: Keys | None = None, left: Left | None = None
) -> list[Item]:
    """The items that are objects with a non-empty string at each of `fields`
    (dotted paths: "metadata.slug") and, at "id", an id a URL path can hold
    (`id_problem`: the map loader refuses others); how many others there were is noted,
    and the `keys` of those with such an id recorded in `left`."""
    kept: list[Item] = []
    not_objects = lacking = unsafe = 0
    for item in items:
        if not isinstance(item, Mapping):
            not_objects += 1
        elif not all(_text(item, *field.split(".")) for field in fields):
            lacking += 1
        elif "id" in fields and id_problem(_text(item, "id")) is not None:
            unsafe += 1
            why = f"its Public id {json.dumps(_text(item, 'id'), ensure_ascii=False)} cannot go in a URL path"
            for key in keys(item) if keys is not None and left is not None else ():
                left.setdefault(key, why)
        else:
            kept.append(item)
    reasons = [f"{not_objects} not a JSON object"] if not_objects else []
    reasons += [f"{lacking} without a string {_either(fields)}"] if lacking else []
    reasons += [f'{unsafe} whose "id" has a character other than letters, digits, "-", ".", "_" and "~", '
                "or is dots only (it cannot go in a URL path)"] if unsafe else []
    if reasons:
        notes.append(f"{what}: {counted(not_objects + lacking + unsafe, 'item')} left out ({', '.join(reasons)})")
    return kept


def _either(names: Iterable[str]) -> str:
    """`"a"`, `"a" or "b"`, `"a", "b" or "c"`."""
    quoted = [json.dumps(name) for name in names]
    return " or ".join(filter(None, [", ".join(quoted[:-1]), quoted[-1]]))


def single(
    pairs: Iterable[tuple[str, str]], what: str, notes: list[str], consequence: str = "",
    *, section: str = "", left: Left | None = None,
) -> dict[str, str]:
    """key → id; a key seen with two different ids is dropped and noted (with
    `consequence`), and recorded in `left` as "<section>/<key>"."""
    found: dict[str, set[str]] = {}
    for key, id_ in pairs:
        if key and id_:
            found.setdefault(key, set()).add(id_)
    result: dict[str, str] = {}
    for key in sorted(found):
        ids = found[key]
        if len(ids) == 1:
            result[key] = next(iter(ids))
        else:
            notes.append(
                f"{what}: {json.dumps(key, ensure_ascii=False)} names {len(ids)} objects "
                f"({', '.join(sorted(ids))}); left out{consequence}"
            )
            if left is not None and section:
                left.setdefault(f"{section}/{key}", ambiguous(ids))
    return result


def ambiguous(ids: Iterable[str]) -> str:
    """Why a key naming these objects is left out (read back by `IdMap.left_out_as_several`)."""
    return names_several(ids)


def keyed(section: str, *fields: str) -> Keys:
    """The keys an item has in `section`: its non-empty strings at `fields`."""
    return lambda item: [f"{section}/{value}" for field in fields if (value := _text(item, *field.split(".")))]


def multi(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """key → sorted distinct ids: several ids under one key mean ambiguity."""
    found: dict[str, set[str]] = {}
    for key, id_ in pairs:
        if key and id_:
            found.setdefault(key, set()).add(id_)
    return {key: sorted(found[key]) for key in sorted(found)}


def _text(item: Item, *path: str) -> str:
    value: Any = item
    for part in path:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else ""


def _previous_slugs(metadata: Item) -> list[str]:
    names = metadata.get("previousNames")
    if not isinstance(names, list):
        return []
    return [slugify(name) for name in names if isinstance(name, str)]


def source_map(sources: Iterable[Any], notes: list[str], left: Left | None = None) -> dict[str, str]:
    """Source slug → source id."""
    kept = usable(sources, "sources", notes, "id", "slug", keys=keyed("sources", "slug"), left=left)
    pairs = ((_text(s, "slug"), _text(s, "id")) for s in kept)
    return single(pairs, "sources", notes, ", and so are the destinations on them", section="sources", left=left)


def left_sources(sources: Iterable[Any], left: Left) -> dict[str, str]:
    """Source id → slug, of the sources whose slug `left` records as left out."""
    return {
        _text(s, "id"): _text(s, "slug") for s in sources
        if isinstance(s, Mapping) and _text(s, "id") and f"sources/{_text(s, 'slug')}" in left
    }


def destination_map(
    destinations: Iterable[Any],
    source_slugs: Mapping[str, str],
    catalog: Iterable[Any] = (),
    *,
    notes: list[str],
    left: Left | None = None,
    left_out: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """"<source slug>/<destination metadata slug>" → destination ids.

    A destination also answers to the slug form of its metadata's
    `previousNames` on its source, unless that is the current slug of a
    destination type (an entry of `catalog`, the destination catalog, or of
    any destination listed): a current slug always wins over a previous name,
    so a Config reference to that type never resolves to another one.
    The keys of destinations on a source `left_out` (id → slug) are recorded in `left`.
    """
    taken = {_text(m, "slug") for m in catalog if isinstance(m, Mapping)}
    current: list[tuple[str, str]] = []
    former: list[tuple[str, str, str]] = []
    orphans: list[str] = []  # source ids of destinations whose source is not in the map
    def keys(dest: Item) -> list[str]:
        source = source_slugs.get(_text(dest, "sourceId"))
        return [f"destinations/{source}/{_text(dest, 'metadata', 'slug')}"] if source else []

    fields = ("id", "sourceId", "metadata.slug")
    for dest in usable(destinations, "destinations", notes, *fields, keys=keys, left=left):
        slug = _text(dest, "metadata", "slug")
        taken.add(slug)
        source = source_slugs.get(_text(dest, "sourceId"))
        gone = (left_out or {}).get(_text(dest, "sourceId"))
        if gone and left is not None:
            why = left.get(f"sources/{gone}", "")
            left.setdefault(f"destinations/{gone}/{slug}", f"its source '{gone}' is left out: {why}")
        if not source:
            orphans.append(_text(dest, "sourceId"))  # its source is not (or no longer) listed, or left out
            continue
        id_ = _text(dest, "id")
        metadata = dest.get("metadata")
        current.append((f"{source}/{slug}", id_))
        former += [(source, old, id_) for old in _previous_slugs(metadata if isinstance(metadata, Mapping) else {})]
    _note_orphans(orphans, notes)
    # A key of a previous name is never a current key: its slug would be taken.
    return multi([*current, *((f"{source}/{old}", id_) for source, old, id_ in former if old not in taken)])


def examples(ids: Iterable[str], shown: int = 5) -> str:
    """The first `shown` of `ids` (sorted, distinct, quoted: server text), and how many more."""
    distinct = [json.dumps(id_, ensure_ascii=False) for id_ in sorted(set(ids))]
    return ", ".join(distinct[:shown]) + (f" and {len(distinct) - shown} more" if len(distinct) > shown else "")


def _note_orphans(source_ids: list[str], notes: list[str]) -> None:
    """Note destinations left out because their source is not in the source map."""
    if not source_ids:
        return
    named = examples(source_ids)
    notes.append(
        f"destinations: {counted(len(source_ids), 'item')} left out "
        f'({len(source_ids)} whose "sourceId" names no source in the map: {named})'
    )


def source_metadata_map(catalog: Iterable[Any], notes: list[str], left: Left | None = None) -> dict[str, str]:
    """Source catalog slug → metadata id."""
    section = "source_metadata"
    kept = usable(catalog, "source catalog", notes, "id", "slug", keys=keyed(section, "slug"), left=left)
    pairs = ((_text(m, "slug"), _text(m, "id")) for m in kept)
    return single(pairs, "source catalog", notes, section=section, left=left)


def destination_metadata_map(catalog: Iterable[Any], notes: list[str], left: Left | None = None) -> dict[str, str]:
    """Destination catalog slug, and the slug form of each previous name → metadata id.

    A current slug always wins over another destination's previous name.
    """
    section = "destination_metadata"

    def keys(item: Item) -> list[str]:
        return [f"{section}/{slug}" for slug in (_text(item, "slug"), *_previous_slugs(item)) if slug]

    items = usable(catalog, "destination catalog", notes, "id", "slug", keys=keys, left=left)
    result = single(
        ((_text(m, "slug"), _text(m, "id")) for m in items), "destination catalog", notes, section=section, left=left
    )
    former = single(
        ((old, _text(m, "id")) for m in items for old in _previous_slugs(m) if old not in result),
        "destination catalog previous names",
        notes,
        section=section,
        left=left,
    )
    return dict(sorted({**former, **result}.items()))


def previous_name_map(catalog: Iterable[Any], metadata: Mapping[str, str]) -> dict[str, str]:
    """The previous names `destination_metadata_map` kept (keys of `metadata`
    that are no current slug) → the current slug of their catalog entry."""
    items = [m for m in catalog if isinstance(m, Mapping) and _text(m, "slug") and _text(m, "id")]
    current = {_text(m, "slug") for m in items}
    return dict(sorted(
        (old, _text(m, "slug")) for m in items for old in _previous_slugs(m)
        if old not in current and metadata.get(old) == _text(m, "id")
    ))


def tracking_plan_map(
    plans: Iterable[Any], notes: list[str], wanted: Mapping[str, str] | None = None, left: Left | None = None
) -> dict[str, list[str]]:
    """Tracking plan slug, name and id → tracking plan ids, of the plans
    `wanted` asked the list for (`{"type": "LIVE"}`: the query filters are
    fields of its items); a plan that says it is another is left out, noted."""
    keys = keyed("tracking_plans", "slug", "name", "id")
    kept = matching(usable(plans, "tracking plans", notes, "id", keys=keys, left=left), "tracking plans", notes,
                    wanted or {})
    return multi((_text(p, key), _text(p, "id")) for p in kept for key in ("slug", "name", "id"))


def matching(items: list[Item], what: str, notes: list[str], wanted: Mapping[str, str]) -> list[Item]:
    """The items without another value at a field of `wanted` (one that lacks it
    was listed as asked); how many others there were is noted."""
    kept = [i for i in items if all(i.get(k, v) == v for k, v in wanted.items())]
    if len(kept) < len(items):
        asked = " or ".join(f"{json.dumps(k)} is not {json.dumps(v)}" for k, v in wanted.items())
        others = len(items) - len(kept)
        notes.append(f"{what}: {counted(others, 'item')} left out ({others} whose {asked})")
    return kept


def filter_map(filters: Iterable[tuple[str, Any]], notes: list[str], left: Left | None = None) -> dict[str, list[str]]:
    """"<destination id>/<title>" → filter ids, from (destination id, filter) pairs."""
    pairs = list(filters)
    destination = {id(f): dest for dest, f in pairs}

    def keys(item: Item) -> list[str]:
        return [f"filters/{destination[id(item)]}/{_text(item, 'title')}"] if _text(item, "title") else []

    kept = {id(f) for f in usable((f for _, f in pairs), "filters", notes, "id", "title", keys=keys, left=left)}
    return multi((f"{dest}/{_text(f, 'title')}", _text(f, "id")) for dest, f in pairs if id(f) in kept)


def function_map(functions: Iterable[Any], notes: list[str], left: Left | None = None) -> dict[str, list[str]]:
    """Function display name and id → function ids."""
    kept = usable(functions, "functions", notes, "id", keys=keyed("functions", "displayName", "id"), left=left)
    return multi((_text(f, key), _text(f, "id")) for f in kept for key in ("displayName", "id"))


def user_map(users: Iterable[Any], notes: list[str], left: Left | None = None) -> dict[str, str]:
    """User email → user id."""
    kept = usable(users, "users", notes, "id", "email", keys=keyed("users", "email"), left=left)
    return single(((_text(u, "email"), _text(u, "id")) for u in kept), "users", notes, section="users", left=left)


def role_map(roles: Iterable[Any], notes: list[str], left: Left | None = None) -> dict[str, str]:
    """Role name → role id."""
    kept = usable(roles, "roles", notes, "id", "name", keys=keyed("roles", "name"), left=left)
    return single(((_text(r, "name"), _text(r, "id")) for r in kept), "roles", notes, section="roles", left=left)
