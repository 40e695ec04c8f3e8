"""Test doubles of HTTP calls, as a test file registers them.

`responses` (`responses.add(responses.GET, url, json=...)`, `responses.get`,
a `RequestsMock`), `requests_mock` (the fixture, a `Mocker`), `respx`
(`respx.get(url).mock(return_value=httpx.Response(...))`, `.respond(...)`,
the `respx_mock` fixture) and functions patched with `unittest.mock`
(`get.assert_called_once_with(url)`, see `mock_patch`). Each is read into a
`Mock`: the HTTP method and URL it answers and the call holding the pinned
payload. `registration_flow` tells the paths kind (through `clients`) the
method of a URL given to a registration that names it with a constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext
from migrator.rewrite.known_names import MOCK_FIXTURES
from migrator.rewrite.mock_patch import ASSERTS, asserted_call

LIBRARIES = ("responses", "requests_mock", "respx")
FACTORIES = {
    "responses.RequestsMock": "responses",
    "responses.mock": "responses",
    "requests_mock.Mocker": "requests_mock",
    "requests_mock.mock": "requests_mock",
    "respx.mock": "respx",
    "respx.MockRouter": "respx",
    "respx.Router": "respx",
}
"""Calls (or objects) that give a mock object of the library."""
PATCHED = "unittest.mock"
"""The library of a `mock.patch`ed HTTP function's asserts."""
FIXTURES = MOCK_FIXTURES
REGISTER = ("add", "replace", "upsert", "register_uri", "route", "Response", "add_callback")
"""Registration methods that take the HTTP method as an argument."""
PAYLOAD_KEYWORDS = ("json",)
TEXT_KEYWORDS = ("body", "text", "content")
"""Payloads given as text: translated when the text is `json.dumps(<dict literal>)`."""
RAISED = ("Error", "Exception", "Timeout")
"""A `side_effect` class named so raises: the double returns no payload."""


@dataclass
class Mock:
    """One registration of a test double: the HTTP method and URL it
    answers, and the call whose `json=` holds the pinned response."""

    call: cst.Call
    method: str
    url: cst.BaseExpression
    answer: cst.Call | None
    """The call holding the payload (the registration itself, or the
    `httpx.Response(...)`/`.respond(...)` of a respx route)."""
    verb: cst.CSTNode | None = None
    """What names the method (`put` of `m.put`, `PUT` of `responses.PUT`, `"PUT"`)."""
    library: str = ""


# -- the method of `responses.add(responses.GET, url)` --------------------------------


