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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.bodies_values import (
    BodyContext,
    _pure,
    Holes,
    Opaque,
    Reader,
    Style,
    Unsupported,
    check_opaque,
    contains_hole_or_opaque,
    opaques,
    render,
)
from migrator.rewrite.context import FileContext, Recorded, _overlap
from migrator.rewrite.edits import Edit, apply
from migrator.rewrite.strings import build_chain, is_hole_char
from migrator.rewrite.table import Endpoint, Table, table_for
from migrator.ruleset import EndpointMatch
from migrator.ruleset.ruleset import dotted_get
from migrator.ruleset.templates import template
from migrator.translate.context import TranslateError
from migrator.translate.request import translate_request

ROW = "rewrite.bodies"
BODY = "rewrite.request-body"
METHOD = "rewrite.http-method"
BODY_KEYWORDS = ("json", "data", "content")
BAD_REPORTS = ("unknown", "unresolved", "ambiguous", "note")

DEFAULT_MESSAGE = "the request body of `{endpoint}` must change too ({reason}): {summary}"


@dataclass
class Site:
    """One HTTP call: its method, URL and body expressions."""

    call: cst.Call
    method: str | None
    url: cst.BaseExpression | None
    body: cst.BaseExpression | None
    verb: cst.CSTNode | None = None
    """What names the method (`put` of `requests.put`, the literal `"PUT"`)."""


@dataclass
class Helper:
    verb: int | None
    url: int
    body: int
    names: tuple[str, ...]
    verb_literal: str | None = None
    defaults: dict[str, cst.BaseExpression] = field(default_factory=dict)


@dataclass
class RootState:
    chain: Any
    ok_methods: set[str] = field(default_factory=set)
    failed: bool = False


class BodiesKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Any) -> bool:
        return False

    def finish(self, ctx: FileContext) -> None:
        try:
            if ctx.changes:
                self._finish(ctx)
        finally:
            _SITES.pop(id(ctx), None)
            _MUTATIONS.clear()

    def _finish(self, ctx: FileContext) -> None:
        table = table_for(ctx.rules)
        roots: dict[int, RootState] = {}
        for site in _sites(ctx):
            if site.url is not None:
                self._site(ctx, site, table, roots)
        for start, state in roots.items():
            if state.failed:
                continue
            flow = clients.flow(ctx, state.chain.root)
            if flow.unknown or flow.opaque:
                continue
            needed = {m for m in flow.methods if _needs(ctx, table, state.chain, m)}
            if needed and needed <= state.ok_methods:
                ctx.markers[:] = [
                    m for m in ctx.markers if not (m.offset == start and m.rule in (BODY, METHOD))
                ]

    # -- one call --------------------------------------------------------------

    def _site(self, ctx: FileContext, site: Site, table: Table, roots: dict[int, RootState]) -> None:
        from migrator.rewrite.paths import read_joined

        found = _url_chain(ctx, site.url)  # type: ignore[arg-type]
        if found is None:
            return
        chain, inline = found
        reading = read_joined(ctx, chain, table)
        if reading is None:
            return
        span = ctx.src.span(chain.root)
        if span is None:
            return
        if not any(c.start == chain.outer[0] and c.end == chain.outer[1] and c.rule.startswith("endpoint.")
                   for c in ctx.changes):
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
            self._fail(ctx, site, matches[0][0], problem or "the endpoint cannot be told apart", span[0])
            return
        renames = endpoint.public_method is not None and endpoint.public_method != endpoint.method
        if not endpoint.needs_body and not renames:
            return
        if ctx.suppressed(site.call, BODY):
            state.failed = True
            return
        try:
            edits, used_lookup = self._plan(ctx, site, endpoint, params, chain, inline, table)
        except Unsupported as exc:
            state.failed = True
            self._fail(ctx, site, endpoint, str(exc), span[0], generic=exc.generic)
            return
        for edit in edits:
            if any(_overlap(edit, taken) for taken in ctx.edits):
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

    def _plan(
        self,
        ctx: FileContext,
        site: Site,
        endpoint: Endpoint,
        params: dict[str, str],
        chain: Any,
        inline: bool,
        table: Table,
    ) -> tuple[list[Edit], bool]:
        edits: list[Edit] = []
        used_lookup = False
        if endpoint.needs_body:
            if site.body is None:
                raise Unsupported("the call sends no body that can be seen here")
            node = _body_literal(ctx, site)
            holes = Holes()
            reader = Reader(ctx.src.code, holes, constant=lambda n: constant_text(ctx, n, site.call))
            value = _read(reader, node)
            for mutation in _mutations(node):
                edits.append(Edit(mutation.line[0], mutation.line[1], ""))
            row = endpoint.row
            resource = ctx.rules.resources[row.request] if row.request else None
            if resource is not None and isinstance(value, dict):
                inner = value.get(row.wrapper) if row.wrapper else value
                if isinstance(inner, Opaque):
                    raise Unsupported(f"`{row.wrapper}` is an expression that must be translated")
                check_opaque(inner, resource, ctx.rules)
            match_params = _params(ctx, params, chain, inline, holes)
            bctx = BodyContext(ctx.rules, ctx.ids, ctx.lookup_module, holes)
            try:
                result = translate_request(value, bctx, EndpointMatch(row, match_params, ""))
            except TranslateError as exc:
                raise Unsupported(str(exc)) from None
            bad = [r for r in bctx.reports if r.kind in BAD_REPORTS]
            if bad:
                where = f"`{bad[0].path}`: " if bad[0].path not in ("", "url") else ""
                raise Unsupported(where + bad[0].message)
            calls = [result, *result.get("then", [])]
            main_url = _main_url(endpoint, match_params)
            suffixes: list[str] = []
            for call in calls:
                url = call.get("url", "")
                suffix = url[len(main_url):] if url.startswith(main_url) else None
                if suffix is None or (suffix and (not suffix.startswith("/") or "{" in suffix)):
                    raise Unsupported(
                        "the Public API needs " + " then ".join(f"`{c['method']} {c['url']}`" for c in calls)
                        + ": split the call by hand"
                    )
                suffixes.append(suffix)
            new = result.get("body")
            if new is None:
                raise Unsupported("the Public call takes no body")
            kept = {id(o) for o in opaques([c.get("body") for c in calls])}
            for lost in opaques(value):
                if id(lost) not in kept and not lost.droppable:
                    raise Unsupported(f"`{lost.text}` would be left out of the body (it may do something)")
            start, end = ctx.src.span(node) or (0, 0)
            old = ctx.src.text[start:end]
            if _has_comment(old):
                raise Unsupported("the body holds comments that would be lost")
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
            text = _newlines(ctx, render(new, style))
            if text != old:
                edits.append(Edit(start, end, text))
            used_lookup = bctx.used_lookup
            if len(calls) > 1 or suffixes[0]:
                edits.extend(_split(ctx, site, calls, suffixes, style))
                return edits, used_lookup
        if endpoint.public_method and endpoint.public_method != endpoint.method:
            edits.append(_rename(ctx, site, endpoint.public_method))
        return edits, used_lookup

    def _fail(
        self, ctx: FileContext, site: Site, endpoint: Endpoint, reason: str, root: int, generic: bool = False
    ) -> None:
        table = table_for(ctx.rules)
        message = table.message(
            ROW, DEFAULT_MESSAGE, endpoint=endpoint.row.config, reason=reason, summary=endpoint.row.summary
        )
        # One comment per statement: a specific reason replaces the paths
        # kind's generic one; a body built outside the function keeps it.
        statement = ctx.src.span(ctx.statement_of(site.call))
        if statement is not None and not generic:
            ctx.markers[:] = [
                m for m in ctx.markers if not (m.rule == BODY and m.statement == statement[0])
            ]
        ctx.mark(BODY, site.call, message)


class ChooserKind:
    """Runs before the paths kind: a Config path whose Public call depends on
    the body (`when_body`, e.g. source regulations → `/regulations/sources/…`
    or `/regulations/cloudsources/…`) is handed to the paths kind with the one
    row every visible body of its calls picks."""

    row = ROW

    def chain(self, ctx: FileContext, chain: Any) -> bool:
        from migrator.rewrite.paths import KIND as PATHS
        from migrator.rewrite.paths import read

        table = table_for(ctx.rules)
        needles = _when_body_needles(table)
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
        sites = [s for s in _sites(ctx) if s.url is not None and _root_of(ctx, s.url) == span]
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


# -- finding calls ------------------------------------------------------------------


_SITES: dict[int, tuple[FileContext, list[Site]]] = {}
_NEEDLES: dict[int, tuple[Table, frozenset[str]]] = {}


def _when_body_needles(table: Table) -> frozenset[str]:
    """Literal segments one of which a path whose row depends on the body holds."""
    found = _NEEDLES.get(id(table))
    if found is None or found[0] is not table:
        words = set()
        for e in table.endpoints:
            if e.row.when_body:
                literal = [p for p in e.path.split("/") if p and "{" not in p]
                if literal:
                    words.add(literal[-1])
        found = _NEEDLES[id(table)] = (table, frozenset(words))
    return found[1]


