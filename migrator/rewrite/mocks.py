"""Tests of migrated code (rewrite row `rewrite.mocks`, rules/rewrite-tests.toml).

Tests pin the Config API through HTTP test doubles (`mock_doubles` finds
them: `responses`, `requests_mock`, `respx`, `unittest.mock` patches;
`mock_transport` the handlers of `httpx.MockTransport`). The paths kind
migrates their URLs like any other; this kind, once per file after it, gives
each double of a migrated URL what the migrated code expects of it:

- the pinned response, translated to the Public one of the endpoint row
  the URL matched (`mock_payloads`, through the translate engine);
- the Public method where it differs (`responses.PUT` → `responses.PATCH`);
- the request it expects: body and query patterns (`mock_patterns`), page
  parameters in its URL (`mock_urls`);
- request bodies and URLs pinned in asserts on what it recorded
  (`mock_asserts`).

Whatever cannot be translated exactly is marked `rewrite.mocks`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.bodies_literal import rename_verb
from migrator.rewrite.bodies_sites import Site, not_requests
from migrator.rewrite.bodies_values import Unsupported
from migrator.rewrite.context import FileContext, Recorded, walk
from migrator.rewrite.edits import Edit
from migrator.rewrite.known_names import config_fields, config_list_keys, name_fields
from migrator.rewrite.mock_doubles import (
    LIBRARIES,
    PATCHED,
    Mock,
    _mock,
    answers_elsewhere,
    find_mocks,
    fixtures_used,
    listed_payloads,
    payload_of,
    response_list,
)
from migrator.rewrite.mock_patch import ASSERTS, CANNED, asserted_call, canned_responses, in_turn, receiver_path
from migrator.rewrite.mock_payloads import payload_edit, shared_payload
from migrator.rewrite.responses_imported import http_answers
from migrator.rewrite.strings import build_chain
from migrator.rewrite.table import Endpoint, Table, table_for
from migrator.ruleset.templates import template

if TYPE_CHECKING:
    from migrator.rewrite.mock_transport import Compared

ROW = "rewrite.mocks"
RESPONSES = "rewrite.responses"
BODY = "rewrite.request-body"
METHOD = "rewrite.http-method"

DEFAULT_MESSAGE = (
    "the test double pins the Config response of `{endpoint}` ({reason}): "
    "write the Public response instead (`{public}`)"
)

UNKNOWN_ENDPOINT = (
    "the test double pins a Config response for a migrated URL ({reason}): "
    "write the Public response of the call it answers by hand"
)
SEVERAL = "several Public calls match it"
NO_METHOD = SEVERAL + ": the HTTP method cannot be seen"

PATTERN_MESSAGE = (
    "the request body this double expects must be the one the migrated call to `{endpoint}` sends ({reason})"
)
QUERY_MESSAGE = (
    "the query this test pins must match what the migrated call to `{endpoint}` sends ({reason})"
)
QUERY_UNSEEN = (
    "if this test stands for the migrated call to `{endpoint}` (the HTTP method cannot be seen), the query it "
    "pins must match what that call sends ({reason})"
)

HELD_METHOD = (
    "the code under test keeps a call of this endpoint as the Config API takes it ({where}, marked): "
    "this double keeps answering `{method}`; once the call it answers sends `{public}`, answer `{public}` here too"
)

RETURNED = (
    "the test double returns what looks like a Config API response ({keys}): if it stands for a call this "
    "file migrated, write the Public response instead (`data` envelope, Public field names)"
)
UNREAD_TEST = (
    "the transport handler returns what looks like a Config API response ({keys}) for requests this rewrite "
    "cannot tell from its test: if it answers a call this file migrated, write the Public response instead "
    "(`data` envelope, Public field names), or compare `request.url` (or `request.url.path`) with the URL"
)
RETURNED_LINKED = (
    "the test double returns what looks like a Config API response ({keys}), and {why}: if it stands for a call "
    "that code makes, write the Public response instead (`data` envelope, Public field names)"
)
RETURN_CALLEES = frozenset({"patch", "object", "Mock", "MagicMock", "AsyncMock", "create_autospec"})
"""Calls whose `return_value=` a patched function or a double returns."""


def _returned_dicts(
    ctx: FileContext, node: cst.CSTNode, canned: bool = True
) -> tuple[cst.BaseExpression, list[cst.Dict]] | None:
    """(the value, the dict literals it gives back) of `x.return_value = {...}`
    (also `.json.return_value`), of `x.side_effect = [{...}, {...}]` (each
    item in turn, `in_turn`), or of `return_value=`/`side_effect=` given to
    a patch or a mock; a name bound once to a dict literal stands for it
    (`side_effect=[PAGE1, PAGE2]`). `canned`: but not of a mock whose asserts
    name the URL (`_canned` deals with it)."""
    if isinstance(node, cst.Assign):
        target = node.targets[0].target
        if not (isinstance(target, cst.Attribute) and target.attr.value in CANNED):
            return None
        dicts = _dicts(ctx, in_turn(target.attr.value, node.value))
        root = target
        while isinstance(root, cst.Attribute):
            root = root.value
        if canned and dicts and isinstance(root, cst.Name) and _asserted(ctx, root.value, ctx.index.scope_of(node)):
            return None  # the URL it was called with says which endpoint it answers (`_canned`)
        return (node.value, dicts) if dicts else None
    if isinstance(node, cst.Arg) and node.keyword is not None and node.keyword.value in CANNED:
        call = ctx.parent(node)
        if isinstance(call, cst.Call) and clients.callee_name(call) in RETURN_CALLEES:
            dicts = _dicts(ctx, in_turn(node.keyword.value, node.value))
            return (node.value, dicts) if dicts else None
    return None


def _dicts(ctx: FileContext, answers: list[cst.BaseExpression] | None) -> list[cst.Dict]:
    """The dict literals among `answers`, a name bound once to one read as it."""
    found = []
    for answer in answers or []:
        values = clients.resolve(ctx, answer) if isinstance(answer, cst.Name) else [answer]
        if len(values) == 1 and isinstance(values[0], cst.Dict):
            found.append(values[0])
    return found


def _told_before(ctx: FileContext, node: cst.CSTNode) -> bool:
    """A `rewrite.responses` marker an earlier run left above the statement:
    it told of the fake HTTP answer there (`mark_http_answers`) while the
    client's responses were migrated; once they are, no other is added."""
    return any(rule == RESPONSES for rule, _ in ctx.earlier_markers(node))


