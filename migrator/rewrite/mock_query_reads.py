"""Reads of the request's query a `MockTransport` handler makes that
`mock_handler_reads` cannot tell from a read of a page parameter.

    def handler(request):
        if request.url.copy_with(query=None) == URL:
            if parse_qs(request.url.query.decode()).get("page_token") == ["p2"]:

`<request>.url.params` (or a name bound to it, or a `dict(...)` copy) and
`<request>.url.query` (`.raw_path`) are read here; a read of one parameter
by a literal name (`.get("debug")`, `["debug"]`, `"debug" in`), and a text
looked for in the query (`b"debug=1" in request.url.query`), are
`mock_handler_reads`' (a page parameter) or harmless (another one). Any
other use (passed to a function, iterated, compared whole, a method such as
`.items()`) is such a read.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.mock_handler_reads import GETS, QUERY_TEXTS, _copied, _is_params, _is_url, _text


def query_reads(
    ctx: FileContext, handler: cst.FunctionDef, request: str, aliases: dict[str, bool],
) -> list[cst.CSTNode]:
    """The handler's reads of its request's query no read by name (see the module)."""
    from migrator.rewrite.bindings import binds
    from migrator.rewrite.mock_transport import handler_nodes

    found: list[cst.CSTNode] = []
    for node in handler_nodes(ctx, handler, cst.Attribute):
        assert isinstance(node, cst.Attribute)
        if _is_params(node, request):
            if not _by_name(ctx, node, request, aliases):
                found.append(node)
        elif node.attr.value in QUERY_TEXTS and _is_url(node.value, request):
            if not _looked_for(ctx, node):
                found.append(node)
    for name in handler_nodes(ctx, handler, cst.Name):
        assert isinstance(name, cst.Name)
        if aliases.get(name.value) and _loaded(ctx, name) and not binds(ctx, name):
            if not _by_name(ctx, name, request, aliases):
                found.append(name)
    return sorted(found, key=lambda n: (ctx.src.span(n) or (0, 0))[0])


def _by_name(ctx: FileContext, node: cst.BaseExpression, request: str, aliases: dict[str, bool]) -> bool:
    """The parameters `node` holds are read by a literal name only (or bound
    to a name of `aliases`)."""
    parent = ctx.parent(node)
    if isinstance(parent, cst.Arg) and isinstance(call := ctx.parent(parent), cst.Call) and _copied(call) is node:
        node, parent = call, ctx.parent(call)
    if isinstance(parent, cst.Assign) and parent.value is node:
        return all(isinstance(t.target, cst.Name) and t.target.value in aliases for t in parent.targets)
    if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in GETS:
        call = ctx.parent(parent)
        return isinstance(call, cst.Call) and call.func is parent and _named(call.args[0].value if call.args else None)
    if isinstance(parent, cst.Subscript) and parent.value is node:
        index = parent.slice[0].slice if len(parent.slice) == 1 else None
        return isinstance(index, cst.Index) and _named(index.value)
    return _membership(ctx, node)


def _looked_for(ctx: FileContext, node: cst.Attribute) -> bool:
    """`node` (the query's text, or its `.decode()`) is only looked for a text in."""
    parent = ctx.parent(node)
    if isinstance(parent, cst.Attribute) and parent.attr.value == "decode":
        call = ctx.parent(parent)
        if isinstance(call, cst.Call) and call.func is parent and not call.args:
            return _membership(ctx, call)
    return _membership(ctx, node)


def _membership(ctx: FileContext, node: cst.CSTNode) -> bool:
    """`"text" in node` (or `not in`), alone."""
    target = ctx.parent(node)
    if not isinstance(target, cst.ComparisonTarget) or target.comparator is not node:
        return False
    test = ctx.parent(target)
    return (
        isinstance(test, cst.Comparison) and len(test.comparisons) == 1
        and isinstance(target.operator, (cst.In, cst.NotIn)) and _named(test.left)
    )


def _named(node: cst.BaseExpression | None) -> bool:
    return node is not None and isinstance(_text(node), str)


def _loaded(ctx: FileContext, name: cst.Name) -> bool:
    """`name` is a name read, not an attribute's or a keyword's."""
    parent = ctx.parent(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is name:
        return False
    return not isinstance(parent, (cst.Param, cst.ImportAlias, cst.FunctionDef, cst.ClassDef, cst.NameItem))