def _sites(ctx: FileContext) -> list[Site]:
    """Every HTTP call of the file (computed once per file)."""
    found = _SITES.get(id(ctx))
    if found is None or found[0] is not ctx:
        calls = _calls(ctx)
        helpers = _helpers(ctx, calls)
        sites = [s for s in (_site(ctx, c, helpers) for c in calls) if s is not None]
        found = _SITES[id(ctx)] = (ctx, sites)
    return found[1]


def _root_of(ctx: FileContext, url: cst.BaseExpression) -> tuple[int, int] | None:
    found = _url_chain(ctx, url)
    return ctx.src.span(found[0].root) if found is not None else None


def _calls(ctx: FileContext) -> list[cst.Call]:
    found = [n for n in ctx.index.parents if type(n) is cst.Call]
    spans = [(ctx.src.span(n), n) for n in found]
    return [n for s, n in sorted(((s, n) for s, n in spans if s is not None), key=lambda x: x[0])]


def _literal(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _site(ctx: FileContext, call: cst.Call, helpers: dict[str, Helper]) -> Site | None:
    direct = _direct(ctx, call)
    if direct is not None:
        return direct
    name = _helper_name(ctx, call)
    helper = helpers.get(name) if name else None
    if helper is None:
        return None
    args: dict[str, cst.BaseExpression] = dict(helper.defaults)
    positional = [a for a in call.args if a.keyword is None]
    if any(a.star for a in call.args):
        return None
    for i, arg in enumerate(positional):
        if i >= len(helper.names):
            return None
        args[helper.names[i]] = arg.value
    for arg in call.args:
        if arg.keyword is not None:
            args[arg.keyword.value] = arg.value
    verb_node = args.get(helper.names[helper.verb]) if helper.verb is not None else None
    method = helper.verb_literal or _literal(verb_node)
    body = args.get(helper.names[helper.body])
    if isinstance(body, cst.Name) and body.value == "None":
        body = None
    return Site(
        call,
        method.upper() if method and method.lower() in clients.VERBS else None,
        args.get(helper.names[helper.url]),
        body,
        verb=verb_node if isinstance(verb_node, cst.SimpleString) else None,
    )


def _direct(ctx: FileContext, call: cst.Call) -> Site | None:
    name = clients.callee_name(call)
    bare = name.lower()
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    body_args = [keyword[k] for k in BODY_KEYWORDS if k in keyword]
    if len(body_args) > 1:
        return None
    body = body_args[0].value if body_args else None
    if isinstance(body, cst.Name) and body.value == "None":
        body = None
    if bare in clients.VERBS and isinstance(call.func, (cst.Attribute, cst.Name)):
        url = keyword["url"].value if "url" in keyword else (positional[0].value if positional else None)
        if len(positional) > 1 or any(a.star for a in call.args):
            return Site(call, bare.upper(), url, None) if body is None else None
        verb = call.func.attr if isinstance(call.func, cst.Attribute) and call.func.attr.value == bare else None
        return Site(call, bare.upper(), url, body, verb=verb)
    if bare == "request" and isinstance(call.func, cst.Attribute):
        method_node = keyword["method"].value if "method" in keyword else (positional[0].value if positional else None)
        url = keyword["url"].value if "url" in keyword else (positional[1].value if len(positional) > 1 else None)
        if len(positional) > 2:
            return None
        method = _literal(method_node)
        return Site(
            call,
            method.upper() if method and method.lower() in clients.VERBS else None,
            url,
            body,
            verb=method_node if method else None,
        )
    return None


def _helper_name(ctx: FileContext, call: cst.Call) -> str | None:
    func = call.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        klass = ctx.index.class_of(call)
        return f"{klass.name.value}.{func.attr.value}" if klass is not None else None
    return None


def _helpers(ctx: FileContext, calls: list[cst.Call]) -> dict[str, Helper]:
    """Functions of this file that pass a verb, a path and a body on to one HTTP call."""
    out: dict[str, Helper] = {}
    by_scope: dict[int, list[cst.Call]] = {}
    for call in calls:
        by_scope.setdefault(id(ctx.index.scope_of(call)), []).append(call)
    functions = [n for n in ctx.index.parents if type(n) is cst.FunctionDef and id(n) in by_scope]
    for function in functions:
        params = list(function.params.params)
        names = tuple(p.name.value for p in params)
        klass = ctx.index.class_of(function)
        is_method = klass is not None and ctx.index.scope_of(function) is ctx.index.scope_of(klass)
        if is_method:
            if not names or names[0] != "self":
                continue
            names = names[1:]
            params = params[1:]
        inner = [c for c in by_scope[id(function)] if _direct(ctx, c) is not None]
        found: list[Helper] = []
        for call in inner:
            site = _direct(ctx, call)
            assert site is not None
            body = site.body
            if isinstance(body, cst.Call) and clients.qualified_name(ctx, body.func) == "json.dumps" and body.args:
                body = body.args[0].value
            if not (isinstance(body, cst.Name) and body.value in names):
                continue
            url = _param_in(site.url, names)
            if url is None:
                continue
            verb: int | None = None
            literal: str | None = None
            if isinstance(site.verb, cst.SimpleString):
                literal = _literal(site.verb)
            elif isinstance(call.func, cst.Attribute) and call.func.attr.value == "request":
                positional = [a for a in call.args if a.keyword is None]
                method = positional[0].value if positional else None
                if isinstance(method, cst.Name) and method.value in names:
                    verb = names.index(method.value)
                else:
                    continue
            elif site.method:
                literal = site.method
            else:
                continue
            defaults = {p.name.value: p.default for p in params if p.default is not None}
            found.append(Helper(verb, names.index(url), names.index(body.value), names, literal, defaults))
        if len(found) == 1 and not _reassigned(ctx, function, names):
            key = f"{klass.name.value}.{function.name.value}" if is_method and klass else function.name.value
            out[key] = found[0]
    return out


def _param_in(url: cst.BaseExpression | None, names: tuple[str, ...]) -> str | None:
    """The parameter a URL expression is built from (`f"{HOST}/{path}"`, `BASE + path`, `path`)."""
    if isinstance(url, cst.Name) and url.value in names:
        return url.value
    found: list[str] = []
    if isinstance(url, cst.FormattedString):
        for part in url.parts:
            if isinstance(part, cst.FormattedStringExpression) and isinstance(part.expression, cst.Name):
                if part.expression.value in names:
                    found.append(part.expression.value)
        if found and isinstance(url.parts[-1], cst.FormattedStringExpression):
            expr = url.parts[-1].expression
            if isinstance(expr, cst.Name) and expr.value == found[-1] and len(found) == 1:
                return found[0]
        return None
    if isinstance(url, cst.BinaryOperation) and isinstance(url.operator, cst.Add):
        if isinstance(url.right, cst.Name) and url.right.value in names:
            return url.right.value
    return None


def _reassigned(ctx: FileContext, function: cst.FunctionDef, names: tuple[str, ...]) -> bool:
    return any((function, n) in ctx.index.assignments for n in names)


# -- the URL and the endpoint -------------------------------------------------------


def _url_chain(ctx: FileContext, url: cst.BaseExpression) -> tuple[Any, bool] | None:
    inline = True
    node = url
    if isinstance(url, (cst.Name, cst.Attribute)):
        values = clients.resolve(ctx, url)
        if len(values) != 1:
            return None
        node = values[0]
        inline = False
    chain = build_chain(ctx.src, node)
    if chain is None:
        from migrator.rewrite import calls

        chain = calls.config_chain(ctx, node)  # a template filled in at this call
    if chain is None or chain.is_bytes:
        return None
    return chain, inline


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
        node = _body_literal(ctx, site) if site.body is not None else None
    except Unsupported:
        node = None
    if node is None:
        return None, {}, "which Public call it becomes depends on the body, which cannot be seen here"
    reader = Reader(ctx.src.code, Holes(), constant=lambda n: constant_text(ctx, n, site.call))
    try:
        value = _read(reader, node)
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
                out[name] = "\x00"  # unknown here: any lookup through it fails
                continue
            out[name] = holes.add(hole.text)
        else:
            out[name] = str(text)
    return out


# -- the body literal ---------------------------------------------------------------


def _body_literal(ctx: FileContext, site: Site) -> cst.Dict:
    node = site.body
    if isinstance(node, cst.Call) and clients.qualified_name(ctx, node.func) == "json.dumps":
        if not node.args or node.args[0].keyword is not None or node.args[0].star:
            raise Unsupported("`json.dumps` is called in a way this rewrite does not read")
        node = node.args[0].value
    if isinstance(node, cst.Dict):
        return node
    if isinstance(node, cst.Name):
        return _bound_dict(ctx, site, node)
    raise Unsupported("the body is not a dict literal or a name bound to one in this function", generic=True)


def _bound_dict(ctx: FileContext, site: Site, name: cst.Name) -> cst.Dict:
    index = ctx.index
    scope = index.scope_of(site.call)
    values = index.assignments.get((scope, name.value), [])
    if not values and isinstance(scope, cst.FunctionDef) and name.value in {
        p.name.value for p in (*scope.params.params, *scope.params.kwonly_params)
    }:
        raise Unsupported(f"`{name.value}` is built outside this function (a parameter)", generic=True)
    if len(values) != 1 or not isinstance(values[0], cst.Dict):
        raise Unsupported(f"`{name.value}` is not bound once to a dict literal in this function")
    value = values[0]
    uses = [
        n for n in index.names.get(name.value, [])
        if n is not name and n not in index.targets and index.scope_of(n) is scope and not _attr_name(ctx, n)
    ]
    if isinstance(scope, cst.Module):
        uses = [n for n in index.names.get(name.value, []) if n is not name and n not in index.targets
                and not _attr_name(ctx, n)]
    body_span = ctx.src.span(site.call)
    value_span = ctx.src.span(value)
    if body_span is None or value_span is None or value_span[0] > body_span[0]:
        raise Unsupported(f"`{name.value}` is not bound before the call")
    mutations: list[Mutation] = []
    for use in uses:
        mutation = _mutation(ctx, use, value, site)
        if mutation is None:
            line = ctx.src.position((ctx.src.span(use) or (0, 0))[0])[0]
            raise Unsupported(f"`{name.value}` is also used or changed elsewhere (line {line})")
        mutations.append(mutation)
    _MUTATIONS[id(value)] = (value, mutations)
    return value


@dataclass
class Mutation:
    """`body["a"]["b"] = <literal>` between the literal and the call: folded
    into the literal, and its line removed."""

    keys: list[str]
    value: cst.BaseExpression
    line: tuple[int, int]
    """Text span of the whole line (with its line break)."""


_MUTATIONS: dict[int, tuple[cst.Dict, list[Mutation]]] = {}
"""Changes found for a literal (the literal is kept, so its id stays its own)."""


def _mutations(node: cst.Dict) -> list[Mutation]:
    found = _MUTATIONS.get(id(node))
    return found[1] if found is not None and found[0] is node else []


def _mutation(ctx: FileContext, use: cst.Name, value: cst.Dict, site: Site) -> Mutation | None:
    keys: list[str] = []
    node: cst.CSTNode = use
    parent = ctx.parent(node)
    while isinstance(parent, cst.Subscript) and parent.value is node:
        if len(parent.slice) != 1 or not isinstance(parent.slice[0].slice, cst.Index):
            return None
        key = _literal(parent.slice[0].slice.value)
        if key is None:
            return None
        keys.append(key)
        node = parent
        parent = ctx.parent(node)
    target = ctx.parent(node)
    assign = ctx.parent(target) if isinstance(target, cst.AssignTarget) else None
    line = ctx.parent(assign) if isinstance(assign, cst.Assign) else None
    if not keys or not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    if len(assign.targets) != 1 or line.trailing_whitespace.comment is not None:  # type: ignore[union-attr]
        return None
    # the literal, the change and the call: statements of one block, in this order
    block = ctx.parent(line)
    first = ctx.statement_of(value)
    last = ctx.statement_of(site.call)
    if ctx.parent(first) is not block or ctx.parent(last) is not block:
        return None
    spans = [ctx.src.span(n) for n in (first, line, last)]
    if any(sp is None for sp in spans) or not (spans[0][0] < spans[1][0] < spans[2][0]):  # type: ignore[index]
        return None
    start, end = spans[1]  # type: ignore[misc]
    line_start = ctx.src.text.rfind("\n", 0, start) + 1
    if ctx.src.text[line_start:start].strip():
        return None
    line_end = ctx.src.text.find("\n", end)
    if line_end < 0 or ctx.src.text[end:line_end].strip("\r \t"):
        return None
    return Mutation(keys, assign.value, (line_start, line_end + 1))  # type: ignore[union-attr]


def _attr_name(ctx: FileContext, name: cst.Name) -> bool:
    parent = ctx.parent(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return True
    if isinstance(parent, cst.Arg) and parent.keyword is name:
        return True
    return isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param, cst.ImportAlias))