def _cans(ctx: FileContext) -> bool:
    return any(attribute in ctx.src.text for attribute in CANNED)


def _taken(ctx: FileContext, node: cst.CSTNode) -> bool:
    """Edits taken inside `node` (a payload translated with its double)."""
    span = ctx.src.span(node)
    return span is not None and ctx.edits.overlaps(Edit(span[0], span[1], ""))


def _asserted(ctx: FileContext, name: str, scope: cst.CSTNode) -> bool:
    """`name.assert_called_once_with(url, ...)` (or another assert naming a
    URL, `ASSERTS`) in `scope`, on a mock `_canned` reads as a patched HTTP
    function (`asserted_call`): of another mock, the canned value is marked."""
    for use in ctx.index.names.get(name, []):
        parent = ctx.parent(use)
        if isinstance(parent, cst.Attribute) and parent.value is use and parent.attr.value in ASSERTS \
                and ctx.index.scope_of(use) is scope:
            call = ctx.parent(parent)
            if isinstance(call, cst.Call) and asserted_call(ctx, call) is not None:
                return True
    return False


def _public_envelope(ctx: FileContext, payload: cst.BaseExpression) -> bool:
    """A dict literal with a top-level key of a Public response (`data`, `errors`)."""
    keys = {ctx.rules.envelope.data_key, ctx.rules.error.public_key}
    return isinstance(payload, cst.Dict) and any(
        isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) and e.key.evaluated_value in keys
        for e in payload.elements
    )


def _config_keys(ctx: FileContext, node: cst.CSTNode) -> set[str]:
    """The Config keys written in a dict literal, nested ones included, as the
    markers show them: the snake_case fields and list keys of the table; with
    none, a key the table parses as a resource name holding one (`"name":
    "workspaces/acme/sources/web"`, shown so: `name` is a Public key too)."""
    keys = {*config_fields(ctx.rules), *config_list_keys(ctx.rules)}
    named = name_fields(ctx.rules)
    found: set[str] = set()
    names: set[str] = set()
    for current, _ in walk(node):
        if isinstance(current, cst.DictElement) and isinstance(current.key, cst.SimpleString):
            key = str(current.key.evaluated_value)
            if key in keys:
                found.add(f"`{key}`")
            elif _holds_name(current.value, named.get(key, ())):
                names.add(f"`{key}` holding a Config resource name")
    return found or names


