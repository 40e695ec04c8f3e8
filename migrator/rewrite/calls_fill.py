"""One call of a template read whole and matched against the endpoint rows:
the Public template and the call's new values (see `calls`)."""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import slug_keys
from migrator.rewrite.calls_model import METHOD, SIMPLE, SLUGS, Rewrite, Site, Slot, Unfit, UrlTemplate
from migrator.rewrite.context import FileContext
from migrator.rewrite.lookup_name import taken_at
from migrator.rewrite.slugs import Problem as SlugProblem
from migrator.rewrite.slugs import at_call, function_name
from migrator.rewrite.strings import PUA, is_hole_char
from migrator.rewrite.path_messages import OTHER_WORKSPACE, unknown_key, unread_map
from migrator.rewrite.table import Endpoint, Table
from migrator.ruleset.templates import PLACEHOLDER, Template


def site_rewrite(
    ctx: FileContext,
    leaf: UrlTemplate,
    slots: list[Slot],
    site: Site,
    table: Table,
    methods: set[str] | None,
) -> Rewrite | tuple[str, str]:
    """The Public template and this call's values, for the rows it matches."""
    from migrator.rewrite.path_messages import slug_message

    literal = [_literal(v) for v in site.values]
    # the path as this call fills it: a literal value as text, others as holes
    pieces: list[str] = []
    last = 0
    for i, slot in enumerate(slots):
        pieces.append(leaf.path[last : slot.start])
        pieces.append(literal[i] if literal[i] is not None else chr(PUA + i))
        last = slot.start + len(slot.text)
    pieces.append(leaf.path[last:])
    path = "".join(pieces)
    matches = table.match(path)
    if methods is not None:
        matches = [(e, p) for e, p in matches if e.method in methods]
    if not matches:
        raise Unfit("no row for this call")
    outcomes: set[tuple[str, tuple[str | None, ...], tuple[int, ...]]] = set()
    chosen: Rewrite | None = None
    for endpoint, params in matches:
        if endpoint.row.public is None:
            return endpoint.row.id, endpoint.row.instead or ""
        if endpoint.public_query or endpoint.public_path is None:
            raise Unfit("a Public query")
        describe = endpoint.row.config.split(" ", 1)[1]

        def message(which: str, **fields: str) -> str:
            return slug_message(ctx, table, which, **fields)

        # where each Config param sits: a slot index, or literal text of the template
        where: dict[str, int | str] = {}
        for param, bound in params.items():
            text = str(bound)
            start = getattr(bound, "start", None)
            if len(text) == 1 and is_hole_char(text):
                where[param] = ord(text) - PUA
                continue
            if start is None:
                raise Unfit("unbound")
            # a literal value given at the call: find its slot by position
            slot = _slot_at(slots, literal, leaf.path, start, text)
            where[param] = slot if slot is not None else text
        try:
            rewrite = _fill(ctx, endpoint, where, slots, site, literal, describe, message, table, leaf.chain.root)
        except Problem as problem:
            return problem.rule, problem.reason
        outcomes.add((rewrite.path, tuple(rewrite.args), tuple(rewrite.order)))
        rewrite.endpoints = [endpoint]
        rewrite.config_path = path
        if chosen is None:
            chosen = rewrite
        else:
            chosen.endpoints.append(endpoint)
    if len(outcomes) != 1 or chosen is None:
        return METHOD, table.message(
            METHOD, "{reason}",
            reason="this Config path becomes different Public calls depending on the HTTP method, "
            "which cannot be seen here: migrate it by hand")
    return chosen


def _slot_at(slots: list[Slot], literal: list[str | None], path: str, start: int, text: str) -> int | None:
    """The slot whose literal value a matched param holds (by its position in
    the filled path); None when the text is the template's own."""
    offset = 0
    last = 0
    for i, slot in enumerate(slots):
        offset += slot.start - last
        width = len(literal[i]) if literal[i] is not None else 1
        if offset == start and literal[i] == text:
            return i
        if start < offset + width and offset < start + len(text):
            raise Unfit("a param made of a value and other text")
        offset += width
        last = slot.start + len(slot.text)
    return None


class Problem(Exception):
    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(rule, reason)
        self.rule = rule
        self.reason = reason


