"""The texts the file's own calls give a parameter (for the workspace checks
of `path_outcome` and `file_workspaces`).

`def sources(ws="acme")` called as `sources()` and `sources("acme-staging")`:
`ws` holds `acme` and `acme-staging`. Only a parameter of a module function
that its body never rebinds; the values known are literals and constants
(`constants.constant_text`) given by name or position, and the default when a
call of the file leaves the parameter out (or none calls the function).
Values not known (a variable, `*args`) are skipped: the texts found are some
of those the parameter holds, not all.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.constants import constant_text
from migrator.rewrite.context import FileContext


def parameter_texts(ctx: FileContext, node: cst.BaseExpression) -> list[str]:
    """Known texts of the parameter `node` names (its default first, then in
    the order of the calls); [] when it is none."""
    if type(node) is not cst.Name:
        return []
    function = ctx.index.scope_of(node)
    if type(function) is not cst.FunctionDef or type(ctx.parent(function)) is not cst.Module \
            or ctx.index.assignments.get((function, node.value)):
        return []
    positional = [p.name.value for p in function.params.params]
    param = next((p for p in (*function.params.params, *function.params.kwonly_params)
                  if p.name.value == node.value), None)
    if param is None:
        return []
    index = positional.index(node.value) if node.value in positional else None
    texts: list[str] = []
    left_out = False
    calls = 0
    for use in ctx.index.names.get(function.name.value, ()):
        call = ctx.parent(use)
        if type(call) is not cst.Call or call.func is not use:
            continue
        calls += 1
        if any(a.star for a in call.args):
            continue  # `sources(*names)`: not known
        given = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == node.value), None)
        plain = [a.value for a in call.args if a.keyword is None]
        if given is None and index is not None and index < len(plain):
            given = plain[index]
        if given is None:
            left_out = True
            continue
        _add(texts, constant_text(ctx, given, call))
    if param.default is not None and (left_out or not calls):
        default = constant_text(ctx, param.default, function)
        if default is not None:
            return [default, *(t for t in texts if t != default)]
    return texts


def _add(texts: list[str], text: str | None) -> None:
    if text is not None and text not in texts:
        texts.append(text)