def _holds_name(value: cst.BaseExpression, patterns: Iterable[str]) -> bool:
    """A string literal that is a Config resource name of one of `patterns`."""
    text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
    return isinstance(text, str) and "/" in text and any(template(p).match(text) is not None for p in patterns)


PATTERN_URL = (
    "the test double matches Config API URLs with a pattern (`{pattern}`), which the migrated calls no longer "
    "match: write the pattern (and its response) for the Public calls by hand"
)


def config_pattern(ctx: FileContext, url: cst.BaseExpression) -> str | None:
    """The text of `re.compile(...)` (or a name bound once to it) when it
    matches the Config host, dots escaped or not; None otherwise."""
    values = clients.resolve(ctx, url) if isinstance(url, cst.Name) else [url]
    if len(values) != 1 or not isinstance(call := values[0], cst.Call) or not call.args:
        return None
    if clients.qualified_name(ctx, call.func) != "re.compile":
        return None
    first = call.args[0].value
    texts = [
        node.evaluated_value if isinstance(node, cst.SimpleString) else node.value
        for node, _ in walk(first) if isinstance(node, (cst.SimpleString, cst.FormattedStringText))
    ]
    text = "".join(t for t in texts if isinstance(t, str))
    plain = text.replace("\\.", ".").replace("\\/", "/")
    if not any(host in plain for host in ctx.rules.config_hosts):
        return None
    return ctx.src.code(first)


# -- the endpoint a double answers for ----------------------------------------------


def migrated_endpoint(
    ctx: FileContext, url: cst.BaseExpression, method: str | None, table: Table
) -> tuple[Endpoint, dict[str, str], Any] | str | None:
    """The endpoint row a migrated mock URL matched (with its Config
    parameters and the chain), a reason when it cannot be told, or None when
    the paths kind did not migrate it. Without a method, the path must match
    one row only."""
    found = _matches(ctx, url, method, table)
    if found is None:
        return None
    matches, chain = found
    if len({e.row.id for e, _ in matches}) != 1:
        if matches:
            return NO_METHOD if method is None else SEVERAL
        return f"no {method or ''} call of the table matches it".replace("  ", " ")
    endpoint, params = matches[0]
    return endpoint, params, chain


def unseen_method_lists(ctx: FileContext, url: cst.BaseExpression, table: Table) -> list[Endpoint]:
    """The paginated `GET` rows among those a migrated URL compared without
    the method matches (`NO_METHOD`): the migrated call of such a row sends
    a page size, which the URL must carry if the test answers that call."""
    found = _matches(ctx, url, None, table)
    rows = {e.row.id: e for e, _ in (found[0] if found is not None else []) if e.lists}
    return list(rows.values())


def _matches(
    ctx: FileContext, url: cst.BaseExpression, method: str | None, table: Table
) -> tuple[list[tuple[Endpoint, dict[str, str]]], Any] | None:
    """The (endpoint row, Config parameters) a migrated mock URL matches for
    `method` (any, when None), and its chain; None when the paths kind did
    not migrate it."""
    from migrator.rewrite.path_reading import read

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
    rows = {
        c.rule
        for c in ctx.changes
        if c.start == chain.outer[0] and c.end == chain.outer[1] and c.rule.startswith("endpoint.")
    }
    if not rows:
        row = _same_paths(ctx).get(id(chain.root))
        if row is None:
            return None
        rows = {row}
    reading = read(chain, table)
    matches = [
        (e, p)
        for e, p in (table.match(reading.path) if reading is not None else [])
        if method in (None, e.method) and e.row.public
    ]
    if not matches and method is not None:
        # a path joined to a base holding part of it (`SOURCE_URL + "/web"`):
        # the rows the paths kind migrated it under, without the Config values
        matches = [(e, {}) for e in table.endpoints if e.row.id in rows and method in (None, e.method) and e.row.public]
    return matches, chain


