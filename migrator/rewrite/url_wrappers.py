"""Expressions whose value is the URL they wrap: `str(url)` (the builtin,
one argument) and `await url` (an `async def` helper returning it, called as
`await self._url(...)`). Calls read through them as if the URL were written
bare; any other wrapper (`url.strip()`, `[url][0]`) is not followed."""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext


def wrapper(ctx: FileContext, node: cst.CSTNode) -> cst.BaseExpression | None:
    """The expression right around `node` that has its value, if any."""
    parent = ctx.parent(node)
    if isinstance(parent, cst.Await) and parent.expression is node:
        return parent
    if isinstance(parent, cst.Arg):
        call = ctx.parent(parent)
        if isinstance(call, cst.Call) and _str_of(ctx, call) is node:
            return call
    return None


def unwrap(ctx: FileContext, node: cst.BaseExpression) -> cst.BaseExpression:
    """`node` without the wrappers that keep its value (`str(await x)` → `x`)."""
    while True:
        if isinstance(node, cst.Await):
            node = node.expression
            continue
        inner = _str_of(ctx, node) if isinstance(node, cst.Call) else None
        if inner is None:
            return node
        node = inner


def _str_of(ctx: FileContext, call: cst.Call) -> cst.BaseExpression | None:
    """`x` of `str(x)`, the builtin `str` (not one the file binds)."""
    if not (isinstance(call.func, cst.Name) and call.func.value == "str" and len(call.args) == 1):
        return None
    arg = call.args[0]
    if arg.keyword is not None or arg.star:
        return None
    index = ctx.index
    if "str" in index.modules or index.star_imports:
        return None
    for name in index.names.get("str", []):
        parent = ctx.parent(name)
        if name in index.targets or isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param)):
            return None  # `str = ...`, `def str(...)`: not the builtin
    return arg.value
