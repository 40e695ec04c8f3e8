"""404 handling a generated lookup puts out of reach (part of `rewrite.slug-ids`).

A slug held in a variable becomes `segment_ids.source_id(slug)` in the
path. For a slug the id map does not hold (an object deleted, or never
there), the lookup raises `LookupError` before any request is sent, where
the Config call answered 404. Code that handles that answer, such as

    r = requests.get(f"{API}/sources/{segment_ids.source_id(slug)}")
    if r.status_code == 404:
        return "gone"

never reaches it for such a slug: the call is marked (quoting the Config
call it was, `GET /v1beta/workspaces/{workspace}/sources/{source}`, which
the audit matches to the finding a baseline recorded of it), unless a `try` around
it catches `LookupError` already, or every value the slug can hold is in
the id map (a loop over literals, checked by `slugs`). What counts as handling a 404, on the
call's response (the call itself, awaited or not, or a name bound to it once in its
scope; the path written into the call or into a name it is given, `.format` included):

- a test of its status that names 404 or that a 404 and a 200 take apart
  (`r.status_code == 404`, `in (404, 410)`, `>= 400`, `!= 200`: `status_tests`);
- a test of success (`r.ok`, httpx's `r.is_success`, `r.is_error`);
- the call, or `r.raise_for_status()`, inside a `try` that catches an HTTP
  error (`except requests.HTTPError`, `httpx.HTTPStatusError`, urllib's
  `HTTPError`; for `raise_for_status()` also `RequestException`, `OSError`);
- one of these in a function of the module the response is handed to
  (`_check(r)`, `self._check(r)`), named with it (`... in `_check``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from migrator.markers import quoted
from migrator.rewrite.context import FileContext
from migrator.rewrite.path_messages import SLUG_DEFAULTS, SLUGS, slug_message
from migrator.rewrite.slugs import KNOWN
from migrator.rewrite.status_tests import helper_parameter, status_test
from migrator.rewrite.strings import outer_span
from migrator.rewrite.table import Table, table_for
from migrator.ruleset.models import EndpointRow

STATUS_ATTRIBUTES = frozenset({"status_code", "status", "code"})
"""A response's status (requests and httpx, urllib)."""
SUCCESS_ATTRIBUTES = frozenset({"ok", "is_success", "is_error", "is_client_error"})
"""Tests of a response's success that a 404 fails."""
HTTP_ERRORS = frozenset({"HTTPError", "HTTPStatusError"})
"""Exceptions raised for an error status (requests, httpx, urllib)."""
RAISED = HTTP_ERRORS | {"RequestException", "OSError", "IOError", "EnvironmentError"}
"""What catches `raise_for_status()`'s error (requests' are `IOError`s too)."""
MAX_HELPERS = 3
"""Helpers followed from one call (`_check(r)` handing `r` on to `_raise(r)`)."""
CATCHES_LOOKUP = frozenset({"LookupError", "Exception", "BaseException"})


def may_mark_again(data: bytes, lookup_module: str) -> bool:
    """Cheap byte search: may `data`, with no Config API text left, hold a
    call an earlier run marked here, its lookup in the code already?"""
    return f"migrator[{SLUGS}]".encode() in data and f"{lookup_module}.".encode() in data


def mark(ctx: FileContext) -> None:
    """Mark each call whose path got a lookup and whose 404 is handled; and,
    again, each such call an earlier run marked, its lookup in the code already.
    The marker quotes the Config call the path was (`GET /v1beta/…`): the
    audit matches it to the finding a baseline recorded of that call."""
    if not ctx.lookup_module:
        return
    looked_up = _looked_up(ctx)
    earlier = _in_code(ctx) if may_mark_again(ctx.src.data, ctx.lookup_module) else []
    if not looked_up and not earlier:
        return
    table = table_for(ctx.rules)
    calls = [node for node in ctx.index.parents if isinstance(node, cst.Call)]
    done: set[int] = set()
    for offset, lookup, endpoint, again in looked_up + earlier:
        for call in _calls_given(ctx, calls, offset):
            if id(call) in done or _catches(ctx, call, CATCHES_LOOKUP):
                continue
            check = _handled(ctx, call)
            if check is None:
                continue
            if again:  # kept as that run wrote it: not a reading of the statement anew, which would replace the rest
                message = _said_before(ctx, table, call, lookup, check)
                if message is None or ctx.suppressed(call, SLUGS):
                    continue  # not marked by an earlier run, or not as it reads now
                ctx.hedged.add(message)
            else:
                message = _message(ctx, table, lookup, check, endpoint)
            done.add(id(call))
            ctx.mark(SLUGS, call, message)


