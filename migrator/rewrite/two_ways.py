"""A module-level name bound two ways: by an import and by a value of the
file (`try: from settings import BASE` / `except ImportError: BASE =
"https://platform.segmentapis.com/v1beta"`, or the same under `if`/`else`).
Which one it holds at run time cannot be told, so its value is not followed:
a Config base assigned to it stays on the Config API, marked, and so do the
paths joined to the name (their markers say why)."""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.bindings import import_statements
from migrator.rewrite.context import FileContext


def imported_too(ctx: FileContext, name: str) -> cst.Import | cst.ImportFrom | None:
    """The first module-level import binding `name` (in any block: `try:`,
    `if`), when the file also assigns `name` at module level; None when it
    does not, or when the one import is the one whose constant the codemod
    reads a copy of (`shared_bases`: that copy is the assignment)."""
    found = import_statements(ctx).get(name)
    values = ctx.index.assignments.get((ctx.src.module, name))
    if not found or not values:
        return None
    if len(found) == 1 and (name in ctx.shared.imported or name in ctx.shared.imported_code):
        return None
    if all(_straight(ctx, node) for node in (*found, *values)) and max(_start(ctx, v) for v in values) > max(_start(ctx, f) for f in found):
        return None  # `from defaults import BASE` then `BASE = "..."`, both in the module's body: the value wins
    return found[0]


def _straight(ctx: FileContext, node: cst.CSTNode) -> bool:
    """`node` is in a statement of the module's own body (no `try:`, `if`, loop around it)."""
    parents = ctx.index.parents
    while node is not None and not isinstance(node, cst.SimpleStatementLine):
        node = parents.get(node)
    return node is not None and parents.get(node) is ctx.src.module


def _start(ctx: FileContext, node: cst.CSTNode) -> int:
    return (ctx.src.span(node) or (0, 0))[0]


def module_level(ctx: FileContext, name: cst.Name) -> bool:
    """`name`, read where it stands, is the module's (no function or class
    scope around it assigns it or takes it as a parameter)."""
    from migrator.rewrite.clients import resolve

    values = resolve(ctx, name)
    return bool(values) and all(ctx.index.scope_of(v) is ctx.src.module and ctx.index.class_of(v) is None
                                for v in values)


def two_ways(ctx: FileContext, expr: cst.CSTNode | None) -> cst.Import | cst.ImportFrom | None:
    """`imported_too` for a name read where it stands (`f"{BASE}/…"`)."""
    if not isinstance(expr, cst.Name):
        return None
    found = imported_too(ctx, expr.value)
    return found if found is not None and module_level(ctx, expr) else None


def written(ctx: FileContext, statement: cst.Import | cst.ImportFrom) -> str:
    """The module an import names, as written (`settings`, `.settings`)."""
    if isinstance(statement, cst.Import):
        return ", ".join(ctx.src.code(a.name) or "?" for a in statement.names)
    return "." * len(statement.relative) + (ctx.src.code(statement.module) or "" if statement.module else "")
