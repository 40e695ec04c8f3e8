"""Host-less Config paths that a comparison pins (`assert
conn.SOURCES_PATH.format("acme") == "v1beta/workspaces/acme/sources"`).

Such a path is compared whole with a constant (of this module or one it
imports), not joined to a base: no base URL of the file is its base, so
none is held back with it. It cannot move on its own (the constant moves,
or not, with the paths joined to it where it is built): it is marked,
saying what it is compared with.

A Config base URL literal compared whole with a name holding a Config base
(`assert api.API == "https://platform.segmentapis.com/v1beta"`) moves with
that base, or stays with it (`base_pin`); compared with a constant of
another module that this file reaches in a way the run does not follow, so
that it stays, it stays with it (`held_pin`).
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.bindings import binds, imported
from migrator.rewrite.context import FileContext


def pinned(ctx: FileContext, node: cst.CSTNode, flow: clients.Flow) -> cst.BaseExpression | None:
    """What `node`, a string used only as one side of `==` (or `!=`), filled
    in with `.format(...)` or `%` or not, directly or through the name it is
    bound to, is compared with, when that is a string literal or a constant
    (a name of a module constant or import, a read off an imported module:
    `conn.SOURCES_PATH`, filled in or not); None otherwise."""
    if not flow.compared or flow.url or flow.prefix or flow.bases or flow.clients or flow.searched or flow.opaque:
        return None
    uses: list[cst.CSTNode] = [node]
    parent = ctx.parent(node)
    if isinstance(parent, cst.Assign) and parent.value is node:
        if len(parent.targets) != 1 or not isinstance(parent.targets[0].target, cst.Name):
            return None
        uses = clients._uses(ctx, parent.targets[0].target, parent)
    found: cst.BaseExpression | None = None
    for use in uses:
        other = _compared_with(ctx, use)
        if other is None:
            return None
        found = found or other
    return found


def _compared_with(ctx: FileContext, node: cst.CSTNode) -> cst.BaseExpression | None:
    """The other side of the `==` that `node` (filled in or not) is one side of,
    when it is a string literal or a constant."""
    other = other_side(ctx, node)
    if other is None:
        return None
    literal = isinstance(other, (cst.SimpleString, cst.ConcatenatedString)) and not _is_bytes(other)
    return other if literal or _constant(ctx, other) else None


def other_side(ctx: FileContext, node: cst.CSTNode) -> cst.BaseExpression | None:
    """The other side of the one `==` (or `!=`) that `node`, filled in with
    `.format(...)` or `%` or not, is a side of."""
    while True:
        parent = ctx.parent(node)
        call = ctx.parent(parent) if isinstance(parent, cst.Attribute) else None
        if isinstance(parent, cst.Attribute) and parent.attr.value == "format" and isinstance(call, cst.Call) \
                and call.func is parent:
            node = call
        elif isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Modulo) \
                and parent.left is node:
            node = parent
        else:
            break
    other: cst.BaseExpression | None = None
    if isinstance(parent, cst.ComparisonTarget) and isinstance(parent.operator, (cst.Equal, cst.NotEqual)):
        comparison = ctx.parent(parent)
        if isinstance(comparison, cst.Comparison) and len(comparison.comparisons) == 1:
            other = comparison.left
    elif isinstance(parent, cst.Comparison) and parent.left is node and len(parent.comparisons) == 1 \
            and isinstance(parent.comparisons[0].operator, (cst.Equal, cst.NotEqual)):
        other = parent.comparisons[0].comparator
    return other


def _is_bytes(node: cst.BaseExpression) -> bool:
    while isinstance(node, cst.ConcatenatedString):
        node = node.left
    return isinstance(node, cst.SimpleString) and "b" in node.prefix.lower()


def _constant(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """`NAME`, `module.NAME`, `NAME.format(...)`, `NAME % (...)`: a module
    constant, or a constant of an imported module, filled in or not."""
    while True:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            node = node.func.value
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
            node = node.left
        else:
            break
    if isinstance(node, cst.Attribute):
        head: cst.BaseExpression = node
        while isinstance(head, cst.Attribute):
            head = head.value
        return isinstance(head, cst.Name) and head.value in imported(ctx)
    if not isinstance(node, cst.Name):
        return False
    if node.value in imported(ctx):
        return True
    bound = [n for n in ctx.index.names.get(node.value, []) if binds(ctx, n)]
    return len(bound) == 1 and bound[0] in ctx.index.targets and isinstance(ctx.index.scope_of(bound[0]), cst.Module) \
        and ctx.index.class_of(bound[0]) is None


def base_pin(ctx: FileContext, node: cst.CSTNode) -> list[cst.CSTNode]:
    """The Config base chains that `node`, a base URL literal compared whole
    with a name or attribute holding a Config base (`assert api.API ==
    "https://…/v1beta"`), pins: it moves with them or stays with them."""
    from migrator.rewrite.path_reading import base_roots, classify

    other = other_side(ctx, node)
    if not isinstance(other, (cst.Name, cst.Attribute)) or classify(ctx, other) != "config":
        return []
    return list(base_roots(ctx, other))


def held_pin(ctx: FileContext, node: cst.CSTNode) -> dict[str, str] | None:
    """For `node`, a base URL literal compared whole with a name or a read
    off a module (`assert settings.BASE == "https://…/v1beta"`) by which
    this file reaches another module's base constant in a way the run does
    not follow, so that the constant stays (`SharedBases.blocked`): the name
    as written and that module, for the marker; None otherwise."""
    other = other_side(ctx, node)
    if not isinstance(other, (cst.Name, cst.Attribute)) or not ctx.shared.blocked:
        return None
    written = ctx.src.code(other)
    module = ctx.shared.blocked.get(written) if written is not None else None
    return {"name": written, "module": module} if written is not None and module is not None else None
