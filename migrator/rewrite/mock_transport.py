"""Answers of `httpx.MockTransport` handlers, by the URL they answer for.

    def handler(request):
        if request.method == "GET" and request.url == "https://…/v1beta/workspaces/acme/sources":
            return httpx.Response(200, json={...})

    httpx.Client(transport=httpx.MockTransport(handler))

A handler is a function of the file passed to `httpx.MockTransport` (at
the top level or nested in a test), or any function of the file an `if` of
which compares its request's URL as below and returns a response (its
transport built elsewhere: a fixture, another module). An
`if` of it whose test compares the request's URL with a string (`==`),
optionally with the request's method (`request.method == "GET"`, joined
by `and`), answers for that URL and method with the `httpx.Response(...)`
its body returns directly. The URL may be compared without its query
(`request.url.copy_with(query=None) == URL`), or only its path
(`request.url.path == "/v1beta/workspaces/acme/sources"`: a whole request
path, whatever host the code sends it to).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext, walk

TRANSPORT = "httpx.MockTransport"
RESPONSE = "httpx.Response"
QUERY_KEYWORDS = frozenset({"query", "params"})
"""Keywords of `URL.copy_with` that, given `None`, drop the query."""
COPY_KEYWORDS = QUERY_KEYWORDS | {"fragment"}


@dataclass
class Compared:
    """What the test of a handler's `if` compares the request with."""

    url: cst.BaseExpression
    """The string compared with the request's URL (or its path)."""
    method: str | None
    """The method compared with the request's, upper case."""
    query: bool = True
    """The request's query takes part (`request.url == URL`; not with
    `request.url.copy_with(query=None)` nor `request.url.path`)."""
    path: bool = False
    """Only the request's path is compared (`request.url.path == "/v1beta/…"`)."""


def handler_answers(ctx: FileContext) -> Iterator[tuple[cst.Call, Compared]]:
    """(the `httpx.Response(...)` call, what its `if` compares)."""
    for handler in handlers(ctx):
        request = handler.params.params[0].name.value if handler.params.params else None
        if request is None:
            continue
        for node in _own(ctx, handler, cst.If):
            found = _condition(node.test, request, _aliases(ctx, handler, node))  # type: ignore[attr-defined]
            if found is None:
                continue
            for answer in _returned_responses(ctx, node.body):  # type: ignore[attr-defined]
                yield answer, found


def handler_tests(ctx: FileContext) -> Iterator[tuple[cst.FunctionDef, str, cst.If, Compared]]:
    """(the handler, its request parameter, an `if` of it comparing the
    request's URL, what that `if` compares), whatever its body returns."""
    for handler in handlers(ctx):
        if not handler.params.params:
            continue
        request = handler.params.params[0].name.value
        for node in _own(ctx, handler, cst.If):
            found = _condition(node.test, request)  # type: ignore[attr-defined]
            if found is not None:
                yield handler, request, node, found  # type: ignore[misc]


def handler_asserts(ctx: FileContext) -> Iterator[tuple[cst.FunctionDef, str, cst.Assert, Compared]]:
    """(the handler, its request parameter, an `assert` of its body's top
    level comparing the request's URL as an `if` would, what it compares):
    the code below it answers for that URL."""
    for handler in handlers(ctx):
        if not handler.params.params or not isinstance(handler.body, cst.IndentedBlock):
            continue
        request = handler.params.params[0].name.value
        for line in handler.body.body:
            for statement in line.body if isinstance(line, cst.SimpleStatementLine) else ():
                found = _condition(statement.test, request) if isinstance(statement, cst.Assert) else None
                if found is not None:
                    yield handler, request, statement, found  # type: ignore[misc]


def handler_nodes(ctx: FileContext, handler: cst.FunctionDef, kind: type[cst.CSTNode]) -> list[cst.CSTNode]:
    """The nodes of `kind` in the handler's own body (see `_own`)."""
    return _own(ctx, handler, kind)


def handler_responses(ctx: FileContext) -> Iterator[cst.Call]:
    """Every `httpx.Response(...)` a handler returns, under a test this
    module reads or not."""
    for handler in handlers(ctx):
        for node in _own(ctx, handler, cst.Return):
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, cst.Call) and clients.qualified_name(ctx, value.func) == RESPONSE:
                yield value


def _own(ctx: FileContext, function: cst.FunctionDef, kind: type[cst.CSTNode]) -> list[cst.CSTNode]:
    """The nodes of `kind` in the function's body, not in a function nested
    in it (a handler nested in a test taking pytest's `request` is its own)."""
    return [n for n, _ in walk(function.body) if type(n) is kind and ctx.index.scope_of(n) is function]


