"""Functions of the file kept in a registry and called through a lookup
(part of `responses_tied`).

`COMMANDS[name]()`, `COMMANDS.get(name)()`, `REG["sources"]()`: what such a
call gives back is what one of the functions registered under that name
gives back, which the flow does not follow. A registry here is a name the
file fills with its own functions:

- a dict display assigned to it (`REG = {"sources": list_sources}`);
- an item assigned (`REG["sources"] = list_sources`);
- a decorator of the file that stores the function it is given
  (`def command(name): def register(fn): COMMANDS[name] = fn; ...`): every
  function it decorates (`@command("sources")`, `@register`).

When the registered functions that give back a migrated call's answer
(or a part of it) all give back the whole answer of one endpoint, the reads
off the lookup's value are marked from that endpoint's rows as those off a
tied value are (the registry may hold other functions, and another module may
fill it: never rewritten); otherwise (several endpoints, lists or items of
answers) `Writer.read` marks the reads off the lookup's call itself.
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
        if type(node) is cst.Assign and len(node.targets) == 1:
            target = node.targets[0].target
            if type(target) is cst.Name and type(node.value) is cst.Dict and ctx.parent(node) is not None \
                    and _at_module_level(ctx, node, module):
                for element in node.value.elements:  # `REG = {"sources": list_sources}`
                    if type(element) is cst.DictElement and type(element.value) is cst.Name:
                        registries.setdefault(target.value, set()).add(element.value.value)
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
    if current is None or [p.name.value for p in current.params.params] != [stored]:
        return None
    outer = ctx.parent(current)
    while outer is not None and type(outer) not in (cst.FunctionDef, cst.Module, cst.ClassDef):
        outer = ctx.parent(outer)
    if type(outer) is cst.Module:
        return current.name.value
    if type(outer) is cst.FunctionDef and type(ctx.parent(outer)) is cst.Module:
        return outer.name.value  # a factory (`def command(name): def register(fn): ...`)
    return None
