"""Request bodies pinned in the asserts of tests that use test doubles.

    assert json.loads(responses.calls[0].request.body) == {"source": {...}}
    assert m.last_request.json() == {...}
    assert json.loads(route.calls.last.request.content) == {...}

The dict literal compared with what a double recorded is the request body
the code under test sent. Once the code is migrated it sends the Public
body, so the literal is translated like the code's own body (the translate
engine's request mode, with the endpoint row of the double's URL). Which
endpoint the request went to must be known: the route the recorded request
is read from (`route = respx.post(url)...`, `adapter = m.post(url, ...)`),
or, for the library's own history (`responses.calls`, `m.last_request`),
the one endpoint taking a body among the doubles of the same test function.
Otherwise, or when the engine cannot translate the body exactly, the assert
is marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.bodies_inputs import missing_inputs
from migrator.rewrite.bodies_values import BodyContext, Holes, Reader, Unsupported, contains_hole_or_opaque
from migrator.rewrite.constants import binds, bound_once, constant_text
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit
from migrator.rewrite.table import Endpoint, table_for
from migrator.ruleset import EndpointMatch
from migrator.translate.context import TranslateError
from migrator.translate.request import translate_request

if TYPE_CHECKING:
    from migrator.rewrite.mock_doubles import Mock

HISTORY = ("calls", "last_request", "request_history")
"""Attributes through which the libraries give the requests they recorded."""
REQUESTS = ("request", "last_request")
"""Attributes naming one recorded request (also `request_history[i]`)."""
BODY_ATTRIBUTES = ("body", "content", "text")
"""Attributes holding a recorded request's body as text (also `.read()`)."""
QUERY_ATTRIBUTES = ("qs", "params")
"""The recorded request's query as a dict: requests-mock `qs`, responses `params`."""
URL_LITERALS = (cst.SimpleString, cst.FormattedString, cst.BinaryOperation, cst.Name, cst.Attribute)
"""What a recorded URL is compared with: a literal, `URL + "?page_size=100"`, a constant."""
Doubles = dict[int, tuple[Endpoint, dict[str, str]] | None]
"""Id of a double's call → the endpoint (and Config path parameters) it
was migrated to; None when it stays on the Config API."""
STAYS = (
    "the doubles of this test stay on the Config API, but the URL it expects was migrated: "
    "migrate them together by hand"
)
SEVERAL = "the request may have gone to several endpoints"
BAD_REPORTS = ("unknown", "unresolved", "ambiguous", "note", "conflict")
DEFAULT_MESSAGE = (
    "this assert pins the Config request body of a call the code under test makes ({reason}): "
    "compare with the Public request body instead"
)
METHOD_MESSAGE = (
    "this assert pins the Config method `{method}`, but the code under test now sends `{public}` to `{endpoint}` "
    "(and the double answers it): compare with `{public}` instead"
)
HELD_BODY = (
    "the code under test keeps a call of this endpoint as the Config API takes it ({where}, marked): "
    "the Config body this {what} pins is left as it is; translate it once that call sends the Public body"
)
HELD_BODY_SENT = (
    "the code under test calls this endpoint with the Config body ({where}, marked) and with the Public body "
    "({sent}), and which of them this test makes is not followed: if it is a call on {sent}, pin the Public "
    "body here{instead}; if it is the one on {where}, leave the Config body until that call sends the Public body"
)
"""`HELD_BODY` when the code the test reaches also sends the Public body to
the endpoint (`FileContext.moved_rows` of a held request)."""
URL_PART = (
    "this tests a part of the Config URL the double answered (`{text}`), but the code under test now calls "
    "`{endpoint}` (and the double answers it): test the Public URL instead"
)
POSITION = (
    "an argument given by position after the URL is read here, which this rewrite does not follow: "
    "check it against the query the migrated call sends"
)
READ_MESSAGE = (
    "this reads the Config request body of a call the code under test makes ({reason}): "
    "check it against the Public request body instead"
)


