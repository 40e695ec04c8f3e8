"""Page parameters an `httpx.MockTransport` handler reads off the request.

    def handler(request):
        if request.url.copy_with(query=None) == URL and request.method == "GET":
            if request.url.params.get("page_token") == "p2":
                return httpx.Response(200, json=PAGE_2)

The handler's request is the recorded request of the migrated call its `if`
answers (see `mock_transport`): once that call is a migrated paginated
`GET`, it sends `pagination.cursor` where it sent `page_token`, and
`pagination.count` where it sent `page_size` (always: the default count
when the code gave none). A read of a page parameter off
`<request>.url.params` under such an `if` (in its test or its body) is
renamed when the Public value answers the same way:

- `page_size` read by subscript (absent, the Config read raised) or with
  `.get(...)` compared (`==`, `!=`) with a size other than the default count;
- `page_token` read with `.get(...)` compared with a non-empty string, or
  tested for truth, or with `.get(..., "")` (an empty Config token and an
  absent Public cursor read alike).

Compared also means the subject of a `match` whose cases are all such
strings (or `_`), with the string on either side of the `==`. A copy of the
parameters (`dict(request.url.params)`) is read as they are, and
`.get_list(name)` compared with a list of such strings (`== ["p2"]`) alike.
The request's parameters (or their copy) may be bound to a name first
(`params = request.url.params`, the handler's only binding of that name):
its reads are read alike. An `assert` at the top of the handler comparing
the URL as an `if` would (`assert request.url.copy_with(query=None) == URL`)
answers for that URL in the code below it.

Any other read (`params["page_token"]`, which the first Public page may not
send; a token bound to a name; `"page_size" in request.url.params`; the query
text, `b"page_token=p2" in request.url.query`; a read through a name the
handler also binds to something else), and a read under no such `if` or
`assert` of a handler that answers such a call, is marked. A later run, the URL
Public already, marks a read an earlier run marked again while it reads a
Config page parameter still.

Any other read of the request's query in such a handler, which the rewrite
cannot tell from a read of a page parameter (`parse_qs(request.url.query)`,
`httpx.QueryParams(request.url.query)`, `request.url.params.items()`, a
loop over it, the parameters compared whole), is marked too; reads of other
parameters by name (`request.url.params.get("debug")`) are left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit
from migrator.rewrite.mock_transport import compared_with
from migrator.rewrite.table import Endpoint, Table

if TYPE_CHECKING:
    from migrator.rewrite.mock_transport import Compared

FIRST_PAGE = "the first page may send no `{sent}`, where the Config call sent an empty `{token}`"
ALWAYS = "it sends one on every page ({default} when the code gives none)"
QUERY_TEXT = "look for `{sent}=` in the query"
UNDER_NO_TEST = "this read is under no test of that call's URL"
BOUND_AGAIN = "the handler binds `{name}` to something else too"
QUERY_READ = (
    "it sends `{cursor}` where it sent `{token}` (none on the first page) and `{count}` where it sent `{size}`; "
    "this rewrite does not follow this read of the query: change it by hand"
)
NOT_FOLLOWED = "this rewrite does not follow this read of the query"
GETS = ("get", "get_list")
"""Methods of httpx's `QueryParams` reading one parameter by name."""
QUERY_TEXTS = ("query", "raw_path")
"""Attributes of httpx's URL holding the query as text (`bytes`)."""