def _same_paths(ctx: FileContext) -> dict[int, str]:
    """URLs that needed no edit, on a migrated base (`API + "/catalog/sources"`),
    by id of their root → endpoint row: the same URLs the responses kind
    follows (`responses.unchanged_urls`)."""
    key = __name__ + ".same"
    if key not in ctx.state:
        from migrator.rewrite.responses import unchanged_urls

        found: dict[int, str] = {}
        unchanged_urls(ctx, found)
        ctx.state[key] = found
    return ctx.state[key]  # type: ignore[return-value]


# -- the kind ----------------------------------------------------------------------------


class MocksKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Any) -> bool:
        return False

    def finish(self, ctx: FileContext) -> None:
        if ctx.moved_patches:
            from migrator.rewrite.mock_moved import mark_moved_patches

            mark_moved_patches(ctx, ctx.moved_patches)
        if not ctx.changes:
            if "httpx" in ctx.src.text and "# migrator[" in ctx.src.text:
                from migrator.rewrite.mock_handler_reads import page_reads_again

                _no_method_again(ctx)
                page_reads_again(ctx)
            if ctx.linked is not None and _cans(ctx):
                # no double of its own to migrate, but the code it tests is migrated elsewhere
                self._returned_payloads(ctx, RETURNED_LINKED.replace("{why}", ctx.linked.replace("{", "{{")
                                                                     .replace("}", "}}")), canned=False)
            return
        self._doubles(ctx)
        if _cans(ctx):
            self._returned_payloads(ctx)

    def _doubles(self, ctx: FileContext) -> None:
        table = table_for(ctx.rules)
        if "httpx" in ctx.src.text:  # handlers: `mock_transport`
            self._transports(ctx, table)
        if (
            not any(m in LIBRARIES for m in ctx.index.modules.values())
            and not fixtures_used(ctx)
            and "assert_" not in ctx.src.text
        ):
            return
        mocks = find_mocks(ctx)
        if not mocks:
            return
        not_requests(ctx, {id(m.call) for m in mocks})
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
                pattern = config_pattern(ctx, mock.url)
                if pattern is not None and not ctx.suppressed(mock.call, ROW):
                    ctx.mark(ROW, mock.call, PATTERN_URL.format(pattern=pattern))
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
                if endpoint.row.id in ctx.held_requests:
                    self._held_method(ctx, mock, endpoint, chain)
                else:
                    self._method(ctx, mock, endpoint, chain, table)
        self._canned(ctx, [m for m in mocks if m.library == PATCHED], endpoints, table)
        from migrator.rewrite.mock_asserts import migrate_asserts

        migrate_asserts(ctx, mocks, endpoints)

    def _canned(self, ctx: FileContext, asserts: list[Mock], endpoints: dict[int, Any], table: Table) -> None:
        """`get.return_value.json.return_value = {...}`: the Config response of
        the one endpoint the test asserts the patched function was called for."""
        groups: dict[tuple[str, tuple[str, ...], int], list[Mock]] = {}
        for mock in asserts:
            receiver = receiver_path(mock.call.func.value)  # type: ignore[attr-defined]
            if receiver is None:
                continue
            scope = ctx.index.scope_of(mock.call)
            groups.setdefault((*receiver, id(scope)), []).append(mock)
        for (name, attributes, _), group in groups.items():
            found = [endpoints[id(m.call)] for m in group]
            migrated = [f for f in found if isinstance(f, tuple)]
            if not migrated:
                continue
            scope = ctx.index.scope_of(group[0].call)
            rows = {f[0].row.id for f in migrated}
            for value, answers in canned_responses(ctx, name, scope, attributes):
                holder = Mock(group[0].call, group[0].method, group[0].url, None)
                if len(rows) != 1 or len(migrated) != len(found):
                    self._mark_at(ctx, value, migrated[0][0], "the mock answers calls to several endpoints", table)
                    continue
                try:  # each answer of a `side_effect` sequence, all or none
                    edits = [payload_edit(ctx, a, migrated[0][0], holder.call) for a in answers]
                except Unsupported as exc:
                    self._mark_at(ctx, value, migrated[0][0], str(exc), table)
                    continue
                if not record(ctx, [e for e in edits if e is not None]):
                    self._mark_at(ctx, value, migrated[0][0], "another rewrite changes the same code", table)

    def _returned_payloads(self, ctx: FileContext, message: str = RETURNED, canned: bool = True) -> None:
        """`mock.patch.object(Client, "_get", return_value={"sources": [...]})`,
        `get.return_value.json.return_value = {...}` (or `.side_effect =
        [page1, page2]`) with no assert naming its URL: a dict a double
        returns that holds Config keys is what a migrated call answered
        before. Marked (once the others have had their say): the code that
        reads it now expects the Public shape. `message` has a `{keys}`
        field; `canned`: see `_returned_dicts`."""
        for node in list(ctx.index.parents):
            returned = _returned_dicts(ctx, node, canned)
            if returned is None:
                continue
            value, dicts = returned
            if not canned and (ctx.returns or _told_before(ctx, node)):
                # the responses kind knows the code under test reads these (`mark_http_answers`)
                told = {id(a) for a in http_answers(node)}
                dicts = [d for d in dicts if id(d) not in told]
            if ctx.suppressed(value, ROW):
                continue
            found = sorted({k for d in dicts if not _public_envelope(ctx, d) and not _taken(ctx, d)
                            for k in _config_keys(ctx, d)})
            span = ctx.src.span(value)
            if span is None or _taken(ctx, value):
                continue  # translated (or marked) with the double it belongs to
            if found and not any(m.rule == ROW and m.offset == span[0] for m in ctx.markers):
                text = message.format(keys=", ".join(found))
                if message is not RETURNED:
                    ctx.hedged.add(text)  # says what it may be: a run before's marker stays
                ctx.mark(ROW, value, text)

    def _mark_at(self, ctx: FileContext, node: cst.CSTNode, endpoint: Endpoint, reason: str, table: Table) -> None:
        if not ctx.suppressed(node, ROW):
            ctx.mark(ROW, node, table.message(
                ROW, DEFAULT_MESSAGE, endpoint=endpoint.row.config, reason=reason, public=endpoint.row.public or ""
            ))

    def _transports(self, ctx: FileContext, table: Table) -> None:
        from migrator.rewrite.mock_transport import handler_answers, handler_responses

        read: set[int] = set()
        """The answers under a test this rewrite reads (whatever API they answer)."""
        queried: set[int] = set()
        """The URLs compared without the method whose query was checked (once per `if`)."""
        for answer, compared in handler_answers(ctx):
            read.add(id(answer))
            found = migrated_endpoint(ctx, compared.url, compared.method, table)
            if found is None:
                continue
            mock = Mock(answer, compared.method or "", compared.url, answer)
            if isinstance(found, str):
                if found == NO_METHOD and id(compared.url) not in queried:
                    queried.add(id(compared.url))
                    self._unseen_query(ctx, compared, table)
                self._mark(ctx, mock, None, found, table)
                continue
            endpoint = found[0]
            if endpoint.public_method and endpoint.public_method != endpoint.method:
                reason = f"the Public API uses {endpoint.public_method}: compare the request's method with it"
                self._mark(ctx, mock, endpoint, reason, table)
                continue
            self._payload(ctx, mock, endpoint, table)
            self._query(ctx, mock, endpoint, table, whole=compared.query, at=compared.url)
        self._unread_answers(ctx, [a for a in handler_responses(ctx) if id(a) not in read])
        from migrator.rewrite.mock_handler_reads import page_reads

        page_reads(ctx, table)

    def _unseen_query(self, ctx: FileContext, compared: Compared, table: Table) -> None:
        """A handler's URL compared whole without the method, which a
        paginated `GET` shares with other calls: the query it pins follows
        the page parameters that call sends (a `page_size` only a list call
        sends is renamed), or is marked, saying which call it is about."""
        from migrator.rewrite.mock_urls import page_query

        lists = unseen_method_lists(ctx, compared.url, table)
        for endpoint in lists:
            edits, reason = page_query(ctx, compared.url, endpoint, compared.query)
            if reason is None and edits and len(lists) > 1:
                reason = "several list calls share this path: which one it answers cannot be told"
            elif reason is None and edits and not record(ctx, edits):
                reason = "another rewrite changes the same code"
            if reason is not None and not ctx.suppressed(compared.url, ROW):
                ctx.mark(ROW, compared.url, QUERY_UNSEEN.format(endpoint=endpoint.row.public, reason=reason))

    def _unread_answers(self, ctx: FileContext, answers: list[cst.Call]) -> None:
        """Responses a handler returns under a test this rewrite does not
        read (`str(request.url).startswith(URL)`, none at all): which call
        they answer cannot be told, so a Config payload is marked."""
        for answer in answers:
            payload = payload_of(ctx, answer)
            if payload is None or _public_envelope(ctx, payload) or ctx.suppressed(answer, ROW):
                continue
            found = sorted(_config_keys(ctx, payload))
            if found:
                ctx.mark(ROW, answer, UNREAD_TEST.format(keys=", ".join(found)))

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
            if mock.call is not None and answers_elsewhere(ctx, mock):
                self._mark(ctx, mock, endpoint, "the response it returns is set elsewhere", table)
            return
        if ctx.suppressed(mock.call, ROW):
            return
        listed = response_list(mock)
        if listed is not None:
            self._listed(ctx, mock, listed, endpoint, table)
            return
        payload = payload_of(ctx, mock.answer)
        if payload is None:
            return  # no pinned payload (a status only, or other text)
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
        if edit is not None and not record(ctx, [edit]):
            self._mark(ctx, mock, endpoint, "another rewrite changes the same code", table)

    def _listed(
        self, ctx: FileContext, mock: Mock, listed: cst.BaseExpression, endpoint: Endpoint, table: Table
    ) -> None:
        """The responses a requests-mock double returns in turn: each payload
        translated, all or none."""
        payloads = listed_payloads(ctx, listed)
        if isinstance(payloads, str):
            self._mark(ctx, mock, endpoint, payloads, table)
            return
        edits = []
        try:
            for payload in payloads:
                edit = payload_edit(ctx, payload, endpoint, mock.call)
                if edit is not None:
                    edits.append(edit)
        except Unsupported as exc:
            self._mark(ctx, mock, endpoint, str(exc), table)
            return
        if not record(ctx, edits):
            self._mark(ctx, mock, endpoint, "another rewrite changes the same code", table)

    def _query(
        self, ctx: FileContext, mock: Mock, endpoint: Endpoint, table: Table, whole: bool, at: cst.CSTNode | None = None
    ) -> None:
        """`at`: where to mark (a transport handler's URL test; the double's call by default)."""
        from migrator.rewrite.mock_urls import page_query

        edits, reason = page_query(ctx, mock.url, endpoint, whole)
        record_query(ctx, at if at is not None else mock.call, endpoint, edits, reason)

    def _patterns(self, ctx: FileContext, mock: Mock, found: tuple[Endpoint, dict[str, str], Any]) -> None:
        """The request body and query the double expects (`json_params_matcher`, respx `json=`)."""
        from migrator.rewrite.mock_asserts import translate_body
        from migrator.rewrite.mock_patterns import patterns, query_pattern

        endpoint, params, _ = found
        bodies, queries = patterns(ctx, mock)
        if ctx.suppressed(mock.call, ROW):
            return
        held = ctx.held_requests.get(endpoint.row.id)
        if bodies and held is not None:
            from migrator.rewrite.mock_asserts import held_body

            ctx.mark(ROW, mock.call, held_body(ctx, endpoint, params, bodies[0], mock.call, "double expects"))
            bodies = []
        for node in bodies:
            try:
                if not isinstance(node, cst.Dict):
                    raise Unsupported("the body pattern is not a literal")
                translate_body(ctx, node, endpoint, params, mock.call)
            except Unsupported as exc:
                ctx.mark(ROW, mock.call, PATTERN_MESSAGE.format(endpoint=endpoint.row.public, reason=str(exc)))
        if mock.library == PATCHED and not queries and endpoint.lists:
            ctx.mark(ROW, mock.call, QUERY_MESSAGE.format(endpoint=endpoint.row.public, reason=_no_query(ctx, mock, endpoint)))
        for node in queries:
            record_query(ctx, mock.call, endpoint, *query_pattern(ctx, node, endpoint))

    def _method(self, ctx: FileContext, mock: Mock, endpoint: Endpoint, chain: Any, table: Table) -> None:
        """The double answers the Public method (`responses.PUT` → `responses.PATCH`)."""
        method = endpoint.public_method or endpoint.method
        if ctx.suppressed(mock.call, METHOD) or mock.verb is None:
            return  # the paths kind's marker stays
        try:
            edit = rename_verb(ctx, Site(mock.call, mock.method, mock.url, None, verb=mock.verb), method)
        except Unsupported:
            return
        if record(ctx, [edit]):
            _withdraw_marker(ctx, chain, METHOD)

    def _held_method(self, ctx: FileContext, mock: Mock, endpoint: Endpoint, chain: Any) -> None:
        """The code under test keeps sending the Config method (its call is
        marked): the double keeps answering it, marked in place of the paths
        kind's method marker (a double sends no request)."""
        _withdraw_marker(ctx, chain, METHOD)
        if not ctx.suppressed(mock.call, ROW):
            ctx.mark(ROW, mock.call, HELD_METHOD.format(
                where=ctx.held_requests[endpoint.row.id], method=endpoint.method, public=endpoint.public_method))

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