def _rename(ctx: FileContext, site: Site, method: str) -> Edit:
    verb = site.verb
    if isinstance(verb, cst.Name):
        span = ctx.src.span(verb)
        if span is None:
            raise Unsupported("the method of the call cannot be changed here")
        old = verb.value
        return Edit(span[0], span[1], method.lower() if old.islower() else method)
    if isinstance(verb, cst.SimpleString):
        span = ctx.src.span(verb)
        old = _literal(verb)
        if span is None or old is None or verb.prefix.lower() not in ("", "u"):
            raise Unsupported("the method of the call cannot be changed here")
        new = method.lower() if old.islower() else method
        text = ctx.src.text[span[0] : span[1]]
        quote_start = len(verb.prefix) + len(verb.quote)
        if text[quote_start : -len(verb.quote)] != old:  # escapes in the literal
            raise Unsupported("the method of the call cannot be changed here")
        return Edit(span[0] + quote_start, span[1] - len(verb.quote), new)
    raise Unsupported(f"the call must use {method}, and its method cannot be changed here")


def _newlines(ctx: FileContext, text: str) -> str:
    return text.replace("\n", "\r\n") if "\r\n" in ctx.src.module.default_newline else text


def _main_url(endpoint: Endpoint, params: dict[str, str]) -> str:
    """The Public URL template of the row as translate writes it (ids as `{lookup}`)."""
    path = endpoint.public_path or ""
    values = {
        name: "{" + endpoint.row.ids[name].lookup + "}" if name in endpoint.row.ids else params.get(name, "{" + name + "}")
        for name in template(path).params
    }
    return template(path).fill(values)