def compared_flow(ctx: FileContext, node: cst.CSTNode, parent: cst.CSTNode) -> clients.Flow | None:
    """A URL a handler compares the request's URL with, in the test of an
    `if` that compares the request's method too (`if request.method == "GET"
    and request.url == URL:`): a URL used with that method, as
    `responses.add(responses.GET, URL)` is (see `mock_doubles.registration_flow`).
    `parent` is the comparison (or its target) `node` is in."""
    found = _handler_test(ctx, node, parent)
    if found is None or found.method is None or found.method.lower() not in clients.VERBS:
        return None
    return clients.Flow(url=True, methods={found.method})


def compared_path(ctx: FileContext, node: cst.CSTNode) -> bool:
    """A string (or a name bound to it, every use of which is so) compared
    with the request's path in the test of a handler's `if`
    (`request.url.path == "/v1beta/workspaces/acme/sources"`): a whole
    request path, with no base to join it to."""
    uses: list[cst.CSTNode] = [node]
    parent = ctx.parent(node)
    if isinstance(parent, cst.Assign) and parent.value is node:
        targets = [t.target for t in parent.targets]
        if len(targets) != 1 or not isinstance(targets[0], cst.Name):
            return False
        uses = clients._uses(ctx, targets[0], parent)
    for use in uses:
        found = _handler_test(ctx, use, ctx.parent(use))
        if found is None or not found.path:
            return False
    return bool(uses)


def comparison_of(ctx: FileContext, node: cst.CSTNode) -> cst.Comparison | None:
    """The comparison of one operator `node` is a side of, or None."""
    parent = ctx.parent(node)
    if isinstance(parent, cst.ComparisonTarget):
        parent = ctx.parent(parent)
    return parent if isinstance(parent, cst.Comparison) and len(parent.comparisons) == 1 else None


def compared_with(ctx: FileContext, node: cst.CSTNode, *operators: type[cst.BaseCompOp]) -> cst.BaseExpression | None:
    """What `node` is compared with by one of `operators`, on either side:
    `x == "p2"` and `"p2" == x` alike; None when it is compared with nothing
    else (or in a chain)."""
    parent = comparison_of(ctx, node)
    if parent is None:
        return None
    target = parent.comparisons[0]
    if not isinstance(target.operator, operators):
        return None
    if parent.left is node:
        return target.comparator
    return parent.left if target.comparator is node else None


def rebound_part(ctx: FileContext, node: cst.CSTNode) -> tuple[str, cst.BaseExpression] | None:
    """A string compared (`==`) in the test of an `if` of a function with a
    name the function binds to its first parameter's URL or a part of it
    (`path = request.url.path`, as a handler would) and binds otherwise too
    (`path = path.rstrip("/")`), so that it is not provably that part
    (`_aliases`): the name, and that binding's value."""
    other = compared_with(ctx, node, cst.Equal)
    if not isinstance(other, cst.Name):
        return None
    statement: cst.CSTNode | None = comparison_of(ctx, node)
    while isinstance(up := ctx.parent(statement), cst.BooleanOperation) and isinstance(up.operator, cst.And):
        statement = up
    statement = ctx.parent(statement)
    function = ctx.index.scope_of(statement) if isinstance(statement, cst.If) else None
    if not isinstance(function, cst.FunctionDef) or not function.params.params:
        return None
    request = function.params.params[0].name.value
    for value in ctx.index.assignments.get((function, other.value), []):
        if _url_side(value, request) is not None:
            return other.value, value
    return None


def _handler_test(ctx: FileContext, node: cst.CSTNode, parent: cst.CSTNode | None) -> Compared | None:
    """What the `if` of a handler compares `node` with the request for,
    when `node` is the string side of a comparison in its test."""
    comparison = parent if isinstance(parent, cst.Comparison) else ctx.parent(parent) if parent else None
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
    if not any(h is handler for h in handlers(ctx)):
        return None
    found = _condition(test, handler.params.params[0].name.value, _aliases(ctx, handler, statement))
    return found if found is not None and found.url is node else None


def handlers(ctx: FileContext) -> list[cst.FunctionDef]:
    """The functions that answer an `httpx.MockTransport`'s requests (`_handlers`), found once a file."""
    key = __name__ + ".handlers"
    if key not in ctx.state:
        ctx.state[key] = _handlers(ctx)
    return ctx.state[key]  # type: ignore[return-value]


def _handlers(ctx: FileContext) -> list[cst.FunctionDef]:
    """Functions given to `httpx.MockTransport` by name, in the call's scope
    or one around it, and functions of any scope whose `if` compares their
    request's URL (`_answering`): the comparison says what they answer for,
    wherever the transport is built (a fixture, another module)."""
    if "httpx" not in ctx.src.text:
        return []
    given: list[tuple[str, cst.Call]] = []
    for node in ctx.index.parents:
        if type(node) is cst.Call and clients.qualified_name(ctx, node.func) == TRANSPORT:  # type: ignore[arg-type]
            args = node.args  # type: ignore[attr-defined]
            if args and isinstance(args[0].value, cst.Name):
                given.append((args[0].value.value, node))  # type: ignore[arg-type]
    return [
        n
        for n in ctx.index.parents
        if type(n) is cst.FunctionDef
        and (any(n.name.value == name and _encloses(ctx, ctx.index.scope_of(n), call) for name, call in given)
             or _answering(ctx, n))
    ]


