"""Functions of the file kept in a registry and called through a lookup
(part of `responses_tied`).

`COMMANDS[name]()`, `COMMANDS.get(name)()`, `REG["sources"]()`: what such a
call gives back is what one of the functions registered under that name
gives back, which the flow does not follow. A registry here is a name the
file fills with its own functions:

- a dict display or `dict(...)` call assigned to it at module level, with an
  annotation or without (`REG = {"sources": list_sources}`,
  `REG: dict[str, Callable] = dict(sources=list_sources)`);
- an item assigned (`REG["sources"] = list_sources`), `REG.update(...)` (a
  display or keywords), `REG.setdefault("sources", list_sources)`;
- a decorator of the file that stores the function it is given, or a wrapper
  of it whose every `return` calls it (`def command(name): def register(fn):
  COMMANDS[name] = fn; ...`): every function it decorates
  (`@command("sources")`, `@register`).

When the registered functions that give back a migrated call's answer
(or a part of it) all give back the whole answer of one endpoint, the reads
off the lookup's value are marked from that endpoint's rows as those off a
tied value are (the registry may hold other functions, and another module may
fill it: never rewritten); otherwise (several endpoints, lists or items of
answers) `Writer.read` marks the reads off the lookup's call itself. A lookup
of a dict this module cannot read (a class's registry, `registry.fns[name]()`;
one filled with other values than the file's functions; a display of the
file's functions in a function or at the lookup) gets the generic
marker (`unseen`) when a function of the file gives back a migrated answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.responses_flow import DOC, ITEM, LIST, Scope, proven

STATE = __name__
GIVEN = frozenset({DOC, LIST, ITEM})
"""What a registered function may give back for its lookups to be tied: an answer, its list, one of its items."""


@dataclass(frozen=True)
class Found:
    registry: str
    endpoints: frozenset[str]
    functions: tuple[str, ...]
    """The registered functions that give back a migrated call's answer (or a part of it)."""
    whole: bool
    """Each of them gives back the whole decoded answer (of one of `endpoints`)."""


def looked_up(scope: Scope, call: cst.Call) -> Found | None:
    """What a call of a function looked up in a registry of the file gives
    back, when a function registered there gives back a migrated answer."""
    registry = _registry_of(scope, call.func)
    if registry is None:
        return None
    flow = scope.flow
    endpoints: set[str] = set()
    functions: list[str] = []
    whole = True
    for name in sorted(registries(flow.ctx).get(registry, ())):
        function = flow.functions.get(name) or flow.decorated.get(name)
        shape = proven(flow.returns_of(function, ())) if function is not None else None
        if shape is None or shape.what not in GIVEN or not (shape.endpoint or shape.kind):
            continue
        functions.append(name)
        whole = whole and shape.what == DOC and bool(shape.endpoint)
        if shape.endpoint:
            endpoints.add(shape.endpoint)
    if not functions:
        return None
    return Found(registry, frozenset(endpoints), tuple(functions), whole)


def unseen(scope: Scope, call: cst.Call) -> str | None:
    """The lookup a call of a function looked up somewhere this module cannot
    read is made through (`registry.fns[name]()`, `X.get(name)()`), in a file
    where some function gives back a migrated call's answer (or a part of it):
    the text of the lookup, for a marker; None otherwise."""
    func = call.func
    lookup = type(func) is cst.Subscript or (
        type(func) is cst.Call and type(func.func) is cst.Attribute and func.func.attr.value == "get")
    if not lookup:
        return None
    holder = func.value if type(func) is cst.Subscript else func.func.value  # type: ignore[attr-defined]
    if _seen(scope, holder) or not _migrated_returns(scope):
        return None
    return scope.flow.ctx.src.code(holder) or "a lookup"


