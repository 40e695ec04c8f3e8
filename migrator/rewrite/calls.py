"""Config URL templates filled in at the call (rewrite row `rewrite.call-templates`).

```python
SCHEMA_URL = API + "/workspaces/{ws}/sources/{src}/schema-config"
url = SCHEMA_URL.format(ws="acme", src="web")
PLAN_URL = "https://platform.segmentapis.com/v1beta/workspaces/%s/tracking-plans/%s"
requests.get(PLAN_URL % (WORKSPACE, plan_id))
```

The template and the values are far apart, so neither can be migrated alone:
dropping `{ws}` from the template would shift the values, and the slug
needs its id where the value is given. When the template is a module
constant of a script (or a private name) and every use of it in the file is
a `.format(...)` or `%` call with values this rewrite can read, each call is
read whole (template + values), matched against the endpoint rows, and the
template and every call are rewritten together, consistently: the template
gets the Public path with the Config placeholders it still needs (the id
takes the place of the slug it replaces), each call loses the values no
longer used (the workspace) and gets the id where the slug was (a literal id
from the id map, or the generated lookup `segment_ids.source_id(slug)`).

A template whose only use is the start of another template constant
(`DESTINATION_URL = SOURCE_URL + "/destinations/{destination}"`) is read
together with it. When the longer template's Public path needs another
base, the longer one is written whole (Public host + path) and the shorter
one becomes its own Public counterpart, with the Public placeholder names
(`{sourceId}`) since this file fills it nowhere.

Any other use (passed to a function, exported, a value that cannot be
read) leaves everything to the paths kind, which marks it as before.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

import libcst as cst

from migrator.rewrite import clients, joins
from migrator.rewrite.context import FileContext, Recorded
from migrator.rewrite.edits import Edit, PlanError, _removal_ranges, apply, ast_signature, plan_edits
from migrator.rewrite.slugs import function_name
from migrator.rewrite.strings import PUA, Cell, Chain, Hole, NewCell, NewHole, NewItem, build_chain, is_hole_char
from migrator.rewrite.table import Endpoint, HostForm, Table
from migrator.ruleset.templates import PLACEHOLDER, Template

ROW = "rewrite.call-templates"
BODY = "rewrite.request-body"
METHOD = "rewrite.http-method"
PERCENT = re.compile(r"%s")
SIMPLE = (cst.Name, cst.Attribute, cst.SimpleString, cst.Integer)
"""Values that may be dropped or moved into a lookup call (no side effects)."""


class Unfit(Exception):
    """The template or one of its uses cannot be read whole: leave it."""


@dataclass
class Slot:
    """One placeholder of the Config template."""

    text: str
    """As written: `{src}`, `{}`, `%s`."""
    key: int | str
    """Auto/positional index, or keyword name."""
    start: int
    """Offset in the template's path text."""


@dataclass
class Site:
    """One `.format(...)` or `%` use of the template."""

    node: cst.Call | cst.BinaryOperation
    values: list[cst.BaseExpression]
    """The value of each slot, in slot order."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Source span of each slot's value (the argument or tuple element)."""
    new_args: list[str] = field(default_factory=list)


@dataclass
class UrlTemplate:
    chain: Chain
    host: HostForm | None
    base_hole: bool
    """The chain starts with a Config base URL held in a name (`API + ...`)."""
    lead_slash: bool
    path: str
    """Config path text (after host/base and `/v1beta/`), placeholders as written."""
    style: str
    """format | percent"""
    parent: UrlTemplate | None = None


def handled(ctx: FileContext) -> set[int]:
    return ctx.state.setdefault(__name__, set())  # type: ignore[return-value]


def origins(ctx: FileContext) -> dict[int, str]:
    """The migrated calls (`TEMPLATE.format(...)` nodes) by id, with their
    endpoint row, for the kinds that follow what a migrated URL returns;
    none whose template was put back (see `joins`)."""
    found = ctx.state.get(__name__ + ".origins")
    if not isinstance(found, dict):
        return {}
    migrated = joins.state(ctx).migrated
    return {site: rule for site, (template, rule, _) in found.items() if template in migrated}


def config_chain(ctx: FileContext, node: cst.CSTNode) -> Chain | None:
    """A migrated call (`SCHEMA_URL.format(ws="acme", src=source)`) read as
    the Config URL it filled, for the request-body kind: the template's text
    with the call's values as holes; None for anything else."""
    found = ctx.state.get(__name__ + ".origins")
    if not isinstance(found, dict) or id(node) not in found:
        return None
    template, _, chain_ = found[id(node)]
    return chain_ if template in joins.state(ctx).migrated else None


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
    items = [holes[ord(c) - PUA] if is_hole_char(c) else Cell(c, span, None) for c in text]  # type: ignore[arg-type]
    return Chain(site.node, span, items, [], [], [], [], [], holes)  # type: ignore[arg-type]


