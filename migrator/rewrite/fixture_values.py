"""Fixtures a test (or a fixture) asks pytest for by name:
`request.getfixturevalue("client")`, `request` being the parameter pytest
gives it (a reserved fixture name, never bound otherwise).

A literal name is found like a parameter of that name (`fixtures.requested`);
what the flow follows of it is the value of the call (`Scope._call`); the
rest is marked (`fixtures_given.mark_unproven`), and so is a call on the
`request` parameter of another function (a helper a test hands its `request` to).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite.clients import param_names
from migrator.rewrite.context import FileContext
from migrator.rewrite.fixtures import called_by_pytest

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
        found.append(Asked(call, owner, _literal(call), index.scope_of(call) is owner, called_by_pytest(ctx, owner)))
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
    args = call.args
    if len(args) != 1 or args[0].keyword is not None and args[0].keyword.value != "argname" or args[0].star:
        return None
    value = args[0].value.evaluated_value if isinstance(args[0].value, cst.SimpleString) else None
    return value if isinstance(value, str) and value.isidentifier() else None