RESPONSE_OK = {"requests": "ok", "httpx": "is_success"}
"""How each client says a response succeeded (the next call runs only then)."""


def _split(
    ctx: FileContext, site: Site, calls: list[dict[str, Any]], suffixes: list[str], style: Style
) -> list[Edit]:
    """One Config call that is several Public calls (tracking plan rules):
    `resp = requests.patch(url, ...)`, then `if resp.ok: resp = requests.put(url + "/rules", ...)`,
    so the response left in `resp` is the first failure or the last success."""
    call = site.call
    func = call.func
    if not isinstance(func, cst.Attribute) or not isinstance(site.verb, cst.Name):
        raise Unsupported("the Public API needs more than one call here, and this call cannot be repeated")
    library = _library(ctx, func.value)
    if library is None:
        raise Unsupported("the Public API needs more than one call here, and the HTTP client cannot be told")
    assign = ctx.parent(call)
    line = ctx.parent(assign) if isinstance(assign, cst.Assign) else None
    if (
        not isinstance(line, cst.SimpleStatementLine)
        or len(line.body) != 1
        or len(assign.targets) != 1  # type: ignore[union-attr]
        or not isinstance(assign.targets[0].target, cst.Name)  # type: ignore[union-attr]
        or line.trailing_whitespace.comment is not None
    ):
        raise Unsupported("the Public API needs more than one call here: write it as `resp = client.put(...)`")
    target = assign.targets[0].target.value  # type: ignore[union-attr]
    url_arg = next((a for a in call.args if a.value is site.url), None)
    body_arg = next((a for a in call.args if a.keyword is not None and a.keyword.value in BODY_KEYWORDS), None)
    if url_arg is None or body_arg is None or not _pure(site.url):  # type: ignore[arg-type]
        raise Unsupported("the Public API needs more than one call here, and the URL cannot be used twice")
    others = [a for a in call.args if a is not url_arg and a is not body_arg]
    if any(a.star or a.keyword is None or not _pure(a.value) for a in others):
        raise Unsupported("the Public API needs more than one call here, and the call's arguments cannot be repeated")
    def code(node: cst.CSTNode) -> str | None:
        """The node's text with the edits already taken (the migrated URL)."""
        span = ctx.src.span(node)
        if span is None:
            return None
        inside = [e for e in ctx.edits if span[0] <= e.start and e.end <= span[1]]
        if any(e.start < span[1] and e.end > span[0] and e not in inside for e in ctx.edits):
            raise Unsupported("the Public API needs more than one call here, and the URL cannot be used twice")
        return apply(ctx.src.text[span[0] : span[1]], inside, span[0])

    url_text = code(site.url) or ""
    receiver = code(func.value) or ""
    wrap = site.body
    dumps = code(wrap.func) if isinstance(wrap, cst.Call) else None
    edits: list[Edit] = []
    first = calls[0]
    if first["method"] != (site.method or ""):
        edits.append(_rename(ctx, site, first["method"]))
    if suffixes[0]:
        span = ctx.src.span(site.url)  # type: ignore[arg-type]
        assert span is not None
        edits.append(Edit(span[1], span[1], f" + {_quote_suffix(suffixes[0], style)}"))
    statement = ctx.src.span(line)
    assert statement is not None
    newline = ctx.src.module.default_newline
    indent = style.indent if ctx.src.text[ctx.src.text.rfind("\n", 0, statement[0]) + 1 : statement[0]].strip() else (
        ctx.src.text[ctx.src.text.rfind("\n", 0, statement[0]) + 1 : statement[0]]
    )
    inner = indent + style.unit
    more: list[str] = []
    for call_, suffix in zip(calls[1:], suffixes[1:]):
        body_style = Style(style.quote, style.multiline, inner, style.unit, style.width, style.leaves, style.holes)
        body = render(call_.get("body"), body_style) if call_.get("body") is not None else None
        args = [url_text + (f" + {_quote_suffix(suffix, style)}" if suffix else "")]
        if body is not None:
            args.append(f"{body_arg.keyword.value}={dumps + '(' + body + ')' if dumps else body}")  # type: ignore[union-attr]
        args.extend(code(a) or "" for a in others)
        text = f"{receiver}.{call_['method'].lower()}({', '.join(a.rstrip(', ') for a in args)})"
        more.append(f"{newline}{indent}if {target}.{RESPONSE_OK[library]}:{newline}{inner}{target} = {text}")
    end = ctx.src.span(assign)
    assert end is not None
    if more:
        edits.append(Edit(end[1], end[1], _newlines(ctx, "".join(more)) if newline == "\n" else "".join(more)))
    return edits


