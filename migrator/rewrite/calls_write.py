"""Writing a migrated template and its calls, each call verified (see `calls`)."""

from __future__ import annotations

import re

import libcst as cst

from migrator.rewrite import clients, joins
from migrator.rewrite.calls_model import (
    BODY, METHOD, ROW, STATE, Rewrite, Site, Slot, Unfit, UrlTemplate, handled, roots_of, slots,
)
from migrator.rewrite.context import FileContext, Recorded
from migrator.rewrite.edits import Edit, PlanError, _removal_ranges, apply, ast_signature, plan_edits
from migrator.rewrite.strings import PUA, Cell, Chain, Hole, NewCell, NewHole, NewItem, is_hole_char
from migrator.rewrite.table import Table
from migrator.ruleset.templates import PLACEHOLDER, Template


def write(
    ctx: FileContext, leaf: UrlTemplate, slots: list[Slot], sites: list[Site], results: list[Rewrite], table: Table
) -> bool:
    new_path = results[0].path
    order = results[0].order
    rows = {ROW, "rewrite.paths", *(e.row.id for r in results for e in r.endpoints)}
    nodes = [leaf.chain.root, *(s.node for s in sites)] + ([leaf.parent.chain.root] if leaf.parent else [])
    if any(ctx.suppressed(n, r) for n in nodes for r in rows):
        raise Unfit("`# migrator: ignore`")
    edits: list[Edit] = []
    records: list[Recorded] = []
    rules = sorted({e.row.id for r in results for e in r.endpoints})
    rule = rules[0] if len(rules) == 1 else next(
        (e.row.id for r in results for e in r.endpoints if e.method == "GET"), rules[0])
    # the template(s)
    if leaf.parent is None:
        wanted = _template_items(ctx, leaf, new_path)
        edits.extend(plan_edits(ctx.src, leaf.chain, wanted))
    else:
        assert leaf.host is not None or leaf.parent.base_hole
        edits.extend(_rebased_child(ctx, leaf, new_path))
        parent_edits, parent_rule = _unused_parent(ctx, leaf.parent, table)
        edits.extend(parent_edits)
        start, end = leaf.parent.chain.outer
        before = ctx.src.text[start:end]
        records.append(Recorded(parent_rule, start, end, before, apply(before, parent_edits, start)))
    # the calls
    for site, result in zip(sites, results, strict=True):
        site_edits = _site_edits(ctx, site, order, result.args, leaf.style)
        _verify(ctx, site, site_edits, new_path, slots, order, result.args, leaf.style)
        edits.extend(site_edits)
        span = ctx.src.span(site.node)
        assert span is not None
        before = ctx.src.text[span[0] : span[1]]
        inside = [e for e in site_edits if span[0] <= e.start and e.end <= span[1]]
        records.append(Recorded(rule, span[0], span[1], before, apply(before, inside, span[0])))
    if not edits:
        return False
    record = joins.accept(ctx, leaf.chain, edits, [rule])
    if record is None:
        raise Unfit("edits collide")
    ctx.changes.extend(records)
    record.recorded.extend(records)
    calls_of = ctx.state.setdefault(STATE + ".origins", {})
    for site, result in zip(sites, results, strict=True):
        calls_of[id(site.node)] = (  # type: ignore[index]
            id(leaf.chain.root), _site_rule(ctx, site, result), _call_chain(ctx, leaf, site, result, table))
    handled(ctx).update(roots_of(leaf))
    if any(a is not None and ctx.lookup_module and a.startswith(ctx.lookup_module + ".")
           for r in results for a in r.args):
        ctx.needs_lookup_import = True
    if leaf.base_hole:
        from migrator.rewrite.path_reading import base_roots

        first = (leaf.parent or leaf).chain
        base = first.hole(first.template()[0]).node
        joins.link(ctx, first.root, base_roots(ctx, base), ok=True)
    marked = len(ctx.markers)
    for site, result in zip(sites, results, strict=True):
        flow = clients.flow(ctx, site.node)
        if flow.unknown or not flow.methods:
            continue
        for e in result.endpoints:
            if e.public_method and e.public_method != e.method:
                ctx.mark(METHOD, site.node, table.message(
                    METHOD, "{reason}", reason=f"the Public API uses {e.public_method} for `{e.row.config}` "
                    f"(`{e.row.public}`): change the HTTP method of this call"))
            if e.needs_body:
                ctx.mark(BODY, site.node, table.message(
                    BODY, "the request body of `{endpoint}` must change too: {summary}",
                    endpoint=e.row.config, summary=e.row.summary))
    responding = sorted({e.row.id for r in results for e in r.endpoints if e.row.response})
    ctx.response_rules.update(responding)
    record.response_rules.update(responding)
    record.markers.extend(ctx.markers[marked:])
    return True