def page_reads(ctx: FileContext, table: Table) -> None:
    """Rename or mark the handlers' reads of Config page parameters (see the module)."""
    from migrator.rewrite.mock_query_reads import query_reads
    from migrator.rewrite.mock_transport import handler_asserts, handler_tests
    from migrator.rewrite.mocks import migrated_endpoint

    answered: dict[int, Endpoint | str | None] = {}
    """id of an `if` (or `assert`) comparing the URL → the paginated `GET` it answers, why
    that cannot be told, or None (no such call, or a URL this run left alone)."""
    handlers: dict[int, tuple[cst.FunctionDef, str, list[Endpoint]]] = {}
    """The handlers answering a migrated list call: (handler, request name, those calls)."""
    for handler, request, node, compared in [*handler_tests(ctx), *handler_asserts(ctx)]:
        found = migrated_endpoint(ctx, compared.url, compared.method, table)
        listed = None if found is None else _listed(ctx, compared, found, table)
        answered[id(node)] = listed
        if listed is not None:
            lists = handlers.setdefault(id(handler), (handler, request, []))[2]
            if isinstance(listed, Endpoint) and all(e.row.id != listed.row.id for e in lists):
                lists.append(listed)
    for handler, request, lists in handlers.values():
        names = _params_names(ctx, handler, request)
        for node in query_reads(ctx, handler, request, names):
            under = _answering_if(ctx, node, handler, answered)
            if under is None or answered[id(under)] is not None:
                _mark_query(ctx, node, lists[0] if under is None and len(lists) == 1 else answered.get(id(under)))
        for node in _reads(ctx, handler, request, names):
            under = _answering_if(ctx, node, handler, answered)
            if under is None:
                _mark(ctx, node, lists[0] if len(lists) == 1 else None, UNDER_NO_TEST)
                continue
            endpoint = answered[id(under)]
            through = _through(node)
            if through is not None and not names[through]:
                _mark(ctx, node, endpoint if isinstance(endpoint, Endpoint) else None, BOUND_AGAIN.format(name=through))
            elif isinstance(endpoint, str):
                _mark(ctx, node, None, endpoint)
            elif endpoint is not None:
                _rename_or_mark(ctx, node, endpoint)


def _listed(ctx: FileContext, compared: Compared, found: object, table: Table) -> Endpoint | str | None:
    """The paginated `GET` an `if` answers, why it cannot be told (`NO_METHOD`
    with several list calls on the path, another reason), or None when it
    answers no such call."""
    from migrator.rewrite.mocks import NO_METHOD, unseen_method_lists

    if isinstance(found, tuple):
        endpoint = found[0]
        return endpoint if endpoint.lists else None
    if found == NO_METHOD:
        lists = unseen_method_lists(ctx, compared.url, table)
        if len(lists) == 1:
            return lists[0]  # the other calls of the path send no page parameter
        return "several list calls share this path: which one it answers cannot be told" if lists else None
    return found if isinstance(found, str) else None


def _reads(
    ctx: FileContext, handler: cst.FunctionDef, request: str, aliases: dict[str, bool] | None = None
) -> list[cst.CSTNode]:
    """The handler's reads of a Config page parameter off its request: a
    call of `.get` or a subscript of `<request>.url.params` (or of a name of
    `aliases` bound to it) with the name, `"name" in <request>.url.params`,
    and a text holding it looked for in the request's query or URL."""
    from migrator.rewrite.mock_transport import handler_nodes

    aliases = _params_names(ctx, handler, request) if aliases is None else aliases
    rows = ctx.rules.pagination
    names = (rows.size_param, rows.token_param)
    found: list[cst.CSTNode] = []
    for call in handler_nodes(ctx, handler, cst.Call):
        assert isinstance(call, cst.Call)
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in GETS and _is_params(func.value, request, aliases):
            if call.args and _text(call.args[0].value) in names:
                found.append(call)
    for item in handler_nodes(ctx, handler, cst.Subscript):
        assert isinstance(item, cst.Subscript)
        if not _is_params(item.value, request, aliases):
            continue
        if len(item.slice) == 1 and isinstance(item.slice[0].slice, cst.Index):
            if _text(item.slice[0].slice.value) in names:
                found.append(item)
    for test in handler_nodes(ctx, handler, cst.Comparison):
        assert isinstance(test, cst.Comparison)
        if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, (cst.In, cst.NotIn)):
            continue
        text, within = _text(test.left), test.comparisons[0].comparator
        if not isinstance(text, str):
            continue
        if _is_params(within, request, aliases) and text in names:
            found.append(test)
        elif _is_query_text(within, request) and any(n + "=" in text for n in names):
            found.append(test)
    return sorted(found, key=lambda n: (ctx.src.span(n) or (0, 0))[0])


