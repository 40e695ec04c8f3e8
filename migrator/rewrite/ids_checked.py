"""A Config id that a Public path keeps as it is (a destination filter's
`{filter}`): whether Public ids of its kind equal the Config ones is not
documented, so it is checked against the id map as `migrator translate`
checks it (rule `endpoint.filters.get`): a literal id (or one held in a
name bound once to a literal, `FILTER = "df_1"`) the map does not hold
among the ids of its object (the filter's destination) is a problem (the
call stays on the Config API, marked); one held in a value of the code,
one the map holds for an object the path does not show (a destination in a
variable), or one met with no id map, is kept and noted for review."""

from __future__ import annotations

from typing import get_args

from migrator.idmap import IdMap
from migrator.ruleset import RuleSet
from migrator.ruleset.models import IdKind, IdRef
from migrator.ruleset.templates import Template

ID_KINDS = frozenset(get_args(IdKind))
SHOWN = 5
"""How many of the ids the map holds for the object a marker names."""


def checked_kind(rules: RuleSet, name: str) -> tuple[IdKind, IdRef | None] | None:
    """The id kind a copied path parameter `name` holds, with the object its
    ids are keyed below (`within` of the resource field that checks it); None
    when it names no id kind."""
    if name not in ID_KINDS:
        return None
    resource = rules.resources.get(name)
    fields = resource.fields.values() if resource is not None else ()
    within = next((f.within for f in fields if f.check == name and f.within is not None), None)
    return name, within  # type: ignore[return-value]


def held(ids: IdMap, kind: IdKind, value: str, scope: str | None) -> bool:
    """The map holds `value` as a Public id of `kind` (below `scope`, an
    object's Public id, when known). An id map holding every key
    (`with_ids.EveryId`, the audit's) holds it."""
    if getattr(ids, "holds_every_id", False):
        return True
    return value in ids.public_ids(kind, scope)


def scope_of(ids: IdMap, within: IdRef | None, literals: dict[str, str]) -> tuple[str | None, str | None]:
    """The Public id of the object `within` names, and its key, when the
    path gives its slugs as literals; (None, None) otherwise."""
    if within is None:
        return None, None
    params = Template(within.key).params
    if any(p not in literals for p in params):
        return None, None
    key = Template(within.key).fill({p: literals[p] for p in params})
    return ids.resolve(within.lookup, key).id, key


def verdict(ids: IdMap, kind: IdKind, within: IdRef | None, value: str, literals: dict[str, str]) -> tuple[str, str]:
    """What the map says of the literal id `value` (`literals`: the path's
    literal values, for the object it is keyed below): ("held", "") when it
    holds it for that object; ("unsure", why) when it holds it, but for which
    object the path does not show; ("unheld", where) when it does not hold it
    there (`where`: what it holds instead, for the marker)."""
    scope, key = scope_of(ids, within, literals)
    if held(ids, kind, value, scope):
        if scope is not None or within is None:
            return "held", ""
        return "unsure", f"the id map holds it, but for which {within.lookup} cannot be seen here"
    where = f" among the {kind} ids of {within.lookup} `{key}` ({held_ids(ids, kind, scope)})" \
        if scope is not None and within is not None else ""
    skipped = ids.skipped_for(kind)
    if skipped is not None:
        where += f"; it could not read them all ({skipped})"
    return "unheld", where


def held_ids(ids: IdMap, kind: IdKind, scope: str) -> str:
    """What the map holds below `scope` (`` `flt_1` (`Drop test events`) ``), for the marker."""
    found = ids.below(kind, scope)
    if not found:
        return "it holds none"
    shown = ", ".join(f"`{i}` (`{rest}`)" for rest, i in found[:SHOWN])
    return "it holds " + shown + (f" and {len(found) - SHOWN} more" if len(found) > SHOWN else "")