def _call_chain(ctx: FileContext, leaf: UrlTemplate, site: Site, result: Rewrite, table: Table) -> Chain | None:
    span = ctx.src.span(site.node)
    host = leaf.host or (table.hosts[0] if table.hosts else None)
    if span is None or host is None:
        return None
    holes = []
    for i, value in enumerate(site.values):
        value_span = ctx.src.span(value)
        text = ctx.src.text[value_span[0] : value_span[1]] if value_span is not None else None
        holes.append(Hole(i, "format", text, value_span, node=value))
    text = host.origin + host.version + "/" + result.config_path
    # only read (template, holes), never edited: the cells need no token of their own
    items = [holes[ord(c) - PUA] if is_hole_char(c) else Cell(c, span, None) for c in text]  # type: ignore[arg-type]
    return Chain(site.node, span, items, [], [], [], [], [], holes)  # type: ignore[arg-type]


def _site_rule(ctx: FileContext, site: Site, result: Rewrite) -> str:
    """The endpoint row of one call: the one of its method, else the GET row."""
    methods = clients.flow(ctx, site.node).methods
    for e in result.endpoints:
        if methods and e.method in methods:
            return e.row.id
    return next((e.row.id for e in result.endpoints if e.method == "GET"), result.endpoints[0].row.id)


def _template_items(ctx: FileContext, leaf: UrlTemplate, new_path: str) -> list[NewItem]:
    text = leaf.chain.template()
    items: list[NewItem] = []
    if leaf.host is not None:
        items.extend(NewCell(c) for c in leaf.host.public(ctx.region))
        items.append(NewCell("/"))
    else:
        items.append(NewHole(leaf.chain.hole(text[0])))
        if leaf.lead_slash:
            items.append(NewCell("/"))
    items.extend(NewCell(c) for c in new_path)
    return items


def _rebased_child(ctx: FileContext, leaf: UrlTemplate, new_path: str) -> list[Edit]:
    """`SOURCE_URL + "/destinations/{destination}"` → the Public URL whole."""
    if leaf.host is None:
        raise Unfit("the base of the shorter template is a name")
    wanted: list[NewItem] = [NewCell(c) for c in leaf.host.public(ctx.region)]
    wanted.append(NewCell("/"))
    wanted.extend(NewCell(c) for c in new_path)
    return plan_edits(ctx.src, leaf.chain, wanted)


def _unused_parent(ctx: FileContext, parent: UrlTemplate, table: Table) -> tuple[list[Edit], str]:
    """The shorter template, which this file no longer fills: its own Public
    counterpart, with the Public placeholder names."""
    style = "format" if "{" in parent.path else "percent"
    placeholders = slots(parent.path, style)
    pieces: list[str] = []
    last = 0
    for i, slot in enumerate(placeholders):
        pieces.append(parent.path[last : slot.start] + chr(PUA + i))
        last = slot.start + len(slot.text)
    pieces.append(parent.path[last:])
    matches = table.match("".join(pieces))
    publics = {e.public_path for e, _ in matches}
    if not matches or len(publics) != 1 or any(e.public_query or e.row.public is None for e, _ in matches):
        raise Unfit("the shorter template has no one Public counterpart")
    endpoint, params = matches[0]
    assert endpoint.public_path is not None
    public = endpoint.public_path.lstrip("/")
    out: list[str] = []
    last = 0
    for m in PLACEHOLDER.finditer(public):
        out.append(public[last : m.start()])
        last = m.end()
        name = m.group(1)
        ref = endpoint.row.ids.get(name)
        keys = Template(ref.key).params if ref is not None else (name,)
        bound = [str(params.get(k, "")) for k in keys]
        if ref is None and len(bound[0]) == 1 and is_hole_char(bound[0]):
            out.append(placeholders[ord(bound[0]) - PUA].text)
        elif ref is not None and any(len(b) == 1 and is_hole_char(b) for b in bound):
            out.append("{" + name + "}" if style == "format" else "%s")
        else:
            raise Unfit("literal text in the shorter template")
    out.append(public[last:])
    assert parent.host is not None
    wanted: list[NewItem] = [NewCell(c) for c in parent.host.public(ctx.region)]
    wanted.append(NewCell("/"))
    wanted.extend(NewCell(c) for c in "".join(out))
    return plan_edits(ctx.src, parent.chain, wanted), endpoint.row.id


