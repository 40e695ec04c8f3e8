"""The fixtures a module gives the tests below it (a `conftest.py`'s), and
the marks on a test's uses of one that cannot be proven.

A plain fixture (`fixtures.fixture_decorated`), the only binding of its
name in the module, whose every `return` and `yield` gives the same
instance of a class whose methods give back migrated responses (`return
Client()`: one of another module of the run, one of the module's own, or
that of a fixture it requests) is exported as `FIXTURE_KEY` keys, one per
method (`@fixture.client.sources`). Any other fixture that names such a
class or instance (`return make(Client)`, `@pytest.fixture(name="client")`,
`params=`) is exported `UNPROVEN`: the driver hands both to the tests of
the conftest's folder and the folders below it (`conftests.given`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite.fixtures import (
    ELSEWHERE, FIXTURE_KEY, UNPROVEN, bound_once, conftest_fixtures, fixture_decorated, fixture_name, requested,
)
from migrator.rewrite.responses_flow import INSTANCE, OVERRIDDEN, Flow, Shape, imported_name

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer


def exports(flow: Flow, found: dict[str, Shape]) -> dict[str, Shape]:
    """`FIXTURE_KEY` keys for the module's fixtures (`found`: the rest of its `Flow.exports`)."""
    ctx = flow.ctx
    if "fixture" not in ctx.src.text:
        return {}
    module = ctx.src.module
    out: dict[str, Shape] = {}
    for statement in module.body:
        if not isinstance(statement, cst.FunctionDef):
            continue
        plain = fixture_decorated(ctx, statement)
        name = fixture_name(ctx, statement) if plain is not False else None
        if name is None:
            continue
        prefix = FIXTURE_KEY + name
        shape: Shape | None = None
        if plain and bound_once(module, statement, name):
            scope = flow.scope(statement, ())
            shape = None if scope.running else scope.made()
        methods = _methods(shape, ctx.returns, found) if shape is not None else None
        if methods is not None:
            out.update((prefix + key, value) for key, value in methods.items())
        elif _names_a_client(flow, statement, found):
            out[prefix + UNPROVEN] = Shape(INSTANCE, kind=prefix)
    return out


def _methods(shape: Shape, given: dict[str, object], found: dict[str, Shape]) -> dict[str, Shape] | None:
    """What the methods of the instance `shape` give back, by `.method`, or
    None when the instance is one an upper conftest's fixture gives, unproven."""
    kind = shape.kind or ""
    if kind + UNPROVEN in given:
        return None
    source = given if "." in kind else found  # another module's class (or a fixture's), or the module's own
    return {key[len(kind):]: value for key, value in source.items()  # type: ignore[misc]
            if key.startswith(kind + ".") and not key.endswith(OVERRIDDEN)}


def _names_a_client(flow: Flow, function: cst.FunctionDef, found: dict[str, Shape]) -> bool:
    """The fixture names a class (or an instance, or a fixture) whose methods
    give back migrated responses: what it gives may be one."""
    ctx = flow.ctx
    local = {key.split(".", 1)[0] for key in found if "." in key and not key.startswith(FIXTURE_KEY)}
    upper = conftest_fixtures(ctx.returns)
    for node in _names(function):
        if node.value in local or node.value in upper:
            return True
        dotted = imported_name(ctx, node)
        if dotted is not None and any(k.startswith(dotted + ".") for k in ctx.returns):
            return True
    return False


def _names(node: cst.CSTNode) -> list[cst.Name]:
    out: list[cst.Name] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, cst.Name):
            out.append(item)
        stack.extend(reversed(item.children))
    return out


def mark_unproven(writer: Writer, row: str) -> None:
    """A test's (or a fixture's) uses of a parameter that names a conftest's
    fixture the rewrite cannot prove (`UNPROVEN`), one mark a statement."""
    ctx = writer.ctx
    unproven = {name for name, known in conftest_fixtures(ctx.returns).items() if not known}
    if not unproven:
        return
    for function in _functions(ctx.src.module):
        names = {n for n, f in requested(ctx, function).items() if f == ELSEWHERE and n in unproven}
        if not names or not isinstance(function.body, cst.IndentedBlock):
            continue
        marked: set[int] = set()
        for node in _names(function.body):
            parent = ctx.parent(node)
            if node.value not in names or isinstance(parent, cst.Attribute) and parent.attr is node \
                    or isinstance(parent, cst.Arg) and parent.keyword is node:
                continue
            statement = ctx.statement_of(node)
            if id(statement) not in marked:
                marked.add(id(statement))
                writer.mark(row, node, writer.message("fixture-unproven", name=node.value))


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    """The functions of the module and of its classes (tests and fixtures)."""
    out: list[cst.FunctionDef] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            out.append(statement)
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            out.extend(s for s in statement.body.body if isinstance(s, cst.FunctionDef))
    return out
