"""What the `conftest.py` files of a run give the tests below them.

Pytest hands a test the fixture its parameter names from the nearest
`conftest.py`: that of its folder, then of the folders above it. Each
conftest of the run exports what its fixtures give (`fixtures_given`:
`FIXTURE_KEY` keys); a test file (or a conftest) of the run is given, for
each fixture name, the keys of the nearest conftest that binds that name.
A nearer conftest that may bind any name (`from x import *`,
`pytest_plugins`) turns what a farther one gives into `UNPROVEN`. One
that binds `pytest_generate_tests` gives `HOOKED`: the parameters that hook
may give the tests below it values for (`generate_hooks.generated`,
`fixtures.hooked`).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator, Mapping

from migrator.rewrite.fixtures import FIXTURE_KEY, HOOKED, UNPROVEN
from migrator.rewrite.generate_hooks import HOOK

ANY = None
"""`bound_names` of a module that may bind any name."""


def pytest_module(path: str) -> bool:
    """A module pytest collects tests from by default, or a conftest."""
    name = os.path.basename(path)
    return name == "conftest.py" or name.startswith("test_") and name.endswith(".py") or name.endswith("_test.py")


def conftests(path: str) -> Iterator[str]:
    """The `conftest.py` files pytest would load for a test at `path`, nearest first (not itself)."""
    folder = os.path.dirname(path)
    while True:
        found = os.path.join(folder, "conftest.py")
        if found != path:
            yield found
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def bound_names(data: bytes) -> frozenset[str] | None:
    """The names a module binds at its top level (a fixture's `name=` too),
    or `ANY` when it may bind others (a star import, `pytest_plugins`, no parse)."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ANY
    found: set[str] = set()
    for node in _top_level(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
            for decorator in node.decorator_list:
                for keyword in decorator.keywords if isinstance(decorator, ast.Call) else ():
                    if keyword.arg == "name":
                        if not isinstance(keyword.value, ast.Constant) or not isinstance(keyword.value.value, str):
                            return ANY
                        found.add(keyword.value.value)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.alias):
            if node.name == "*":
                return ANY
            found.add((node.asname or node.name).split(".")[0])
    return ANY if "pytest_plugins" in found else frozenset(found)


def _top_level(tree: ast.Module) -> Iterator[ast.AST]:
    """The nodes of the module's own scope (not inside a function, class or lambda)."""
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo.extend(node.decorator_list)
        elif not isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            todo.extend(ast.iter_child_nodes(node))


def given(
    path: str, exported: Mapping[str, tuple[tuple[str, object], ...]], names: Mapping[str, frozenset[str] | None],
    hooks: Mapping[str, frozenset[str] | None] | None = None,
) -> dict[str, object]:
    """The `FIXTURE_KEY` keys for the module at `path` from the conftests
    of the run above it, nearest first: `exported` holds each one's keys,
    `names` the names each one binds (`bound_names`); and `HOOKED`, the
    parameters their `pytest_generate_tests` hooks give values to (`hooks`,
    by conftest: `generate_hooks.generated`; None: any), when one may give some."""
    out: dict[str, object] = {}
    settled: set[str] = set()  # names a nearer conftest binds
    unsure = False  # a nearer conftest may bind any name
    for conftest in conftests(path):
        if conftest not in names:
            continue  # not in the run
        for key, shape in exported.get(conftest, ()):
            name = _fixture_of(key)
            if name not in settled and unsure:
                # what a fixture may give: its response, or None for an instance (whose methods' keys these are)
                out[FIXTURE_KEY + name + UNPROVEN] = None if "." in key[len(FIXTURE_KEY):] else shape
            elif name not in settled:
                out[key] = shape
        bound = names[conftest]
        if bound is not ANY and HOOK in bound:
            hooked = (hooks or {}).get(conftest, ANY)
            if hooked is ANY or out.get(HOOKED, frozenset()) is ANY:
                out[HOOKED] = ANY
            elif hooked:
                out[HOOKED] = out.get(HOOKED, frozenset()) | hooked  # type: ignore[operator]
        if bound is ANY:
            unsure = True
        else:
            settled |= bound
    return out


def _fixture_of(key: str) -> str:
    rest = key[len(FIXTURE_KEY):]
    return rest[:-len(UNPROVEN)] if rest.endswith(UNPROVEN) else rest.split(".", 1)[0]
