"""Slugs in paths → Public ids (rewrite row `rewrite.slug-ids`).

A Config path names objects by slug; the Public path needs the object's id.
Where the endpoint row says a Public placeholder comes from the id map
(`ids = {sourceId = {lookup = "source", key = "{source}"}}`):

- a literal slug is replaced by the literal id from the id map (`--ids`);
- a slug held in a variable is wrapped in a call to a small generated
  lookup module, `segment_ids.source_id(slug)`, when the caller asked for
  one (`lookup_module=`): the module is rendered from the same id map by
  `render_lookup_module` and raises a clear error for an unknown slug;
- otherwise (no id map, unknown or ambiguous slug, a value that is not a
  bare expression) nothing is rewritten: the line is marked.
"""

from __future__ import annotations

import keyword
import re

import libcst as cst

from migrator.idmap import IdMap
from migrator.rewrite import slug_keys, slugs_answer, slugs_created
from migrator.rewrite.context import FileContext
from migrator.rewrite.lookup_name import taken_at
from migrator.rewrite.path_messages import unknown_key, unread_map
from migrator.rewrite.strings import Chain, Hole, NewCell, NewHole, NewItem
from migrator.ruleset import RuleSet
from migrator.ruleset.models import IdRef
from migrator.ruleset.templates import Template

ROW = "rewrite.slug-ids"
KNOWN = "slugs.known"
"""In `FileContext.state`: spans of slugs whose every value the id map holds."""


class Problem(Exception):
    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(rule, reason)
        self.rule = rule
        self.reason = reason


Value = tuple[str, object]
"""("lit", text) or ("hole", Hole)."""


def function_name(lookup: str) -> str:
    """`source` → `source_id`, `destination-metadata` → `destination_metadata_id`."""
    return lookup.replace("-", "_") + "_id"


def resolve_id(
    ref: IdRef,
    values: dict[str, Value],
    *,
    ids: IdMap | None,
    lookup_module: str | None,
    quote: str,
    describe: str,
    message: callable,  # type: ignore[valid-type]
    ctx: FileContext | None = None,
    chain: Chain | None = None,
) -> list[NewItem]:
    """Items that stand for the id `ref` names, given the path's values
    (`ctx` and `chain`: the file and the path, to see what the values hold)."""
    params = Template(ref.key).params
    missing = [p for p in params if p not in values]
    if missing:
        raise Problem(ROW, message("missing", param=missing[0], endpoint=describe))
    literal = all(values[p][0] == "lit" for p in params)
    if literal:
        key = Template(ref.key).fill({p: str(values[p][1]) for p in params})
        if ids is None:
            raise Problem(
                ROW, message("needs-ids", kind=ref.lookup, key=key, endpoint=describe)
            )
        found = ids.resolve(ref.lookup, key)
        if found.ambiguous:
            raise Problem(
                ROW,
                message("ambiguous", kind=ref.lookup, key=key, endpoint=describe,
                        count=str(len(found.ids))),
            )
        if found.id is None:
            which, why = unknown_key(ids, ref.lookup, key)
            raise Problem(ROW, message(which, kind=ref.lookup, key=key, endpoint=describe, **why))
        return [NewCell(c) for c in found.id]
    if ctx is not None and chain is not None:
        answered = _from_answer(ctx, chain, ref, values)
        if answered is not None:
            return answered
    if ctx is not None and chain is not None and ids is not None:
        known = _known(ctx, chain, ref, values, ids, lookup_module, describe, message)
        if known is not None:
            return known
    names = ", ".join(
        str(values[p][1].text) for p in params if values[p][0] == "hole"  # type: ignore[union-attr]
    )
    unread = unread_map(ids, ref.lookup)
    if unread is not None:  # the lookup would surely raise: mark the call
        raise Problem(ROW, message("unread-variable", kind=ref.lookup, value=names, endpoint=describe, why=unread))
    if lookup_module is None:
        raise Problem(ROW, message("variable", kind=ref.lookup, value=names, endpoint=describe))
    holes: list[Hole] = [values[p][1] for p in params if values[p][0] == "hole"]  # type: ignore[misc]
    args: list[str] = []
    for p in params:
        kind, value = values[p]
        if kind == "hole":
            assert isinstance(value, Hole)
            if not value.plain or value.text is None:
                raise Problem(ROW, message("variable", kind=ref.lookup, value=str(value.text), endpoint=describe))
            args.append(value.text)
        else:
            text = str(value)
            if "'" in text or '"' in text or "\\" in text:
                raise Problem(ROW, message("variable", kind=ref.lookup, value=text, endpoint=describe))
            args.append(f"{quote}{text}{quote}")
    if ctx is not None and chain is not None:
        taken = taken_at(ctx, chain.root, *(h.node for h in holes if h.node is not None))
        if taken is not None:
            raise Problem(ROW, message("taken", kind=ref.lookup, value=", ".join(str(h.text) for h in holes), endpoint=describe,
                                       module=lookup_module, how=taken.how(ctx)))
    # The call takes the place of the last of the values: Public paths put
    # the id where the Config path had its last slug.
    last = max(holes, key=lambda h: h.index)
    call = f"{lookup_module}.{function_name(ref.lookup)}({', '.join(args)})"
    return [NewHole(last, replacement=call, consumes=tuple(h for h in holes if h is not last))]


