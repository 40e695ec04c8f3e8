"""Texts that can be known before the program runs: string literals, `+`,
`"/".join([...])` of such, names bound once, and calls of one-line module
functions."""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext, node_types


_TARGET_PARENTS = (
    cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.AsName, cst.NamedExpr,
    cst.NameItem, cst.Del, cst.Param, cst.MatchAs, cst.MatchStar,
)

_TARGET_TYPES = node_types(*_TARGET_PARENTS)
_UNPACKING = node_types(cst.Element, cst.StarredElement, cst.Tuple, cst.List)
_WITH_TARGET = node_types(cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)


def binds(ctx: FileContext, name: cst.Name) -> bool:
    """Is this occurrence of a name a place that binds it (an assignment or
    unpacking target, a loop variable, a parameter, `as`, `global`, `del`)?"""
    node: cst.CSTNode = name
    parent = ctx.parent(node)
    while type(parent) in _UNPACKING:
        node, parent = parent, ctx.parent(parent)  # type: ignore[arg-type]
    kind = type(parent)  # (exact types: libcst's nodes are ABCs, slow to test with isinstance())
    if kind in _WITH_TARGET:
        return parent.target is node  # type: ignore[union-attr]
    if kind is cst.Param:
        return parent.name is node  # type: ignore[union-attr]  # not its default (`def f(factory=Client)`)
    return kind in _TARGET_TYPES


def constant_text(ctx: FileContext, node: cst.BaseExpression, site: cst.CSTNode) -> str | None:
    """The one string `node` can hold, or None: string literals and f-strings
    of such, `+`, `sep.join([...])`, names bound once and never rebound
    (module constants, or locals of the function `site` is in, bound before
    it), and calls of a module function whose body is one `return` of such
    an expression."""
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
        value = bound_once(ctx, node, site)
        return _const(ctx, value, {}, value, depth + 1) if value is not None else None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "join":
        return _joined(ctx, node, env, site, depth)
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


def _joined(ctx: FileContext, call: cst.Call, env: dict[str, str], site: cst.CSTNode, depth: int) -> str | None:
    """`"/".join([HOST, "v1beta"])`: a separator joining a literal list or tuple of texts."""
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    items = call.args[0].value
    if not isinstance(items, (cst.List, cst.Tuple)) or any(not isinstance(e, cst.Element) for e in items.elements):
        return None
    separator = _const(ctx, call.func.value, env, site, depth + 1)  # type: ignore[attr-defined]
    parts = [_const(ctx, e.value, env, site, depth + 1) for e in items.elements]
    if separator is None or any(p is None for p in parts):
        return None
    return separator.join(parts)  # type: ignore[arg-type]


def bound_once(ctx: FileContext, name: cst.Name, site: cst.CSTNode) -> cst.BaseExpression | None:
    """The value of a name assigned exactly once in the whole file (in the
    function of `site`, before it, or at module level) and never rebound."""
    index = ctx.index
    entries = [(scope, values) for (scope, key), values in index.assignments.items() if key == name.value]
    if len(entries) != 1 or len(entries[0][1]) != 1:
        return None
    scope, (value,) = entries[0]
    binding = [n for n in index.names.get(name.value, []) if binds(ctx, n) and not _imported_copy(ctx, n)]
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


def _imported_copy(ctx: FileContext, name: cst.Name) -> bool:
    """`from settings import API as name`, of a constant the codemod reads
    a copy of at the end of the file (`shared_bases`): one binding with it."""
    parent = ctx.parent(name)
    return name.value in ctx.shared.imported and isinstance(parent, cst.AsName) \
        and isinstance(ctx.parent(parent), cst.ImportAlias)


def _simple_function(ctx: FileContext, name: str) -> tuple[cst.FunctionDef, cst.BaseExpression] | None:
    """A module-level `def f(a, b): return <expression>`, the only definition of `f`."""
    found = [n for n in ctx.index.parents if type(n) is cst.FunctionDef and n.name.value == name]
    if len(found) != 1 or not isinstance(ctx.index.scope_of(found[0]), cst.Module) or ctx.index.class_of(found[0]):
        return None
    if any(binds(ctx, n) for n in ctx.index.names.get(name, [])):
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
