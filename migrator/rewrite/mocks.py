"""Tests of migrated code (rewrite row `rewrite.mocks`, rules/rewrite-tests.toml).

Tests pin the Config API through HTTP test doubles: `responses`
(`responses.add(responses.GET, url, json=...)`, `responses.get(url, ...)`,
a `RequestsMock`), `requests_mock` (the fixture, a `Mocker`: `m.get(url,
json=...)`, `m.register_uri("GET", url, ...)`) and `respx`
(`respx.get(url).mock(return_value=httpx.Response(200, json=...))`,
`.respond(200, json=...)`). The paths kind migrates their URLs like any
other (`registration_flow` tells it the method of `responses.add`); this
kind then migrates what the double returns: a dict literal given as the
pinned Config response becomes the Public response of the endpoint row the
URL matched, through the translate engine (`translate_response`), written
back in the literal's style. A payload that is not a literal, or that the
engine cannot translate without a loss, is marked. Request bodies pinned in
asserts are handled by `mock_asserts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from migrator.idmap import EMPTY
from migrator.rewrite import clients
from migrator.rewrite.bodies_literal import has_comment, rename_verb
from migrator.rewrite.bodies_sites import Site, sites_of
from migrator.rewrite.bodies_values import Holes, Reader, Style, Unsupported, contains_hole_or_opaque, render
from migrator.rewrite.constants import _binds, _bound_once, constant_text
from migrator.rewrite.context import FileContext, _overlap
from migrator.rewrite.context import Recorded
from migrator.rewrite.edits import Edit
from migrator.rewrite.mock_patch import ASSERTS, canned_responses, patched_verb
from migrator.rewrite.strings import build_chain
from migrator.rewrite.table import Endpoint, Table, table_for
from migrator.ruleset import EndpointMatch, RuleSet
from migrator.ruleset.models import ResourceRow
from migrator.translate.context import Context, TranslateError
from migrator.translate.response import translate_response

ROW = "rewrite.mocks"
BODY = "rewrite.request-body"
METHOD = "rewrite.http-method"
LOSSES = ("dropped", "unknown", "unresolved", "ambiguous", "note")
"""Translate reports that make a pinned payload say less, or something else."""

DEFAULT_MESSAGE = (
    "the test double pins the Config response of `{endpoint}` ({reason}): "
    "write the Public response instead (`{public}`)"
)

UNKNOWN_ENDPOINT = (
    "the test double pins a Config response for a migrated URL ({reason}): "
    "write the Public response of the call it answers by hand"
)

PATTERN_MESSAGE = (
    "the request body this double expects must be the one the migrated call to `{endpoint}` sends ({reason})"
)
QUERY_MESSAGE = (
    "the query this test pins must match what the migrated call to `{endpoint}` sends ({reason})"
)

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
FIXTURES = {"requests_mock": "requests_mock", "respx_mock": "respx"}
"""pytest fixtures the libraries provide, by parameter name."""
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
        verb = patched_verb(ctx, func.value)
        if verb is None or arg is not (keyword.get("url") or (positional[0] if positional else None)):
            return None
        return clients.Flow(url=True, methods={verb})
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
        patched = patched_verb(ctx, func.value)
        url_arg = next((a for a in call.args if a.keyword is None or a.keyword.value == "url"), None)
        if patched is None or url_arg is None or url_arg.star:
            return None
        return Mock(call, patched, url_arg.value, None, None, PATCHED)
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


def _payload(ctx: FileContext, answer: cst.Call | None) -> cst.BaseExpression | None:
    """The pinned payload: `json=...`, or the value of `body=json.dumps(...)`."""
    if answer is None:
        return None
    for arg in answer.args:
        if arg.keyword is None:
            continue
        if arg.keyword.value in PAYLOAD_KEYWORDS:
            return arg.value
        value = arg.value
        if (
            arg.keyword.value in TEXT_KEYWORDS
            and isinstance(value, cst.Call)
            and clients.qualified_name(ctx, value.func) == "json.dumps"
            and len(value.args) == 1
            and value.args[0].keyword is None
        ):
            return value.args[0].value
    return None


# -- the endpoint a double answers for ----------------------------------------------


def migrated_endpoint(
    ctx: FileContext, url: cst.BaseExpression, method: str | None, table: Table
) -> tuple[Endpoint, dict[str, str], Any] | str | None:
    """The endpoint row a migrated mock URL matched (with its Config
    parameters and the chain), a reason when it cannot be told, or None when
    the paths kind did not migrate it. Without a method, the path must match
    one row only."""
    from migrator.rewrite.paths import read

    node = url
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add) and clients._starts_query(node.right):
        node = node.left  # `URL + "?page_size=100"`: the URL is what was migrated
    url = node
    if isinstance(url, (cst.Name, cst.Attribute)):
        values = clients.resolve(ctx, url)
        if len(values) != 1:
            return None
        node = values[0]
    chain = build_chain(ctx.src, node)
    if chain is None or chain.is_bytes:
        return None
    if not any(
        c.start == chain.outer[0] and c.end == chain.outer[1] and c.rule.startswith("endpoint.")
        for c in ctx.changes
    ):
        return None
    reading = read(chain, table)
    if reading is None:
        return None
    matches = [(e, p) for e, p in table.match(reading.path) if method in (None, e.method) and e.row.public]
    if len({e.row.id for e, _ in matches}) != 1:
        if matches:
            return "several Public calls match it" + ("" if method else ": the HTTP method cannot be seen")
        return f"no {method or ''} call of the table matches it".replace("  ", " ")
    endpoint, params = matches[0]
    return endpoint, params, chain


# -- the kind ----------------------------------------------------------------------------


class MocksKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Any) -> bool:
        return False

    def finish(self, ctx: FileContext) -> None:
        if not ctx.changes:
            return
        table = table_for(ctx.rules)
        if "MockTransport" in ctx.src.text and "httpx" in ctx.index.modules.values():
            self._transports(ctx, table)
        if (
            not any(m in LIBRARIES for m in ctx.index.modules.values())
            and not _fixtures(ctx)
            and "assert_" not in ctx.src.text
        ):
            return
        mocks = find_mocks(ctx)
        if not mocks:
            return
        _hide_from_bodies(ctx, mocks)
        endpoints = {id(m.call): migrated_endpoint(ctx, m.url, m.method, table) for m in mocks}
        answers: dict[int, str] = {}
        """The endpoint row each migrated double's answer call stands for."""
        for mock in mocks:
            found = endpoints[id(mock.call)]
            if isinstance(found, tuple) and mock.answer is not None:
                answers[id(mock.answer)] = found[0].row.id
        done: set[int] = set()
        for mock in mocks:
            found = endpoints[id(mock.call)]
            if found is None:
                continue
            if isinstance(found, str):
                self._mark(ctx, mock, None, found, table)
                continue
            endpoint, _, chain = found
            _withdraw_marker(ctx, chain, BODY)
            self._payload(ctx, mock, endpoint, table, answers, done)
            self._query(ctx, mock, endpoint, table, whole=False)
            self._patterns(ctx, mock, found)
            if endpoint.public_method and endpoint.public_method != endpoint.method:
                self._method(ctx, mock, endpoint, chain, table)
        self._canned(ctx, [m for m in mocks if m.library == PATCHED], endpoints, table)
        from migrator.rewrite.mock_asserts import migrate_asserts

        migrate_asserts(ctx, mocks, endpoints)

    def _canned(self, ctx: FileContext, asserts: list[Mock], endpoints: dict[int, Any], table: Table) -> None:
        """`get.return_value.json.return_value = {...}`: the Config response of
        the one endpoint the test asserts the patched function was called for."""
        groups: dict[tuple[str, int], list[Mock]] = {}
        for mock in asserts:
            receiver = mock.call.func.value  # type: ignore[attr-defined]
            scope = ctx.index.scope_of(mock.call)
            groups.setdefault((receiver.value, id(scope)), []).append(mock)
        for (name, _), group in groups.items():
            found = [endpoints[id(m.call)] for m in group]
            migrated = [f for f in found if isinstance(f, tuple)]
            if not migrated:
                continue
            scope = ctx.index.scope_of(group[0].call)
            rows = {f[0].row.id for f in migrated}
            for value in canned_responses(ctx, name, scope):
                holder = Mock(group[0].call, group[0].method, group[0].url, None)
                if len(rows) != 1 or len(migrated) != len(found):
                    self._mark_at(ctx, value, migrated[0][0], "the mock answers calls to several endpoints", table)
                    continue
                try:
                    edit = payload_edit(ctx, value, migrated[0][0], holder.call)
                except Unsupported as exc:
                    self._mark_at(ctx, value, migrated[0][0], str(exc), table)
                    continue
                if edit is not None and not record(ctx, [edit]):
                    self._mark_at(ctx, value, migrated[0][0], "another rewrite changes the same code", table)

    def _mark_at(self, ctx: FileContext, node: cst.CSTNode, endpoint: Endpoint, reason: str, table: Table) -> None:
        if not ctx.suppressed(node, ROW):
            ctx.mark(ROW, node, table.message(
                ROW, DEFAULT_MESSAGE, endpoint=endpoint.row.config, reason=reason, public=endpoint.row.public or ""
            ))

    def _transports(self, ctx: FileContext, table: Table) -> None:
        from migrator.rewrite.mock_transport import handler_answers

        for answer, url, method in handler_answers(ctx):
            found = migrated_endpoint(ctx, url, method, table)
            if found is None:
                continue
            mock = Mock(answer, method or "", url, answer)
            if isinstance(found, str):
                self._mark(ctx, mock, None, found, table)
                continue
            endpoint = found[0]
            if endpoint.public_method and endpoint.public_method != endpoint.method:
                reason = f"the Public API uses {endpoint.public_method}: compare the request's method with it"
                self._mark(ctx, mock, endpoint, reason, table)
                continue
            self._payload(ctx, mock, endpoint, table)
            self._query(ctx, mock, endpoint, table, whole=True)

    def _payload(
        self,
        ctx: FileContext,
        mock: Mock,
        endpoint: Endpoint,
        table: Table,
        answers: dict[int, str] | None = None,
        done: set[int] | None = None,
    ) -> None:
        if mock.answer is None:
            if mock.call is not None and _answers_elsewhere(ctx, mock):
                self._mark(ctx, mock, endpoint, "the response it returns is set elsewhere", table)
            return
        payload = _payload(ctx, mock.answer)
        if payload is None:
            return  # no pinned payload (a status only, or other text)
        if ctx.suppressed(mock.call, ROW):
            return
        if isinstance(payload, cst.Name) and answers is not None and done is not None:
            shared = shared_payload(ctx, payload, answers, endpoint.row.id)
            if shared is not None:
                if id(shared) in done:
                    return
                done.add(id(shared))
                payload = shared
        try:
            edit = payload_edit(ctx, payload, endpoint, mock.call)
        except Unsupported as exc:
            self._mark(ctx, mock, endpoint, str(exc), table)
            return
        if edit is None:
            return
        if any(_overlap(edit, taken) for taken in ctx.edits):
            self._mark(ctx, mock, endpoint, "another rewrite changes the same code", table)
            return
        ctx.edits.append(edit)
        ctx.changes.append(Recorded(ROW, edit.start, edit.end, ctx.src.text[edit.start : edit.end], edit.text))

    def _query(self, ctx: FileContext, mock: Mock, endpoint: Endpoint, table: Table, whole: bool) -> None:
        from migrator.rewrite.mock_urls import page_query

        edits, reason = page_query(ctx, mock.url, endpoint, whole)
        if reason is None and not record(ctx, edits):
            reason = "another rewrite changes the same code"
        if reason is not None and not ctx.suppressed(mock.call, ROW):
            ctx.mark(ROW, mock.call, QUERY_MESSAGE.format(endpoint=endpoint.row.public, reason=reason))

    def _patterns(self, ctx: FileContext, mock: Mock, found: tuple[Endpoint, dict[str, str], Any]) -> None:
        """The request body and query the double expects (`json_params_matcher`, respx `json=`)."""
        from migrator.rewrite.mock_asserts import translate_body
        from migrator.rewrite.mock_patterns import patterns, query_pattern

        endpoint, params, _ = found
        bodies, queries = patterns(ctx, mock)
        if ctx.suppressed(mock.call, ROW):
            return
        for node in bodies:
            try:
                if not isinstance(node, cst.Dict):
                    raise Unsupported("the body pattern is not a literal")
                translate_body(ctx, node, endpoint, params, mock.call)
            except Unsupported as exc:
                ctx.mark(ROW, mock.call, PATTERN_MESSAGE.format(endpoint=endpoint.row.public, reason=str(exc)))
        if mock.library == PATCHED and not queries and endpoint.row.paginated and endpoint.method == "GET":
            count = ctx.rules.pagination.count_param
            reason = f"the migrated call sends `params` with `{count}`: add it to the call this test expects"
            ctx.mark(ROW, mock.call, QUERY_MESSAGE.format(endpoint=endpoint.row.public, reason=reason))
        for node in queries:
            edits, reason = query_pattern(ctx, node, endpoint)
            if reason is None and not record(ctx, edits):
                reason = "another rewrite changes the same code"
            if reason is not None:
                ctx.mark(ROW, mock.call, QUERY_MESSAGE.format(endpoint=endpoint.row.public, reason=reason))

    def _method(self, ctx: FileContext, mock: Mock, endpoint: Endpoint, chain: Any, table: Table) -> None:
        """The double answers the Public method (`responses.PUT` → `responses.PATCH`)."""
        method = endpoint.public_method or endpoint.method
        if ctx.suppressed(mock.call, METHOD) or mock.verb is None:
            return  # the paths kind's marker stays
        try:
            edit = rename_verb(ctx, Site(mock.call, mock.method, mock.url, None, verb=mock.verb), method)
        except Unsupported:
            return
        if any(_overlap(edit, taken) for taken in ctx.edits):
            return
        ctx.edits.append(edit)
        ctx.changes.append(Recorded(ROW, edit.start, edit.end, ctx.src.text[edit.start : edit.end], edit.text))
        _withdraw_marker(ctx, chain, METHOD)

    def _mark(self, ctx: FileContext, mock: Mock, endpoint: Endpoint | None, reason: str, table: Table) -> None:
        if ctx.suppressed(mock.call, ROW):
            return
        if endpoint is None or endpoint.row.public is None:
            ctx.mark(ROW, mock.call, UNKNOWN_ENDPOINT.format(reason=reason))
            return
        ctx.mark(
            ROW,
            mock.call,
            table.message(ROW, DEFAULT_MESSAGE, endpoint=endpoint.row.config, reason=reason, public=endpoint.row.public),
        )