def migrate_asserts(ctx: FileContext, mocks: list[Mock], found: dict[int, Any]) -> None:
    """`found`: what `mocks.migrated_endpoint` said of each double (by id of its call)."""
    from migrator.rewrite.mocks import ROW

    endpoints: Doubles = {
        key: (value[0], value[1]) if isinstance(value, tuple) else None for key, value in found.items()
    }
    compared: set[int] = set()
    """The body reads (and names holding one) compared whole with an expected body."""
    for node in list(ctx.index.parents):
        if type(node) is not cst.Comparison or len(node.comparisons) != 1:
            continue
        target = node.comparisons[0]
        if not isinstance(target.operator, cst.Equal):
            continue
        for recorded, literal in ((node.left, target.comparator), (target.comparator, node.left)):
            if _recorded_url(ctx, node, recorded, literal, mocks, endpoints):
                break
            if _recorded_query(ctx, node, recorded, literal, mocks, endpoints):
                break
            if _called_query(ctx, node, recorded, literal, mocks, endpoints):
                break
            if _recorded_method(ctx, node, recorded, literal, mocks, endpoints):
                break
            base = _parsed_body(recorded)
            read: cst.BaseExpression = recorded
            holder: cst.Name | None = None
            if base is None and isinstance(recorded, cst.Name):
                held = _held(ctx, recorded)
                if held is not None and (base := _parsed_body(held)) is not None:
                    holder, read = recorded, held
            if base is None:
                continue
            compared.add(id(recorded))
            decided = _decide(ctx, base, node, mocks, endpoints)
            if decided is None:
                break
            if isinstance(decided, str):
                ctx.mark(ROW, node, DEFAULT_MESSAGE.format(reason=decided))
                break
            endpoint, params = decided
            expected = _expected_literal(ctx, literal)
            if endpoint.row.id in ctx.held_requests:
                ctx.mark(ROW, node, held_body(ctx, endpoint, params, expected, node, "assert"))
                break
            try:
                if expected is None:
                    raise Unsupported("the expected body is not a dict literal (or a name bound once to one, used only here)")
                if holder is not None and not _only_read(ctx, holder, read):
                    raise Unsupported(f"`{holder.value}` is changed or passed on before it is compared")
                translate_body(ctx, expected, endpoint, params, node)
            except Unsupported as exc:
                ctx.mark(ROW, node, DEFAULT_MESSAGE.format(reason=str(exc)))
            break
    _mark_reads(ctx, mocks, endpoints, compared)
    _mark_query_reads(ctx, mocks, endpoints)
    _mark_url_parts(ctx, mocks, endpoints)


def _decide(
    ctx: FileContext,
    base: cst.Name,
    site: cst.CSTNode,
    mocks: list[Mock],
    endpoints: Doubles,
) -> tuple[Endpoint, dict[str, str]] | str | None:
    """The endpoint the request recorded by `base` went to, a reason to mark
    when it cannot be told, or None when the test stays on the Config API."""
    from migrator.rewrite.mocks import ROW

    owners = _owners(ctx, base, site, mocks)
    if owners is None:
        return None
    if not any(endpoints.values()) or ctx.suppressed(site, ROW):
        return None  # no double of the file was migrated: the tests stay on the Config API
    migrated = [endpoints[id(m.call)] for m in owners if endpoints.get(id(m.call)) is not None]
    if owners and not migrated:
        return None  # the doubles of this test stay on the Config API: so does the assert
    chosen = {e.row.id: (e, p) for e, p in migrated if e.needs_body}  # type: ignore[misc]
    if len(chosen) != 1:
        return (
            SEVERAL
            if chosen
            else "no double of this test shows which endpoint it was sent to"
        )
    return next(iter(chosen.values()))  # type: ignore[return-value]


def _mark_reads(
    ctx: FileContext,
    mocks: list[Mock],
    endpoints: Doubles,
    compared: set[int],
) -> None:
    """Reads of a recorded request body other than a whole comparison with a
    literal (`sent["destination"]["enabled"]`, `b"..." in request.body`,
    `assertEqual(...)`): the migrated code sends the Public body, which this
    rewrite does not translate key by key."""
    from migrator.rewrite.mocks import ROW

    marked: set[int] = set()
    for node in list(ctx.index.parents):
        if type(node) not in (cst.Call, cst.Attribute) or id(node) in compared:
            continue
        base = _parsed_body(node)  # type: ignore[arg-type]
        if base is None:
            base = _raw_body(node)  # type: ignore[arg-type]
            if base is None or _parsed_body(_loads_of(ctx, node)) is not None:
                continue  # the text `json.loads(...)` parses: read there
        sites: list[cst.CSTNode] = [node]
        parent = ctx.parent(node)
        if isinstance(parent, cst.Assign) and parent.value is node:
            names = [t.target for t in parent.targets]
            if len(names) == 1 and isinstance(names[0], cst.Name):
                sites = [u for u in _uses(ctx, names[0]) if id(u) not in compared]
        if not sites:
            continue
        decided = _decide(ctx, base, node, mocks, endpoints)
        if decided is None or not isinstance(decided, str) and decided[0].row.id in ctx.held_requests:
            continue  # the body it reads is still the Config one
        reason = decided if isinstance(decided, str) else f"it becomes the body of `{decided[0].row.public}`"
        for site in sites:
            statement = ctx.statement_of(site)
            if id(statement) in marked or ctx.suppressed(site, ROW):
                continue
            marked.add(id(statement))
            ctx.mark(ROW, site, READ_MESSAGE.format(reason=reason))


def _expected_literal(ctx: FileContext, node: cst.BaseExpression) -> cst.Dict | None:
    """The dict literal an assert expects: written there, or bound once to a
    name whose only use is this assert (`expected = {...}`)."""
    if isinstance(node, cst.Dict):
        return node
    if not isinstance(node, cst.Name):
        return None
    value = bound_once(ctx, node, node)
    uses = [n for n in ctx.index.names.get(node.value, []) if not binds(ctx, n)]
    return value if isinstance(value, cst.Dict) and uses == [node] else None


