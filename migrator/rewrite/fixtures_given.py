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

from migrator.rewrite import fixture_values
from migrator.rewrite.fixtures import (
    ELSEWHERE, FIXTURE_KEY, UNPROVEN, bound_once, conftest_fixtures, defined, fixture_decorated, fixture_name,
    hooked, requested,
)
from migrator.rewrite.responses_flow import INSTANCE, OVERRIDDEN, Flow, Shape, given_on, imported_name, proven

if TYPE_CHECKING:
    from migrator.rewrite.context import FileContext
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
        if shape is not None and shape.what != INSTANCE:
            out[prefix] = shape  # a migrated response (`return client.sources()`)
            continue
        methods = _methods(shape, ctx.returns, found) if shape is not None else None
        if methods is not None:
            out.update((prefix + key, value) for key, value in methods.items())
        elif (unproven := _unproven(flow, statement, found, prefix)) is not None:
            out[prefix + UNPROVEN] = unproven
    return out


def _unproven(flow: Flow, function: cst.FunctionDef, found: dict[str, Shape], prefix: str) -> Shape | None:
    """What a fixture not proven to give one value may give: a migrated
    response one of its `return`s or `yield`s gives (`yield
    client.sources()` beside `yield []`, `params=`), an instance (`INSTANCE`)
    when it names a class, instance or fixture whose methods give them back,
    or None when it names none. Only an analysed fixture (`Flow._relevant`) can give a response."""
    scope = flow.scopes.get((id(function), ()))
    if scope is not None and not scope.running:
        for node in scope.nodes:
            if type(node) in (cst.Return, cst.Yield) and node.value is not None:  # type: ignore[attr-defined]
                value = node.value  # type: ignore[attr-defined]
                shape = proven(scope.eval(value.item if type(value) is cst.From else value))
                if given_on(shape):
                    return shape
    return Shape(INSTANCE, kind=prefix) if _names_a_client(flow, function, found) else None


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
    upper = _instance_fixtures(ctx.returns)
    for node in _names(function):
        if node is function.name:
            continue  # its own name (`def client(): return object()` below a conftest's `client`)
        if node.value in local or node.value in upper:
            return True
        dotted = imported_name(ctx, node)
        if dotted is not None and any(k.startswith(dotted + ".") for k in ctx.returns):
            return True
    return False


def _instance_fixtures(given: dict[str, object]) -> set[str]:
    """The conftest fixtures (`FIXTURE_KEY` keys) that may give an instance
    whose methods give back migrated responses: not those that give a
    response (`@fixture.out`, or unproven but a response): what is made of one
    is followed in this module, or its reads are marked."""
    found: set[str] = set()
    for key, value in given.items():
        if not key.startswith(FIXTURE_KEY):
            continue
        rest = key[len(FIXTURE_KEY):]
        if rest.endswith(UNPROVEN):
            if getattr(value, "what", INSTANCE) == INSTANCE:
                found.add(rest[:-len(UNPROVEN)])
        elif "." in rest:
            found.add(rest.split(".", 1)[0])
    return found


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
    """A test's (or a fixture's) uses of a parameter that names a fixture
    the rewrite cannot prove gives one instance or one response: a
    conftest's (`UNPROVEN`), or one of this file that names such a class (or
    instance, fixture) or gives a migrated response on some path but is not
    followed (`params=`, `name=`, another value on another path); in a
    module with a `pytest_generate_tests` hook, one that would be followed
    too. So are `request.getfixturevalue(...)` calls not followed, and the
    uses of the name bound to one. One mark a statement."""
    ctx = writer.ctx
    given = conftest_fixtures(ctx.returns)
    hook = hooked(ctx)
    calls = writer.flow.fixture_calls()
    if "fixture" not in ctx.src.text and not (given and (hook or calls or not all(given.values()))):
        return
    for function in _functions(ctx.src.module):
        if not isinstance(function.body, cst.IndentedBlock):
            continue
        names: dict[str, str] = {}  # name → the mark's text
        for name, fixture in requested(ctx, function, hooked_too=True).items():
            reason = _reason(writer, function, name, fixture, hook)
            if reason is not None:
                names[name] = reason
        marked: set[int] = set()
        for call in (c for c in calls if c.function is function):
            reason = _asked(writer, call, hook)
            if reason is None:
                continue
            statement = ctx.statement_of(call.call)
            marked.add(id(statement))
            writer.mark(row, call.call, reason)
            bound = ctx.parent(call.call)
            if isinstance(bound, cst.Assign) and len(bound.targets) == 1 and isinstance(bound.targets[0].target, cst.Name):
                names.setdefault(bound.targets[0].target.value, reason)  # `c = request.getfixturevalue("client")`
        for node in _names(function.body) if names else ():
            parent = ctx.parent(node)
            if node.value not in names or isinstance(parent, cst.Attribute) and parent.attr is node \
                    or isinstance(parent, cst.Arg) and parent.keyword is node:
                continue
            statement = ctx.statement_of(node)
            if id(statement) not in marked:
                marked.add(id(statement))
                writer.mark(row, node, names[node.value])