def chain(ctx: FileContext, chain_: Chain, table: Table) -> bool:
    """Migrate a template constant and all its uses (True), or leave it (False)."""
    if id(chain_.root) in handled(ctx):
        return True
    text = chain_.template()
    if "{" not in text and "%" not in text:
        return False
    name = _constant(ctx, chain_.root)
    if name is None or not _private(ctx, name):
        return False
    try:
        plan = _plan(ctx, chain_, name, table)
    except (Unfit, PlanError):
        return False
    return bool(plan)


# -- reading -------------------------------------------------------------------


def _constant(ctx: FileContext, node: cst.CSTNode) -> cst.Name | None:
    from migrator.rewrite.paths import _assigned_name

    return _assigned_name(ctx, node)


def _private(ctx: FileContext, name: cst.Name) -> bool:
    """The constant is this file's own: a private name, or a script's (run
    as `__main__`), and not listed in `__all__`."""
    if "__all__" in ctx.index.names or ctx.index.assignments.get((ctx.src.module, "__all__")):
        return False
    return name.value.startswith("_") or _is_script(ctx)


def _is_script(ctx: FileContext) -> bool:
    for statement in ctx.src.module.body:
        if isinstance(statement, cst.If) and isinstance(statement.test, cst.Comparison):
            test = statement.test
            left = test.left
            right = test.comparisons[0].comparator if len(test.comparisons) == 1 else None
            if isinstance(left, cst.Name) and left.value == "__name__" and isinstance(right, cst.SimpleString) \
                    and right.evaluated_value == "__main__":
                return True
    return False


def _uses(ctx: FileContext, name: cst.Name) -> list[cst.Name]:
    statement = ctx.parent(name)
    assert statement is not None
    found = clients._uses(ctx, name, statement)
    if any(not isinstance(u, cst.Name) for u in found):
        raise Unfit("used as an attribute")
    if any(isinstance(n, cst.Name) and n.value == name.value and ctx.index.scope_of(n) is not ctx.src.module
           and n in ctx.index.targets for n in ctx.index.names.get(name.value, [])):
        raise Unfit("rebound in a function")
    return found  # type: ignore[return-value]


def _read(ctx: FileContext, chain_: Chain, table: Table, parent: UrlTemplate | None) -> UrlTemplate:
    from migrator.rewrite.paths import base_roots, classify, read

    reading = read(chain_, table)
    if reading is None or reading.query is not None or reading.trailing_slash:
        raise Unfit("not a Config path template")
    text = chain_.template()
    holes = [c for c in text if is_hole_char(c)]
    if reading.host is not None:
        if holes:
            raise Unfit("values in the template itself")
        return UrlTemplate(chain_, reading.host, False, reading.lead_slash, reading.path, "", parent)
    if reading.prefix_end != 1 or len(holes) != 1:
        raise Unfit("not a base + template")
    first = chain_.hole(text[0]).node
    if parent is None:
        if classify(ctx, first) != "config" or not base_roots(ctx, first):
            raise Unfit("base not a Config base URL")
        return UrlTemplate(chain_, None, True, reading.lead_slash, reading.path, "", None)
    path = parent.path + "/" + reading.path if reading.lead_slash else ""
    if not path:
        raise Unfit("no slash between the templates")
    return UrlTemplate(chain_, parent.host, parent.base_hole, parent.lead_slash, path, "", parent)


def _slots(path: str, style: str) -> list[Slot]:
    slots: list[Slot] = []
    if style == "percent":
        if "%" in PERCENT.sub("", path):
            raise Unfit("a % other than %s")
        for i, m in enumerate(PERCENT.finditer(path)):
            slots.append(Slot(m.group(0), i, m.start()))
        return slots
    offset = 0
    auto = 0
    try:
        parsed = list(string.Formatter().parse(path))
    except ValueError as exc:
        raise Unfit(str(exc)) from exc
    for literal, field_name, spec, conversion in parsed:
        if "{" in literal or "}" in literal:
            raise Unfit("escaped braces")
        offset += len(literal)
        if field_name is None:
            continue
        if spec or conversion:
            raise Unfit("format spec")
        written = "{" + field_name + "}"
        if not path.startswith(written, offset):
            raise Unfit("placeholder not plain")
        if field_name == "":
            key: int | str = auto
            auto += 1
        elif field_name.isdigit():
            raise Unfit("numbered placeholders")
        elif field_name.isidentifier():
            key = field_name
        else:
            raise Unfit("placeholder not plain")
        slots.append(Slot(written, key, offset))
        offset += len(written)
    if len({s.key for s in slots}) != len(slots):
        raise Unfit("a placeholder used twice")
    return slots