def record(ctx: FileContext, edits: list[Edit]) -> bool:
    """Take the edits (all or none) unless they collide with edits taken."""
    if any(_overlap(edit, taken) for edit in edits for taken in ctx.edits):
        return False
    for edit in edits:
        ctx.edits.append(edit)
        ctx.changes.append(Recorded(ROW, edit.start, edit.end, ctx.src.text[edit.start : edit.end], edit.text))
    return True


def shared_payload(ctx: FileContext, name: cst.Name, answers: dict[int, str], row: str) -> cst.Dict | None:
    """The dict literal a payload name is bound to, once, when every use of
    the name is the payload of a double of the same endpoint row (a module
    constant `SOURCES_PAGE = {...}` pinned by several tests)."""
    value = _bound_once(ctx, name, name)
    if not isinstance(value, cst.Dict):
        return None
    for use in ctx.index.names.get(name.value, []):
        if _binds(ctx, use):
            continue
        arg = ctx.parent(use)
        call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
        if not (isinstance(arg, cst.Arg) and arg.keyword is not None and arg.keyword.value in PAYLOAD_KEYWORDS):
            return None
        if call is None or answers.get(id(call)) != row:
            return None
    return value


def payload_edit(ctx: FileContext, node: cst.BaseExpression, endpoint: Endpoint, site: cst.CSTNode) -> Edit | None:
    """The edit turning a pinned Config response literal into the Public one;
    raises `Unsupported` with the reason when it cannot be done exactly."""
    if isinstance(node, cst.Name):
        raise Unsupported(
            f"the payload `{node.value}` is not a dict literal bound once and used only by doubles of this endpoint"
        )
    if not isinstance(node, cst.Dict):
        raise Unsupported("the payload is not a literal")
    holes = Holes()
    reader = Reader(ctx.src.code, holes, constant=lambda n: constant_text(ctx, n, site))
    value = reader.value(node)
    if contains_hole_or_opaque(value):
        check_run_time_values(value, endpoint, ctx.rules)
    tctx = Context(ctx.rules, ctx.ids or EMPTY, "response")
    try:
        public, kind = translate_response(value, tctx, EndpointMatch(endpoint.row, {}, ""))
    except TranslateError as exc:
        raise Unsupported(str(exc)) from None
    if kind == "public":
        return None
    lost = [r for r in tctx.reports if r.kind in LOSSES]
    if lost:
        where = f"`{lost[0].path}`: " if lost[0].path else ""
        raise Unsupported(where + lost[0].message)
    return render_edit(ctx, node, public, reader, holes)


