"""The HTTP calls of a file and what they send (for `bodies`): the method,
the URL and the body expression of each call, directly or through a helper
of the same file that passes its arguments on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from migrator.rewrite import clients, url_wrappers
from migrator.rewrite.context import FileContext
from migrator.rewrite.path_reading import whole_paths
from migrator.rewrite.strings import build_chain
from migrator.rewrite.table import Table

BODY_KEYWORDS = ("json", "data", "content")


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


_SITES: dict[int, tuple[FileContext, list[Site]]] = {}


def forget(ctx: FileContext) -> None:
    """Drop what was found for a file once it is done."""
    _SITES.pop(id(ctx), None)


def not_requests(ctx: FileContext, calls: set[int]) -> None:
    """Calls (ids) that send no request, such as test doubles given an answer
    (`m.post(url, json=...)`): what they are given is not a request body."""
    sites = sites_of(ctx)
    sites[:] = [s for s in sites if id(s.call) not in calls]

_NEEDLES: dict[int, tuple[Table, frozenset[str]]] = {}


def when_body_needles(table: Table) -> frozenset[str]:
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


def sites_of(ctx: FileContext) -> list[Site]:
    """Every HTTP call of the file (computed once per file)."""
    found = _SITES.get(id(ctx))
    if found is None or found[0] is not ctx:
        calls = _calls(ctx)
        helpers = _helpers(ctx, calls)
        sites = [s for s in (_site(ctx, c, helpers) for c in calls) if s is not None]
        found = _SITES[id(ctx)] = (ctx, sites)
    return found[1]


def root_of(ctx: FileContext, url: cst.BaseExpression) -> tuple[int, int] | None:
    found = url_chain(ctx, url)
    return ctx.src.span(found[0].root) if found is not None else None


def _calls(ctx: FileContext) -> list[cst.Call]:
    found = [n for n in ctx.index.parents if type(n) is cst.Call]
    spans = [(ctx.src.span(n), n) for n in found]
    return [n for s, n in sorted(((s, n) for s, n in spans if s is not None), key=lambda x: x[0])]


def literal_str(node: cst.BaseExpression | None) -> str | None:
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
    method = helper.verb_literal or literal_str(verb_node)
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
    if clients.qualified_name(ctx, call.func) in URLLIB_CALLS:
        return _urllib(call, positional, keyword)
    if bare == "request" and isinstance(call.func, cst.Attribute):
        method_node = keyword["method"].value if "method" in keyword else (positional[0].value if positional else None)
        url = keyword["url"].value if "url" in keyword else (positional[1].value if len(positional) > 1 else None)
        if len(positional) > 2:
            return None
        method = literal_str(method_node)
        return Site(
            call,
            method.upper() if method and method.lower() in clients.VERBS else None,
            url,
            body,
            verb=method_node if method else None,
        )
    return None


URLLIB_CALLS = ("urllib.request.Request", "urllib.request.urlopen")


def _urllib(call: cst.Call, positional: list[cst.Arg], keyword: dict[str, cst.Arg]) -> Site | None:
    """`Request(url, data, headers, method=...)` and `urlopen(url, data)`: the
    method is `method=`, else POST with data and GET without."""
    if any(a.star for a in call.args) or len(positional) > (3 if callee_is_request(call) else 2):
        return None
    url = keyword["url"].value if "url" in keyword else (positional[0].value if positional else None)
    data = keyword["data"].value if "data" in keyword else (positional[1].value if len(positional) > 1 else None)
    if isinstance(data, cst.Name) and data.value == "None":
        data = None
    method_node = keyword["method"].value if "method" in keyword else None
    method = literal_str(method_node) if method_node is not None else ("POST" if data is not None else "GET")
    if method is None or method.lower() not in clients.VERBS:
        return None
    return Site(call, method.upper(), url, data, verb=method_node if isinstance(method_node, cst.SimpleString) else None)


def callee_is_request(call: cst.Call) -> bool:
    return clients.callee_name(call) == "Request"


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
                literal = literal_str(site.verb)
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


def url_chain(ctx: FileContext, url: cst.BaseExpression) -> tuple[Any, bool] | None:
    inline = True
    url = url_wrappers.unwrap(ctx, url)  # `str(url)`, `await self._url(...)`: the URL itself
    node = url
    if isinstance(url, (cst.Name, cst.Attribute)):
        values = clients.resolve(ctx, url)
        if len(values) != 1:
            return None
        node = url_wrappers.unwrap(ctx, values[0])
        inline = False
    if isinstance(node, cst.Call):
        # `self._url("sources/...")`: a path a helper of the file joins after the workspace
        given = [a.value for a in node.args if id(a.value) in whole_paths(ctx)]
        if len(given) == 1 and len(node.args) == 1:
            node = given[0]
    chain = build_chain(ctx.src, node)
    if chain is None:
        from migrator.rewrite import calls

        chain = calls.config_chain(ctx, node)  # a template filled in at this call
    if chain is None or chain.is_bytes:
        return None
    return chain, inline
