"""Pytest fixtures whose value a test's parameter is (`def test_x(client)`).

Pytest passes a test (a `test*` function, or a method of a `Test*` class)
and a fixture the value of the fixture its parameter names. The nearest
definition wins: one of the test's class, then one of the module, then one
of the `conftest.py` files of its folder and the folders above it
(`FIXTURE_KEY` keys of `FileContext.returns`, which the driver gives from
what each conftest exports: `fixtures_given`). A
parameter is followed only when that definition is plain (`@pytest.fixture`,
`@pytest.fixture(scope=...)`, not renamed by `name=` nor parametrized) and
the module binds the name nowhere else (a renamed one still is the test's,
not a conftest's: `renamed`); a test that parametrizes it is
not followed, nor one a `pytest_generate_tests` hook of the module or of a
conftest above it may give a value to (`hooked`: `fixtures_given` marks their uses). A fixture a test asks for by name,
`request.getfixturevalue("client")`, is found the same way (`fixture_values`).
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
import libcst.helpers

from migrator.rewrite import generate_hooks
from migrator.rewrite.clients import param_names, qualified_name
from migrator.rewrite.context import FileContext

FIXTURE_KEY = "@fixture."
"""Prefix of a key of `FileContext.returns` given for a fixture of a
`conftest.py` (`@fixture.client.sources`: the method `sources` of the
instance the fixture `client` gives)."""
UNPROVEN = "@unproven"
"""Suffix of a `FIXTURE_KEY` key (`@fixture.client@unproven`): the conftest's
fixture of that name may give an instance of a class whose methods give back
migrated responses, and the rewrite cannot prove which (the test's uses are marked)."""
HOOKED = "@pytest_generate_tests"
"""A key of `FileContext.returns` given a module below a `conftest.py` of the
run that binds `pytest_generate_tests`: the parameters of its tests that
hook may give other values (`generate_hooks.generated`; None: any)."""
ELSEWHERE = "elsewhere"
"""`requested`'s value for a parameter no definition of this file names: a conftest's fixture may."""
DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})


def fixture_decorated(ctx: FileContext, function: cst.FunctionDef) -> bool | None:
    """True for a plain fixture (`@pytest.fixture`, `@pytest.fixture(scope=...)`),
    None for one that is renamed or parametrized (not followed), False for no fixture."""
    found: bool | None = False
    for decorator in function.decorators:
        node = decorator.decorator
        call = node if isinstance(node, cst.Call) else None
        if qualified_name(ctx, call.func if call is not None else node) not in DECORATORS:
            continue
        if found is not False or call is not None and any(
                a.keyword is None or a.keyword.value in ("name", "params") for a in call.args):
            return None
        found = True
    return found


def fixture_name(ctx: FileContext, function: cst.FunctionDef) -> str | None:
    """The name tests request a fixture by: its `name=` (a literal) or its own."""
    for decorator in function.decorators:
        node = decorator.decorator
        if isinstance(node, cst.Call) and qualified_name(ctx, node.func) in DECORATORS:
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "name":
                    value = arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
                    return value if isinstance(value, str) and value.isidentifier() else None
    return function.name.value


def bound_once(holder: cst.Module | cst.IndentedBlock, statement: cst.CSTNode, name: str) -> bool:
    """`statement` is the only statement of `holder`'s body that binds `name`."""
    return [s for s in holder.body if _binds(s, name)] == [statement]


def called_by_pytest(ctx: FileContext, function: cst.FunctionDef) -> bool:
    """A function pytest passes fixtures to: a test of the module or of a
    `Test*` class of it, or a fixture."""
    scope = ctx.index.scope_of(function)
    if scope is ctx.src.module:
        return function.name.value.startswith("test") or fixture_decorated(ctx, function) is not False
    klass = ctx.index.class_of(function)
    return (klass is not None and ctx.index.scope_of(klass) is ctx.src.module and klass.name.value.startswith("Test")
            and (function.name.value.startswith("test") or fixture_decorated(ctx, function) is not False))