def _no_query(ctx: FileContext, mock: Mock, endpoint: Endpoint) -> str:
    """Why an assert of a patched function naming a paginated call without
    `params=` is marked: the query the migrated call sends (the page size,
    and the endpoint row's fixed query), and an argument after the URL given
    by position, which may be the query, not read."""
    from migrator.rewrite.mock_patterns import fixed_query

    fixed = fixed_query(endpoint)
    sent = f"`{ctx.rules.pagination.count_param}`" + (f" and `{urlencode(fixed)}`" if fixed else "")
    positional = [a for a in mock.call.args if a.keyword is None and not a.star]
    if positional and positional[-1].value is not mock.url:
        return f"the migrated call sends `params` with {sent}; an argument after the URL is given by position: check it"
    return f"the migrated call sends `params` with {sent}: add {'them' if fixed else 'it'} to the call this test expects"


def _no_method_again(ctx: FileContext) -> None:
    """A later run, the handler's URL on the Public API already: its answer
    that an earlier run marked for not showing the method (`NO_METHOD`) is
    marked again while it still pins a Config payload and its test still
    compares the URL alone (the marker is still there, and still applies)."""
    from migrator.rewrite.mock_transport import handler_answers

    message = UNKNOWN_ENDPOINT.format(reason=NO_METHOD)
    queried: set[int] = set()
    for answer, compared in handler_answers(ctx):
        if id(compared.url) not in queried:
            queried.add(id(compared.url))
            _unseen_query_again(ctx, compared)
        payload = payload_of(ctx, answer)
        if compared.method is not None or payload is None or _public_envelope(ctx, payload):
            continue
        if not _config_keys(ctx, payload) or not _public_url(ctx, compared.url):
            continue
        if (ROW, message) in ctx.earlier_markers(answer) and not ctx.suppressed(answer, ROW):
            ctx.mark(ROW, answer, message)


