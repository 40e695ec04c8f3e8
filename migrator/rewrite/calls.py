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

import libcst as cst

from migrator.rewrite import clients, joins
from migrator.rewrite.calls_fill import site_rewrite
from migrator.rewrite.calls_model import (
    STATE, Rewrite, Site, Slot, Unfit, UrlTemplate, handled, slots,
)
from migrator.rewrite.calls_write import write
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import PlanError
from migrator.rewrite.strings import Chain, build_chain, is_hole_char
from migrator.rewrite.table import Table


def origins(ctx: FileContext) -> dict[int, str]:
    """The migrated calls (`TEMPLATE.format(...)` nodes) by id, with their
    endpoint row, for the kinds that follow what a migrated URL returns;
    none whose template was put back (see `joins`)."""
    found = ctx.state.get(STATE + ".origins")
    if not isinstance(found, dict):
        return {}
    migrated = joins.state(ctx).migrated
    return {site: rule for site, (template, rule, _) in found.items() if template in migrated}


def config_chain(ctx: FileContext, node: cst.CSTNode) -> Chain | None:
    """A migrated call (`SCHEMA_URL.format(ws="acme", src=source)`) read as
    the Config URL it filled, for the request-body kind: the template's text
    with the call's values as holes; None for anything else."""
    found = ctx.state.get(STATE + ".origins")
    if not isinstance(found, dict) or id(node) not in found:
        return None
    template, _, chain_ = found[id(node)]
    return chain_ if template in joins.state(ctx).migrated else None


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
    from migrator.rewrite.path_reading import _assigned_name

    return _assigned_name(ctx, node)


def _private(ctx: FileContext, name: cst.Name) -> bool:
    """The constant is this file's own: a private name, or a script's (run
    as `__main__`), and not listed in `__all__`."""
    if "__all__" in ctx.index.names or ctx.index.assignments.get((ctx.src.module, "__all__")):
        return False
    return name.value.startswith("_") or is_script(ctx)


def is_script(ctx: FileContext) -> bool:
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
    from migrator.rewrite.path_reading import base_roots, classify, read

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
    placeholders = slots(leaf.path, style)
    if not placeholders:
        raise Unfit("no placeholders")
    sites = [_site(ctx, u, style, placeholders) for u in uses]
    return _apply(ctx, leaf, placeholders, sites, table)


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


def _apply(ctx: FileContext, leaf: UrlTemplate, slots: list[Slot], sites: list[Site], table: Table) -> bool:
    results: list[Rewrite] = []
    problems: list[tuple[str, str]] = []
    for site in sites:
        flow = clients.flow(ctx, site.node)
        methods = flow.methods if not flow.unknown and flow.methods else None
        found = site_rewrite(ctx, leaf, slots, site, table, methods)
        if isinstance(found, tuple):
            problems.append(found)
            continue
        results.append(found)
    if problems:
        # no id, no counterpart, another workspace: the paths kind marks the template as before
        raise Unfit(problems[0][1])
    if len({r.path for r in results}) != 1 or len({tuple(r.order) for r in results}) != 1:
        raise Unfit("calls that need different Public templates")
    return write(ctx, leaf, slots, sites, results, table)