def _message(ctx: FileContext, table: Table, lookup: str, check: str, endpoint: str | None) -> str:
    """The marker's text, quoting the Config call the path was when this run
    recorded the change of its endpoint row there (a marker an older version
    wrote quotes none)."""
    if endpoint is None:
        return slug_message(ctx, table, "unreached-unquoted", lookup=lookup, check=check)
    return slug_message(ctx, table, "unreached", lookup=lookup, check=check, endpoint=endpoint)


def _said_before(ctx: FileContext, table: Table, call: cst.Call, lookup: str, check: str) -> str | None:
    """The marker an earlier run left above `call` saying what this one would
    (of the Config call it quotes, no longer in the code): its text; or None."""
    configs = {row.config for row in ctx.rules.endpoints}
    for rule, text in ctx.earlier_markers(call):
        for endpoint in [*(q for q in quoted(text) if q in configs), None] if rule == SLUGS else ():
            which, fields = ("unreached", {"endpoint": endpoint}) if endpoint else ("unreached-unquoted", {})
            if text == table.message(f"{SLUGS}.{which}", SLUG_DEFAULTS[which], lookup=lookup, check=check, **fields):
                return _message(ctx, table, lookup, check, endpoint)
    return None


def _looked_up(ctx: FileContext) -> list[tuple[int, str, str | None, bool]]:
    """Where this run's edits put a lookup (that may fail: not `KNOWN`), the
    lookup, the Config call of the path it is in (`GET /v1beta/…`, from the
    change this run records there), and False (not found again)."""
    pattern = re.compile(rf"\b{re.escape(ctx.lookup_module or '')}\.(\w+)\(")
    known: set[tuple[int, int]] = ctx.state.get(KNOWN, set())  # type: ignore[assignment]
    found: list[tuple[int, str, str | None, bool]] = []
    for edit in ctx.edits:
        match = pattern.search(edit.text)
        if match is not None and not any(edit.start <= start and end <= edit.end for start, end in known):
            found.append((edit.start, f"{ctx.lookup_module}.{match.group(1)}", _config_call(ctx, edit.start), False))
    return found


def _config_call(ctx: FileContext, offset: int) -> str | None:
    """The Config call (`GET /v1beta/…`) of the innermost change of an
    endpoint row holding `offset`."""
    best: tuple[int, str] | None = None
    for change in ctx.changes:
        row = ctx.rules.by_id.get(change.rule)
        if isinstance(row, EndpointRow) and change.start <= offset < change.end:
            if best is None or change.end - change.start < best[0]:
                best = (change.end - change.start, row.config)
    return best[1] if best is not None else None


def _in_code(ctx: FileContext) -> list[tuple[int, str, str | None, bool]]:
    """Lookups the code holds already (an earlier run put them there), outside
    this run's edits: where each is, the lookup, None (its Config call is no
    longer in the code) and True (marked again only below that run's marker,
    in the same words)."""
    found: list[tuple[int, str, str | None, bool]] = []
    for node in ctx.index.parents:
        span = ctx.src.span(node) if isinstance(node, cst.Call) and _is_lookup_call(ctx, node) else None
        if span is None or any(e.start < span[1] and span[0] < e.end for e in ctx.edits):
            continue
        found.append((span[0], f"{ctx.lookup_module}.{node.func.attr.value}", None, True))  # type: ignore[attr-defined]
    return found


# -- the call the looked-up path is sent with -------------------------------------------