def _unseen_query_again(ctx: FileContext, compared: Compared) -> None:
    """A later run: the query marker an earlier run left above the handler's
    `if` (`QUERY_UNSEEN`) is marked again, in its own words, while the URL,
    Public already, is still compared whole without the method and carries
    no Public page size."""
    if compared.method is not None or not compared.query or not _public_url(ctx, compared.url):
        return
    if ctx.suppressed(compared.url, ROW) or ctx.rules.pagination.count_param in _query_keys(ctx, compared.url):
        return
    lead = QUERY_UNSEEN.split("{", 1)[0]
    for rule, message in ctx.earlier_markers(compared.url):
        if rule == ROW and message.startswith(lead):
            ctx.mark(ROW, compared.url, message)
            return


def _query_keys(ctx: FileContext, url: cst.BaseExpression) -> list[str]:
    """The query keys of a URL literal (or a name bound once to one)."""
    values = clients.resolve(ctx, url) if isinstance(url, cst.Name) else [url]
    text = values[0].evaluated_value if len(values) == 1 and isinstance(values[0], cst.SimpleString) else ""
    query = text.partition("?")[2] if isinstance(text, str) else ""
    return [k for k, _ in parse_qsl(query, keep_blank_values=True)]


def _public_url(ctx: FileContext, url: cst.BaseExpression) -> bool:
    """A URL literal (or a name bound once to one) on a Public host, whose
    path is a Public path of the table."""
    values = clients.resolve(ctx, url) if isinstance(url, cst.Name) else [url]
    text = values[0].evaluated_value if len(values) == 1 and isinstance(values[0], cst.SimpleString) else None
    if not isinstance(text, str):
        return False
    table = table_for(ctx.rules)
    hosts = [h for h in table.public_hosts() if text.startswith(h + "/")]
    return bool(hosts) and table.is_public(text[len(hosts[0]) + 1 :].split("?", 1)[0])