def _parametrized(ctx: FileContext, function: cst.FunctionDef, name: str) -> bool:
    """`@pytest.mark.parametrize("client", ...)` (or a class's) may name `name`."""
    holders: list[cst.FunctionDef | cst.ClassDef] = [function]
    klass = ctx.index.class_of(function)
    if klass is not None:
        holders.append(klass)
    for holder in holders:
        for decorator in holder.decorators:
            node = decorator.decorator
            if isinstance(node, cst.Call) and (qualified_name(ctx, node.func) or "").endswith("parametrize"):
                first = node.args[0].value if node.args else None
                value = first.evaluated_value if isinstance(first, cst.SimpleString) else None
                if not isinstance(value, str) or name in {n.strip() for n in value.split(",")}:
                    return True
    return False


def own_hook(ctx: FileContext) -> frozenset[str] | None:
    """The parameters the module's own `pytest_generate_tests` hooks give
    values to (`generate_hooks.generated`; None: any), read once."""
    key = __name__ + ".hook"
    if key not in ctx.state:
        ctx.state[key] = generate_hooks.generated(ctx.src.text) if generate_hooks.HOOK in ctx.src.text \
            else frozenset()
    return ctx.state[key]  # type: ignore[return-value]


def hooked(ctx: FileContext, name: str | None = None) -> bool:
    """A `pytest_generate_tests` hook of the module (`own_hook`), or of a
    conftest above it (`HOOKED`), may give a test's parameter `name` another
    value (`metafunc.parametrize("client", ...)`); without `name`, some parameter."""
    return any(names is generate_hooks.ANY or (name in names if name is not None else bool(names))
               for names in (own_hook(ctx), ctx.returns.get(HOOKED, frozenset())))  # type: ignore[operator]


def requested(
    ctx: FileContext, function: cst.FunctionDef, names: Iterable[str] | None = None, hooked_too: bool = False,
) -> dict[str, cst.FunctionDef | str | None]:
    """The parameters of `function` (a test or a fixture), or the fixture
    `names` it asks pytest for (`request.getfixturevalue("client")`), each
    with the fixture of this file it names (its nearest definition), None
    when that is not followed, or `ELSEWHERE` when this file defines none (a
    conftest's may apply). None for a name a `pytest_generate_tests` hook may
    give a value to (`hooked`), unless `hooked_too`."""
    if not called_by_pytest(ctx, function):
        return {}
    klass = ctx.index.class_of(function)
    found: dict[str, cst.FunctionDef | str | None] = {}
    for name in param_names(function.params) - {"self", "cls"} if names is None else names:
        if _parametrized(ctx, function, name) or not hooked_too and hooked(ctx, name):
            found[name] = None
            continue
        bound = _nearest(ctx, klass, name)
        if bound is None:
            found[name] = ELSEWHERE
            continue
        only = bound[0] if len(bound) == 1 else None
        plain = isinstance(only, cst.FunctionDef) and fixture_decorated(ctx, only) is True
        found[name] = only if plain and only is not function else None  # type: ignore[assignment]
    return found


def _nearest(ctx: FileContext, klass: cst.ClassDef | None, name: str) -> list[cst.CSTNode] | None:
    """The statements of the nearest holder (the test's class, then the
    module) that bind `name` or define a fixture by that name (`name="client"`
    too); None when neither does (a conftest's fixture may apply)."""
    holders = ([klass.body] if klass is not None and isinstance(klass.body, cst.IndentedBlock) else []) \
        + [ctx.src.module]
    for holder in holders:
        bound = [s for s in holder.body if _binds(s, name) or isinstance(s, cst.FunctionDef)
                 and fixture_decorated(ctx, s) is not False and fixture_name(ctx, s) == name]
        if bound:
            return bound
    return None


