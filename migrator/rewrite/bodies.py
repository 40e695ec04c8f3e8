"""Request bodies of migrated calls (rewrite row `rewrite.bodies`).

After the paths kind has migrated a URL, the body sent with it must take
the Public shape too. For every HTTP call whose URL the paths kind migrated
and whose endpoint row takes a request body (`request`, `wrapper`,
`body_ids`, `defaults`, `followups`), the body is found where it can be
seen whole: a dict literal in the call (`json=`, `data=json.dumps(...)`,
`content=`), or a name bound to one in the same function and used nowhere
else. Calls through a helper of the same file that passes its arguments on
(`call("PATCH", path, body)`) count as direct calls.

The literal is translated by the translate engine with the same rows
(`bodies_values`): wrapper removed, keys renamed, `update_mask` turned into
a partial body, destination `config` arrays into `settings`, enums mapped,
ids from the id map or the generated lookup module, `body_ids` from the
path, `defaults` added. Where the Public method differs (tracking plans:
`PUT` → `PATCH`), the verb of the call is renamed too. When every call of a
migrated URL has been dealt with, the `rewrite.request-body` and
`rewrite.http-method` markers the paths kind wrote for it are withdrawn;
otherwise the call is marked with the reason.

The calls are found by `bodies_sites`, the literal and its mutations read
and replaced by `bodies_literal`, values given by constants read through
`constants`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from migrator.rewrite import bodies_literal, bodies_sites, clients, line_refs
from migrator.rewrite.bodies_inputs import missing_inputs
from migrator.rewrite.bodies_literal import (
    body_literal,
    literal_style,
    mask_literals,
    mutations_of,
    public_main_url,
    read_dict,
    rename_verb,
    split_call,
    with_newlines,
)
from migrator.rewrite.bodies_sites import Site, root_of, sites_of, url_chain, when_body_needles
from migrator.rewrite.bodies_values import (
    BodyContext,
    Holes,
    Opaque,
    Reader,
    UNSEEN,
    Unsupported,
    check_opaque,
    contains_hole_or_opaque,
    opaques,
    render,
)
from migrator.rewrite.constants import constant_text
from migrator.rewrite.context import FileContext, Recorded
from migrator.rewrite.edits import Edit, dotted
from migrator.rewrite.lookup_name import taken_at
from migrator.rewrite.strings import is_hole_char
from migrator.rewrite.mock_moved import mark_own_moved_patches
from migrator.rewrite.table import Endpoint, Table, table_for
from migrator.ruleset import EndpointMatch
from migrator.ruleset.ruleset import dotted_get
from migrator.translate.context import TranslateError, show
from migrator.translate.public_models import find_call
from migrator.translate.request import translate_request

ROW = "rewrite.bodies"
BODY = "rewrite.request-body"
METHOD = "rewrite.http-method"
BAD_REPORTS = ("unknown", "unresolved", "ambiguous", "note", "conflict", "mistyped")
MISTYPED = "{found}: the Public API would likely refuse it; write a value of that type"
"""A literal of another JSON type than the Public field takes (translate's
`mistyped`, which copies it): the body is kept and marked."""

DEFAULT_MESSAGE = "the request body of `{endpoint}` must change too ({reason}): {summary}"
LOSS_NOTE = "line {line}: `{path}` is not sent in the body of `{call}`: {reason}"
LOSS_MARKER = (
    "the body was migrated, but `{path}` ({value}) is not sent to `{call}`: {reason}; "
    "check that the call still does what it should"
)
"""A value a documented rule leaves out of a migrated body: always a note;
also a marker when the row that drops it is to be reviewed (`safety =
"review"`) and the code wrote the value as a literal."""
CHECK_MARKER = "the body was migrated, but `{call}` may not do what the Config call did: {reason}"
"""A migrated body whose Public call may not do what the Config call did
(`review` reports of its resource: a forwarding target a PATCH leaves out,
settings a PATCH may merge rather than clear)."""


@dataclass
class RootState:
    chain: Any
    ok_methods: set[str] = field(default_factory=set)
    marked_methods: set[str] = field(default_factory=set)
    """Methods of calls marked here with their own reason."""
    failed: bool = False


class BodiesKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Any) -> bool:
        return False

    def finish(self, ctx: FileContext) -> None:
        try:
            if ctx.changes:
                self._finish(ctx)
            if ctx.moved_calls:
                mark_own_moved_patches(ctx)
        finally:
            bodies_sites.forget(ctx)
            bodies_literal.forget()

    def _finish(self, ctx: FileContext) -> None:
        table = table_for(ctx.rules)
        roots: dict[int, RootState] = {}
        # the paths migrated (endpoint changes come from the paths kind, before this one)
        migrated = {(c.start, c.end) for c in ctx.changes if c.rule.startswith("endpoint.")}
        for site in sites_of(ctx):
            if site.url is not None:
                self._site(ctx, site, table, roots, migrated)
                self._unread(ctx, site, table)
        for start, state in roots.items():
            flow = clients.flow(ctx, state.chain.root)
            if flow.unknown or flow.opaque:
                continue
            needed = {m for m in flow.methods if _needs(ctx, table, state.chain, m)}
            if not needed:
                continue
            if not state.failed and needed <= state.ok_methods:
                withdrawn: tuple[str, ...] = (BODY, METHOD)
            elif needed <= state.ok_methods | state.marked_methods:
                withdrawn = (BODY,)  # each call that fails says why on its own line
            else:
                continue
            ctx.markers[:] = [m for m in ctx.markers if not (m.offset == start and m.rule in withdrawn)]
        _note_kept(ctx)

    # -- one call --------------------------------------------------------------

    def _site(
        self, ctx: FileContext, site: Site, table: Table, roots: dict[int, RootState], migrated: set[tuple[int, int]],
    ) -> None:
        from migrator.rewrite.paths import read_joined

        found = url_chain(ctx, site.url)  # type: ignore[arg-type]
        if found is None:
            return
        chain, inline = found
        reading = read_joined(ctx, chain, table)
        if reading is None:
            return
        span = ctx.src.span(chain.root)
        if span is None:
            return
        if (chain.outer[0], chain.outer[1]) not in migrated:
            return  # the path was not migrated: neither is the body
        if site.method is None:
            # a body sent with a method that cannot be seen, to a migrated path
            rows = [e for e, _ in table.match(reading.path) if e.row.public and e.needs_body]
            if site.body is not None and rows and not ctx.suppressed(site.call, BODY):
                roots.setdefault(span[0], RootState(chain)).failed = True
                self._fail(ctx, site, rows[0], "the HTTP method of this call cannot be seen", span[0])
            return
        matches = [(e, p) for e, p in table.match(reading.path) if e.method == site.method and e.row.public]
        if not matches:
            return
        state = roots.setdefault(span[0], RootState(chain))
        endpoint, params, problem = _choose(ctx, site, matches)
        if endpoint is None:
            state.failed = True
            state.marked_methods.add(site.method)
            self._fail(ctx, site, matches[0][0], problem or "the endpoint cannot be told apart", span[0])
            return
        renames = endpoint.public_method is not None and endpoint.public_method != endpoint.method
        if not endpoint.needs_body and not renames:
            return
        if ctx.suppressed(site.call, BODY):
            state.failed = True
            return
        masked = _query_mask(ctx, site)
        try:
            edits, used_lookup, losses, checks = self._plan(
                ctx, site, endpoint, params, chain, inline, table, masked is not None)
            if masked is not None:
                raise Unsupported(f"it sends {masked}")  # the body was read without the mask saying what it changes
        except Unsupported as exc:
            state.failed = True
            state.marked_methods.add(site.method)
            reason = str(exc) if masked is None or str(exc).endswith(masked) else f"{exc}; it also sends {masked}"
            self._fail(ctx, site, endpoint, reason, span[0])
            return
        for edit in edits:
            if ctx.edits.overlaps(edit):
                state.failed = True
                self._fail(ctx, site, endpoint, "another rewrite changes the same code", span[0])
                return
        for edit in edits:
            ctx.edits.append(edit)
            before = ctx.src.text[edit.start : edit.end]
            ctx.changes.append(Recorded(endpoint.row.id, edit.start, edit.end, before, edit.text))
        if used_lookup:
            ctx.needs_lookup_import = True
        state.ok_methods.add(site.method)
        if endpoint.needs_body:
            ctx.sent_requests.setdefault(endpoint.row.id, []).append(line_refs.number(ctx, site.call))
        if renames:
            _note_moved(ctx, site, endpoint)
        self._losses(ctx, site, losses)
        if checks:
            ctx.mark(BODY, site.call, CHECK_MARKER.format(call=endpoint.row.public, reason="; ".join(checks)))

    def _losses(self, ctx: FileContext, site: Site, losses: list[Loss]) -> None:
        """Report the values a documented rule left out of the body."""
        span = ctx.src.span(site.call)
        line = line_refs.ref(span[0]) if span is not None else "0"
        marked: list[str] = []
        for loss in losses:
            ctx.note(LOSS_NOTE.format(line=line, path=loss.path, call=loss.call, reason=loss.reason))
            if loss.review and loss.literal:
                marked.append(LOSS_MARKER.format(path=loss.path, value=loss.shown, call=loss.call, reason=loss.reason))
        if marked:
            ctx.mark(BODY, site.call, "; ".join(marked))

    def _plan(
        self,
        ctx: FileContext,
        site: Site,
        endpoint: Endpoint,
        params: dict[str, str],
        chain: Any,
        inline: bool,
        table: Table,
        query_mask: bool = False,
    ) -> tuple[list[Edit], bool, list[Loss], list[str]]:
        """The edits, whether the lookup module is used, what the body leaves
        out, and what the migrated call may do that the Config one did not
        (`review` reports of the body's resource). `query_mask`: the call
        sends its update mask in the query (what the engine says of a body
        without one does not apply)."""
        edits: list[Edit] = []
        used_lookup = False
        losses: list[Loss] = []
        checks: list[str] = []
        if endpoint.needs_body:
            if site.body is None:
                raise Unsupported("the call sends no body that can be seen here")
            node = body_literal(ctx, site)
            holes = Holes()
            reader = Reader(ctx.src.code, holes, constant=lambda n: constant_text(ctx, n, site.call),
                            bound=mask_literals(ctx, site, node, ctx.rules.update_mask.key))
            value = read_dict(reader, node)
            for mutation in mutations_of(node):
                edits.append(Edit(mutation.line[0], mutation.line[1], ""))
            row = endpoint.row
            resource = ctx.rules.resources[row.request] if row.request else None
            if resource is not None and isinstance(value, dict):
                inner = value.get(row.wrapper) if row.wrapper else value
                if isinstance(inner, Opaque):
                    raise Unsupported(f"`{row.wrapper}` is an expression that must be translated")
                check_opaque(inner, resource, ctx.rules)
            _check_mask_read(value, ctx.rules.update_mask.key)
            match_params = _params(ctx, params, chain, inline, holes)
            taken = taken_at(ctx, site.call, node)
            bctx = BodyContext(ctx.rules, ctx.ids, None if taken else ctx.lookup_module, holes)
            if taken is not None:
                bctx.no_lookup = f"`{ctx.lookup_module}`, the name of the generated lookup module, is {taken.what} here"
            try:
                result = translate_request(value, bctx, EndpointMatch(row, match_params, ""))
            except TranslateError as exc:
                raise Unsupported(str(exc)) from None
            mask = ctx.rules.update_mask.id
            bad = [r for r in bctx.reports if (r.kind in BAD_REPORTS or (r.kind == "review" and r.rule == mask))
                   and not (query_mask and r.rule == mask)]  # a mask's meaning changes
            if bad:
                first = bctx.first(bad)
                where = f"`{first.path}`: " if first.path not in ("", "url") else ""
                if UNSEEN in first.message:
                    raise Unsupported(where + "needs an id for a part of the path this rewrite cannot read here")
                found = first.message
                if first.kind == "mistyped":
                    found = MISTYPED.format(found=found.partition(": copied as is")[0])
                raise Unsupported(holes.show(where + found))
            refused = [r for r in bctx.reports if r.kind == "dropped" and r.rule == row.id]
            if refused:
                # a key the Public input does not take: what the code set would not be set
                raise Unsupported(holes.show(f"`{refused[0].path}`: {refused[0].message}"))
            calls = [result, *result.get("then", [])]
            for call in calls:
                missing = missing_inputs(call)
                if missing is not None:
                    raise Unsupported(missing)
            losses = _losses(ctx, bctx, value, calls)
            checks = [r.message for r in bctx.reports if r.kind == "review" and r.rule == resource.id] if resource else []
            main = public_main_url(endpoint, match_params)
            suffixes: list[str] = []
            for call in calls:
                url = call.get("url", "")
                suffix = url[len(main):] if url.startswith(main) else None
                if suffix is None or (suffix and (not suffix.startswith("/") or "{" in suffix)):
                    raise Unsupported(
                        "the Public API needs " + " then ".join(f"`{c['method']} {c['url']}`" for c in calls)
                        + ": split the call by hand"
                    )
                suffixes.append(suffix)
            new = result.get("body")
            if new is None:
                raise Unsupported("the Public call takes no body")
            if new == {} and losses and not result.get("then"):
                # what the Config call changed has no Public counterpart: the call would change nothing
                lost = ", ".join(f"`{loss.path}`" for loss in losses)
                raise Unsupported(f"nothing it changes is sent, the Public call would change nothing ({lost}: "
                                  f"{losses[0].reason})")
            kept = {id(o) for o in opaques([c.get("body") for c in calls])}
            for lost in opaques(value):
                if id(lost) not in kept and not lost.droppable:
                    raise Unsupported(f"`{lost.text}` would be left out of the body (it may do something)")
            start, end, old, style = literal_style(ctx, node, reader, holes, "body")
            text = with_newlines(ctx, render(new, style))
            if text != old:
                edits.append(Edit(start, end, text))
            used_lookup = bctx.used_lookup
            if len(calls) > 1 or suffixes[0]:
                edits.extend(split_call(ctx, site, calls, suffixes, style))
                return edits, used_lookup, losses, checks
        if endpoint.public_method and endpoint.public_method != endpoint.method:
            edits.append(rename_verb(ctx, site, endpoint.public_method))
        return edits, used_lookup, losses, checks

    def _unread(self, ctx: FileContext, site: Site, table: Table) -> None:
        """A body sent to a migrated path through a URL expression this kind
        cannot read back to it (`f"{API}/..".strip()`, `[url][0]`): marked, never
        left in the Config shape unsaid."""
        if site.body is None or site.method is None or url_chain(ctx, site.url) is not None:  # type: ignore[arg-type]
            return
        assert site.url is not None
        spans = [s for n in [site.url, *_values(ctx, site.url)] if (s := ctx.src.span(n)) is not None]
        rows = {c.rule for c in ctx.changes if c.rule.startswith("endpoint.")
                and any(start <= c.start and c.end <= end for start, end in spans)}
        paths = {e.path for e in table.endpoints if e.row.id in rows}
        wanted = [e for e in table.endpoints if e.path in paths and e.method == site.method and e.needs_body]
        if wanted and not ctx.suppressed(site.call, BODY):
            self._fail(ctx, site, wanted[0], "its URL is built in a way this rewrite cannot follow to the body", -1)

    def _fail(
        self, ctx: FileContext, site: Site, endpoint: Endpoint, reason: str, root: int
    ) -> None:
        table = table_for(ctx.rules)
        ctx.kept_requests.setdefault(endpoint.row.id, line_refs.number(ctx, site.call))
        message = table.message(
            ROW, DEFAULT_MESSAGE, endpoint=endpoint.row.config, reason=reason, summary=endpoint.row.summary
        )
        # One marker per statement: the reason found here replaces the paths
        # kind's generic one (also in the report).
        statement = ctx.src.span(ctx.statement_of(site.call))
        if statement is not None:
            ctx.markers[:] = [
                m for m in ctx.markers if not (m.rule == BODY and m.statement == statement[0])
            ]
        ctx.mark(BODY, site.call, message)


def _values(ctx: FileContext, url: cst.BaseExpression) -> list[cst.BaseExpression]:
    """What the name a URL expression starts from holds (`url.strip()` → `url`'s value)."""
    head: cst.BaseExpression = url
    while True:
        if isinstance(head, cst.Call) and isinstance(head.func, cst.Attribute):
            head = head.func.value
        elif isinstance(head, cst.Subscript):
            head = head.value
        else:
            break
    return clients.resolve(ctx, head) if isinstance(head, (cst.Name, cst.Attribute)) else []


def _note_kept(ctx: FileContext) -> None:
    """The rows of the migrated URLs whose method or body marker stays (the
    calls could not be followed): their requests keep the Config shape
    (`FileContext.kept_requests`, as `_fail` notes for the calls it marks)."""
    starts = {m.offset for m in ctx.markers if m.rule in (BODY, METHOD)}
    for change in ctx.changes:
        if change.start in starts and change.rule.startswith("endpoint."):
            ctx.kept_requests.setdefault(change.rule, line_refs.number_at(ctx, change.start))


def _note_moved(ctx: FileContext, site: Site, endpoint: Endpoint) -> None:
    """`requests.put(...)` now `requests.patch(...)`: the function it called,
    for the tests that patch it (`FileContext.moved_calls`)."""
    func = site.call.func
    if not (isinstance(func, cst.Attribute) and func.attr is site.verb and endpoint.public_method):
        return  # a helper's literal method (`"PUT"`): the function patched is the same
    local = dotted(func)
    if local is None:
        return
    # the function as the library names it (`requests.put`), when its root is an import
    library = clients.qualified_name(ctx, func) if local.split(".")[0] in ctx.index.modules else ""
    ctx.moved_calls.setdefault(local, (library, endpoint.public_method, line_refs.number(ctx, site.call)))
    span = ctx.src.span(site.call)
    if span is not None:
        ctx.moved_at.setdefault(local, span[0])


class ChooserKind:
    """Runs before the paths kind: a Config path whose Public call depends on
    the body (`when_body`, e.g. source regulations → `/regulations/sources/…`
    or `/regulations/cloudsources/…`) is handed to the paths kind with the one
    row every visible body of its calls picks."""

    row = ROW

    def chain(self, ctx: FileContext, chain: Any) -> bool:
        from migrator.rewrite.paths import KIND as PATHS
        from migrator.rewrite.path_reading import read

        table = table_for(ctx.rules)
        needles = when_body_needles(table)
        if chain.is_bytes or not needles:
            return False
        text = chain.template()
        if not any(n in text for n in needles):
            return False
        reading = read(chain, table)
        if reading is None or not reading.path:
            return False
        matches = table.match(reading.path)
        if not any(e.row.when_body for e, _ in matches):
            return False
        span = ctx.src.span(chain.root)
        if span is None:
            return False
        sites = [s for s in sites_of(ctx) if s.url is not None and root_of(ctx, s.url) == span]
        flow = clients.flow(ctx, chain.root)
        if not sites or flow.unknown or flow.opaque:
            return False
        picked: dict[str, str] = {}  # method -> row id
        for site in sites:
            if site.method is None:
                return False
            rows = [(e, p) for e, p in matches if e.method == site.method]
            if not any(e.row.when_body for e, _ in rows):
                continue
            endpoint, _, _ = _choose(ctx, site, rows)
            if endpoint is None or picked.get(site.method, endpoint.row.id) != endpoint.row.id:
                return False
            picked[site.method] = endpoint.row.id
        if not picked or set(flow.methods) - {s.method for s in sites if s.method}:
            return False
        keep = {e.row.id for e, _ in matches if e.method not in picked} | set(picked.values())
        original = table.match

        def only(path: str) -> list[tuple[Endpoint, dict[str, str]]]:
            return [(e, p) for e, p in original(path) if e.row.id in keep]

        table.match = only  # type: ignore[method-assign]
        try:
            return PATHS.chain(ctx, chain)
        finally:
            del table.match

    def finish(self, ctx: FileContext) -> None:
        return None


KIND = BodiesKind()
CHOOSER = ChooserKind()


# -- values left out --------------------------------------------------------------


@dataclass
class Loss:
    path: str
    reason: str
    call: str
    review: bool
    """The row that drops it is to be reviewed (`safety = "review"`)."""
    literal: bool
    """The code wrote the value as a literal (not an expression it computes)."""
    shown: str


def _losses(ctx: FileContext, bctx: BodyContext, value: Any, calls: list[dict[str, Any]]) -> list[Loss]:
    rows = {r.id: r for r in ctx.rules.resources.values()}
    found_calls = [find_call(c["method"], c.get("url", "")) for c in calls]
    call = "` and `".join(
        f.endpoint if f is not None else f"{c['method']} {c.get('url', '')}" for f, c in zip(found_calls, calls)
    )
    out: list[Loss] = []
    for report in bctx.reports:
        if report.kind != "dropped":
            continue
        row = rows.get(report.rule)
        found = _value_at(value, report.path)
        literal = found is not _NOWHERE and not contains_hole_or_opaque(found)
        out.append(Loss(
            report.path, report.message, call,
            row is not None and row.safety == "review", literal,
            show(found) if literal else "",
        ))
    return out


_NOWHERE = object()


def _value_at(value: Any, path: str) -> Any:
    """The value at a report path (`a.b[2].c`; `[]`: the first item that has the rest)."""
    return _at(value, re.findall(r"[^.\[\]]+|\[\d*\]", path))


def _at(current: Any, parts: list[str]) -> Any:
    if not parts:
        return current
    part, rest = parts[0], parts[1:]
    if part == "[]":
        found = (_at(item, rest) for item in current) if isinstance(current, list) else iter(())
        return next((f for f in found if f is not _NOWHERE), _NOWHERE)
    if part.startswith("["):
        index = int(part[1:-1])
        if isinstance(current, list) and index < len(current):
            return _at(current[index], rest)
        return _NOWHERE
    if isinstance(current, dict) and part in current:
        return _at(current[part], rest)
    return _NOWHERE


# -- the URL and the endpoint -------------------------------------------------------




def _needs(ctx: FileContext, table: Table, chain: Any, method: str) -> bool:
    from migrator.rewrite.paths import read_joined

    reading = read_joined(ctx, chain, table)
    if reading is None:
        return False
    for e, _ in table.match(reading.path):
        if e.method == method and e.row.public and (e.needs_body or e.public_method != e.method):
            return True
    return False


def _choose(
    ctx: FileContext, site: Site, matches: list[tuple[Endpoint, dict[str, str]]]
) -> tuple[Endpoint | None, dict[str, str], str | None]:
    """The row for this call; rows with `when_body` only when the body shows it."""
    plain = [(e, p) for e, p in matches if not e.row.when_body]
    chosen = [(e, p) for e, p in matches if e.row.when_body]
    if not chosen:
        if len({e.row.id for e, _ in plain}) == 1:
            return plain[0][0], plain[0][1], None
        return None, {}, "several rows match this call"
    try:
        node = body_literal(ctx, site) if site.body is not None else None
    except Unsupported:
        node = None
    if node is None:
        return None, {}, "which Public call it becomes depends on the body, which cannot be seen here"
    reader = Reader(ctx.src.code, Holes(), constant=lambda n: constant_text(ctx, n, site.call))
    try:
        value = read_dict(reader, node)
    except Unsupported as exc:
        return None, {}, str(exc)
    for e, p in chosen:
        keys = e.row.when_body
        got = {k: dotted_get(value, k) for k in keys}
        if any(isinstance(v, Opaque) or (isinstance(v, str) and any(is_hole_char(c) for c in v)) for v in got.values()):
            return None, {}, "which Public call it becomes depends on a value that cannot be seen here"
        if all(got[k] == v for k, v in keys.items()):
            return e, p, None
    if len(plain) == 1:
        return plain[0][0], plain[0][1], None
    return None, {}, "several rows match this call"


def _query_mask(ctx: FileContext, site: Site) -> str | None:
    """What a call sends of the Config update mask in its query
    (`params={"update_mask.paths": mask}`, `?update_mask.paths=...` in the
    URL text), or None: the Public API has no update mask, and the body is
    read without the mask that says what it changes."""
    row = ctx.rules.update_mask
    if site.method not in row.methods:
        return None
    keyword = clients.query_keyword(ctx, site.call)
    given = next((a.value for a in site.call.args if a.keyword is not None and a.keyword.value == keyword), None)
    values = clients.resolve(ctx, given) if isinstance(given, cst.Name) else [given] if given is not None else []
    keys = [e.key.evaluated_value for v in values if isinstance(v, cst.Dict) for e in v.elements
            if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)]
    url = ctx.src.code(site.url) if site.url is not None else None
    query = url.partition("?")[2] if url else ""
    keys += [part.split("=", 1)[0] for part in re.split(r"[&\"'{}]", query)]
    found = next((k for k in keys if isinstance(k, str) and (k == row.key or k.startswith(row.key + "."))), None)
    if found is None:
        return None
    return (f"the update mask `{found}` in its query, which the Public API does not take: leave it out, and send "
            "only the fields it lists in the body")


def _check_mask_read(value: Any, key: str) -> None:
    """An update mask held in an expression the reader left as it is: say so
    (rather than that its paths are not a list, which the code may well give)."""
    mask = value.get(key) if isinstance(value, dict) else None
    held = mask if isinstance(mask, Opaque) else mask.get("paths") if isinstance(mask, dict) else None
    if isinstance(held, Opaque):
        raise Unsupported(
            f"the paths of `{key}` are held in `{held.text}`, which this rewrite reads only when it is "
            "bound once in this function to a list or dict literal used nowhere else"
        )


def _params(ctx: FileContext, params: dict[str, str], chain: Any, inline: bool, holes: Holes) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, text in params.items():
        if len(text) == 1 and is_hole_char(text):
            hole = chain.hole(text)
            known = constant_text(ctx, hole.node, hole.node) if hole.node is not None and hole.plain else None
            if known is not None and "/" not in known:
                out[name] = known
                continue
            if not inline or not hole.plain or hole.text is None:
                out[name] = UNSEEN  # any lookup through it fails
                continue
            out[name] = holes.add(hole.text)
        else:
            out[name] = str(text)
    return out