def _params_names(ctx: FileContext, handler: cst.FunctionDef, request: str) -> dict[str, bool]:
    """Names the handler binds to `<request>.url.params` (`params =
    request.url.params`) → it binds them nowhere else (nor takes them as
    parameters)."""
    from migrator.rewrite.bindings import binds
    from migrator.rewrite.mock_transport import handler_nodes

    found: dict[str, bool] = {}
    for assign in handler_nodes(ctx, handler, cst.Assign):
        assert isinstance(assign, cst.Assign)
        if _is_params(assign.value, request):
            for target in assign.targets:
                if isinstance(target.target, cst.Name):
                    found[target.target.value] = len(assign.targets) == 1
    if not found:
        return found
    given = handler.params
    taken = {p.name.value for p in (*given.params, *given.kwonly_params, *given.posonly_params)}
    counts: dict[str, int] = {}
    for name in handler_nodes(ctx, handler, cst.Name):
        assert isinstance(name, cst.Name)
        if name.value in found and binds(ctx, name):
            counts[name.value] = counts.get(name.value, 0) + 1
    declared = [*handler_nodes(ctx, handler, cst.Global), *handler_nodes(ctx, handler, cst.Nonlocal)]
    global_names = {n.name.value for g in declared for n in g.names}  # type: ignore[attr-defined]
    return {
        name: once and counts.get(name) == 1 and name not in taken and name not in global_names
        for name, once in found.items()
    }


def _through(node: cst.CSTNode) -> str | None:
    """The name a read of the parameters goes through (`params.get(...)`), or None."""
    if isinstance(node, cst.Call):
        held = node.func.value  # type: ignore[attr-defined]
    elif isinstance(node, cst.Subscript):
        held = node.value
    elif isinstance(node, cst.Comparison):
        held = node.comparisons[0].comparator
    else:
        return None
    held = _copied(held) or held
    return held.value if isinstance(held, cst.Name) else None


def _answering_if(
    ctx: FileContext, node: cst.CSTNode, handler: cst.FunctionDef, answered: dict[int, object]
) -> cst.If | cst.Assert | None:
    """The innermost `if` comparing the URL (`answered`) whose test or body
    holds `node` (not its `else`), else the last `assert` comparing it at
    the top of the handler before the statement holding `node`."""
    child: cst.CSTNode = node
    parent = ctx.parent(node)
    top: cst.CSTNode | None = None
    while parent is not None and parent is not handler:
        if isinstance(parent, cst.If) and id(parent) in answered and child is not parent.orelse:
            return parent
        if parent is handler.body:
            top = child
        child, parent = parent, ctx.parent(parent)
    found: cst.Assert | None = None
    for line in handler.body.body if top is not None else ():  # type: ignore[union-attr]
        if line is top:
            break
        for statement in line.body if isinstance(line, cst.SimpleStatementLine) else ():
            if isinstance(statement, cst.Assert) and id(statement) in answered:
                found = statement
    return found


def _rename_or_mark(ctx: FileContext, node: cst.CSTNode, endpoint: Endpoint) -> None:
    rows = ctx.rules.pagination
    key = _key(node)
    token = _name(ctx, node) == rows.token_param
    if key is None or not _provable(ctx, node, token):
        _mark(ctx, node, endpoint, QUERY_TEXT if _in_text(node) else FIRST_PAGE if token else ALWAYS)
        return
    assert isinstance(key, cst.SimpleString)
    new = rows.cursor_param if token else rows.count_param
    span = ctx.src.span(key)
    text = ctx.src.text[span[0] : span[1]] if span is not None else ""
    if span is None or text != f"{key.prefix}{key.quote}{key.evaluated_value}{key.quote}":
        _mark(ctx, node, endpoint, "its name here cannot be rewritten exactly")
        return
    from migrator.rewrite.mocks import record

    # a page parameter renamed, as the pagination kind renames it in the call (the audit's field change)
    if not record(ctx, [Edit(span[0], span[1], f"{key.prefix}{key.quote}{new}{key.quote}")], rows.id):
        _mark(ctx, node, endpoint, "another rewrite changes the same code")