def registration_flow(ctx: FileContext, call: cst.Call, arg: cst.Arg) -> clients.Flow | None:
    """A URL given to a registration that names its method with a library
    constant (`responses.add(responses.GET, url)`): a URL with that method."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ASSERTS:
        # `get.assert_called_once_with(url)` on a patched `requests.get`
        asserted = asserted_call(ctx, call)
        if asserted is None or arg is not asserted[1]:
            return None
        return clients.Flow(url=True, methods={asserted[0]})
    url = keyword.get("url") or (positional[1] if len(positional) > 1 else None)
    if arg is not url:
        return None
    method_arg = keyword.get("method") or (positional[0] if positional else None)
    method = _method_constant(ctx, method_arg.value) if method_arg is not None else None
    if method is None:
        return None
    return clients.Flow(url=True, methods={method})


def _method_constant(ctx: FileContext, node: cst.BaseExpression) -> str | None:
    """`responses.GET` (the library's method constants)."""
    if not isinstance(node, cst.Attribute):
        return None
    name = clients.qualified_name(ctx, node)
    head, _, verb = name.rpartition(".")
    if head in LIBRARIES and verb.lower() in clients.VERBS and verb.isupper():
        return verb
    return None


# -- finding the doubles ---------------------------------------------------------------


def library_of(ctx: FileContext, receiver: cst.BaseExpression, depth: int = 0) -> str | None:
    """The mock library a receiver is: the module, a mock object made by one
    of its factories (`with responses.RequestsMock() as rsps`, `m =
    requests_mock.Mocker()`, `@requests_mock.Mocker()` passing `m`), or a
    pytest fixture of it (`requests_mock`, `respx_mock`)."""
    qualified = clients.qualified_name(ctx, receiver)
    if qualified in LIBRARIES and (not isinstance(receiver, cst.Name) or receiver.value in ctx.index.modules):
        return qualified
    if qualified in FACTORIES:
        return FACTORIES[qualified]
    if not isinstance(receiver, cst.Name) or depth > 2:
        return None
    function = ctx.index.scope_of(receiver)
    if isinstance(function, cst.FunctionDef):
        params = [p.name.value for p in function.params.params]
        if receiver.value in params and (function, receiver.value) not in ctx.index.assignments:
            if receiver.value in FIXTURES:
                return FIXTURES[receiver.value]
            for decorator in function.decorators:
                made = _made_by(ctx, decorator.decorator)
                if made == "requests_mock" and params and params[-1] == receiver.value:
                    return made
    for name in ctx.index.names.get(receiver.value, []):
        parent = ctx.parent(name)
        item = ctx.parent(parent) if isinstance(parent, cst.AsName) else None
        if isinstance(item, cst.WithItem):
            made = _made_by(ctx, item.item)
            if made is not None:
                return made
    for value in clients.resolve(ctx, receiver):
        made = _made_by(ctx, value)
        if made is not None:
            return made
    return None


def _made_by(ctx: FileContext, node: cst.BaseExpression) -> str | None:
    target = node.func if isinstance(node, cst.Call) else node
    return FACTORIES.get(clients.qualified_name(ctx, target))


def find_mocks(ctx: FileContext) -> list[Mock]:
    found: list[Mock] = []
    for node in ctx.index.parents:
        if type(node) is not cst.Call or not isinstance(node.func, cst.Attribute):
            continue
        mock = _mock(ctx, node)
        if mock is not None:
            found.append(mock)
    return found


def _mock(ctx: FileContext, call: cst.Call) -> Mock | None:
    func = call.func
    assert isinstance(func, cst.Attribute)
    name = func.attr.value
    if name in ASSERTS:
        asserted = asserted_call(ctx, call)
        if asserted is None:
            return None
        return Mock(call, asserted[0], asserted[1].value, None, None, PATCHED)
    if name not in REGISTER and not (name.islower() and name in clients.VERBS):
        return None  # cheap test first: most calls of a test file are not registrations
    library = library_of(ctx, func.value) or _library_by_constant(ctx, call)
    if library is None:
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    method: str | None
    verb: cst.CSTNode | None = None
    if name.lower() in clients.VERBS and name.islower():
        method = name.upper()
        url = keyword.get("url") or (positional[0] if positional else None)
        verb = func.attr
    elif name in REGISTER:
        method_arg = keyword.get("method") or (positional[0] if positional else None)
        url = keyword.get("url") or (positional[1] if len(positional) > 1 else None)
        method = None
        if method_arg is not None:
            method = _method_constant(ctx, method_arg.value)
            literal = method_arg.value
            verb = literal.attr if isinstance(literal, cst.Attribute) else literal
            if method is None and isinstance(literal, cst.SimpleString):
                text = literal.evaluated_value
                if isinstance(text, str) and text.lower() in clients.VERBS:
                    method = text.upper()
    else:
        return None
    if method is None or url is None:
        return None
    answer: cst.Call | None = call
    if library == "respx":
        answer = _respx_answer(ctx, call)
    elif name == "add_callback":
        answer = None  # the callback builds the response
    return Mock(call, method, url.value, answer, verb, library)


def is_double(ctx: FileContext, call: cst.Call) -> bool:
    """A test double's registration (`respx.get(url)`, `requests_mock.get(url,
    json=...)`): it answers requests, it sends none."""
    return isinstance(call.func, cst.Attribute) and _mock(ctx, call) is not None


def registration(ctx: FileContext, call: cst.Call) -> Mock | None:
    """The double `call` registers (or the assert on a patched function it is), if any."""
    return _mock(ctx, call) if isinstance(call.func, cst.Attribute) else None


def _library_by_constant(ctx: FileContext, call: cst.Call) -> str | None:
    """`x.add(responses.GET, url, ...)`: the method constant names the library
    whatever `x` is (a fixture yielding a `RequestsMock`)."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in REGISTER:
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    method_arg = keyword.get("method") or (positional[0] if positional else None)
    if method_arg is None or _method_constant(ctx, method_arg.value) is None:
        return None
    return clients.qualified_name(ctx, method_arg.value).rpartition(".")[0]


def _respx_answer(ctx: FileContext, route: cst.Call) -> cst.Call | None:
    """`route.mock(return_value=httpx.Response(...))` or `route.respond(...)`
    right on the route call."""
    attribute = ctx.parent(route)
    outer = ctx.parent(attribute) if isinstance(attribute, cst.Attribute) else None
    if not isinstance(outer, cst.Call) or not isinstance(attribute, cst.Attribute):
        return None
    if attribute.attr.value == "respond":
        return outer
    if attribute.attr.value == "mock":
        for arg in outer.args:
            if arg.keyword is not None and arg.keyword.value == "return_value" and isinstance(arg.value, cst.Call):
                if clients.qualified_name(ctx, arg.value.func) == "httpx.Response":
                    return arg.value
    return None


def payload_of(ctx: FileContext, answer: cst.Call | None) -> cst.BaseExpression | None:
    """The pinned payload: `json=...`, or the value of `body=json.dumps(...)`."""
    if answer is None:
        return None
    for arg in answer.args:
        if arg.keyword is None:
            continue
        if arg.keyword.value in PAYLOAD_KEYWORDS:
            return arg.value
        dumped = _dumped(ctx, arg.value) if arg.keyword.value in TEXT_KEYWORDS else None
        if dumped is not None:
            return dumped
    return None


def _dumped(ctx: FileContext, value: cst.BaseExpression) -> cst.BaseExpression | None:
    """`x` of the text `json.dumps(x)`."""
    if (
        isinstance(value, cst.Call)
        and clients.qualified_name(ctx, value.func) == "json.dumps"
        and len(value.args) == 1
        and value.args[0].keyword is None
    ):
        return value.args[0].value
    return None


def response_list(mock: Mock) -> cst.BaseExpression | None:
    """The responses a requests-mock double returns in turn (`m.get(url,
    [{"json": ...}, {"status_code": 404}])`, `response_list=`)."""
    if mock.library != "requests_mock" or mock.answer is None:
        return None
    call = mock.answer
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "response_list":
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    at = 2 if isinstance(call.func, cst.Attribute) and call.func.attr.value in REGISTER else 1
    return positional[at].value if len(positional) > at else None


def listed_payloads(ctx: FileContext, listed: cst.BaseExpression) -> list[cst.BaseExpression] | str:
    """The payload of each response of a requests-mock response list (those
    with none, a status or an error only, are left out), or why they cannot
    be read."""
    if not isinstance(listed, (cst.List, cst.Tuple)):
        return "the responses it returns are given in a value this rewrite does not read"
    found: list[cst.BaseExpression] = []
    for element in listed.elements:
        item = element.value
        if isinstance(element, cst.StarredElement) or not isinstance(item, cst.Dict):
            return "a response of its list is not a dict literal"
        for entry in item.elements:
            key = entry.key if isinstance(entry, cst.DictElement) else None
            if not isinstance(key, cst.SimpleString):
                return "a response of its list is not a dict literal"
            name = key.evaluated_value
            if name in PAYLOAD_KEYWORDS:
                found.append(entry.value)
            elif name in TEXT_KEYWORDS:
                dumped = _dumped(ctx, entry.value)
                if dumped is None:
                    return f"a response of its list gives its `{name}` as text this rewrite does not read"
                found.append(dumped)
    return found


def fixtures_used(ctx: FileContext) -> bool:
    return any(name in ctx.index.names for name in FIXTURES)


def answers_elsewhere(ctx: FileContext, mock: Mock) -> bool:
    """A respx route whose response is given apart (`route.return_value =
    ...`, a `side_effect` function); raising an error returns no payload."""
    if isinstance(mock.call.func, cst.Attribute) and mock.call.func.attr.value == "add_callback":
        return True
    parent = ctx.parent(mock.call)
    if isinstance(parent, cst.Expr):
        return False
    outer = ctx.parent(parent) if isinstance(parent, cst.Attribute) and parent.attr.value == "mock" else None
    if isinstance(outer, cst.Call) and len(outer.args) == 1 and outer.args[0].keyword is not None:
        arg = outer.args[0]
        name = clients.qualified_name(ctx, arg.value).rpartition(".")[2]
        if arg.keyword.value == "side_effect" and name.endswith(RAISED):
            return False
    return True