def _known(
    ctx: FileContext,
    chain: Chain,
    ref: IdRef,
    values: dict[str, Value],
    ids: IdMap,
    lookup_module: str | None,
    describe: str,
    message: callable,  # type: ignore[valid-type]
) -> list[NewItem] | None:
    """For slugs held in values whose texts are known now: the id read from
    the answer of the call that created the object here, or a mark when the
    generated lookup would surely fail; None to go on as for any value."""
    params = Template(ref.key).params
    holes: list[Hole] = [values[p][1] for p in params if values[p][0] == "hole"]  # type: ignore[misc]
    keys = slug_keys.known_keys(ctx, ref.key, values, chain.root)
    if keys is None or not holes or any(not h.plain for h in holes):
        return None
    last = max(holes, key=lambda h: h.index)
    name = slugs_created.config_name(ctx, describe, ref, values, chain.root) if len(keys) == 1 else None
    made = slugs_created.created_id(ctx, chain, ref, name, last) if name is not None else None
    if made is not None:
        return [NewHole(last, replacement=made, consumes=tuple(h for h in holes if h is not last))]
    if lookup_module is not None:
        check_keys(ctx, ids, ref, keys, describe, message)
        if last.expr_span is not None:  # the lookup cannot fail here (`slugs_unreached`)
            known: set[tuple[int, int]] = ctx.state.setdefault(KNOWN, set())  # type: ignore[assignment]
            known.add(tuple(last.expr_span))  # type: ignore[arg-type]
    return None


def check_keys(
    ctx: FileContext, ids: IdMap, ref: IdRef, keys: list[str], describe: str,
    message: callable,  # type: ignore[valid-type]
) -> None:
    """Raise the mark for the first key the generated lookup would surely
    fail on: one the id map lacks, or one naming several objects."""
    for key in keys:
        found = ids.resolve(ref.lookup, key)
        if found.ambiguous:
            raise Problem(
                ROW,
                message("ambiguous", kind=ref.lookup, key=key, endpoint=describe, count=str(len(found.ids))),
            )
        if found.id is None:
            hint = slugs_created.id_hint(ctx, ref)
            where = f", e.g. `{hint}`" if hint else ""
            which, why = unknown_key(ids, ref.lookup, key, "absent")
            raise Problem(ROW, message(which, kind=ref.lookup, key=key, endpoint=describe, where=where, **why))


def _from_answer(ctx: FileContext, chain: Chain, ref: IdRef, values: dict[str, Value]) -> list[NewItem] | None:
    """A slug read from the name in a create's answer: the id from that answer."""
    params = Template(ref.key).params
    kind, hole = values.get(params[0], ("lit", "")) if len(params) == 1 else ("lit", "")
    if kind != "hole" or not isinstance(hole, Hole) or not hole.plain or hole.node is None:
        return None
    found = slugs_answer.slug_of_answer(ctx, hole.node, ref, chain.root)
    if found is None:
        return None
    avoid = hole.token.quote[0] if hole.token is not None and hole.token.fstring else None
    slugs_created.tie(ctx, chain.root, found.url)
    return [NewHole(hole, replacement=found.text(avoid))]


def at_call(
    ctx: FileContext,
    ref: IdRef,
    values: dict[str, str | cst.BaseExpression],
    site: cst.CSTNode,
    root: cst.CSTNode,
    describe: str,
    message: callable,  # type: ignore[valid-type]
) -> str | Problem | None:
    """For the calls kind (a template filled at its calls), a key with a value
    given at the call (`values`: text, or the call's value expression): the
    id read from a create's answer, a mark when the lookup would surely fail,
    or None to go on with the lookup."""
    params = Template(ref.key).params
    value = values.get(params[0]) if len(params) == 1 else None
    if isinstance(value, cst.BaseExpression):
        found = slugs_answer.slug_of_answer(ctx, value, ref, site)
        if found is not None:
            slugs_created.tie(ctx, root, found.url)
            return found.text()
    if ctx.ids is None or ctx.lookup_module is None:
        return None
    choices: dict[str, list[str]] = {}
    for param in params:
        held = values.get(param)
        texts = [held] if isinstance(held, str) else (
            slug_keys.node_texts(ctx, held, site) if held is not None else None
        )
        if not texts:
            return None
        choices[param] = texts
    keys = slug_keys.fill_keys(ref.key, choices)
    if keys is None:
        return None
    try:
        check_keys(ctx, ctx.ids, ref, keys, describe, message)
    except Problem as problem:
        return problem
    return None