def _in_text(node: cst.CSTNode) -> bool:
    """A text looked for in the request's query or URL (see `_reads`), not
    a name in its parameters."""
    if not isinstance(node, cst.Comparison):
        return False
    within = node.comparisons[0].comparator
    within = _copied(within) or within
    return not (isinstance(within, cst.Name) or isinstance(within, cst.Attribute) and within.attr.value == "params")


def _name(ctx: FileContext, node: cst.CSTNode) -> str:
    """The Config page parameter the read is about."""
    rows = ctx.rules.pagination
    key = _key(node)
    text = _text(key if key is not None else node.left)  # type: ignore[attr-defined]
    return rows.token_param if text is not None and rows.token_param in text else rows.size_param


def _key(node: cst.CSTNode) -> cst.BaseExpression | None:
    """The name of the parameter `.get(name)` or `[name]` reads (None: a
    membership test)."""
    if isinstance(node, cst.Call):
        return node.args[0].value
    if isinstance(node, cst.Subscript):
        return node.slice[0].slice.value  # type: ignore[union-attr]
    return None


def _provable(ctx: FileContext, node: cst.CSTNode, token: bool) -> bool:
    """The read gives the same answer with the Public parameter (see the module)."""
    rows = ctx.rules.pagination
    if isinstance(node, cst.Subscript):
        return not token
    assert isinstance(node, cst.Call)
    args = node.args
    if any(a.keyword is not None or a.star for a in args) or len(args) > 2:
        return False
    if node.func.attr.value == "get_list":  # type: ignore[attr-defined]
        listed = _compared_list(ctx, node)
        return len(args) == 1 and bool(listed) and all(t and (token or t != str(rows.default_count)) for t in listed)
    if len(args) == 2:
        return token and _text(args[1].value) == ""
    cases = _matched(ctx, node)
    compared = _compared_with(ctx, node)
    if cases is not None or compared is not None:
        texts = cases if cases is not None else [compared]
        return all(t and (token or t != str(rows.default_count)) for t in texts)
    return token and _truth_tested(ctx, node)


def _matched(ctx: FileContext, node: cst.CSTNode) -> list[str | None] | None:
    """The values the cases of a `match` on `node` compare it with: a string
    each (`case "p2" | "p3":`; `case _:` compares nothing), None for any
    other pattern; None when `node` is no `match`'s subject."""
    parent = ctx.parent(node)
    if not isinstance(parent, cst.Match) or parent.subject is not node:
        return None
    found: list[str | None] = []
    for case in parent.cases:
        pattern = case.pattern
        if isinstance(pattern, cst.MatchAs) and pattern.pattern is None and pattern.name is None:
            continue
        patterns = [e.pattern for e in pattern.patterns] if isinstance(pattern, cst.MatchOr) else [pattern]
        found += [_text(one.value) if isinstance(one, cst.MatchValue) else None for one in patterns]
    return found