def _site(ctx: FileContext, use: cst.Name, style: str, slots: list[Slot]) -> Site:
    parent = ctx.parent(use)
    if style == "format":
        call = ctx.parent(parent) if isinstance(parent, cst.Attribute) else None
        if not (isinstance(parent, cst.Attribute) and parent.value is use and parent.attr.value == "format"
                and isinstance(call, cst.Call) and call.func is parent):
            raise Unfit("not a .format call")
        if any(a.star for a in call.args):
            raise Unfit("*args")
        positional = [a for a in call.args if a.keyword is None]
        keywords = {a.keyword.value: a for a in call.args if a.keyword is not None}
        args: list[cst.Arg] = []
        for slot in slots:
            if isinstance(slot.key, int):
                if slot.key >= len(positional):
                    raise Unfit("missing value")
                args.append(positional[slot.key])
            elif slot.key in keywords:
                args.append(keywords[slot.key])
            else:
                raise Unfit("missing value")
        if len(args) != len(call.args):
            raise Unfit("values the template does not use")
        spans = [ctx.src.span(a) for a in args]
        if any(s is None for s in spans):
            raise Unfit("no span")
        return Site(call, [a.value for a in args], spans)  # type: ignore[arg-type]
    if not (isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Modulo) and parent.left is use):
        raise Unfit("not a % use")
    right = parent.right
    if isinstance(right, cst.Tuple):
        elements = list(right.elements)
        if any(isinstance(e, cst.StarredElement) for e in elements) or len(elements) != len(slots):
            raise Unfit("% values")
        spans = [ctx.src.span(e.value) for e in elements]
        if any(s is None for s in spans):
            raise Unfit("no span")
        return Site(parent, [e.value for e in elements], spans)  # type: ignore[arg-type]
    if len(slots) != 1 or not _is_text(ctx, right):
        raise Unfit("a single % value that may be a tuple")
    span = ctx.src.span(right)
    if span is None:
        raise Unfit("no span")
    return Site(parent, [right], [span])


def _is_text(ctx: FileContext, node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.Name):
        values = clients.resolve(ctx, node)
        return bool(values) and all(
            isinstance(v, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)) for v in values
        )
    return False


def _literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        if isinstance(value, str) and "/" not in value and "{" not in value and "%" not in value:
            return value
    return None


# -- planning --------------------------------------------------------------------


def _plan(ctx: FileContext, chain_: Chain, name: cst.Name, table: Table) -> bool | None:
    uses = _uses(ctx, name)
    if not uses:
        return None
    root = _read(ctx, chain_, table, None)
    child_uses = [u for u in uses if isinstance(ctx.parent(u), cst.BinaryOperation)
                  and isinstance(ctx.parent(u).operator, cst.Add)]  # type: ignore[union-attr]
    if child_uses:
        # SOURCE_URL, whose one use starts DESTINATION_URL = SOURCE_URL + "/destinations/{destination}"
        if len(uses) != 1:
            raise Unfit("used as a base and otherwise")
        operation = ctx.parent(uses[0])
        assert isinstance(operation, cst.BinaryOperation)
        if operation.left is not uses[0]:
            raise Unfit("not the start")
        child_name = _constant(ctx, operation)
        if child_name is None or not _private(ctx, child_name):
            raise Unfit("not a template constant")
        child_chain = build_chain(ctx.src, operation)
        if child_chain is None:
            raise Unfit("not a chain")
        leaf = _read(ctx, child_chain, table, root)
        uses = _uses(ctx, child_name)
        if not uses:
            return None
    else:
        leaf = root
    style = _style(ctx, uses)
    leaf.style = style
    slots = _slots(leaf.path, style)
    if not slots:
        raise Unfit("no placeholders")
    sites = [_site(ctx, u, style, slots) for u in uses]
    return _apply(ctx, leaf, slots, sites, table)


def _style(ctx: FileContext, uses: list[cst.Name]) -> str:
    styles = set()
    for use in uses:
        parent = ctx.parent(use)
        if isinstance(parent, cst.Attribute) and parent.attr.value == "format":
            styles.add("format")
        elif isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Modulo):
            styles.add("percent")
        else:
            raise Unfit("a use that is not a fill")
    if len(styles) != 1:
        raise Unfit("mixed fills")
    return styles.pop()


@dataclass
class Rewrite:
    path: str
    """The Public path template, placeholders as written for the calls."""
    args: list[str | None]
    """Per kept slot, in new order: the value's new source at this call (None: as it is)."""
    order: list[int]
    """Config slot index of each placeholder of the new template, in order."""
    endpoints: list[Endpoint]
    config_path: str = ""
    """The Config path this call fills (values as holes U+E000 + slot index)."""


