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
from migrator.rewrite.constants import _binds, _bound_once, constant_text
from migrator.rewrite.context import FileContext, Recorded
from migrator.rewrite.table import Endpoint, table_for
from migrator.ruleset import EndpointMatch
from migrator.translate.context import TranslateError
from migrator.translate.request import translate_request

if TYPE_CHECKING:
    from migrator.rewrite.mock_doubles import Mock

HISTORY = ("calls", "last_request", "request_history")
"""Attributes through which the libraries give the requests they recorded."""
STAYS = (
    "the doubles of this test stay on the Config API, but the URL it expects was migrated: "
    "migrate them together by hand"
)
BAD_REPORTS = ("unknown", "unresolved", "ambiguous", "note", "conflict")
DEFAULT_MESSAGE = (
    "this assert pins the Config request body of a call the code under test makes ({reason}): "
    "compare with the Public request body instead"
)


def migrate_asserts(ctx: FileContext, mocks: list[Mock], found: dict[int, Any]) -> None:
    """`found`: what `mocks.migrated_endpoint` said of each double (by id of its call)."""
    from migrator.rewrite.mocks import ROW

    endpoints: dict[int, tuple[Endpoint, dict[str, str]] | None] = {
        key: (value[0], value[1]) if isinstance(value, tuple) else None for key, value in found.items()
    }
    for node in list(ctx.index.parents):
        if type(node) is not cst.Comparison or len(node.comparisons) != 1:
            continue
        target = node.comparisons[0]
        if not isinstance(target.operator, cst.Equal):
            continue
        for recorded, literal in ((node.left, target.comparator), (target.comparator, node.left)):
            if _recorded_url(ctx, node, recorded, literal, mocks, endpoints):
                break
            base = _recorded_base(recorded)
            if base is None:
                continue
            owners = _owners(ctx, base, node, mocks)
            if owners is None:
                continue
            if not any(endpoints.values()) or ctx.suppressed(node, ROW):
                break  # no double of the file was migrated: the tests stay on the Config API
            migrated = [endpoints[id(m.call)] for m in owners if endpoints.get(id(m.call)) is not None]
            if owners and not migrated:
                break  # the doubles of this test stay on the Config API: so does the assert
            chosen = {e.row.id: (e, p) for e, p in migrated if e.needs_body}  # type: ignore[misc]
            if len(chosen) != 1:
                reason = (
                    "the request may have gone to several endpoints"
                    if chosen
                    else "no double of this test shows which endpoint it was sent to"
                )
                ctx.mark(ROW, node, DEFAULT_MESSAGE.format(reason=reason))
                break
            endpoint, params = next(iter(chosen.values()))  # type: ignore[misc]
            expected = _expected_literal(ctx, literal)
            try:
                if expected is None:
                    raise Unsupported("the expected body is not a dict literal (or a name bound once to one, used only here)")
                translate_body(ctx, expected, endpoint, params, node)
            except Unsupported as exc:
                ctx.mark(ROW, node, DEFAULT_MESSAGE.format(reason=str(exc)))
            break


def _expected_literal(ctx: FileContext, node: cst.BaseExpression) -> cst.Dict | None:
    """The dict literal an assert expects: written there, or bound once to a
    name whose only use is this assert (`expected = {...}`)."""
    if isinstance(node, cst.Dict):
        return node
    if not isinstance(node, cst.Name):
        return None
    value = _bound_once(ctx, node, node)
    uses = [n for n in ctx.index.names.get(node.value, []) if not _binds(ctx, n)]
    return value if isinstance(value, cst.Dict) and uses == [node] else None


def _recorded_url(
    ctx: FileContext,
    node: cst.Comparison,
    recorded: cst.BaseExpression,
    literal: cst.BaseExpression,
    mocks: list[Mock],
    endpoints: dict[int, tuple[Endpoint, dict[str, str]] | None],
) -> bool:
    """`responses.calls[0].request.url == URL`: the URL a paginated call sends
    carries the Public page size (see `mock_urls`). True when it was one."""
    from migrator.rewrite.mock_urls import page_query
    from migrator.rewrite.mocks import QUERY_MESSAGE, ROW, migrated_endpoint, record

    if not (isinstance(recorded, cst.Attribute) and recorded.attr.value == "url"):
        return False
    base = _history_base(recorded.value)
    if base is None or not isinstance(literal, (cst.SimpleString, cst.Name, cst.Attribute)):
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
    edits, reason = page_query(ctx, literal, endpoint, whole=True)
    if reason is None and not record(ctx, edits):
        reason = "another rewrite changes the same code"
    if reason is not None:
        ctx.mark(ROW, node, QUERY_MESSAGE.format(endpoint=endpoint.row.public, reason=reason))
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


def _recorded_base(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The object whose recorded request body `node` reads: `json.loads(X.…)`
    or `X.….json()` with `calls`, `last_request` or `request_history` on the way."""
    inner: cst.BaseExpression
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "json" and not node.args:
        inner = node.func.value
    elif (
        isinstance(node, cst.Call)
        and len(node.args) == 1
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "loads"
        and isinstance(node.func.value, cst.Name)
        and node.func.value.value == "json"
    ):
        inner = node.args[0].value
    else:
        return None
    return _history_base(inner)


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
    if library is None:
        return None
    scope = ctx.index.scope_of(site)
    return [m for m in mocks if ctx.index.scope_of(m.call) is scope and library_of(ctx, m.call.func.value) == library]  # type: ignore[attr-defined]


def translate_body(ctx: FileContext, literal: cst.Dict, endpoint: Endpoint, params: dict[str, str], site: cst.CSTNode) -> None:
    from migrator.rewrite.mock_payloads import render_edit
    from migrator.rewrite.mocks import ROW
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
    bad = [r for r in bctx.reports if r.kind in BAD_REPORTS]
    if bad:
        where = f"`{bad[0].path}`: " if bad[0].path not in ("", "url") else ""
        raise Unsupported(where + bad[0].message)
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
    edit = render_edit(ctx, literal, result["body"], reader, holes)
    if edit is None:
        return
    if ctx.edits.overlaps(edit):
        raise Unsupported("another rewrite changes the same code")
    ctx.edits.append(edit)
    ctx.changes.append(Recorded(ROW, edit.start, edit.end, ctx.src.text[edit.start : edit.end], edit.text))
