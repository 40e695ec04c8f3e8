"""Fixtures a test (or a fixture) asks pytest for by name:
`request.getfixturevalue("client")`, `request` being the parameter pytest
gives it (a reserved fixture name, never bound otherwise).

A literal name is found like a parameter of that name (`fixtures.requested`);
what the flow follows of it is the value of the call (`Scope._call`); the
rest is marked (`fixtures_given.mark_unproven`), and so is a call on the
`request` parameter of another function (a helper a test hands its `request` to).
A name the test's parameter holds, parametrized from literals
(`@pytest.mark.parametrize("backend", ["sqlite_db", "pg_db"])` then
`request.getfixturevalue(backend)`), is one of those (`Asked.among`).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite.clients import param_names, qualified_name
from migrator.rewrite.context import FileContext
from migrator.rewrite.fixtures import called_by_pytest, hooked

REQUEST = "request"
ASK = "getfixturevalue"


@dataclass(frozen=True)
class Asked:
    call: cst.Call
    function: cst.FunctionDef
    """The function whose `request` parameter the call is made on: a test or
    a fixture, or a helper it may be handed to (`pytest`)."""
    name: str | None
    """The fixture's name, None when it is not a literal."""
    own: bool
    """In `function`'s own body, not in a function or lambda nested in it."""
    pytest: bool
    """`function` is a test or a fixture: pytest gives it its `request`."""
    among: tuple[str, ...] | None = None
    """When `name` is None: the fixture names the call may ask for, those
    the parameter it is given is parametrized with (`_among`), or None."""


def asked(ctx: FileContext) -> list[Asked]:
    """Every `request.getfixturevalue(...)` of the file made on a function's
    `request` parameter (that of a test or fixture, or of a helper it may be handed to)."""
    if ASK not in ctx.src.text:
        return []
    index = ctx.index
    found: list[Asked] = []
    for use in index.names.get(REQUEST, ()):
        attribute = ctx.parent(use)
        call = ctx.parent(attribute) if isinstance(attribute, cst.Attribute) else None
        if not (isinstance(attribute, cst.Attribute) and attribute.value is use and attribute.attr.value == ASK
                and isinstance(call, cst.Call) and call.func is attribute):
            continue
        owner = _owner(ctx, call)
        if not isinstance(owner, cst.FunctionDef) or index.assignments.get((owner, REQUEST)):
            continue
        name, own, pytest = _literal(call), index.scope_of(call) is owner, called_by_pytest(ctx, owner)
        among = _among(ctx, call, owner) if name is None and own and pytest else None
        found.append(Asked(call, owner, name, own, pytest, among))
    return found


def _owner(ctx: FileContext, node: cst.CSTNode) -> cst.CSTNode | None:
    """The nearest function or lambda around `node` with a `request` parameter."""
    scope = ctx.index.scope_of(node)
    while isinstance(scope, (cst.FunctionDef, cst.Lambda)):
        if REQUEST in param_names(scope.params):
            return scope
        scope = ctx.index.scope_of(scope)
    return None


def _literal(call: cst.Call) -> str | None:
    argument = _argument(call)
    value = argument.evaluated_value if isinstance(argument, cst.SimpleString) else None
    return value if isinstance(value, str) and value.isidentifier() else None


def _argument(call: cst.Call) -> cst.BaseExpression | None:
    args = call.args
    if len(args) != 1 or args[0].keyword is not None and args[0].keyword.value != "argname" or args[0].star:
        return None
    return args[0].value


def _among(ctx: FileContext, call: cst.Call, test: cst.FunctionDef) -> tuple[str, ...] | None:
    """The names `request.getfixturevalue(backend)` may ask for, `backend`
    being a parameter of `test` (never rebound) that one parametrize mark
    of it or its class gives literal strings (`@pytest.mark.parametrize("backend",
    ["sqlite_db", pytest.param("pg_db", marks=...)])`, or `"backend,n"`
    with tuples), not `indirect`, and no `pytest_generate_tests` hook may; else None."""
    argument = _argument(call)
    if not isinstance(argument, cst.Name) or argument.value not in param_names(test.params) \
            or ctx.index.assignments.get((test, argument.value)) or hooked(ctx, argument.value):
        return None
    name = argument.value
    marks = [d.decorator for holder in (test, ctx.index.class_of(test)) if holder is not None
             for d in holder.decorators if isinstance(d.decorator, cst.Call)
             and (qualified_name(ctx, d.decorator.func) or "").endswith("parametrize")]
    found: tuple[str, ...] | None = None
    for mark in marks:
        names = _argnames(_given(mark, 0, "argnames"))
        if names is not None and name not in names:
            continue
        indirect = _given(mark, 2, "indirect")
        if found is not None or names is None or indirect is not None and not (
                isinstance(indirect, cst.Name) and indirect.value == "False"):
            return None  # another mark may give it, or a fixture of that name makes its value
        found = _values(ctx, _given(mark, 1, "argvalues"), names.index(name), len(names))
        if found is None:
            return None
    return found


def _given(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The argument of `call` at `position`, or by `keyword`."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if position < len(positional):
        return positional[position].value
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)


def _argnames(node: cst.BaseExpression | None) -> list[str] | None:
    """A parametrize mark's literal argnames (`"a"`, `"a,b"`, `["a", "b"]`)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return [n.strip() for n in value.split(",") if n.strip()] if isinstance(value, str) else None
    if isinstance(node, (cst.List, cst.Tuple)):
        values = [e.value.evaluated_value if isinstance(e.value, cst.SimpleString) else None for e in node.elements]
        return [v.strip() for v in values if isinstance(v, str)] if all(isinstance(v, str) for v in values) else None
    return None


def _values(ctx: FileContext, node: cst.BaseExpression | None, at: int, count: int) -> tuple[str, ...] | None:
    """The literal strings a parametrize mark's `argvalues` give its name at `at` of `count`."""
    if not isinstance(node, (cst.List, cst.Tuple)) or not node.elements:
        return None
    found: list[str] = []
    for element in node.elements:
        value = element.value
        if isinstance(element, cst.StarredElement):
            return None
        if isinstance(value, cst.Call) and qualified_name(ctx, value.func) == "pytest.param":
            items = [a.value for a in value.args if a.keyword is None and not a.star]
            if any(a.star for a in value.args):
                return None
        elif count == 1:
            items = [value]
        elif isinstance(value, (cst.Tuple, cst.List)) and not any(
                isinstance(e, cst.StarredElement) for e in value.elements):
            items = [e.value for e in value.elements]
        else:
            return None
        item = items[at] if len(items) == count else None
        text = item.evaluated_value if isinstance(item, cst.SimpleString) else None
        if not isinstance(text, str):
            return None
        found.append(text)
    return tuple(dict.fromkeys(found))