def check_run_time_values(value: Any, endpoint: Endpoint, rules: RuleSet) -> None:
    """Values computed at run time (`"display_name": slug`) may only stand
    where the resource row copies them as they are; anywhere else the value
    itself must be translated, which cannot be done here."""
    row = endpoint.row
    resource = rules.resources.get(row.response) if row.response else None
    if resource is None or not isinstance(value, dict):
        raise Unsupported("the payload holds values computed at run time")
    if row.list_response:
        for key, items in value.items():
            if key != resource.config_list_key or not isinstance(items, list):
                if contains_hole_or_opaque(items):
                    raise Unsupported(f"`{key}` is computed at run time")
                continue
            for item in items:
                if not isinstance(item, dict):
                    raise Unsupported(f"an item of `{key}` is computed at run time")
                _copied_only(item, resource, rules, "")
    else:
        _copied_only(value, resource, rules, "")


def _copied_only(value: dict[str, Any], resource: ResourceRow, rules: RuleSet, prefix: str) -> None:
    for key, item in value.items():
        if not contains_hole_or_opaque(item):
            continue
        dotted = prefix + key
        fmap = resource.fields.get(dotted)
        if fmap is None:
            if isinstance(item, dict) and any(n.startswith(dotted + ".") for n in resource.fields):
                _copied_only(item, resource, rules, dotted + ".")
                continue
            raise Unsupported(f"`{dotted}` is computed at run time")
        for output in (fmap, *fmap.also):
            if output.when == "request" or output.drop:
                continue
            if output.transform != "copy" or output.parse or output.id or output.enum or output.each:
                raise Unsupported(f"`{dotted}` is computed at run time and its value must be translated")