def _apply(ctx: FileContext, leaf: UrlTemplate, slots: list[Slot], sites: list[Site], table: Table) -> bool:
    results: list[Rewrite] = []
    problems: list[tuple[str, str]] = []
    for site in sites:
        flow = clients.flow(ctx, site.node)
        methods = flow.methods if not flow.unknown and flow.methods else None
        found = _site_rewrite(ctx, leaf, slots, site, table, methods)
        if isinstance(found, tuple):
            problems.append(found)
            continue
        results.append(found)
    if problems:
        # no id, no counterpart, another workspace: the paths kind marks the template as before
        raise Unfit(problems[0][1])
    if len({r.path for r in results}) != 1 or len({tuple(r.order) for r in results}) != 1:
        raise Unfit("calls that need different Public templates")
    return _write(ctx, leaf, slots, sites, results, table)


def _site_rewrite(
    ctx: FileContext,
    leaf: UrlTemplate,
    slots: list[Slot],
    site: Site,
    table: Table,
    methods: set[str] | None,
) -> Rewrite | tuple[str, str]:
    """The Public template and this call's values, for the rows it matches."""
    from migrator.rewrite.paths import SLUG_DEFAULTS, SLUGS

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
            return table.message(SLUGS + "." + which, SLUG_DEFAULTS[which], **fields)

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
            rewrite = _fill(ctx, endpoint, where, slots, site, literal, describe, message, table)
        except _Problem as problem:
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


class _Problem(Exception):
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
                raise _Problem(endpoint.row.id, message("missing", param=name, endpoint=describe))  # type: ignore[operator]
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
            raise _Problem(SLUGS_ROW, message("missing", param=name, endpoint=describe))  # type: ignore[operator]
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
            if ctx.lookup_module is None:
                names = ", ".join(_source(ctx, site.values[p]) for p in placed)  # type: ignore[index]
                raise _Problem(SLUGS_ROW, message("variable", kind=ref.lookup, value=names, endpoint=describe))  # type: ignore[operator]
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
    # the workspace of a literal call must be the id map's
    workspace = ctx.ids.workspace if ctx.ids is not None else None
    if workspace is not None and "workspace" in where:
        source = where["workspace"]
        value = source if isinstance(source, str) else literal[source]
        if value is not None and value not in (workspace.slug, workspace.id):
            raise _Problem("rewrite.other-workspace", table.message(
                "rewrite.other-workspace",
                "this call is for workspace `{workspace}` but the id map is for `{mapped}`: a Public API "
                "token works for one workspace; migrate it with that workspace's id map and token",
                workspace=value, mapped=workspace.slug))
    for i, value in enumerate(site.values):
        if i not in order and not isinstance(value, SIMPLE):
            raise Unfit("a dropped value with side effects")
    return Rewrite("".join(out), args, order, [])


SLUGS_ROW = "rewrite.slug-ids"


def _literal_id(ctx: FileContext, ref: object, values: dict[str, str], describe: str, message: object) -> str:
    key = Template(ref.key).fill(values)  # type: ignore[attr-defined]
    if ctx.ids is None:
        raise _Problem(SLUGS_ROW, message("needs-ids", kind=ref.lookup, key=key, endpoint=describe))  # type: ignore
    found = ctx.ids.resolve(ref.lookup, key)  # type: ignore[attr-defined]
    if found.ambiguous:
        raise _Problem(SLUGS_ROW, message("ambiguous", kind=ref.lookup, key=key, endpoint=describe,  # type: ignore
                                          count=str(len(found.ids))))
    if found.id is None:
        raise _Problem(SLUGS_ROW, message("unknown", kind=ref.lookup, key=key, endpoint=describe))  # type: ignore
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


def _roots(leaf: UrlTemplate) -> list[int]:
    found = [id(leaf.chain.root)]
    if leaf.parent is not None:
        found.append(id(leaf.parent.chain.root))
    return found


# -- writing -----------------------------------------------------------------------


def _write(
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
    calls_of = ctx.state.setdefault(__name__ + ".origins", {})
    for site, result in zip(sites, results, strict=True):
        calls_of[id(site.node)] = (  # type: ignore[index]
            id(leaf.chain.root), _site_rule(ctx, site, result), _call_chain(ctx, leaf, site, result, table))
    handled(ctx).update(_roots(leaf))
    if any(a is not None and ctx.lookup_module and a.startswith(ctx.lookup_module + ".")
           for r in results for a in r.args):
        ctx.needs_lookup_import = True
    if leaf.base_hole:
        from migrator.rewrite.paths import base_roots

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
    slots = _slots(parent.path, style)
    pieces: list[str] = []
    last = 0
    for i, slot in enumerate(slots):
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
            out.append(slots[ord(bound[0]) - PUA].text)
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