# -- the generated lookup module ----------------------------------------------

_HEADER = '''"""Public API ids of the objects this code named by slug (and `all_pages`,
which reads every page of a Public list the Config API answered whole).

Generated by `migrator rewrite` from the id map fetched by `migrator ids`{fetched}.
Regenerate it (`migrator ids`, then `migrator rewrite --ids FILE`) when
objects are added or renamed; do not edit by hand.
"""

from __future__ import annotations

_MAPS: dict[str, dict[str, object]] = {maps}

_LEFT_OUT: dict[str, dict[str, str]] = {left_out}
"""Keys `migrator ids` left out on purpose → why (a new fetch would too)."""

_UNREAD: dict[str, str] = {unread}
"""Maps `migrator ids` could not read in full → why (a new fetch with the
same token would meet the same refusal)."""


def _lookup(kind: str, key: str) -> str:
    found = _MAPS.get(kind, {{}}).get(key)
    if isinstance(found, list):
        if len(found) == 1:
            return found[0]
        if found:
            raise LookupError(
                f"{{kind}} {{key!r}} names {{len(found)}} objects in the Public API; "
                "pick one id and use it instead of this lookup"
            )
        found = None
    why = _LEFT_OUT.get(kind, {{}}).get(key)
    if not isinstance(found, str) and why is not None:
        raise LookupError(
            f"no Public API id for {{kind}} {{key!r}}: `migrator ids` left it out of the id map ({{why}}), "
            "and a new `migrator ids` would leave it out too; put the right id in by hand"
        )
    why = _UNREAD.get(kind)
    if not isinstance(found, str) and why is not None:
        raise LookupError(
            f"no Public API id for {{kind}} {{key!r}}: the id map could not read them all ({{why}}), "
            "and a new `migrator ids` with the same token could not either; put the right id in by hand"
        )
    if not isinstance(found, str):
        raise LookupError(
            f"no Public API id for {{kind}} {{key!r}} in the id map; "
            "run `migrator ids` again if the object was created since"
        )
    return found
'''


def render_lookup_module(rules: RuleSet, ids: IdMap) -> str:
    """Source of the lookup module the rewritten code imports: one function
    per id kind the endpoint rows look up, with the keys' parameters as
    arguments (`destination_id(source, destination)`)."""
    refs: dict[str, IdRef] = {}
    for endpoint in rules.endpoints:
        for ref in endpoint.ids.values():
            refs.setdefault(ref.lookup, ref)
    data = ids.model_dump(mode="json", exclude_none=True)
    maps: dict[str, object] = {}
    left_out: dict[str, dict[str, str]] = {}
    unread: dict[str, str] = {}
    from migrator.idmap import _ATTRIBUTE  # the file's map names per kind

    for lookup in sorted(refs):
        attribute = _ATTRIBUTE.get(lookup)
        if attribute is not None:
            maps[lookup] = data.get(attribute, {})
            prefix = attribute + "/"
            why = {k[len(prefix):]: v for k, v in (ids.skipped or {}).items() if k.startswith(prefix)}
            if why:
                left_out[lookup] = why
            if (skipped := ids.skipped_for(lookup)) is not None:  # type: ignore[arg-type]
                unread[lookup] = skipped
        elif lookup == "workspace" and ids.workspace is not None:
            maps[lookup] = {ids.workspace.slug: ids.workspace.id}
    fetched = f"\nat {ids.fetched_at.isoformat()}" if ids.fetched_at else ""
    parts = [_HEADER.format(fetched=fetched, maps=_pretty(maps), left_out=_pretty(left_out),
                           unread=_pretty(unread))]
    for lookup in sorted(refs):
        ref = refs[lookup]
        params = [_identifier(p) for p in Template(ref.key).params]
        fill = re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\+?\}", lambda m: "{" + _identifier(m.group(1)) + "}", ref.key)
        signature = ", ".join(f"{p}: str" for p in params)
        parts.append(
            f"\n\ndef {function_name(lookup)}({signature}) -> str:\n"
            f'    """The Public API id of the {lookup} keyed `{ref.key}` in the id map."""\n'
            f'    return _lookup({lookup!r}, f"{fill}")\n'
        )
    from migrator.rewrite.pages import render_helper

    parts.append(render_helper(rules))  # follows the pages of lists the Config API answered whole
    return "".join(parts)


def _identifier(name: str) -> str:
    name = re.sub(r"\W", "_", name)
    return name + "_" if keyword.iskeyword(name) else name


def _pretty(value: object) -> str:
    import json

    return json.dumps(value, indent=4, sort_keys=True, ensure_ascii=False)