def renamed(ctx: FileContext, function: cst.FunctionDef, name: str) -> cst.FunctionDef | None:
    """The fixture of this file renamed by `name=` (not `params=`) that
    `function`'s parameter `name` names (`@pytest.fixture(name="first") def
    _first()`): its nearest definition and the only binding of that name
    there, the parameter not parametrized, the module not `hooked`. Not
    followed as a plain fixture is (`requested` gives None for it), but it,
    not a conftest's, is what the test gets."""
    if not called_by_pytest(ctx, function) or hooked(ctx) or _parametrized(ctx, function, name):
        return None
    bound = _nearest(ctx, ctx.index.class_of(function), name)
    only = bound[0] if bound is not None and len(bound) == 1 else None
    if not isinstance(only, cst.FunctionDef) or only is function or fixture_decorated(ctx, only) is not None:
        return None
    for decorator in only.decorators:
        node = decorator.decorator
        if isinstance(node, cst.Call) and qualified_name(ctx, node.func) in DECORATORS and any(
                a.keyword is None or a.keyword.value != "name" and a.keyword.value not in KEPT for a in node.args):
            return None  # `params=`, or a value by position
    return only


KEPT = frozenset({"scope", "autouse", "ids"})
"""Keywords of `@pytest.fixture(...)` beside `name=` that leave what it gives as it is."""


def defined(ctx: FileContext, function: cst.FunctionDef, name: str) -> list[cst.FunctionDef]:
    """The fixtures of this file that may give `function`'s parameter
    `name` (their name, or their `name=`), of the nearest holder that binds
    it (the test's class, then the module); none when the test parametrizes it."""
    if not called_by_pytest(ctx, function) or _parametrized(ctx, function, name):
        return []
    klass = ctx.index.class_of(function)
    holders = [klass.body] if klass is not None and isinstance(klass.body, cst.IndentedBlock) else []
    for holder in [*holders, ctx.src.module]:
        found = [s for s in holder.body if isinstance(s, cst.FunctionDef) and s is not function
                 and fixture_decorated(ctx, s) is not False and fixture_name(ctx, s) == name]
        if found or any(_binds(s, name) for s in holder.body):
            return found
    return []


def _binds(statement: cst.CSTNode, name: str) -> bool:
    """A statement of a module or class body that binds `name`."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return statement.name.value == name
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    bound = alias.asname.name if alias.asname is not None else alias.name
                    if isinstance(bound, cst.Name) and bound.value == name or \
                            isinstance(bound, cst.Attribute) and cst.helpers.get_full_name_for_node(bound).split(".")[0] == name:
                        return True
            if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
                return True  # may bind it
            targets = small.targets if isinstance(small, cst.Assign) else [small] if isinstance(
                small, (cst.AnnAssign, cst.AugAssign)) else []
            for target in targets:
                node = target.target
                if any(isinstance(n, cst.Name) and n.value == name for n in _names(node)):
                    return True
        return False
    return any(_binds(s, name) for s in _bodies(statement))


def _bodies(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """Statements nested in an `if`/`try`/`with`/`for` at the top level (they bind there too)."""
    out: list[cst.CSTNode] = []
    stack = [statement]
    while stack:
        node = stack.pop()
        for child in node.children:
            if isinstance(child, cst.BaseSmallStatement) or isinstance(child, (cst.FunctionDef, cst.ClassDef)):
                continue
            if isinstance(child, (cst.SimpleStatementLine, cst.BaseCompoundStatement)) and child is not statement:
                out.append(child)
            elif not isinstance(child, cst.BaseExpression):
                stack.append(child)
    return out


def _names(node: cst.CSTNode) -> list[cst.CSTNode]:
    if isinstance(node, (cst.Tuple, cst.List)):
        return [n for e in node.elements for n in _names(e.value)]
    return [node]



def conftest_fixtures(returns: dict[str, object]) -> dict[str, bool]:
    """The fixtures of a conftest `returns` tells of (`FIXTURE_KEY` keys), each
    True when what the methods of the instance it gives give back is known,
    False when it is `UNPROVEN`."""
    found: dict[str, bool] = {}
    for key in returns:
        if key.startswith(FIXTURE_KEY):
            rest = key[len(FIXTURE_KEY):]
            if rest.endswith(UNPROVEN):
                found[rest[:-len(UNPROVEN)]] = False
            else:
                found.setdefault(rest.split(".", 1)[0], True)
    return found
