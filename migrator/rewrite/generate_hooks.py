"""The test parameters a `pytest_generate_tests` hook may give values to.

A hook (`def pytest_generate_tests(metafunc)`: of a module, or of a class of
it, for its tests; of a `conftest.py`, for the tests below it) gives a
test's parameter another value with `metafunc.parametrize("region", [...])`.
When each of its `metafunc.parametrize` calls names the parameters by
literals (`"region"`, `"a,b"`, `["a", "b"]`) and `metafunc` serves for
nothing else than reads (`"region" in metafunc.fixturenames`,
`metafunc.config.getoption("region")`), those names are the only ones it
gives values to. Anything else may give any parameter another value (`ANY`):
names given by a value (`metafunc.parametrize(name, ...)`), `metafunc`
handed on or its `fixturenames` changed, a hook bound otherwise than by a
`def` (an import, an assignment), a module that does not parse.
"""

from __future__ import annotations

import ast

HOOK = "pytest_generate_tests"
ANY = None
"""`generated` of a hook that may give any parameter a value."""
METAFUNC = "metafunc"
READ = frozenset({"config", "function", "module", "cls", "definition"})
"""`metafunc`'s attributes a hook only reads from (`metafunc.config.getoption(...)`)."""


def generated(text: str | bytes) -> frozenset[str] | None:
    """The parameters the `pytest_generate_tests` hooks of a module give
    values to (none when it has no hook), or `ANY`."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ANY
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == HOOK:
            names = _hook(node)
            if names is ANY:
                return ANY
            found |= names
        elif isinstance(node, ast.Name) and node.id == HOOK or isinstance(node, ast.Attribute) and node.attr == HOOK \
                or isinstance(node, ast.alias) and HOOK in (node.name, node.asname) \
                or isinstance(node, ast.Constant) and node.value == HOOK:  # bound or looked up otherwise
            return ANY
    return frozenset(found)


def _hook(hook: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str] | None:
    """The literal names of the hook's `metafunc.parametrize` calls, or `ANY`."""
    arguments = hook.args
    if arguments.vararg is not None or arguments.kwarg is not None:
        return ANY
    if METAFUNC not in {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}:
        return frozenset()  # pytest gives it no `metafunc`
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(hook):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    found: set[str] = set()
    for node in ast.walk(hook):
        if not (isinstance(node, ast.Name) and node.id == METAFUNC):
            continue
        attribute = parents.get(id(node))
        if not isinstance(node.ctx, ast.Load) or not isinstance(attribute, ast.Attribute):
            return ANY  # rebound, or handed on (`setup(metafunc)`)
        user = parents.get(id(attribute))
        if attribute.attr == "parametrize":
            names = _argnames(user) if isinstance(user, ast.Call) and user.func is attribute else ANY
            if names is ANY:
                return ANY
            found |= names
        elif attribute.attr == "fixturenames":
            if not _only_read(attribute, user):
                return ANY
        elif attribute.attr not in READ:
            return ANY
    return frozenset(found)


def _argnames(call: ast.Call) -> frozenset[str] | None:
    """The names a `metafunc.parametrize(...)` call gives values to, when literal."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return ANY
    given = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "argnames"), None)
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        names = [n.strip() for n in given.value.split(",") if n.strip()]
    elif isinstance(given, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in given.elts):
        names = [e.value.strip() for e in given.elts]  # type: ignore[attr-defined]
    else:
        return ANY
    return frozenset(names) if names and all(n.isidentifier() for n in names) else ANY


def _only_read(attribute: ast.Attribute, user: ast.AST | None) -> bool:
    """`metafunc.fixturenames` asked whether it holds a name, or iterated over."""
    if isinstance(user, ast.Compare):
        return user.left is not attribute and all(
            c is not attribute or isinstance(op, (ast.In, ast.NotIn)) for op, c in zip(user.ops, user.comparators))
    return isinstance(user, (ast.For, ast.AsyncFor, ast.comprehension)) and user.iter is attribute