def _site_edits(ctx: FileContext, site: Site, order: list[int], args: list[str | None], style: str) -> list[Edit]:
    edits: list[Edit] = []
    replaced = dict(zip(order, args, strict=True))
    for i, span in enumerate(site.spans):
        text = replaced.get(i)
        if i in replaced and text is not None:
            value = site.values[i]
            value_span = ctx.src.span(value)
            assert value_span is not None
            edits.append(Edit(value_span[0], value_span[1], text))
    dead = [i not in replaced for i in range(len(site.spans))]
    if not any(dead):
        return edits
    node = site.node
    if all(dead):
        # nothing left to fill: `TEMPLATE.format(...)` / `TEMPLATE % values` → `TEMPLATE`
        if isinstance(node, cst.Call):
            func = node.func
            assert isinstance(func, cst.Attribute)
            start = ctx.src.span(func.value)
        else:
            start = ctx.src.span(node.left)
        end = ctx.src.span(node)
        assert start is not None and end is not None
        return [Edit(start[1], end[1], "")]
    for start, end in _removal_ranges(site.spans, dead):
        edits.append(Edit(start, end, ""))
    if isinstance(node, cst.BinaryOperation) and isinstance(node.right, cst.Tuple):
        alive = [i for i, d in enumerate(dead) if not d]
        if len(alive) == 1:
            elements = node.right.elements
            a = alive[0]
            has_comma = isinstance(elements[a].comma, cst.Comma)
            if not (a == len(dead) - 1 and has_comma):
                end = site.spans[a][1]
                edits.append(Edit(end, end, ","))
    return sorted(edits, key=lambda e: (e.start, e.end))


def _verify(
    ctx: FileContext,
    site: Site,
    edits: list[Edit],
    new_path: str,
    slots: list[Slot],
    order: list[int],
    args: list[str | None],
    style: str,
) -> None:
    """The edited call, read by Python with the new template in place of the
    name, must fill the new template with exactly the intended values."""
    span = ctx.src.span(site.node)
    assert span is not None
    text = apply(ctx.src.text[span[0] : span[1]], [e for e in edits if span[0] <= e.start and e.end <= span[1]],
                 span[0])
    name_span = ctx.src.span(site.node.func.value if isinstance(site.node, cst.Call) else site.node.left)  # type: ignore[union-attr]
    assert name_span is not None
    width = name_span[1] - name_span[0]
    if not text.startswith(ctx.src.text[name_span[0] : name_span[1]]):
        raise PlanError("the template name moved")
    virtual = repr(new_path) + text[width:]
    found = ast_signature(virtual)
    expected: list[str | tuple[str, str | None]] = []
    last = 0
    written = {slots[i].text: (i, a) for i, a in zip(order, args, strict=True)}
    pattern = re.compile("|".join(re.escape(t) for t in written)) if written else None
    for m in pattern.finditer(new_path) if pattern else []:
        expected.extend(new_path[last : m.start()])
        last = m.end()
        i, arg = written[m.group(0)]
        if arg is None:
            value_span = ctx.src.span(site.values[i])
            assert value_span is not None
            arg = ctx.src.text[value_span[0] : value_span[1]]
        expected.append(("hole", " ".join(arg.split())))
    expected.extend(new_path[last:])
    if found != expected:
        raise PlanError("the edited call does not read as intended")