def render_edit(ctx: FileContext, node: cst.BaseExpression, value: Any, reader: Reader, holes: Holes) -> Edit | None:
    """`value` written over `node` in the literal's style (quotes, one line or one item a line)."""
    start, end = ctx.src.span(node) or (0, 0)
    old = ctx.src.text[start:end]
    if has_comment(old):
        raise Unsupported("the payload holds comments that would be lost")
    line_start = ctx.src.text.rfind("\n", 0, start) + 1
    line = ctx.src.text[line_start:start]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    quotes = reader.quotes
    style = Style(
        quote="'" if quotes["'"] > quotes['"'] else '"',
        multiline="\n" in old,
        indent=indent,
        unit=ctx.src.module.default_indent,
        width=max([88, *(len(x) for x in (line + old).splitlines())]),
        leaves=reader.leaves,
        holes=holes,
    )
    text = render(value, style)
    newline = ctx.src.module.default_newline
    if newline != "\n":
        text = text.replace("\n", newline)
    return Edit(start, end, text) if text != old else None


def _fixtures(ctx: FileContext) -> bool:
    return any(name in ctx.index.names for name in FIXTURES)


def _answers_elsewhere(ctx: FileContext, mock: Mock) -> bool:
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


def _hide_from_bodies(ctx: FileContext, mocks: list[Mock]) -> None:
    """A double is not a call: what `m.post(url, json=...)` is given is a
    response, not a request body, so the request-body kind must not see it."""
    calls = {id(m.call) for m in mocks}
    sites = sites_of(ctx)
    sites[:] = [s for s in sites if id(s.call) not in calls]


def _withdraw_marker(ctx: FileContext, chain: Any, rule: str) -> None:
    """The paths kind's request-body marker on a URL given to a double only
    (a double sends no request), or its method marker once the double's
    method is changed."""
    span = ctx.src.span(chain.root)
    if span is None:
        return
    uses = _uses(ctx, chain.root)
    if uses and all(_is_double_use(ctx, c) for c in uses):
        ctx.markers[:] = [m for m in ctx.markers if not (m.offset == span[0] and m.rule == rule)]


def _uses(ctx: FileContext, root: cst.CSTNode) -> list[cst.Call]:
    parent = ctx.parent(root)
    call = ctx.parent(parent) if isinstance(parent, cst.Arg) else None
    return [call] if isinstance(call, cst.Call) else []


def _is_double_use(ctx: FileContext, call: cst.Call) -> bool:
    return isinstance(call.func, cst.Attribute) and _mock(ctx, call) is not None


KIND = MocksKind()