def _recorded_url(
    ctx: FileContext,
    node: cst.Comparison,
    recorded: cst.BaseExpression,
    literal: cst.BaseExpression,
    mocks: list[Mock],
    endpoints: Doubles,
) -> bool:
    """`responses.calls[0].request.url == URL`: the URL a paginated call sends
    carries the Public page size (see `mock_urls`). True when it was one."""
    from migrator.rewrite.mock_urls import page_query
    from migrator.rewrite.mocks import ROW, migrated_endpoint, record_query

    if not (isinstance(recorded, cst.Attribute) and recorded.attr.value == "url"):
        return False
    base = _history_base(recorded.value)
    if base is None or not isinstance(literal, URL_LITERALS):
        return False
    owners = _owners(ctx, base, node, mocks) or []
    table = table_for(ctx.rules)
    if owners and all(endpoints.get(id(m.call)) is None for m in owners):
        if migrated_endpoint(ctx, literal, None, table) is not None and not ctx.suppressed(node, ROW):
            ctx.mark(ROW, node, STAYS)
        return True
    rows = {}
    for method in {m.method for m in owners if endpoints.get(id(m.call)) is not None}:
        found = migrated_endpoint(ctx, literal, method, table)
        if isinstance(found, tuple):
            rows[found[0].row.id] = found[0]
    if len(rows) != 1 or ctx.suppressed(node, ROW):
        return True
    endpoint = next(iter(rows.values()))
    record_query(ctx, node, endpoint, *page_query(ctx, literal, endpoint, whole=True))
    return True


def _recorded_method(
    ctx: FileContext,
    node: cst.Comparison,
    recorded: cst.BaseExpression,
    literal: cst.BaseExpression,
    mocks: list[Mock],
    endpoints: Doubles,
) -> bool:
    """`responses.calls[0].request.method == "PUT"`: where a double of the
    test answered an endpoint whose Public method differs (its method moves
    with the code's call), the old method is marked. True when it was one."""
    from migrator.rewrite.mock_doubles import _method_constant
    from migrator.rewrite.mocks import ROW

    if not (isinstance(recorded, cst.Attribute) and recorded.attr.value == "method"):
        return False
    base = _request_base(recorded.value)
    text = literal.evaluated_value if isinstance(literal, cst.SimpleString) else _method_constant(ctx, literal)
    if base is None or not isinstance(text, str):
        return False
    moved = [
        found[0] for m in _owners(ctx, base, node, mocks) or []
        if (found := endpoints.get(id(m.call))) is not None and found[0].method == text.upper()
        and found[0].public_method not in (None, found[0].method) and found[0].row.id not in ctx.held_requests
    ]
    if moved and not ctx.suppressed(node, ROW):
        endpoint = moved[0]
        ctx.mark(ROW, node, METHOD_MESSAGE.format(
            method=text, public=endpoint.public_method, endpoint=endpoint.row.public))
    return True


def _history_base(node: cst.BaseExpression) -> cst.Name | None:
    """`X` of `X.calls[0].request`, `X.last_request`, `X.request_history[0]`."""
    seen_history = False
    current = node
    while isinstance(current, (cst.Attribute, cst.Subscript)):
        if isinstance(current, cst.Attribute) and current.attr.value in HISTORY:
            seen_history = True
        current = current.value
    return current if seen_history and isinstance(current, cst.Name) else None


def _request_base(node: cst.BaseExpression) -> cst.Name | None:
    """`X` of a request a double recorded: `X.calls[0].request`,
    `X.calls.last.request`, `X.last_request`, `X.request_history[0]`."""
    if isinstance(node, cst.Attribute):
        if node.attr.value not in REQUESTS:
            return None
    elif not (isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute) and node.value.attr.value == "request_history"):
        return None
    current: cst.BaseExpression = node
    while isinstance(current, (cst.Attribute, cst.Subscript)):
        if isinstance(current, cst.Attribute) and current.attr.value == "response":
            return None
        current = current.value
    return _history_base(node)


def _raw_body(node: cst.BaseExpression) -> cst.Name | None:
    """The recorded request's body as text: `<request>.body`, `.content`,
    `.text`, `.read()`; `X` of its history."""
    if isinstance(node, cst.Attribute) and node.attr.value in BODY_ATTRIBUTES:
        return _request_base(node.value)
    if isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute) and node.func.attr.value == "read":
        return _request_base(node.func.value)
    return None