def _reason(
    writer: Writer, function: cst.FunctionDef, name: str, fixture: cst.FunctionDef | str | None, hook: bool,
    nested: bool = False,
) -> str | None:
    """The mark for the uses of what the fixture `name` gives `function`
    (`requested`), or None when it gives nothing migrated or is followed
    (not in a `hook`ed module, not asked for where the flow does not follow it: `nested`)."""
    ctx = writer.ctx
    if fixture == ELSEWHERE:
        known = conftest_fixtures(ctx.returns).get(name)
        if known is None:
            return None
        where = "a `conftest.py`"
        if not known:
            return _message(writer, "fixture-unproven", name, where, ctx.returns.get(FIXTURE_KEY + name + UNPROVEN))
        shape: object = ctx.returns.get(FIXTURE_KEY + name)
    elif "fixture" in ctx.src.text:
        where = "this module"
        unproven = _unproven_here(writer.flow, function, name, fixture)  # type: ignore[arg-type]
        if unproven is not None:
            return _message(writer, "fixture-unproven", name, where, unproven)
        shape = _made(writer.flow, fixture) if isinstance(fixture, cst.FunctionDef) else None
        if shape is None:
            return None
    else:
        return None
    if hook or nested:
        return _message(writer, "fixture-generated" if hook else "fixture-unfollowed", name, where, shape)
    return None


def _hook(ctx: FileContext) -> str:
    """Whose `pytest_generate_tests` hook a `hooked` module's tests get."""
    return "this module's" if "pytest_generate_tests" in ctx.src.text else "a `conftest.py`'s"


def _asked(writer: Writer, call: fixture_values.Asked, hook: bool) -> str | None:
    """The mark for a `request.getfixturevalue(...)` the flow does not follow, or None."""
    ctx = writer.ctx
    if call.name is None:
        return _any(writer, call.call)
    if call.own and not hook:
        scope = writer.flow.scopes.get((id(call.function), ()))
        if scope is not None and id(call.call) in scope.asked:
            return None  # followed: its reads move
    if not call.pytest:  # a helper's: any fixture of that name the tests of this module may get
        found = [f for f in _functions(ctx.src.module)
                 if fixture_decorated(ctx, f) is not False and fixture_name(ctx, f) == call.name]
        reasons = [_reason(writer, call.function, call.name, f, False, nested=True) for f in found or [ELSEWHERE]]
        return next((r for r in reasons if r is not None), None)
    fixture = requested(ctx, call.function, {call.name}, hooked_too=True).get(call.name)
    return _reason(writer, call.function, call.name, fixture, hook, nested=True)


def _any(writer: Writer, call: cst.Call) -> str | None:
    """The mark for a `request.getfixturevalue(name)` whose name is not a
    literal, when some fixture the test may get gives a migrated response or an instance."""
    ctx = writer.ctx
    text = ctx.src.module.code_for_node(call)
    given = conftest_fixtures(ctx.returns)
    if given:
        name, known = next(iter(given.items()))
        shape = ctx.returns.get(FIXTURE_KEY + name + ("" if known else UNPROVEN))
        return writer.message("fixture-any", call=text, where="a `conftest.py`", what=_what(shape))
    for function in _functions(ctx.src.module):
        name = fixture_name(ctx, function) if fixture_decorated(ctx, function) is not False else None
        if name is None:
            continue
        made = _made(writer.flow, function) or _unproven(writer.flow, function, ctx.exports, FIXTURE_KEY + name)
        if made is not None:
            return writer.message("fixture-any", call=text, where="this module", what=_what(made))
    return None


def _made(flow: Flow, fixture: cst.FunctionDef) -> Shape | None:
    """What a fixture of this file the flow follows gives (`Scope.made`)."""
    scope = flow.scopes.get((id(fixture), ()))
    return scope.made() if scope is not None and not scope.running else None


def _message(writer: Writer, which: str, name: str, where: str, shape: object) -> str:
    response = getattr(shape, "what", INSTANCE) != INSTANCE
    if which == "fixture-unproven":
        return writer.message("fixture-unproven-response" if response else which, name=name, where=where)
    hook = _hook(writer.ctx) if which == "fixture-generated" else ""
    return writer.message(which, name=name, where=where, what=_what(shape), hook=hook)


def _what(shape: object) -> str:
    if getattr(shape, "what", INSTANCE) != INSTANCE:
        return "the response of a migrated call (or a part of it)"
    return "an instance whose methods give back migrated responses"


def _unproven_here(flow: Flow, function: cst.FunctionDef, name: str, fixture: cst.FunctionDef | None) -> Shape | None:
    """What a fixture of this file that `function`'s parameter `name` names
    may give, when the flow does not follow it (`_unproven`); None when it
    follows it, or the fixture gives nothing of a migrated call."""
    if fixture is not None:
        scope = flow.scopes.get((id(fixture), ()))
        if scope is not None and (scope.running or scope.made() is not None):
            return None
        return _unproven(flow, fixture, flow.ctx.exports, FIXTURE_KEY + name)
    for definition in defined(flow.ctx, function, name):
        shape = _unproven(flow, definition, flow.ctx.exports, FIXTURE_KEY + name)
        if shape is not None:
            return shape
    return None


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    """The functions of the module and of its classes (tests and fixtures)."""
    out: list[cst.FunctionDef] = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            out.append(statement)
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            out.extend(s for s in statement.body.body if isinstance(s, cst.FunctionDef))
    return out