def _encloses(ctx: FileContext, scope: cst.CSTNode, node: cst.CSTNode) -> bool:
    """`scope` is the scope of `node` or one around it."""
    current = ctx.index.scope_of(node)
    while True:
        if current is scope:
            return True
        if type(current) is cst.Module:
            return False
        current = ctx.index.scope_of(current)


def _answering(ctx: FileContext, function: cst.FunctionDef) -> bool:
    """An `if` of the function compares its first parameter's URL
    (`_condition`) and returns an `httpx.Response(...)`."""
    if not function.params.params:
        return False
    request = function.params.params[0].name.value
    return any(
        _condition(node.test, request, _aliases(ctx, function, node)) is not None  # type: ignore[attr-defined]
        and _returned_responses(ctx, node.body)  # type: ignore[attr-defined]
        for node in _own(ctx, function, cst.If)
    )


def _condition(
    test: cst.BaseExpression, request: str, aliases: Mapping[str, tuple[bool, bool]] | None = None,
) -> Compared | None:
    """The URL compared with `<request>.url` (or a part of it, `_url_side`;
    or a name of `aliases` bound to one) and the method compared with
    `<request>.method`, in a test of `==` comparisons joined by `and`."""
    parts: list[cst.BaseExpression] = []
    stack = [test]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.And):
            stack.extend([node.left, node.right])
        else:
            parts.append(node)
    found: Compared | None = None
    method: str | None = None
    for part in parts:
        if not isinstance(part, cst.Comparison) or len(part.comparisons) != 1:
            return None
        target = part.comparisons[0]
        if not isinstance(target.operator, cst.Equal):
            return None
        for side, other in ((part.left, target.comparator), (target.comparator, part.left)):
            url_side = _url_side(side, request)
            if url_side is None and aliases and isinstance(side, cst.Name):
                url_side = aliases.get(side.value)
            if url_side is not None:
                found = Compared(other, None, *url_side)
            elif _is_attribute(side, request, "method") and isinstance(other, cst.SimpleString):
                value = other.evaluated_value
                method = value.upper() if isinstance(value, str) else None
    if found is not None:
        found.method = method
    return found


def _aliases(ctx: FileContext, handler: cst.FunctionDef, before: cst.CSTNode) -> dict[str, tuple[bool, bool]]:
    """Names the handler binds to its request's URL or a part of it
    (`path = request.url.path`, `_url_side`), each in a statement of its own
    body before `before` and nowhere else in it (nested scopes included):
    compared, they are that part of the URL."""
    key = f"{__name__}.aliases.{id(handler)}"
    if key not in ctx.state:
        ctx.state[key] = _bound_parts(ctx, handler)
    start = (ctx.src.span(before) or (0, 0))[0]
    bound: list[tuple[str, tuple[bool, bool], int]] = ctx.state[key]  # type: ignore[assignment]
    return {name: side for name, side, end in bound if end <= start}


def _bound_parts(ctx: FileContext, handler: cst.FunctionDef) -> list[tuple[str, tuple[bool, bool], int]]:
    from migrator.rewrite.constants import binds

    if not handler.params.params or not isinstance(handler.body, cst.IndentedBlock):
        return []
    request = handler.params.params[0].name.value
    inside = ctx.src.span(handler)
    found: list[tuple[str, tuple[bool, bool], int]] = []
    for statement in handler.body.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        small = statement.body[0]
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            continue
        target = small.targets[0].target
        if not isinstance(target, cst.Name):
            continue
        side = _url_side(small.value, request)
        span = ctx.src.span(statement)
        if side is None or span is None or inside is None or target.value == request:
            continue
        binding = [n for n in ctx.index.names.get(target.value, []) if binds(ctx, n)
                   and (at := ctx.src.span(n)) is not None and inside[0] <= at[0] < inside[1]]
        if binding == [target]:
            found.append((target.value, side, span[1]))
    return found


def _url_side(node: cst.BaseExpression, request: str) -> tuple[bool, bool] | None:
    """(query compared, path only) when `node` is the request's URL
    (`request.url`), that URL without its query (`request.url.copy_with(query=None)`,
    also `params=None`, `fragment=None`) or its path (`request.url.path`)."""
    if _is_attribute(node, request, "url"):
        return True, False
    if isinstance(node, cst.Attribute) and node.attr.value == "path" and _is_attribute(node.value, request, "url"):
        return False, True
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "copy_with"):
        return None
    if not _is_attribute(node.func.value, request, "url") or not node.args:
        return None
    keywords = set()
    for arg in node.args:
        if arg.keyword is None or arg.keyword.value not in COPY_KEYWORDS:
            return None
        if not (isinstance(arg.value, cst.Name) and arg.value.value == "None"):
            return None
        keywords.add(arg.keyword.value)
    return not keywords & QUERY_KEYWORDS, False


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
