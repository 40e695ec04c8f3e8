"""Where a file binds a name, and what its imports bind (as written, with
their relative dots): for following values across modules only through
names nothing else in the file rebinds."""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.constants import binds as target_binds
from migrator.rewrite.context import SMALL_STATEMENTS, FileContext, _dotted


def binds(ctx: FileContext, name: cst.Name) -> bool:
    """`name` is bound where it stands: as `constants.binds` says, or as the
    name of a `def`, a class or an `except ... as`."""
    holder = ctx.parent(name)
    if isinstance(holder, (cst.FunctionDef, cst.ClassDef)):
        return holder.name is name
    return isinstance(holder, cst.ExceptHandler) or target_binds(ctx, name)


def imported(ctx: FileContext) -> dict[str, str]:
    """Names a module-level import binds, and nothing else in the file
    (no other import, assignment, parameter, loop target, def..., and no
    star import that may bind any name) → what they name, as written
    (`..client`, `app.client.sources`)."""
    return _imports(ctx)[1]


def module_imports(ctx: FileContext) -> dict[str, str]:
    """Every name a module-level import binds → what it names, bound again
    elsewhere in the file or not."""
    return _imports(ctx)[0]


def _imports(ctx: FileContext) -> tuple[dict[str, str], dict[str, str]]:
    found = ctx.state.get(__name__)
    if isinstance(found, tuple):
        return found
    specs: dict[str, str] = {}
    counts: dict[str, int] = {}
    star = False
    index, module = ctx.index, ctx.src.module
    for node in ctx.index.parents:
        if type(node) is not cst.Import and type(node) is not cst.ImportFrom:
            continue
        star = star or isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar)
        at_top = index.scope_of(node) is module and index.class_of(node) is None  # `try:` or `if` blocks too
        for local, spec in _bound(node):
            counts[local] = counts.get(local, 0) + 1
            if at_top:
                specs.setdefault(local, spec)
    result: dict[str, str] = {}
    for local, spec in specs.items() if not star else ():
        if counts[local] != 1:
            continue
        others = [n for n in ctx.index.names.get(local, []) if binds(ctx, n) and not in_import(ctx, n)]
        if not others:
            result[local] = spec
    ctx.state[__name__] = (specs, result)
    return specs, result


def function_imports(ctx: FileContext) -> dict[int, dict[str, str]]:
    """Names an import in a function's own body binds (`def default_client():
    from app.client import Client`), and nothing else binds in that function,
    → what they name, by the function's id: what such a name names there."""
    key = __name__ + ".functions"
    found = ctx.state.get(key)
    if isinstance(found, dict):
        return found
    index = ctx.index
    counts: dict[tuple[int, str], int] = {}
    specs: dict[tuple[int, str], str] = {}
    for node in index.parents:
        if type(node) is not cst.Import and type(node) is not cst.ImportFrom:
            continue
        function = index.scope_of(node)
        if not isinstance(function, cst.FunctionDef):
            continue
        for local, spec in _bound(node):
            counts[(id(function), local)] = counts.get((id(function), local), 0) + 1
            specs[(id(function), local)] = spec
    out: dict[int, dict[str, str]] = {}
    for (function, local), spec in specs.items():
        others = [n for n in index.names.get(local, []) if id(index.scope_of(n)) == function
                  and binds(ctx, n) and not in_import(ctx, n)]
        if counts[(function, local)] == 1 and not others:
            out.setdefault(function, {})[local] = spec
    ctx.state[key] = out
    return out


def _bound(node: cst.Import | cst.ImportFrom) -> list[tuple[str, str]]:
    """(local name, what it names) for each name an import binds."""
    out: list[tuple[str, str]] = []
    if isinstance(node, cst.Import):
        for alias in node.names:
            dotted = _dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                out.append((alias.asname.name.value, dotted))
            else:
                out.append((dotted.split(".")[0], dotted.split(".")[0]))
        return out
    if isinstance(node.names, cst.ImportStar):
        return out
    module = "." * len(node.relative) + (_dotted(node.module) if node.module is not None else "")
    for alias in node.names:
        name = _dotted(alias.name)
        local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
        out.append((local, f"{module}.{name}" if module.strip(".") else module + name))
    return out


def in_import(ctx: FileContext, name: cst.Name) -> bool:
    node: cst.CSTNode | None = name
    while node is not None and type(node) not in SMALL_STATEMENTS:
        node = ctx.parent(node)
    return type(node) is cst.Import or type(node) is cst.ImportFrom


def import_statements(ctx: FileContext) -> dict[str, list[cst.Import | cst.ImportFrom]]:
    """Each name module-level imports bind (in any block: `try:`, `if`) →
    those imports, in the order of the file."""
    key = __name__ + ".statements"
    found = ctx.state.get(key)
    if isinstance(found, dict):
        return found
    statements: dict[str, list[cst.Import | cst.ImportFrom]] = {}
    index, module = ctx.index, ctx.src.module
    for node in index.parents:
        if (type(node) is cst.Import or type(node) is cst.ImportFrom) and index.scope_of(node) is module \
                and index.class_of(node) is None:
            for local, _ in _bound(node):
                statements.setdefault(local, []).append(node)
    for nodes in statements.values():
        nodes.sort(key=lambda n: (ctx.src.span(n) or (0, 0))[0])
    ctx.state[key] = statements
    return statements