def _quote_suffix(suffix: str, style: Style) -> str:
    return style.quote + suffix + style.quote


def _library(ctx: FileContext, receiver: cst.BaseExpression) -> str | None:
    """`requests` or `httpx`: the module itself, or a client made by it."""
    name = clients.qualified_name(ctx, receiver)
    if name in RESPONSE_OK:
        return name
    values = clients.resolve(ctx, receiver) if isinstance(receiver, (cst.Name, cst.Attribute)) else []
    found = {
        clients.qualified_name(ctx, v.func).split(".")[0]
        for v in values
        if isinstance(v, cst.Call) and clients.qualified_name(ctx, v.func).split(".")[-1] in ("Session", "Client")
    }
    if len(found) == 1 and next(iter(found)) in RESPONSE_OK and len(values) == 1:
        return next(iter(found))
    return None


def _read(reader: Reader, node: cst.Dict) -> Any:
    """The literal's value with the changes made to it before the call."""
    value = reader.value(node)
    for mutation in _mutations(node):
        item = reader.value(mutation.value)
        if contains_hole_or_opaque(item):
            raise Unsupported("a value set after the body is built is not a literal")
        target = value
        for key in mutation.keys[:-1]:
            target = target.get(key) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            raise Unsupported("a change made to the body after it is built cannot be followed")
        target[mutation.keys[-1]] = item
    return value