def record(ctx: FileContext, edits: list[Edit], rule: str = ROW) -> bool:
    """Take the edits (all or none) unless they collide with edits taken;
    their changes are reported under `rule`."""
    if any(ctx.edits.overlaps(edit) for edit in edits):
        return False
    for edit in edits:
        ctx.edits.append(edit)
        ctx.changes.append(Recorded(rule, edit.start, edit.end, ctx.src.text[edit.start : edit.end], edit.text))
    return True


def record_query(ctx: FileContext, site: cst.CSTNode, endpoint: Endpoint, edits: list[Edit], reason: str | None) -> None:
    """Take the edits that make a query a test pins follow the Public page
    parameters, or mark `site` with why it cannot (`reason`, or a collision
    with edits taken), unless the marker is ignored there."""
    if reason is None and not record(ctx, edits):
        reason = "another rewrite changes the same code"
    if reason is not None and not ctx.suppressed(site, ROW):
        ctx.mark(ROW, site, QUERY_MESSAGE.format(endpoint=endpoint.row.public, reason=reason))


def _withdraw_marker(ctx: FileContext, chain: Any, rule: str) -> None:
    """The paths kind's request-body marker on a URL given to a double only
    (a double sends no request), or its method marker once the double's
    method is changed."""
    span = ctx.src.span(chain.root)
    if span is None:
        return
    # a method marker goes once one double's method is changed: only its own URL
    uses = _uses(ctx, chain.root, through_name=rule == BODY)
    if uses and all(_is_double_use(ctx, c) for c in uses):
        ctx.markers[:] = [m for m in ctx.markers if not (m.offset == span[0] and m.rule == rule)]