def _compared_with(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """The string `node` is compared with (`==`, `!=`), or None."""
    other = compared_with(ctx, node, cst.Equal, cst.NotEqual)
    text = _text(other) if other is not None else None
    return text if isinstance(text, str) else None


def _compared_list(ctx: FileContext, node: cst.CSTNode) -> list[str] | None:
    """The strings of the list `node` is compared with (`== ["p2"]`), or
    None (another value, or an element no string)."""
    other = compared_with(ctx, node, cst.Equal, cst.NotEqual)
    if not isinstance(other, cst.List):
        return None
    texts = [_text(e.value) if isinstance(e, cst.Element) else None for e in other.elements]
    return None if any(t is None for t in texts) else texts  # type: ignore[return-value]


def _truth_tested(ctx: FileContext, node: cst.CSTNode) -> bool:
    """`node` is only tested for truth: the test of an `if`, `while` or
    conditional expression, or under `not`, through `and`/`or`."""
    child: cst.CSTNode = node
    parent = ctx.parent(node)
    while isinstance(parent, cst.BooleanOperation):
        child, parent = parent, ctx.parent(parent)
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return True
    return isinstance(parent, (cst.If, cst.While, cst.IfExp)) and parent.test is child


def _mark_query(ctx: FileContext, node: cst.CSTNode, endpoint: Endpoint | str | None) -> None:
    """Mark a read of the query this module cannot tell from a read of a page parameter."""
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW

    if ctx.suppressed(node, ROW):
        return
    rows = ctx.rules.pagination
    reason = QUERY_READ.format(cursor=rows.cursor_param, token=rows.token_param, count=rows.count_param,
                               size=rows.size_param)
    public = endpoint.row.public if isinstance(endpoint, Endpoint) else "its endpoint"
    ctx.mark(ROW, node, QUERY_MESSAGE.format(endpoint=public, reason=reason))


def _mark(ctx: FileContext, node: cst.CSTNode, endpoint: Endpoint | None, more: str) -> None:
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW

    if ctx.suppressed(node, ROW):
        return
    rows = ctx.rules.pagination
    token = _name(ctx, node) == rows.token_param
    sent, was = (rows.cursor_param, rows.token_param) if token else (rows.count_param, rows.size_param)
    reason = f"it sends `{sent}` where it sent `{was}`; " + more.format(
        sent=sent, token=rows.token_param, default=rows.default_count
    ) + ": change this read by hand"
    public = endpoint.row.public if endpoint is not None else "its endpoint"
    ctx.mark(ROW, node, QUERY_MESSAGE.format(endpoint=public, reason=reason))


def page_reads_again(ctx: FileContext) -> None:
    """A later run: a read an earlier run marked (see `_mark`) is marked
    again, in its own words, while it reads a Config page parameter off the
    request of a handler comparing a Public URL."""
    from migrator.rewrite.mock_query_reads import query_reads
    from migrator.rewrite.mock_transport import handler_asserts, handler_tests
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW, _public_url

    lead = QUERY_MESSAGE.split("{", 1)[0]
    tests = [*handler_tests(ctx), *handler_asserts(ctx)]
    handlers = {id(h): (h, r) for h, r, _, compared in tests if _public_url(ctx, compared.url)}
    for handler, request in handlers.values():
        names = _params_names(ctx, handler, request)
        for node in [*query_reads(ctx, handler, request, names), *_reads(ctx, handler, request, names)]:
            if ctx.suppressed(node, ROW):
                continue
            read = isinstance(node, (cst.Call, cst.Subscript, cst.Comparison))
            said = f"where it sent `{_name(ctx, node)}`; " if read else NOT_FOLLOWED
            for rule, message in ctx.earlier_markers(node):
                if rule == ROW and message.startswith(lead) and said in message:
                    ctx.mark(ROW, node, message)
                    break


def _text(node: cst.BaseExpression) -> str | None:
    """The value of a string (or bytes) literal."""
    if not isinstance(node, cst.SimpleString):
        return None
    value = node.evaluated_value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def _is_params(node: cst.BaseExpression, request: str, aliases: dict[str, bool] | None = None) -> bool:
    """`<request>.url.params`, or one of `aliases` (see `_params_names`), or
    a `dict(...)` copy of either."""
    copied = _copied(node)
    if copied is not None:
        return _is_params(copied, request, aliases)
    if isinstance(node, cst.Name):
        return aliases is not None and node.value in aliases
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "params"
        and isinstance(node.value, cst.Attribute)
        and node.value.attr.value == "url"
        and isinstance(node.value.value, cst.Name)
        and node.value.value.value == request
    )


def _copied(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """`x` of `dict(x)` (one positional argument), else None."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        if len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
            return node.args[0].value
    return None


def _is_query_text(node: cst.BaseExpression, request: str) -> bool:
    """The request's query or URL as text: `<request>.url.query`,
    `<request>.url.raw_path`, `str(<request>.url)` (also `.decode()` of
    the first two)."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "decode":
        node = node.func.value
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "str":
        if len(node.args) != 1:
            return False
        inner = node.args[0].value
        return _is_url(inner, request) or (isinstance(inner, cst.Attribute) and inner.attr.value in QUERY_TEXTS
                                           and _is_url(inner.value, request))
    return isinstance(node, cst.Attribute) and node.attr.value in QUERY_TEXTS and _is_url(node.value, request)


def _is_url(node: cst.BaseExpression, request: str) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "url"
        and isinstance(node.value, cst.Name)
        and node.value.value == request
    )
