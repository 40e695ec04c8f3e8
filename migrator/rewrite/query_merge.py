"""A URL that holds a query, and a query given beside it.

requests merges `params=` into the query the URL already has
(`get(".../regulations?status=FAILED", params={"pagination.count": 200})`
sends both). httpx does not: `params=` (even `{}`) replaces the URL's query,
so `status=FAILED` would be silently dropped; urllib3's `fields=` appends a
second `?`. A page size added to such a call goes into the URL text instead,
or the call is marked (`pagination`).
"""

from __future__ import annotations

from urllib.parse import urlencode

import libcst as cst

from migrator.rewrite import clients, query_held
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit
from migrator.rewrite.strings import Cell, build_chain, is_hole_char

SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
"""What a requests session is made with: its calls merge `params=` into the URL's query."""


def merges(ctx: FileContext, call: cst.Call) -> bool:
    """The call is provably a requests one (a module function, or a method of
    a session made with `requests.Session()` and nothing else)."""
    if clients.qualified_name(ctx, call.func).startswith("requests."):
        return _the_module(ctx, call.func)
    func = call.func
    if not isinstance(func, cst.Attribute):
        return False
    receiver = func.value
    made = [receiver] if isinstance(receiver, cst.Call) else [
        *clients.resolve(ctx, receiver), *clients._entered(ctx, receiver)
    ]
    return bool(made) and all(
        isinstance(v, cst.Call) and clients.qualified_name(ctx, v.func) in SESSIONS for v in made
    )


def _the_module(ctx: FileContext, func: cst.BaseExpression) -> bool:
    """The name `func` starts with is the imported module wherever the call
    is: not bound anew there (`requests = httpx.Client()`, a parameter
    `requests`) in its function or those around it, nor in the module."""
    head = func
    while isinstance(head, cst.Attribute):
        head = head.value
    if not isinstance(head, cst.Name):
        return False
    index = ctx.index
    scope = index.scope_of(head)
    while True:
        if index.assignments.get((scope, head.value)):
            return False
        if isinstance(scope, (cst.FunctionDef, cst.Lambda)) and head.value in _parameters(scope.params):
            return False
        if isinstance(scope, cst.Module):
            return True
        scope = index.scope_of(scope)


def _parameters(params: cst.Parameters) -> set[str]:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return {p.name.value for p in every}


def url_of(call: cst.Call, taken: int) -> cst.BaseExpression | None:
    """The URL argument: `url=`, else the positional one after the `taken - 1` before it (a method)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "url":
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[taken - 1].value if len(positional) >= taken else None


def url_query(ctx: FileContext, url: cst.BaseExpression) -> str | None:
    """The query the URL's text holds (`status=FAILED`), its names' values
    included; "" when one cannot be told apart (a name that may hold one);
    None when it has none."""
    try:
        texts = query_held.url_texts(ctx, url)
    except query_held.Unsure:
        return ""
    for text in texts:
        raw = text.value
        if "?" in raw:
            return "".join(c for c in raw.partition("?")[2].partition("#")[0] if not is_hole_char(c)).rstrip("\"'")
    return None


def append(ctx: FileContext, url: cst.BaseExpression, query: dict[str, str | int]) -> Edit | None:
    """`"...?status=FAILED"` → `"...?status=FAILED&pagination.count=200"`:
    the keys written at the end of the URL's own last string, when the `?` is
    written in the call's URL text too and nothing but a value (`=…{v}`)
    follows that string; None otherwise."""
    chain = build_chain(ctx.src, url)
    if chain is None or chain.is_bytes or not chain.items:
        return None
    template = chain.template()
    if "?" not in template or "#" in template:
        return None
    last = chain.items[-1]
    if isinstance(last, Cell):
        token = last.token
    else:
        before = template[-2] if len(template) > 1 else ""
        if last.kind == "operand" or last.token is None or before != "=":
            return None  # `"...?" + q`, `f"...?{q}"`: what follows is not seen
        token = last.token
    if token.is_bytes:
        return None
    added = urlencode(query, safe=".")
    if any(c in added for c in "{}%\\"):
        return None
    text = ctx.src.text[token.span[0]:token.span[1]]
    if not text.endswith(token.quote):
        return None
    end = token.span[1] - len(token.quote)
    joiner = "" if template.endswith(("?", "&")) else "&"
    return Edit(end, end, joiner + added)