def _calls_given(ctx: FileContext, calls: list[cst.Call], offset: int) -> Iterator[cst.Call]:
    """The innermost call with an argument holding `offset`, and the calls it
    is handed to as an argument (`requests.get(URL.format(...))`,
    `urlopen(Request(url))`); or, when the path is bound to a name once
    (`url = f"..."`), the calls given that name."""
    holder = _innermost(ctx, calls, offset)
    if holder is not None:
        outer = holder
        for outer in _outward(ctx, holder):
            yield outer
        if not isinstance(ctx.parent(outer), cst.Assign):
            return  # else `url = "{}/sources/{}".format(API, slug)`: the calls given `url` too
    for name, scope in _bound_names(ctx, offset):
        for use in ctx.index.names.get(name.value, []):
            if use is name or ctx.index.scope_of(use) is not scope:
                continue
            arg = ctx.parent(use)
            call = ctx.parent(arg) if isinstance(arg, cst.Arg) and arg.value is use else None
            if isinstance(call, cst.Call):
                yield call


def _outward(ctx: FileContext, call: cst.Call) -> Iterator[cst.Call]:
    current: cst.CSTNode | None = call
    while isinstance(current, cst.Call):
        yield current
        arg = ctx.parent(current)
        current = ctx.parent(arg) if isinstance(arg, cst.Arg) and arg.value is current else None


def _innermost(ctx: FileContext, calls: list[cst.Call], offset: int) -> cst.Call | None:
    best: tuple[int, cst.Call] | None = None
    for call in calls:
        for arg in call.args:
            span = ctx.src.span(arg.value)
            if span is None or not span[0] <= offset < span[1]:
                continue
            if _is_lookup_call(ctx, call):
                continue  # the lookup itself, already in the code
            size = span[1] - span[0]
            if best is None or size < best[0]:
                best = (size, call)
    return best[1] if best is not None else None


def _is_lookup_call(ctx: FileContext, call: cst.Call) -> bool:
    func = call.func
    return (
        isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
        and func.value.value == ctx.lookup_module
    )


