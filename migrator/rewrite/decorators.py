"""Decorators a function can be followed through: the decorated function
takes the same arguments and returns what the function returns (retry and
backoff wrappers, caches, decorators that give the function back as it is).
Any other decorator may change both, so what flows into or out of its
function is not followed.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext

KNOWN = frozenset(
    {
        "backoff.on_exception", "backoff.on_predicate",
        "tenacity.retry", "retrying.retry", "retry.retry", "retry.api.retry",
        "ratelimit.limits", "ratelimit.sleep_and_retry",
        "functools.lru_cache", "functools.cache",
    }
)
"""Library decorators that retry, wait or cache, and return the function's value."""

IDENTITY = frozenset(
    {
        "typing.override", "typing_extensions.override", "typing.final", "typing_extensions.final",
        "typing.no_type_check", "typing_extensions.no_type_check",
        "warnings.deprecated", "typing_extensions.deprecated",
    }
)
"""Library decorators that give back the function itself (marked for type
checkers) or a wrapper that warns and calls it (`deprecated("...")`)."""


MANAGERS = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})
"""Decorators that make a generator function a context manager: `with f() as x` binds what it yields."""


def manager(ctx: FileContext, function: cst.FunctionDef) -> bool:
    """`function` is a context manager (one of `MANAGERS`, once) whose other decorators are `transparent`."""
    from migrator.rewrite.clients import qualified_name

    managing = [d for d in function.decorators if qualified_name(ctx, d.decorator) in MANAGERS]
    return len(managing) == 1 and all(d is managing[0] or transparent(ctx, d) for d in function.decorators)


def transparent(ctx: FileContext, decorator: cst.Decorator) -> bool:
    """`decorator` is known to pass arguments and the return value through."""
    from migrator.rewrite.clients import qualified_name

    node = decorator.decorator
    factory = isinstance(node, cst.Call)
    target = node.func if isinstance(node, cst.Call) else node
    name = qualified_name(ctx, target)
    if name in KNOWN or name in IDENTITY:
        return True
    if isinstance(target, cst.Name):
        defined = [
            s for s in ctx.src.module.body
            if isinstance(s, cst.FunctionDef) and s.name.value == target.value
        ]
        if len(defined) == 1:
            return _wrapping(ctx, defined[0], factory) or _identity(defined[0], factory)
    return False


def _identity(function: cst.FunctionDef, factory: bool) -> bool:
    """A decorator of this file (`def command(fn)`, or a factory returning
    one) that gives back its one parameter on every path, the parameter
    never bound again nor its code or defaults replaced (`COMMANDS[fn.__name__]
    = fn; return fn`): the decorated name is the function itself."""
    if factory:
        inner = _only_def(function)
        if inner is None:
            return False
        function = inner
    params = function.params
    if function.decorators or function.asynchronous is not None or len(params.params) != 1 \
            or isinstance(params.star_arg, cst.Param) or params.kwonly_params or params.star_kwarg is not None \
            or params.posonly_params or not isinstance(function.body, cst.IndentedBlock):
        return False
    name = params.params[0].name.value
    last = function.body.body[-1] if function.body.body else None
    if not (isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return)):
        return False
    returns = _returns(function.body)
    if not all(isinstance(r.value, cst.Name) and r.value.value == name for r in returns):
        return False
    return not _touched(function.body, name)


BEHAVIOUR = frozenset({"__code__", "__defaults__", "__kwdefaults__", "__call__", "__wrapped__"})
"""Attributes of a function whose change changes what a call of it does (or what `inspect` unwraps)."""


def _touched(body: cst.BaseSuite, name: str) -> bool:
    """`name` is bound again in `body` (nested scopes too: `nonlocal`), or its
    behaviour is changed (`fn.__code__ = ...`, `setattr(fn, ...)`), or the body yields."""
    found = False

    class Touches(cst.CSTVisitor):
        def _named(self, node: cst.CSTNode) -> bool:
            return isinstance(node, cst.Name) and node.value == name

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._target(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._target(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._target(node.target)

        def visit_For(self, node: cst.For) -> None:
            self._target(node.target)

        def visit_CompFor(self, node: cst.CompFor) -> None:
            self._target(node.target)

        def visit_AsName(self, node: cst.AsName) -> None:
            self._target(node.name)

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            self._target(node.target)

        def visit_Del(self, node: cst.Del) -> None:
            self._target(node.target)

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            self._target(node.name if node.asname is None else cst.Name("_"))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self._target(node.name)

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self._target(node.name)

        def visit_MatchAs(self, node: cst.MatchAs) -> None:
            if node.name is not None:
                self._target(node.name)

        def visit_Yield(self, node: cst.Yield) -> None:
            nonlocal found
            found = True

        def visit_Call(self, node: cst.Call) -> None:
            nonlocal found
            func = node.func
            if isinstance(func, cst.Name) and func.value in ("setattr", "delattr") and node.args \
                    and self._named(node.args[0].value):
                found = True

        def _target(self, target: cst.CSTNode) -> None:
            nonlocal found
            if self._named(target):
                found = True
            elif isinstance(target, cst.Attribute) and self._named(target.value):
                found = found or target.attr.value in BEHAVIOUR
            elif isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:
                    self._target(element.value)
            elif isinstance(target, cst.StarredElement):
                self._target(target.value)

    body.visit(Touches())
    return found


def _wrapping(ctx: FileContext, function: cst.FunctionDef, factory: bool) -> bool:
    """A decorator of this file (`def retry(fn)`, or a factory `def
    retry(times)` returning one) whose wrapper is made with `functools.wraps`
    and returns, on every path, a call of the function it wraps."""
    if factory:
        inner = _only_def(function)
        if inner is None:
            return False
        function = inner
    params = function.params.params
    if len(params) != 1 or function.decorators:
        return False
    wrapped = params[0].name.value
    wrapper = _only_def(function)
    if wrapper is None or not any(_is_wraps(ctx, d, wrapped) for d in wrapper.decorators):
        return False
    returns = _returns(wrapper.body)
    return bool(returns) and all(
        r.value is not None and isinstance(r.value, cst.Call)
        and isinstance(r.value.func, cst.Name) and r.value.func.value == wrapped
        for r in returns
    )


def _only_def(function: cst.FunctionDef) -> cst.FunctionDef | None:
    """The one function defined in `function`'s body, which returns it."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    defs = [s for s in body if isinstance(s, cst.FunctionDef)]
    if len(defs) != 1:
        return None
    name = defs[0].name.value
    returns = _returns(function.body)
    if len(returns) != 1 or not (isinstance(returns[0].value, cst.Name) and returns[0].value.value == name):
        return None
    return defs[0]


def _is_wraps(ctx: FileContext, decorator: cst.Decorator, wrapped: str) -> bool:
    from migrator.rewrite.clients import qualified_name

    node = decorator.decorator
    return (
        isinstance(node, cst.Call)
        and qualified_name(ctx, node.func) == "functools.wraps"
        and len(node.args) == 1
        and isinstance(node.args[0].value, cst.Name)
        and node.args[0].value.value == wrapped
    )


def _returns(body: cst.BaseSuite) -> list[cst.Return]:
    """The return statements of a function body, not of functions or classes inside it."""
    found: list[cst.Return] = []

    class Returns(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

    body.visit(Returns())
    return found