def _fill(
    ctx: FileContext,
    endpoint: Endpoint,
    where: dict[str, int | str],
    slots: list[Slot],
    site: Site,
    literal: list[str | None],
    describe: str,
    message: object,
    table: Table,
    root: cst.CSTNode,
) -> Rewrite:
    assert endpoint.public_path is not None
    public = endpoint.public_path.lstrip("/")
    out: list[str] = []
    order: list[int] = []
    args: list[str | None] = []
    last = 0
    for m in PLACEHOLDER.finditer(public):
        out.append(public[last : m.start()])
        last = m.end()
        name = m.group(1)
        ref = endpoint.row.ids.get(name)
        if ref is None:
            if name not in where:
                raise Problem(endpoint.row.id, message("missing", param=name, endpoint=describe))  # type: ignore[operator]
            source = where[name]
            if isinstance(source, str):
                out.append(source)
            else:
                out.append(slots[source].text)
                order.append(source)
                args.append(None)
            continue
        keys = Template(ref.key).params
        if any(k not in where for k in keys):
            raise Problem(SLUGS, message("missing", param=name, endpoint=describe))  # type: ignore[operator]
        placed = [where[k] for k in keys if not isinstance(where[k], str)]
        values = {k: (where[k] if isinstance(where[k], str) else literal[where[k]]) for k in keys}  # type: ignore[index]
        if all(v is not None for v in values.values()):
            identifier = _literal_id(ctx, ref, values, describe, message)  # type: ignore[arg-type]
            if not placed:
                out.append(identifier)
                continue
            quote = _quote(site.values[placed[-1]])  # type: ignore[index]
            text = quote + identifier + quote
        else:
            # a slug read from a create's answer, or known now and not in the id map
            given = {k: (where[k] if isinstance(where[k], str) else site.values[where[k]]) for k in keys}  # type: ignore[index]
            found = at_call(ctx, ref, given, site.node, root, describe, message)  # type: ignore[arg-type]
            if isinstance(found, SlugProblem):
                raise Problem(found.rule, found.reason)
            if found is not None:
                slot = placed[-1]
                assert isinstance(slot, int)
                out.append(slots[slot].text)
                order.append(slot)
                args.append(found)
                continue
            names = ", ".join(_source(ctx, site.values[p]) for p in placed)  # type: ignore[index]
            unread = unread_map(ctx.ids, ref.lookup)
            if unread is not None:
                # the lookup would surely raise: the template stays (the paths kind marks it); this call says why
                reason = message("unread-variable", kind=ref.lookup, value=names,  # type: ignore[operator]
                                 endpoint=describe, why=unread)
                ctx.mark(SLUGS, site.node, reason)
                raise Problem(SLUGS, reason)
            if ctx.lookup_module is None:
                raise Problem(SLUGS, message("variable", kind=ref.lookup, value=names, endpoint=describe))  # type: ignore[operator]
            taken = taken_at(ctx, site.node)
            if taken is not None:
                # the template stays (the paths kind marks it); this call says why
                reason = message("taken", kind=ref.lookup, value=names, endpoint=describe,  # type: ignore[operator]
                                 module=ctx.lookup_module, how=taken.how(ctx))
                ctx.mark(SLUGS, site.node, reason)
                raise Problem(SLUGS, reason)
            parts = []
            for k in keys:
                source = where[k]
                if isinstance(source, str):
                    if '"' in source or "\\" in source:
                        raise Unfit("a key part that needs escaping")
                    parts.append('"' + source + '"')
                else:
                    parts.append(_source(ctx, site.values[source]))
            text = f"{ctx.lookup_module}.{function_name(ref.lookup)}({', '.join(parts)})"
        slot = placed[-1]
        assert isinstance(slot, int)
        out.append(slots[slot].text)
        order.append(slot)
        args.append(text)
    out.append(public[last:])
    if order != sorted(order) or len(set(order)) != len(order):
        raise Unfit("values would change order, or one would be needed twice")
    # the workspace of a call, literal or held in a value whose texts are known
    # (`ws=WORKSPACE`, see `slug_keys`), must be the id map's
    workspace = ctx.ids.workspace if ctx.ids is not None else None
    if workspace is not None and "workspace" in where:
        source = where["workspace"]
        if isinstance(source, str) or literal[source] is not None:
            known = [source if isinstance(source, str) else literal[source]]
        else:
            known = slug_keys.node_texts(ctx, site.values[source], site.node) or []
        other = [v for v in known if v is not None and v not in (workspace.slug, workspace.id)]
        if other:
            raise Problem(OTHER_WORKSPACE, table.message(
                OTHER_WORKSPACE,
                "this call is for workspace `{workspace}` but the id map is for `{mapped}`: a Public API "
                "token works for one workspace; migrate it with that workspace's id map and token",
                workspace=other[0], mapped=workspace.slug))
    for i, value in enumerate(site.values):
        if i not in order and not isinstance(value, SIMPLE):
            raise Unfit("a dropped value with side effects")
    return Rewrite("".join(out), args, order, [])


def _literal_id(ctx: FileContext, ref: object, values: dict[str, str], describe: str, message: object) -> str:
    key = Template(ref.key).fill(values)  # type: ignore[attr-defined]
    if ctx.ids is None:
        raise Problem(SLUGS, message("needs-ids", kind=ref.lookup, key=key, endpoint=describe))  # type: ignore
    found = ctx.ids.resolve(ref.lookup, key)  # type: ignore[attr-defined]
    if found.ambiguous:
        raise Problem(SLUGS, message("ambiguous", kind=ref.lookup, key=key, endpoint=describe,  # type: ignore
                                          count=str(len(found.ids))))
    if found.id is None:
        which, why = unknown_key(ctx.ids, ref.lookup, key)  # type: ignore[arg-type]
        raise Problem(SLUGS, message(which, kind=ref.lookup, key=key, endpoint=describe, **why))  # type: ignore
    return found.id


def _quote(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.SimpleString):
        return node.quote if len(node.quote) == 1 else '"'
    return '"'


def _source(ctx: FileContext, node: cst.BaseExpression) -> str:
    span = ctx.src.span(node)
    if span is None or not isinstance(node, SIMPLE):
        raise Unfit("a value moved into a lookup must be simple")
    return ctx.src.text[span[0] : span[1]]


def _literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        if isinstance(value, str) and "/" not in value and "{" not in value and "%" not in value:
            return value
    return None
