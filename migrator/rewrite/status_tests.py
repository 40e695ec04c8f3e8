"""Tests of a response's status that tell a 404 apart, and the helpers of a
module a response is handed to (for `slugs_unreached`).

A test of the status handles a 404 when it names 404 (`== 404`,
`in (200, 404)`, `!= HTTPStatus.NOT_FOUND`) or when a 404 and a 200 take
different ways through it: `>= 400`, `> 399`, `!= 200`, `< 400`,
`// 100 == 4`, `in range(400, 600)`. A test of values the code does not
fix (`>= LIMIT`), or that a 404 passes as a 200 does (`>= 500`), does not.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from http import HTTPStatus

import libcst as cst

from migrator.rewrite.context import FileContext

NOT_FOUND = 404
SUCCESS = 200
_UNKNOWN = object()
"""A value the test does not fix."""

_ARITHMETIC: dict[type, Callable[[int, int], int]] = {
    cst.FloorDivide: operator.floordiv, cst.Modulo: operator.mod, cst.Add: operator.add, cst.Subtract: operator.sub,
}
_COMPARE: dict[type, Callable[[object, object], bool]] = {
    cst.Equal: operator.eq, cst.NotEqual: operator.ne, cst.LessThan: operator.lt, cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt, cst.GreaterThanEqual: operator.ge,
    cst.In: lambda a, b: a in b, cst.NotIn: lambda a, b: a not in b,  # type: ignore[operator]
}


def status_test(ctx: FileContext, status: cst.Attribute) -> cst.Comparison | None:
    """The comparison `status` (`r.status_code`) is tested in, when it
    handles a 404 (see above); or None."""
    node: cst.CSTNode = status
    parent = ctx.parent(node)
    while isinstance(parent, cst.BinaryOperation) and parent.left is node:  # `status // 100`
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, cst.ComparisonTarget):
        parent = ctx.parent(parent)
    if not isinstance(parent, cst.Comparison):
        return None
    sides = [parent.left, *(t.comparator for t in parent.comparisons)]
    if any(_names_404(side) for side in sides if side is not node):
        return parent
    found, success = _evaluate(parent, status, NOT_FOUND), _evaluate(parent, status, SUCCESS)
    return parent if _UNKNOWN not in (found, success) and found != success else None


def _names_404(side: cst.BaseExpression) -> bool:
    values = side.elements if isinstance(side, (cst.Tuple, cst.List, cst.Set)) else [side]
    return any(_evaluate(v.value if isinstance(v, cst.BaseElement) else v, None, 0) == NOT_FOUND for v in values)


def _evaluate(node: cst.CSTNode, status: cst.CSTNode | None, value: int) -> object:
    """`node`'s value with `status` worth `value`; `_UNKNOWN` when the code does not fix it."""
    if node is status:
        return value
    if isinstance(node, cst.Integer):
        return node.evaluated_value
    if isinstance(node, cst.Attribute):
        return _named_status(node)
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        items = [_evaluate(e.value, status, value) for e in node.elements if isinstance(e, cst.Element)]
        return _UNKNOWN if _UNKNOWN in items or len(items) != len(node.elements) else tuple(items)
    if isinstance(node, cst.BinaryOperation) and type(node.operator) in _ARITHMETIC:
        left, right = _evaluate(node.left, status, value), _evaluate(node.right, status, value)
        if not (isinstance(left, int) and isinstance(right, int)) or (right == 0 and _divides(node)):
            return _UNKNOWN
        return _ARITHMETIC[type(node.operator)](left, right)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "range":
        bounds = [_evaluate(a.value, status, value) for a in node.args if a.keyword is None and not a.star]
        if len(bounds) != len(node.args) or not 1 <= len(bounds) <= 3 or not all(isinstance(b, int) for b in bounds):
            return _UNKNOWN
        return range(*bounds)  # type: ignore[arg-type]
    if isinstance(node, cst.Comparison):
        left = _evaluate(node.left, status, value)
        for target in node.comparisons:
            right = _evaluate(target.comparator, status, value)
            compare = _COMPARE.get(type(target.operator))
            if compare is None or _UNKNOWN in (left, right):
                return _UNKNOWN
            try:
                if not compare(left, right):
                    return False
            except TypeError:
                return _UNKNOWN
            left = right
        return True
    return _UNKNOWN


def _divides(node: cst.BinaryOperation) -> bool:
    return isinstance(node.operator, (cst.FloorDivide, cst.Modulo))


def _named_status(node: cst.Attribute) -> object:
    """`HTTPStatus.NOT_FOUND`, `requests.codes.not_found`: the status they name."""
    owner = node.value.attr.value if isinstance(node.value, cst.Attribute) else getattr(node.value, "value", None)
    name = node.attr.value
    if owner == "HTTPStatus" and name in HTTPStatus.__members__:
        return HTTPStatus[name].value
    if owner == "codes" and name.upper() in HTTPStatus.__members__:
        return HTTPStatus[name.upper()].value
    return _UNKNOWN


# -- helpers a response is handed to -----------------------------------------------------


def helper_parameter(ctx: FileContext, call: cst.Call, arg: cst.Arg) -> tuple[cst.FunctionDef, str] | None:
    """The function of this module `call` calls (`check(r)`: a function of
    the module, defined once; `self.check(r)`: a method of the class the call
    is in) and the name of its parameter that gets `arg`; or None."""
    function = _function(ctx, call)
    if function is None:
        return None
    params = function.params
    if arg.keyword is not None:
        named = [p for p in (*params.params, *params.kwonly_params) if p.name.value == arg.keyword.value]
        return (function, named[0].name.value) if named else None
    before = call.args[: call.args.index(arg)]
    if arg.star or any(a.keyword is not None or a.star for a in before):
        return None
    positional = [*params.posonly_params, *params.params]
    if isinstance(call.func, cst.Attribute) and not _static(function):
        positional = positional[1:]  # `self`, `cls`
    index = len(before)
    return (function, positional[index].name.value) if index < len(positional) else None


def _function(ctx: FileContext, call: cst.Call) -> cst.FunctionDef | None:
    func = call.func
    if isinstance(func, cst.Name):
        found = _defs(ctx, func.value)  # one `def` of that name, at the module's level
        found = found if all(isinstance(ctx.parent(d), cst.Module) for d in found) else []
        bound = [n for n in ctx.index.names.get(func.value, []) if n in ctx.index.targets]
    elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
        klass = ctx.index.class_of(call)
        found = [d for d in _defs(ctx, func.attr.value) if klass is not None and _body_of(ctx, d) is klass]
        bound = ctx.index.self_attributes.get((klass, func.attr.value), []) if klass is not None else []
        bound = [b for b in bound if b in ctx.index.targets]
    else:
        return None
    return found[0] if len(found) == 1 and not bound else None


def _defs(ctx: FileContext, name: str) -> list[cst.FunctionDef]:
    return [
        d for n in ctx.index.names.get(name, [])
        if isinstance(d := ctx.parent(n), cst.FunctionDef) and d.name is n
    ]


def _body_of(ctx: FileContext, function: cst.FunctionDef) -> cst.CSTNode | None:
    """The class whose body holds `function` directly."""
    block = ctx.parent(function)
    return ctx.parent(block) if isinstance(block, cst.IndentedBlock) else None


def _static(function: cst.FunctionDef) -> bool:
    return any(isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in function.decorators)