def _bound_names(ctx: FileContext, offset: int) -> Iterator[tuple[cst.Name, cst.CSTNode]]:
    """`name = <the path>`: the name bound once in its scope, and that scope."""
    for node in ctx.index.parents:
        if not (isinstance(node, cst.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0].target
        span = ctx.src.span(node.value)
        if not isinstance(target, cst.Name) or span is None or not span[0] <= offset < span[1]:
            continue
        scope = ctx.index.scope_of(node)
        bound = [
            n for n in ctx.index.names.get(target.value, [])
            if n in ctx.index.targets and ctx.index.scope_of(n) is scope
        ]
        if len(bound) == 1:
            yield target, scope


# -- what handles a 404 of the call's response ----------------------------------------------


def _handled(ctx: FileContext, call: cst.Call) -> str | None:
    """The code that handles the call's 404 (as written), or None."""
    if _catches(ctx, call, HTTP_ERRORS):
        return _handler_text(ctx, call)
    return _tested(ctx, _responses(ctx, call), call, set())


def _tested(
    ctx: FileContext, responses: Iterator[cst.BaseExpression], call: cst.Call | None, seen: set[int],
) -> str | None:
    """The test of a 404 among the uses of a response (the call, names
    bound to it, a helper's parameter), as written; or None. `seen`: the
    helpers followed already."""
    for response in responses:
        parent = ctx.parent(response)
        if isinstance(parent, cst.Arg) and parent.value is response:
            found = _in_helper(ctx, parent, seen)
            if found is not None:
                return found
            continue
        if not (isinstance(parent, cst.Attribute) and parent.value is response):
            continue
        attribute = parent.attr.value
        if attribute in SUCCESS_ATTRIBUTES:
            return _shown(ctx, parent, call)
        if attribute in STATUS_ATTRIBUTES:
            test = status_test(ctx, parent)
            if test is not None:
                return _shown(ctx, test, call)
        if attribute == "raise_for_status" and _catches(ctx, parent, RAISED):
            return _handler_text(ctx, parent, RAISED)
    return None


def _in_helper(ctx: FileContext, arg: cst.Arg, seen: set[int]) -> str | None:
    """The test of a 404 in a function of this module that the response is
    handed to (`_check(r)`, `self._check(r)`), named with it."""
    call = ctx.parent(arg)
    if not isinstance(call, cst.Call) or len(seen) >= MAX_HELPERS:
        return None
    found = helper_parameter(ctx, call, arg)
    if found is None or id(found[0]) in seen:
        return None
    function, parameter = found
    seen.add(id(function))
    uses = [n for n in ctx.index.names.get(parameter, []) if ctx.index.scope_of(n) is function]
    if any(n in ctx.index.targets for n in uses):
        return None  # bound to something else too
    test = _tested(ctx, iter(uses), None, seen)
    return None if test is None else f"{test}` in `{function.name.value}"


def _responses(ctx: FileContext, call: cst.Call) -> Iterator[cst.BaseExpression]:
    """The call (awaited: `await client.get(...)`), and the uses of a name
    bound to it (`r = call`, `with call as r`) in its scope."""
    sent: cst.BaseExpression = call
    while isinstance(awaited := ctx.parent(sent), cst.Await) and awaited.expression is sent:
        sent = awaited  # an httpx.AsyncClient's, aiohttp's: the response is what `await` gives
    yield sent
    parent = ctx.parent(sent)
    target: cst.BaseExpression | None = None
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        target = parent.targets[0].target
    elif isinstance(parent, cst.WithItem) and parent.asname is not None:
        target = parent.asname.name
    if not isinstance(target, cst.Name):
        return
    scope = ctx.index.scope_of(call)
    names = [n for n in ctx.index.names.get(target.value, []) if ctx.index.scope_of(n) is scope]
    if any(n in ctx.index.targets for n in names if n is not target):
        return  # bound to something else too: its tests may be of another response
    for use in names:
        if use is not target:
            yield use


def _shown(ctx: FileContext, node: cst.CSTNode, call: cst.Call | None) -> str:
    """`node`'s code, without the call when it holds it (`.status_code == 404`)."""
    text = ctx.src.code(node) or ""
    span = ctx.src.span(node)
    sent: cst.CSTNode | None = call
    while sent is not None and isinstance(awaited := ctx.parent(sent), cst.Await):
        sent = awaited  # `(await client.get(...)).is_success`: `.is_success`
    inner = (outer_span(ctx.src, sent) if sent is not call else ctx.src.span(sent)) if sent is not None else None
    if span is None or inner is None or not span[0] <= inner[0] <= inner[1] <= span[1]:
        return text
    return text[: inner[0] - span[0]] + text[inner[1] - span[0] :]


def _try_handlers(ctx: FileContext, node: cst.CSTNode) -> Iterator[cst.ExceptHandler]:
    """Handlers of the `try` statements whose body holds `node`, in its function."""
    child: cst.CSTNode = node
    current = ctx.parent(node)
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if isinstance(current, cst.Try) and child is current.body:
            yield from current.handlers
        child, current = current, ctx.parent(current)


def _catches(ctx: FileContext, node: cst.CSTNode, names: frozenset[str]) -> bool:
    return any(_handler_catches(h, names) for h in _try_handlers(ctx, node))


def _handler_catches(handler: cst.ExceptHandler, names: frozenset[str]) -> bool:
    if handler.type is None:
        return "BaseException" in names  # a bare `except:`
    kinds = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for kind in kinds:
        value = kind.value if isinstance(kind, cst.Element) else kind
        name = value.attr.value if isinstance(value, cst.Attribute) else getattr(value, "value", None)
        if name in names:
            return True
    return False


def _handler_text(ctx: FileContext, node: cst.CSTNode, names: frozenset[str] = HTTP_ERRORS) -> str:
    for handler in _try_handlers(ctx, node):
        if _handler_catches(handler, names) and handler.type is not None:
            return f"except {ctx.src.code(handler.type)}"
    return "except"
