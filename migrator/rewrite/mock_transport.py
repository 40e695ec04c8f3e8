"""Answers of `httpx.MockTransport` handlers, by the URL they answer for.

    def handler(request):
        if request.method == "GET" and request.url == "https://…/v1beta/workspaces/acme/sources":
            return httpx.Response(200, json={...})

    httpx.Client(transport=httpx.MockTransport(handler))

A handler is a function of the file passed to `httpx.MockTransport`. An
`if` of it whose test compares the request's URL with a string (`==`),
optionally with the request's method (`request.method == "GET"`, joined
by `and`), answers for that URL and method with the `httpx.Response(...)`
its body returns directly.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext, walk

TRANSPORT = "httpx.MockTransport"
RESPONSE = "httpx.Response"


def handler_answers(ctx: FileContext) -> Iterator[tuple[cst.Call, cst.BaseExpression, str | None]]:
    """(the `httpx.Response(...)` call, the URL expression, the method or None)."""
    for handler in _handlers(ctx):
        request = handler.params.params[0].name.value if handler.params.params else None
        if request is None:
            continue
        for node, _ in walk(handler.body):
            if type(node) is not cst.If:
                continue
            found = _condition(node.test, request)
            if found is None:
                continue
            url, method = found
            for answer in _returned_responses(ctx, node.body):
                yield answer, url, method


def compared_flow(ctx: FileContext, node: cst.CSTNode, parent: cst.CSTNode) -> clients.Flow | None:
    """A URL a handler compares the request's URL with, in the test of an
    `if` that compares the request's method too (`if request.method == "GET"
    and request.url == URL:`): a URL used with that method, as
    `responses.add(responses.GET, URL)` is (see `mock_doubles.registration_flow`).
    `parent` is the comparison (or its target) `node` is in."""
    comparison = parent if isinstance(parent, cst.Comparison) else ctx.parent(parent)
    if not isinstance(comparison, cst.Comparison):
        return None
    test: cst.BaseExpression = comparison
    while isinstance(up := ctx.parent(test), cst.BooleanOperation) and isinstance(up.operator, cst.And):
        test = up
    statement = ctx.parent(test)
    if not isinstance(statement, cst.If) or statement.test is not test:
        return None
    handler = ctx.index.scope_of(statement)
    if not isinstance(handler, cst.FunctionDef) or not handler.params.params:
        return None
    if not any(h is handler for h in _cached_handlers(ctx)):
        return None
    found = _condition(test, handler.params.params[0].name.value)
    if found is None or found[0] is not node or found[1] is None or found[1].lower() not in clients.VERBS:
        return None
    return clients.Flow(url=True, methods={found[1]})


def _cached_handlers(ctx: FileContext) -> list[cst.FunctionDef]:
    key = __name__ + ".handlers"
    if key not in ctx.state:
        ctx.state[key] = _handlers(ctx)
    return ctx.state[key]  # type: ignore[return-value]


def _handlers(ctx: FileContext) -> list[cst.FunctionDef]:
    names: set[str] = set()
    for node in ctx.index.parents:
        if type(node) is cst.Call and clients.qualified_name(ctx, node.func) == TRANSPORT:  # type: ignore[arg-type]
            args = node.args  # type: ignore[attr-defined]
            if args and isinstance(args[0].value, cst.Name):
                names.add(args[0].value.value)
    return [
        n
        for n in ctx.index.parents
        if type(n) is cst.FunctionDef and n.name.value in names and isinstance(ctx.index.scope_of(n), cst.Module)
    ]


def _condition(test: cst.BaseExpression, request: str) -> tuple[cst.BaseExpression, str | None] | None:
    """The URL compared with `<request>.url` and the method compared with
    `<request>.method`, in a test of `==` comparisons joined by `and`."""
    parts: list[cst.BaseExpression] = []
    stack = [test]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.And):
            stack.extend([node.left, node.right])
        else:
            parts.append(node)
    url: cst.BaseExpression | None = None
    method: str | None = None
    for part in parts:
        if not isinstance(part, cst.Comparison) or len(part.comparisons) != 1:
            return None
        target = part.comparisons[0]
        if not isinstance(target.operator, cst.Equal):
            return None
        for side, other in ((part.left, target.comparator), (target.comparator, part.left)):
            if _is_attribute(side, request, "url"):
                url = other
            elif _is_attribute(side, request, "method") and isinstance(other, cst.SimpleString):
                value = other.evaluated_value
                method = value.upper() if isinstance(value, str) else None
    return (url, method) if url is not None else None


def _is_attribute(node: cst.BaseExpression, request: str, attr: str) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == attr
        and isinstance(node.value, cst.Name)
        and node.value.value == request
    )


def _returned_responses(ctx: FileContext, body: cst.BaseSuite) -> list[cst.Call]:
    found: list[cst.Call] = []
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            value = small.value if isinstance(small, cst.Return) else None
            if isinstance(value, cst.Call) and clients.qualified_name(ctx, value.func) == RESPONSE:
                found.append(value)
    return found