def _seen(scope: Scope, holder: cst.BaseExpression) -> bool:
    """The dict looked up is one whose contents the file shows: a display, or
    a name only ever bound to one and filled otherwise (`REG[k] = fn`,
    `REG.update(...)`) only with the file's own functions (the flow and
    `registries` read those)."""
    flow = scope.flow
    if _displayed(holder) or type(holder) is cst.Dict:
        return not _holds_own(flow, [holder])  # `{"sources": list_sources}[name]()`: not followed
    if type(holder) is not cst.Name:
        return False
    name = holder.value
    bound: list[cst.BaseExpression] = []
    for node in flow.ctx.index.parents:
        if type(node) is cst.Assign and len(node.targets) == 1:
            target = node.targets[0].target
            if type(target) is cst.Name and target.value == name:
                bound.append(node.value)
            elif type(target) is cst.Subscript and type(target.value) is cst.Name and target.value.value == name \
                    and not (type(node.value) is cst.Name and (_own(flow, node.value.value)
                                                              or _storing(flow.ctx, node, node.value.value))):
                return False  # `REG[k] = make()`, a wrapper that is not only a call of the function given
        elif type(node) is cst.AnnAssign and type(node.target) is cst.Name and node.target.value == name \
                and node.value is not None:
            bound.append(node.value)
        elif type(node) is cst.Call and type(node.func) is cst.Attribute and type(node.func.value) is cst.Name \
                and node.func.value.value == name and node.func.attr.value in ("update", "setdefault"):
            put = _put(node, node.func.attr.value)
            if put is None or not all(type(v) is cst.Name and _own(flow, v.value) for v in put):
                return False
    if name not in registries(flow.ctx) and _holds_own(flow, bound):
        return False  # a display of the file's functions `registries` does not read (in a function)
    return bool(bound) and all(type(v) is cst.Dict or _displayed(v) or (
        type(v) is cst.Call and type(v.func) is cst.Name and v.func.value == "dict" and not v.args) for v in bound)


def _holds_own(flow: object, values: list[cst.BaseExpression]) -> bool:
    """One of the displays holds a function of the file by its name."""
    return any(_own(flow, name) for value in values for name in _displayed(value))


def _put(call: cst.Call, method: str) -> list[cst.BaseExpression] | None:
    """The values `REG.update(...)` / `REG.setdefault(k, v)` puts in the dict; None when not all are shown."""
    if method == "setdefault":
        return [call.args[1].value] if len(call.args) == 2 and not any(a.star for a in call.args) else None
    put: list[cst.BaseExpression] = []
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            put.append(arg.value)
        elif type(arg.value) is cst.Dict and all(type(e) is cst.DictElement for e in arg.value.elements):
            put.extend(e.value for e in arg.value.elements)  # type: ignore[union-attr]
        else:
            return None
    return put


def _own(flow: object, name: str) -> bool:
    return name in flow.functions or name in flow.decorated  # type: ignore[attr-defined]


def _migrated_returns(scope: Scope) -> bool:
    flow = scope.flow
    key = STATE + ".returns"
    found = flow.ctx.state.get(key)
    if found is None:
        found = False
        for function in (*flow.functions.values(), *flow.decorated.values()):
            shape = proven(flow.returns_of(function, ()))
            if shape is not None and shape.what in GIVEN and (shape.endpoint or shape.kind):
                found = True
                break
        flow.ctx.state[key] = found
    return bool(found)


def _registry_of(scope: Scope, func: cst.BaseExpression, depth: int = 0) -> str | None:
    """The registry `func` is looked up in (`REG[key]`, `REG.get(key[, default])`),
    or that every binding of the name `func` in its scope looks up."""
    if type(func) is cst.Subscript and type(func.value) is cst.Name:
        return func.value.value
    if type(func) is cst.Call and type(func.func) is cst.Attribute and func.func.attr.value == "get" \
            and type(func.func.value) is cst.Name and 1 <= len(func.args) <= 2 \
            and not any(a.star or a.keyword is not None for a in func.args):
        return func.func.value.value
    if type(func) is cst.Name and depth == 0:
        events = scope.events.get(func.value, {})
        found: set[str | None] = set()
        for event, _ in events.values():
            value = event.value if isinstance(event, cst.Assign) and len(event.targets) == 1 \
                and type(event.targets[0].target) is cst.Name else None
            found.add(_registry_of(scope, value, depth + 1) if value is not None else None)
        if len(found) == 1 and None not in found:
            return found.pop()
    return None