def _uses(ctx: FileContext, root: cst.CSTNode, through_name: bool = False) -> list[cst.Call]:
    """The calls `root` is given to: as an argument itself, or (`through_name`)
    through the one name it is bound to (`URL = "..."`), when every other
    mention of that name in the file is an argument (an empty list: some use is not)."""
    parent = ctx.parent(root)
    if through_name and isinstance(parent, (cst.Assign, cst.AnnAssign)):
        return _uses_of_name(ctx, root, parent)
    call = ctx.parent(parent) if isinstance(parent, cst.Arg) else None
    return [call] if isinstance(call, cst.Call) else []


def _uses_of_name(ctx: FileContext, value: cst.CSTNode, statement: cst.Assign | cst.AnnAssign) -> list[cst.Call]:
    targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
    if len(targets) != 1 or not isinstance(targets[0], cst.Name):
        return []
    name = targets[0]
    calls: list[cst.Call] = []
    for mention in ctx.index.names.get(name.value, []):
        if mention is name:
            continue
        parent = ctx.parent(mention)
        if isinstance(parent, cst.Attribute) and parent.attr is mention:
            continue  # `responses.URL`: another name
        whole = _prefixed(ctx, mention)
        parent = ctx.parent(whole)
        call = ctx.parent(parent) if isinstance(parent, cst.Arg) and parent.value is whole else None
        if not isinstance(call, cst.Call):
            return []  # bound again, or used otherwise
        calls.append(call)
    return calls


def _prefixed(ctx: FileContext, mention: cst.Name) -> cst.BaseExpression:
    """The URL `mention` begins (`URL + "/web/destinations"`, `f"{URL}/web"`):
    the argument a double is given holds it as a prefix; `mention` itself otherwise."""
    node: cst.BaseExpression = mention
    parent = ctx.parent(node)
    if isinstance(parent, cst.FormattedStringExpression) and parent.expression is node:
        string = ctx.parent(parent)
        if isinstance(string, cst.FormattedString) and string.parts and string.parts[0] is parent:
            return string
        return mention
    while isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add) and parent.left is node:
        node, parent = parent, ctx.parent(parent)
    return node


def _is_double_use(ctx: FileContext, call: cst.Call) -> bool:
    return isinstance(call.func, cst.Attribute) and _mock(ctx, call) is not None


KIND = MocksKind()