def _parsed_body(node: cst.BaseExpression | None) -> cst.Name | None:
    """The recorded request's body as JSON: `json.loads(<raw body>)`,
    `<request>.json()`; `X` of its history."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    if node.func.attr.value == "json" and not node.args:
        return _request_base(node.func.value)
    if (
        len(node.args) == 1
        and node.args[0].keyword is None
        and node.func.attr.value == "loads"
        and isinstance(node.func.value, cst.Name)
        and node.func.value.value == "json"
    ):
        return _raw_body(node.args[0].value)
    return None


def _loads_of(ctx: FileContext, node: cst.CSTNode) -> cst.BaseExpression | None:
    """`json.loads(node)`, when `node` is its one argument."""
    arg = ctx.parent(node)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    return call if isinstance(call, cst.Call) else None


def _held(ctx: FileContext, name: cst.Name) -> cst.BaseExpression | None:
    """The value a local name of a function holds where `name` reads it: bound
    once in that function (`sent = json.loads(...)`), before, and not inside
    a loop, a condition or a `try`."""
    scope = ctx.index.scope_of(name)
    if not isinstance(scope, cst.FunctionDef):
        return None
    values = ctx.index.assignments.get((scope, name.value), [])
    binders = [n for n in ctx.index.names.get(name.value, []) if ctx.within(n, scope) and binds(ctx, n)]
    if len(values) != 1 or len(binders) != 1 or not isinstance(ctx.parent(binders[0]), cst.AssignTarget):
        return None
    assign = ctx.parent(ctx.parent(binders[0]))
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or ctx.index.scope_of(assign) is not scope:
        return None
    value_span, use_span = ctx.src.span(assign), ctx.src.span(name)
    if value_span is None or use_span is None or value_span[1] > use_span[0]:
        return None
    current = ctx.parent(assign)
    while current is not None and current is not scope:
        if not isinstance(current, (cst.SimpleStatementLine, cst.IndentedBlock, cst.SimpleStatementSuite, cst.With)):
            return None
        current = ctx.parent(current)
    return assign.value


def _uses(ctx: FileContext, name: cst.Name) -> list[cst.Name]:
    """The reads of a name bound by `name`, in its function (or module)."""
    scope = ctx.index.scope_of(name)
    return [
        n
        for n in ctx.index.names.get(name.value, [])
        if n is not name and ctx.within(n, scope) and not binds(ctx, n) and not _is_label(ctx, n)
    ]


def _is_label(ctx: FileContext, name: cst.Name) -> bool:
    """An attribute's or a keyword's name, not a variable."""
    parent = ctx.parent(name)
    return (isinstance(parent, cst.Attribute) and parent.attr is name) or (
        isinstance(parent, cst.Arg) and parent.keyword is name
    )


def _only_read(ctx: FileContext, use: cst.Name, value: cst.BaseExpression) -> bool:
    """Every use of the name `use` reads holds the value unchanged: compared,
    or indexed for a read (not changed, not passed to a call)."""
    assign = ctx.parent(value)
    if not isinstance(assign, cst.Assign):
        return False
    binder = assign.targets[0].target
    assert isinstance(binder, cst.Name)
    for other in _uses(ctx, binder):
        node: cst.CSTNode = other
        parent = ctx.parent(node)
        while isinstance(parent, cst.Subscript) and parent.value is node:
            node, parent = parent, ctx.parent(parent)
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
            continue
        if node is not other and isinstance(parent, (cst.Assert, cst.Expr, cst.Arg)):
            continue  # `sent["a"]` read
        return False
    return True


def _recorded_query(
    ctx: FileContext,
    node: cst.Comparison,
    recorded: cst.BaseExpression,
    literal: cst.BaseExpression,
    mocks: list[Mock],
    endpoints: Doubles,
) -> bool:
    """`m.last_request.qs == {"page_size": ["20"]}` (requests-mock; also
    responses' `calls[0].request.params`): the query a paginated call sends
    carries the Public page size. True when it was one."""
    from migrator.rewrite.mock_patterns import query_pattern
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW, record_query

    if not (isinstance(recorded, cst.Attribute) and recorded.attr.value in QUERY_ATTRIBUTES):
        return False
    base = _request_base(recorded.value)
    if base is None:
        return False
    paged = _paginated(ctx, base, node, mocks, endpoints)
    if paged is None or ctx.suppressed(node, ROW):
        return True
    rows = ctx.rules.pagination
    if isinstance(paged, str):
        if paged == SEVERAL or _page_keys(literal, rows) != set():
            ctx.mark(ROW, node, QUERY_MESSAGE.format(endpoint="its endpoint", reason=paged))
        return True
    edits, reason = query_pattern(ctx, literal, paged, lowered=recorded.attr.value == "qs")
    refused = _page_size_value(ctx, literal) if isinstance(literal, cst.Dict) else None
    record_query(ctx, node, paged, edits, refused or reason)
    return True


def _called_query(
    ctx: FileContext,
    node: cst.Comparison,
    recorded: cst.BaseExpression,
    literal: cst.BaseExpression,
    mocks: list[Mock],
    endpoints: Doubles,
) -> bool:
    """`get.call_args.kwargs["params"] == {"page_size": 2}` on a patched HTTP
    function: the query its last call sent, that of the paginated call the
    test asserts, carries the Public page size. True when it was one."""
    from migrator.rewrite.mock_patterns import query_pattern
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW, record_query

    called = _called_params(recorded)
    if called is None:
        return _called_by_position(ctx, node, recorded, mocks, endpoints)
    paged = _called_paginated(ctx, *called, node, mocks, endpoints)
    if paged is None or ctx.suppressed(node, ROW):
        return True
    if isinstance(paged, str):
        ctx.mark(ROW, node, QUERY_MESSAGE.format(endpoint="its endpoint", reason=paged))
        return True
    record_query(ctx, node, paged, *query_pattern(ctx, literal, paged))
    return True


def _called_by_position(
    ctx: FileContext,
    node: cst.Comparison,
    recorded: cst.BaseExpression,
    mocks: list[Mock],
    endpoints: Doubles,
) -> bool:
    """`get.call_args.args[1] == {...}` (also `call_args[0][1]`,
    `call_args_list[i]`): an argument after the URL given by position, which
    may be the query. Marked where the call it reads went to a migrated
    paginated call (its query changed). True when it was one."""
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW

    called = _called_argument(recorded)
    if called is None:
        return False
    receiver, index, position = called
    if not all(position > _url_position(m) for m in _patched_owners(ctx, receiver, node, mocks)):
        return True  # the URL (or the method) of some call
    paged = _called_paginated(ctx, receiver, index, node, mocks, endpoints)
    if paged is None or ctx.suppressed(node, ROW):
        return True
    reason = paged if isinstance(paged, str) else POSITION
    public = paged.row.public if isinstance(paged, Endpoint) else "its endpoint"
    ctx.mark(ROW, node, QUERY_MESSAGE.format(endpoint=public, reason=reason))
    return True


Called = tuple[cst.BaseExpression, int | None]
"""A patched function (`X`) and which of its calls is read: -1 the last
(`call_args`), i `call_args_list[i]`, None an index not written as a number."""


def _called_params(node: cst.BaseExpression) -> Called | None:
    """The `params=` a patched function was called with:
    `X.call_args.kwargs["params"]`, `X.call_args[1]["params"]`, either with
    `.get("params")`, and the same of `X.call_args_list[i]`."""
    if isinstance(node, cst.Subscript) and _index_value(node) == "params":
        held = node.value
    elif (
        isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get"
        and len(node.args) == 1 and node.args[0].keyword is None
        and isinstance(node.args[0].value, cst.SimpleString) and node.args[0].value.evaluated_value == "params"
    ):
        held = node.func.value
    else:
        return None
    if isinstance(held, cst.Attribute) and held.attr.value == "kwargs":
        return _which_call(held.value)
    if isinstance(held, cst.Subscript) and _index_value(held) == 1:
        return _which_call(held.value)
    return None


def _called_argument(node: cst.BaseExpression) -> tuple[cst.BaseExpression, int | None, int] | None:
    """An argument given by position to a patched function, `X.call_args.args[i]`,
    `X.call_args[0][i]` (also of `X.call_args_list[j]`): what `_which_call`
    says, and `i`."""
    if not (isinstance(node, cst.Subscript) and isinstance(position := _index_value(node), int) and position >= 0):
        return None
    held = node.value
    if isinstance(held, cst.Attribute) and held.attr.value == "args":
        called = _which_call(held.value)
    elif isinstance(held, cst.Subscript) and _index_value(held) == 0:
        called = _which_call(held.value)
    else:
        return None
    return None if called is None else (*called, position)


def _url_position(mock: Mock) -> int:
    """Where the assert `mock` gives the URL among its positional arguments
    (after the method of a patched `request`); a large number when by keyword."""
    positional = [a.value for a in mock.call.args if a.keyword is None and not a.star]
    return next((i for i, value in enumerate(positional) if value is mock.url), len(positional) + 99)


def _which_call(node: cst.BaseExpression) -> Called | None:
    """`(X, -1)` of `X.call_args`, `(X, i)` of `X.call_args_list[i]`."""
    if isinstance(node, cst.Attribute) and node.attr.value == "call_args":
        return node.value, -1
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute):
        if node.value.attr.value == "call_args_list":
            index = _index_value(node)
            return node.value.value, index if isinstance(index, int) else None
    return None


def _index_value(node: cst.Subscript) -> object:
    """The literal `node` is indexed with (`"params"`, `1`, `-1`), or None."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    index = node.slice[0].slice.value
    if isinstance(index, cst.SimpleString):
        return index.evaluated_value
    sign = 1
    if isinstance(index, cst.UnaryOperation) and isinstance(index.operator, cst.Minus):
        sign, index = -1, index.expression
    return sign * int(index.value) if isinstance(index, cst.Integer) and index.value.isdigit() else None


def _patched_owners(ctx: FileContext, receiver: cst.BaseExpression, site: cst.CSTNode, mocks: list[Mock]) -> list[Mock]:
    """The asserts naming a URL of the patched function `receiver` in the function of `site`."""
    from migrator.rewrite.mock_doubles import PATCHED
    from migrator.rewrite.mock_patch import receiver_path

    path = receiver_path(receiver)
    scope = ctx.index.scope_of(site)
    return [
        m for m in mocks
        if path is not None and m.library == PATCHED and ctx.index.scope_of(m.call) is scope
        and receiver_path(m.call.func.value) == path  # type: ignore[attr-defined]
    ]


def _called_paginated(
    ctx: FileContext,
    receiver: cst.BaseExpression,
    index: int | None,
    site: cst.CSTNode,
    mocks: list[Mock],
    endpoints: Doubles,
) -> Endpoint | str | None:
    """The paginated `GET` the call `index` (-1: the last) of the patched
    function `receiver` went to, proven by the asserts of the same function
    naming its URL (`assert_called_once_with`, `assert_called_with`: all of
    them of a paginated call; the first call only with
    `assert_called_once_with`, there being one), a reason to mark, or None
    when its query did not change (no assert of it was migrated, or none of
    a paginated call)."""
    owners = _patched_owners(ctx, receiver, site, mocks)
    migrated = [endpoints.get(id(m.call)) for m in owners]
    if not any(migrated):
        return None
    paged = [f[0] for f in migrated if f is not None and f[0].lists]
    if not paged:
        return None
    if len(paged) != len(owners) or not _same_fixed(paged):
        return SEVERAL
    asserts = {m.call.func.attr.value for m in owners}  # type: ignore[attr-defined]
    if "assert_any_call" in asserts:
        return "`assert_any_call` does not show that its last call was the one asserted"
    if index != -1 and not (index == 0 and "assert_called_once_with" in asserts):
        return "the asserts of this function do not show that the call read here is the one they name"
    return paged[0]


def _paginated(
    ctx: FileContext,
    base: cst.Name,
    site: cst.CSTNode,
    mocks: list[Mock],
    endpoints: Doubles,
) -> Endpoint | str | None:
    """The paginated `GET` the request recorded by `base` went to (any of
    them, when they share their fixed query: the page parameters are the
    same), a reason to mark when it may have gone elsewhere too, or None when
    its query did not change."""
    owners = _owners(ctx, base, site, mocks)
    if owners is None or not any(endpoints.values()):
        return None
    migrated = [endpoints.get(id(m.call)) for m in owners]
    if owners and not any(migrated):
        return None  # the doubles of this test stay on the Config API: so does the assert
    paged = [f[0] for f in migrated if f is not None and f[0].lists]
    if not owners:
        return "no double of this test shows which endpoint it was sent to"
    if not paged:
        return None
    if len(paged) != len(migrated) or not _same_fixed(paged):
        return SEVERAL
    return paged[0]


def _same_fixed(paged: list[Endpoint]) -> bool:
    """The endpoints are sent with the same fixed query (the page parameters
    are the same for all): any of them tells what a recorded query holds."""
    return len({tuple(sorted(e.row.fixed_query.items())) for e in paged}) == 1


def _page_keys(node: cst.BaseExpression, rows: Any) -> set[str] | None:
    """The page parameters a query dict literal pins (None: not a literal)."""
    if not isinstance(node, cst.Dict):
        return None
    keys = set()
    for element in node.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        value = key.evaluated_value if isinstance(key, cst.SimpleString) else None
        if not isinstance(value, str):
            return None
        keys.add(value)
    return keys & {rows.size_param, rows.token_param}


def _page_size_value(ctx: FileContext, node: cst.BaseExpression) -> str | None:
    """A page size the Public API refuses (`{"page_size": ["500"]}`)."""
    from migrator.rewrite.mock_urls import refused_size

    rows = ctx.rules.pagination
    assert isinstance(node, cst.Dict)
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            continue
        if element.key.evaluated_value != rows.size_param:
            continue
        value = element.value
        if isinstance(value, cst.List) and len(value.elements) == 1:
            value = value.elements[0].value  # requests-mock: a list per key
        refused = refused_size(ctx, value.evaluated_value if isinstance(value, cst.SimpleString) else None)
        if refused is not None:
            return refused
    return None


def _mark_query_reads(
    ctx: FileContext,
    mocks: list[Mock],
    endpoints: Doubles,
) -> None:
    """A page parameter looked for in a recorded URL (`"page_size=100" in
    responses.calls[0].request.url`) or read off its query
    (`m.last_request.qs["page_size"]`): the migrated call sends
    `pagination.count`."""
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW

    rows = ctx.rules.pagination
    for node in list(ctx.index.parents):
        if type(node) is cst.Comparison and len(node.comparisons) == 1:  # type: ignore[attr-defined]
            target = node.comparisons[0]  # type: ignore[attr-defined]
            if not isinstance(target.operator, (cst.In, cst.NotIn)):
                continue
            key, recorded = node.left, _unwrap_str(target.comparator)  # type: ignore[attr-defined]
            held = ("url", "query", "path_url", *QUERY_ATTRIBUTES)
        elif type(node) is cst.Subscript:
            recorded = node.value  # type: ignore[attr-defined]
            slices = node.slice  # type: ignore[attr-defined]
            if len(slices) != 1:
                continue
            index = slices[0].slice
            key = index.value if isinstance(index, cst.Index) else None
            held = QUERY_ATTRIBUTES
        else:
            continue
        text = key.evaluated_value if isinstance(key, cst.SimpleString) else None
        if not isinstance(text, str) or not (rows.size_param in text or rows.token_param in text):
            continue
        if ctx.suppressed(node, ROW):
            continue
        paged = _query_paginated(ctx, recorded, held, node, mocks, endpoints)
        if paged is None:
            continue
        sent, was = (rows.count_param, rows.size_param) if rows.size_param in text else (rows.cursor_param, rows.token_param)
        reason = paged if isinstance(paged, str) else f"it sends `{sent}` where it sent `{was}`"
        public = paged.row.public if isinstance(paged, Endpoint) else "its endpoint"
        ctx.mark(ROW, node, QUERY_MESSAGE.format(endpoint=public, reason=reason))


def _unwrap_str(node: cst.BaseExpression) -> cst.BaseExpression:
    """`X` of `str(X)` (a recorded URL made text), else `node`."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "str":
        if len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
            return node.args[0].value
    return node


def _query_paginated(
    ctx: FileContext,
    recorded: cst.BaseExpression,
    held: tuple[str, ...],
    site: cst.CSTNode,
    mocks: list[Mock],
    endpoints: Doubles,
) -> Endpoint | str | None:
    """What `_paginated` says of the request whose query (or URL) `recorded`
    holds: a recorded request's attribute in `held` (`.url`, `.qs`, httpx's
    `.url.params`), or the `params=` a patched function was last called with
    (`_called_params`). None when it is neither."""
    called = _called_params(recorded)
    if called is not None:
        return _called_paginated(ctx, *called, site, mocks, endpoints)
    if not (isinstance(recorded, cst.Attribute) and recorded.attr.value in held):
        return None
    request = recorded.value
    if recorded.attr.value == "params" and isinstance(request, cst.Attribute) and request.attr.value == "url":
        request = request.value  # httpx: `request.url.params`
    base = _request_base(request)
    return None if base is None else _paginated(ctx, base, site, mocks, endpoints)


def _mark_url_parts(ctx: FileContext, mocks: list[Mock], endpoints: Doubles) -> None:
    """A part of a recorded URL tested (`"/workspaces/acme" in
    responses.calls[0].request.url`, `...request.url.endswith("/sources/web")`)
    that names a Config path segment the migrated endpoint's Public path does
    not have: the double moved to the Public URL, the test still looks for
    the Config one."""
    from migrator.rewrite.mocks import ROW

    for node in list(ctx.index.parents):
        tested = _url_part(node)
        if tested is None:
            continue
        recorded, text = tested
        base = _history_base(recorded.value)
        if base is None or ctx.suppressed(node, ROW):
            continue
        moved = [found[0] for m in _owners(ctx, base, node, mocks) or [] if (found := endpoints.get(id(m.call)))]
        version = table_for(ctx.rules).version
        words = {w for w in text.split("?")[0].split("/") if w}
        hit = next((e for e in moved if words & _config_only_words(e, version)), None)
        if hit is not None:
            ctx.mark(ROW, node, URL_PART.format(text=text, endpoint=hit.row.public))


def _url_part(node: cst.CSTNode) -> tuple[cst.Attribute, str] | None:
    """`(X.url, "text")` of `"text" in X.url` (or `not in`) and of
    `X.url.endswith("text")` / `.startswith("text")`."""
    part: cst.BaseExpression | None = None
    recorded: cst.BaseExpression | None = None
    if type(node) is cst.Comparison and len(node.comparisons) == 1:
        if isinstance(node.comparisons[0].operator, (cst.In, cst.NotIn)):
            part, recorded = node.left, node.comparisons[0].comparator
    elif type(node) is cst.Call and isinstance(node.func, cst.Attribute) and len(node.args) == 1:
        if node.func.attr.value in ("endswith", "startswith") and node.args[0].keyword is None:
            part, recorded = node.args[0].value, node.func.value
    if not (isinstance(recorded, cst.Attribute) and recorded.attr.value == "url" and isinstance(part, cst.SimpleString)):
        return None
    text = part.evaluated_value
    return (recorded, text) if isinstance(text, str) else None


def _config_only_words(endpoint: Endpoint, version: str) -> set[str]:
    """The literal segments of the endpoint's Config path (with the version)
    that its Public path does not have."""
    def literal(path: str) -> set[str]:
        return {w for w in path.split("?")[0].split("/") if w and "{" not in w}

    return literal(f"{version}/{endpoint.path}") - literal(endpoint.public_path or "")


def _owners(ctx: FileContext, base: cst.Name, site: cst.CSTNode, mocks: list[Mock]) -> list[Mock] | None:
    """The doubles whose requests `base` recorded: the one route it is bound
    to, or every double of the library object in the same function."""
    from migrator.rewrite.mock_doubles import library_of

    values = clients.resolve(ctx, base)
    if len(values) == 1:
        bound = [m for m in mocks if ctx.within(m.call, values[0])]
        if len(bound) == 1:
            return bound
    library = library_of(ctx, base)
    scope = ctx.index.scope_of(site)
    if library is None:
        return _registered_on(ctx, base, scope, mocks)
    return [m for m in mocks if ctx.index.scope_of(m.call) is scope and library_of(ctx, m.call.func.value) == library]  # type: ignore[attr-defined]


def _registered_on(ctx: FileContext, base: cst.Name, scope: cst.CSTNode, mocks: list[Mock]) -> list[Mock] | None:
    """The doubles registered on `base` itself in the function of the read,
    whatever `base` is (a pytest fixture yielding a `RequestsMock`, whose
    registrations name their library by its method constants): what its
    history recorded."""
    own = [m for m in mocks if ctx.index.scope_of(m.call) is scope and isinstance(m.call.func, cst.Attribute)
           and isinstance(m.call.func.value, cst.Name) and m.call.func.value.value == base.value]
    return own or None


def held_body(ctx: FileContext, endpoint: Endpoint, params: dict[str, str], literal: cst.BaseExpression | None,
              site: cst.CSTNode, what: str) -> str:
    """The marker of a body pinned for an endpoint whose request the code
    under test keeps in the Config shape (`held_requests`): with the calls
    that send the Public body, when some do, and that body when it can be written."""
    where = ctx.held_requests[endpoint.row.id]
    sent = ctx.moved_rows.get(endpoint.row.id)
    if not sent:
        return HELD_BODY.format(where=where, what=what)
    instead = ""
    if isinstance(literal, cst.Dict):
        try:
            edit = public_body_edit(ctx, literal, endpoint, params, site)
        except Unsupported:
            edit = None
        if edit is not None and "\n" not in edit.text and "\r" not in edit.text:
            instead = f" (`{edit.text}`)"
    return HELD_BODY_SENT.format(where=where, sent=sent, instead=instead)


def translate_body(ctx: FileContext, literal: cst.Dict, endpoint: Endpoint, params: dict[str, str], site: cst.CSTNode) -> None:
    from migrator.rewrite.mocks import record

    edit = public_body_edit(ctx, literal, endpoint, params, site)
    if edit is None:
        return
    if not record(ctx, [edit]):
        raise Unsupported("another rewrite changes the same code")


def public_body_edit(ctx: FileContext, literal: cst.Dict, endpoint: Endpoint, params: dict[str, str],
                     site: cst.CSTNode) -> Edit | None:
    """The edit writing the Public body over the Config body `literal` pins
    (None: the same); raises `Unsupported` with the reason it cannot."""
    from migrator.rewrite.mock_payloads import render_edit
    from migrator.rewrite.strings import is_hole_char

    holes = Holes()
    reader = Reader(ctx.src.code, holes, constant=lambda n: constant_text(ctx, n, site))
    value = reader.value(literal)
    if contains_hole_or_opaque(value):
        raise Unsupported("the body holds values computed at run time")
    plain = {k: ("\x00" if any(is_hole_char(c) for c in v) else str(v)) for k, v in params.items()}
    bctx = BodyContext(ctx.rules, ctx.ids, None, holes)
    try:
        result: dict[str, Any] = translate_request(value, bctx, EndpointMatch(endpoint.row, plain, ""))
    except TranslateError as exc:
        raise Unsupported(str(exc)) from None
    bad = [r for r in bctx.reports if r.kind in BAD_REPORTS
           or (r.kind == "review" and r.rule == ctx.rules.update_mask.id)]  # as for the code's own body
    if bad:
        first = bctx.first(bad)
        where = f"`{first.path}`: " if first.path not in ("", "url") else ""
        raise Unsupported(where + first.message)
    # as for the code's own body (`bodies`): a key the Public input does not
    # take, or a required input missing, is not written into the assert
    refused = [r for r in bctx.reports if r.kind == "dropped" and r.rule == endpoint.row.id]
    if refused:
        raise Unsupported(f"`{refused[0].path}`: {refused[0].message}")
    if result.get("then"):
        raise Unsupported("the Public API needs two calls here")
    missing = missing_inputs(result) if "body" in result else None
    if missing is not None:
        raise Unsupported(missing)
    if "body" not in result:
        raise Unsupported("the Public call takes no body")
    return render_edit(ctx, literal, result["body"], reader, holes)