def _has_comment(text: str) -> bool:
    import io
    import tokenize

    try:
        return any(
            t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO("(" + text + ")").readline)
        )
    except (tokenize.TokenError, SyntaxError):
        return True




# -- texts that can be known ------------------------------------------------------

_TARGET_PARENTS = (
    cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.AsName, cst.NamedExpr,
    cst.NameItem, cst.Del, cst.Param, cst.MatchAs, cst.MatchStar,
)


def _binds(ctx: FileContext, name: cst.Name) -> bool:
    """Is this occurrence of a name a place that binds it (an assignment or
    unpacking target, a loop variable, a parameter, `as`, `global`, `del`)?"""
    node: cst.CSTNode = name
    parent = ctx.parent(node)
    while isinstance(parent, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, (cst.AugAssign, cst.AnnAssign)):
        return parent.target is node
    if isinstance(parent, (cst.For, cst.CompFor)):
        return parent.target is node
    if isinstance(parent, cst.NamedExpr):
        return parent.target is node
    return isinstance(parent, _TARGET_PARENTS)


def constant_text(ctx: FileContext, node: cst.BaseExpression, site: cst.CSTNode) -> str | None:
    """The one string `node` can hold, or None: string literals and f-strings
    of such, `+`, names bound once and never rebound (module constants, or
    locals of the function `site` is in, bound before it), and calls of a
    module function whose body is one `return` of such an expression."""
    return _const(ctx, node, {}, site, 0)


