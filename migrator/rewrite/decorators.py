"""Decorators a function can be followed through: the decorated function
takes the same arguments and returns what the function returns (retry and
backoff wrappers, caches). Any other decorator may change both, so what
flows into or out of its function is not followed.
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
    if qualified_name(ctx, target) in KNOWN:
        return True
    if isinstance(target, cst.Name):
        defined = [
            s for s in ctx.src.module.body
            if isinstance(s, cst.FunctionDef) and s.name.value == target.value
        ]
        if len(defined) == 1:
            return _wrapping(ctx, defined[0], factory)
    return False


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