def registries(ctx: FileContext) -> dict[str, set[str]]:
    """Registry name → the names of the file's functions put in it."""
    found = ctx.state.get(STATE)
    if isinstance(found, dict):
        return found
    registries: dict[str, set[str]] = {}
    decorators: dict[str, str] = {}
    """Decorator (or decorator factory) of the file → the registry it stores functions in."""
    module = ctx.src.module
    for node in ctx.index.parents:
        if type(node) is cst.AnnAssign and type(node.target) is cst.Name and node.value is not None \
                and _at_module_level(ctx, node, module):  # `REG: dict[str, Callable] = {...}`
            registries.setdefault(node.target.value, set()).update(_displayed(node.value))
        elif type(node) is cst.Expr and type(node.value) is cst.Call and type(node.value.func) is cst.Attribute \
                and type(node.value.func.value) is cst.Name:  # `REG.update({...})`, `REG.setdefault("k", fn)`
            filled = _filled(node.value, node.value.func.attr.value)
            if filled:
                registries.setdefault(node.value.func.value.value, set()).update(filled)
        elif type(node) is cst.Assign and len(node.targets) == 1:
            target = node.targets[0].target
            if type(target) is cst.Name and ctx.parent(node) is not None and _at_module_level(ctx, node, module):
                displayed = _displayed(node.value)  # `REG = {"sources": list_sources}`, `REG = dict(sources=...)`
                if displayed:
                    registries.setdefault(target.value, set()).update(displayed)
            elif type(target) is cst.Subscript and type(target.value) is cst.Name and type(node.value) is cst.Name:
                holder, stored = target.value.value, node.value.value
                decorator = _storing(ctx, node, stored)
                if decorator is not None:  # `COMMANDS[name] = fn` in `def register(fn)`
                    decorators[decorator] = holder
                else:  # `REG["sources"] = list_sources`
                    registries.setdefault(holder, set()).add(stored)
    for statement in module.body:
        if type(statement) is not cst.FunctionDef:
            continue
        for decorator in statement.decorators:
            target = decorator.decorator.func if type(decorator.decorator) is cst.Call else decorator.decorator
            if type(target) is cst.Name and target.value in decorators:
                registries.setdefault(decorators[target.value], set()).add(statement.name.value)
    ctx.state[STATE] = registries
    return registries


def _displayed(value: cst.BaseExpression) -> set[str]:
    """The names a dict display or `dict(...)` call holds as values."""
    if type(value) is cst.Dict:
        return {e.value.value for e in value.elements if type(e) is cst.DictElement and type(e.value) is cst.Name}
    if type(value) is cst.Call and type(value.func) is cst.Name and value.func.value == "dict":
        return _filled(value, "update")
    return set()


def _filled(call: cst.Call, method: str) -> set[str]:
    """The names `REG.update({...})` / `REG.update(k=fn)` (`dict(...)` alike)
    or `REG.setdefault("k", fn)` puts in the dict."""
    if method == "setdefault":
        if len(call.args) == 2 and not any(a.star or a.keyword for a in call.args) \
                and type(call.args[1].value) is cst.Name:
            return {call.args[1].value.value}  # type: ignore[attr-defined]
        return set()
    if method != "update":
        return set()
    names: set[str] = set()
    for arg in call.args:
        if arg.keyword is not None and not arg.star and type(arg.value) is cst.Name:
            names.add(arg.value.value)
        elif arg.keyword is None and not arg.star and type(arg.value) is cst.Dict:
            names |= _displayed(arg.value)
    return names


def _forwarding(function: cst.FunctionDef, wrapper: str) -> bool:
    """`wrapper` is a function defined in `function` (`def register(fn)`)
    whose every `return` gives back a call of its parameter (`@functools.wraps(fn)
    def wrapper(*a, **k): ...; return fn(*a, **k)`): calling it gives back
    what the function given does."""
    param = function.params.params[0].name.value
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    inner = next((s for s in body if type(s) is cst.FunctionDef and s.name.value == wrapper), None)
    if inner is None:
        return False
    returns = _Returns()
    inner.body.visit(returns)
    return bool(returns.values) and all(
        type(v) is cst.Call and type(v.func) is cst.Name and v.func.value == param for v in returns.values)


class _Returns(cst.CSTVisitor):
    """The values of the `return` statements of a body (not of functions in it)."""

    def __init__(self) -> None:
        self.values: list[cst.BaseExpression | None] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)


def _at_module_level(ctx: FileContext, node: cst.CSTNode, module: cst.Module) -> bool:
    line = ctx.parent(node)
    return line is not None and ctx.parent(line) is module


def _storing(ctx: FileContext, node: cst.Assign, stored: str) -> str | None:
    """The decorator of the module, used as `@NAME` or `@NAME(...)`, whose
    function parameter `stored` is what `node` stores: the function itself,
    or the factory around it that returns it."""
    current = ctx.parent(node)
    while current is not None and type(current) is not cst.FunctionDef:
        current = ctx.parent(current)
    if current is None or len(current.params.params) != 1 or (
            current.params.params[0].name.value != stored and not _forwarding(current, stored)):
        return None
    outer = ctx.parent(current)
    while outer is not None and type(outer) not in (cst.FunctionDef, cst.Module, cst.ClassDef):
        outer = ctx.parent(outer)
    if type(outer) is cst.Module:
        return current.name.value
    if type(outer) is cst.FunctionDef and type(ctx.parent(outer)) is cst.Module:
        return outer.name.value  # a factory (`def command(name): def register(fn): ...`)
    return None
