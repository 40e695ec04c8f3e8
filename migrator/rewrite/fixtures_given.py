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
    hooked, own_hook, requested,
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
    followed (`params=`, `name=`, another value on another path); one a
    `pytest_generate_tests` hook may give a value to, that would be followed
    too. So are `request.getfixturevalue(...)` calls not followed, and the
    uses of the name bound to one with a literal name; of one bound to a
    call whose name this rewrite cannot read, only those that read a Config
    field off it (`db["sources"]`); none of one whose name is one of a
    parametrize mark's (`Asked.among`). One mark a statement."""
    ctx = writer.ctx
    given = conftest_fixtures(ctx.returns)
    calls = writer.flow.fixture_calls()
    if "fixture" not in ctx.src.text and not (given and (hooked(ctx) or calls or not all(given.values()))):
        return
    for function in _functions(ctx.src.module):
        if not isinstance(function.body, cst.IndentedBlock):
            continue
        names: dict[str, str] = {}  # name → the mark's text
        for name, fixture in requested(ctx, function, hooked_too=True).items():
            reason = _reason(writer, function, name, fixture, hooked(ctx, name))
            if reason is not None:
                names[name] = reason
        reads: dict[str, str] = {}  # names whose Config field reads alone are marked
        marked: set[int] = set()
        for call in (c for c in calls if c.function is function):
            reason = _asked(writer, call)
            if reason is None:
                continue
            statement = ctx.statement_of(call.call)
            marked.add(id(statement))
            writer.mark(row, call.call, reason)
            bound = ctx.parent(call.call)
            if call.among is None and isinstance(bound, cst.Assign) and len(bound.targets) == 1 \
                    and isinstance(bound.targets[0].target, cst.Name):
                # `c = request.getfixturevalue("client")`; `c = request.getfixturevalue(name)`
                (names if call.name is not None else reads).setdefault(bound.targets[0].target.value, reason)
        fields = _config_keys(writer) if reads else set()
        for node in _names(function.body) if names or reads else ():
            parent = ctx.parent(node)
            if node.value not in names and node.value not in reads or isinstance(parent, cst.Attribute) \
                    and parent.attr is node or isinstance(parent, cst.Arg) and parent.keyword is node:
                continue
            reason = names.get(node.value) or (reads[node.value] if _reads_field(ctx, node, fields) else None)
            statement = ctx.statement_of(node)
            if reason is not None and id(statement) not in marked:
                marked.add(id(statement))
                writer.mark(row, node, reason)


def _config_keys(writer: Writer) -> set[str]:
    """Config field names and list keys (`display_name`, `sources`)."""
    from migrator.rewrite.known_names import config_fields, config_list_keys

    rules = writer.ctx.rules
    return {*config_fields(rules), *config_list_keys(rules)}


def _reads_field(ctx: FileContext, node: cst.Name, fields: set[str]) -> bool:
    """A Config field is read off `node` or what is made of it: `db["sources"]`,
    `db.get("display_name")`, `db.page()["sources"]`."""
    current: cst.CSTNode = node
    while True:
        parent = ctx.parent(current)
        if isinstance(parent, cst.Subscript) and parent.value is current:
            index = parent.slice[0].slice if len(parent.slice) == 1 else None
            key = index.value if isinstance(index, cst.Index) else None
            if isinstance(key, cst.SimpleString) and key.evaluated_value in fields:
                return True
        elif isinstance(parent, cst.Call) and parent.func is current:
            first = parent.args[0].value if parent.args else None
            if isinstance(current, cst.Attribute) and current.attr.value in ("get", "pop", "setdefault") \
                    and isinstance(first, cst.SimpleString) and first.evaluated_value in fields:
                return True
        elif not (isinstance(parent, cst.Attribute) and parent.value is current):
            return False
        current = parent


def _reason(
    writer: Writer, function: cst.FunctionDef, name: str, fixture: cst.FunctionDef | str | None, hook: bool,
    nested: bool = False,
) -> str | None:
    """The mark for the uses of what the fixture `name` gives `function`
    (`requested`), or None when it gives nothing migrated or is followed
    (no `hook` may give it a value, not asked for where the flow does not follow it: `nested`)."""
    given = _gives(writer, function, name, fixture)
    if given is None:
        return None
    where, shape, sure = given
    if not sure:
        return _message(writer, "fixture-unproven", name, where, shape)
    if hook or nested:
        return _message(writer, "fixture-generated" if hook else "fixture-unfollowed", name, where, shape)
    return None


def _gives(
    writer: Writer, function: cst.FunctionDef, name: str, fixture: cst.FunctionDef | str | None,
) -> tuple[str, object, bool] | None:
    """Where the fixture `name` that `function` gets (`requested`) is defined,
    what it gives of a migrated call, and whether that is proven; None when
    it gives nothing of one."""
    ctx = writer.ctx
    if fixture == ELSEWHERE:
        known = conftest_fixtures(ctx.returns).get(name)
        if known is None:
            return None
        return "a `conftest.py`", ctx.returns.get(FIXTURE_KEY + name + ("" if known else UNPROVEN)), known
    if "fixture" not in ctx.src.text:
        return None
    unproven = _unproven_here(writer.flow, function, name, fixture)  # type: ignore[arg-type]
    if unproven is not None:
        return "this module", unproven, False
    shape = _made(writer.flow, fixture) if isinstance(fixture, cst.FunctionDef) else None
    return ("this module", shape, True) if shape is not None else None


def _hook(ctx: FileContext, name: str) -> str:
    """Whose `pytest_generate_tests` hook may give a test's parameter `name` a value."""
    names = own_hook(ctx)
    return "this module's" if names is None or name in names else "a `conftest.py`'s"


def _asked(writer: Writer, call: fixture_values.Asked) -> str | None:
    """The mark for a `request.getfixturevalue(...)` the flow does not follow, or None."""
    ctx = writer.ctx
    if call.name is None:
        return _any(writer, call.call) if call.among is None else _among(writer, call, call.among)
    hook = hooked(ctx, call.name)
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


def _among(writer: Writer, call: fixture_values.Asked, names: tuple[str, ...]) -> str | None:
    """The mark for `request.getfixturevalue(backend)`, `backend` one of the
    literal `names` a parametrize mark gives it, when one of those fixtures
    gives something of a migrated call; None when none does."""
    ctx = writer.ctx
    giving = []
    for name in names:
        given = _gives(writer, call.function, name, requested(ctx, call.function, {name}, hooked_too=True).get(name))
        if given is not None:
            where, shape, sure = given
            giving.append(f"`{name}` (a fixture of {where}) {'gives' if sure else 'may give'} {_what(shape)}")
    if not giving:
        return None
    argument = call.call.args[0].value
    return writer.message(
        "fixture-among", call=ctx.src.module.code_for_node(call.call),
        param=argument.value if isinstance(argument, cst.Name) else "", names=", ".join(f"`{n}`" for n in names),
        given="; ".join(giving))


def _made(flow: Flow, fixture: cst.FunctionDef) -> Shape | None:
    """What a fixture of this file the flow follows gives (`Scope.made`)."""
    scope = flow.scopes.get((id(fixture), ()))
    return scope.made() if scope is not None and not scope.running else None


def _message(writer: Writer, which: str, name: str, where: str, shape: object) -> str:
    response = getattr(shape, "what", INSTANCE) != INSTANCE
    if which == "fixture-unproven":
        return writer.message("fixture-unproven-response" if response else which, name=name, where=where)
    hook = _hook(writer.ctx, name) if which == "fixture-generated" else ""
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