def _const(ctx: FileContext, node: cst.CSTNode, env: dict[str, str], site: cst.CSTNode, depth: int) -> str | None:
    if depth > 8:
        return None
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left = _const(ctx, node.left, env, site, depth + 1)
        right = _const(ctx, node.right, env, site, depth + 1)
        return left + right if left is not None and right is not None else None
    if isinstance(node, cst.FormattedString):
        if any(c in node.start.lower() for c in "rb"):
            return None
        out: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                if "\\" in part.value or "{" in part.value or "}" in part.value:
                    return None
                out.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression) and part.conversion is None and part.format_spec is None and part.equal is None:
                found = _const(ctx, part.expression, env, site, depth + 1)
                if found is None:
                    return None
                out.append(found)
            else:
                return None
        return "".join(out)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left = _const(ctx, node.left, env, site, depth + 1)
        right = _const(ctx, node.right, env, site, depth + 1) if left is not None else None
        return left + right if left is not None and right is not None else None
    if isinstance(node, cst.Name):
        if node.value in env:
            return env[node.value]
        value = _bound_once(ctx, node, site)
        return _const(ctx, value, {}, value, depth + 1) if value is not None else None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
        function = _simple_function(ctx, node.func.value)
        if function is None or any(a.keyword is not None or a.star for a in node.args):
            return None
        params = [p.name.value for p in function[0].params.params]
        if len(params) != len(node.args):
            return None
        values: dict[str, str] = {}
        for name, arg in zip(params, node.args):
            found = _const(ctx, arg.value, env, site, depth + 1)
            if found is None:
                return None
            values[name] = found
        return _const(ctx, function[1], values, function[1], depth + 1)
    return None


def _bound_once(ctx: FileContext, name: cst.Name, site: cst.CSTNode) -> cst.BaseExpression | None:
    """The value of a name assigned exactly once in the whole file (in the
    function of `site`, before it, or at module level) and never rebound."""
    index = ctx.index
    entries = [(scope, values) for (scope, key), values in index.assignments.items() if key == name.value]
    if len(entries) != 1 or len(entries[0][1]) != 1:
        return None
    scope, (value,) = entries[0]
    binding = [n for n in index.names.get(name.value, []) if _binds(ctx, n)]
    if len(binding) != 1 or not isinstance(ctx.parent(binding[0]), cst.AssignTarget):
        return None  # bound somewhere else too (a parameter, a loop, unpacking, `global`, ...)
    if any(key == name.value for _, key in index.attributes):
        return None
    if isinstance(scope, cst.FunctionDef):
        if index.scope_of(site) is not scope:
            return None
        if any(p.name.value == name.value for p in (*scope.params.params, *scope.params.kwonly_params)):
            return None
        value_span, site_span = ctx.src.span(value), ctx.src.span(site)
        if value_span is None or site_span is None or value_span[1] > site_span[0]:
            return None
        if ctx.statement_of(value) is not None and ctx.parent(ctx.statement_of(value)) is not ctx.parent(ctx.statement_of(site)):
            return None  # bound inside an `if` or a loop: not surely before
    elif not isinstance(scope, cst.Module):
        return None
    return value


def _simple_function(ctx: FileContext, name: str) -> tuple[cst.FunctionDef, cst.BaseExpression] | None:
    """A module-level `def f(a, b): return <expression>`, the only definition of `f`."""
    found = [n for n in ctx.index.parents if type(n) is cst.FunctionDef and n.name.value == name]
    if len(found) != 1 or not isinstance(ctx.index.scope_of(found[0]), cst.Module) or ctx.index.class_of(found[0]):
        return None
    if any(_binds(ctx, n) for n in ctx.index.names.get(name, [])):
        return None
    function = found[0]
    params = function.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT and params.star_arg is not None:
        return None
    if params.kwonly_params or params.star_kwarg or params.posonly_params or function.decorators:
        return None
    if any(p.default is not None for p in params.params):
        return None
    body = function.body
    statements = list(body.body) if isinstance(body, cst.IndentedBlock) else []
    if statements and isinstance(statements[0], cst.SimpleStatementLine) and len(statements) == 2:
        first = statements[0].body[0] if statements[0].body else None
        if isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)):
            statements = statements[1:]  # a docstring
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
        return None
    line = statements[0]
    if len(line.body) != 1 or not isinstance(line.body[0], cst.Return) or line.body[0].value is None:
        return None
    if any(key == name for _, key in ctx.index.assignments):
        return None
    return function, line.body[0].value
