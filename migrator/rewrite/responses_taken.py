"""Methods taken off an instance and handed on (rewrite row `rewrite.responses`).

A method giving back a migrated response, taken off an instance without
being called (`responses_flow.METHOD`), is followed when the flow can tell
which method a later call runs: bound to a plain name (`fetch =
client.list_sources; fetch()["sources"]`), or named by a literal
(`getattr(client, "list_sources")()`). Anywhere else (a dict or list of
methods, `self.fetch = client.list_sources`, a call that is not followed,
`return client.list_sources`) what it gives back is read unseen, in the
Config shape: those uses are marked, as a function of another module handed
on is (`responses_imported`, "handed"); not when the call drops what it
gives back or never calls it (`discarding`). A name bound to such a method
on one path and to another value on another, or bound again in a nested
function, is not followed: the reads off what a call of it gives back are
marked (`responses_flow.TAKEN_PARTLY`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite.clients import qualified_name
from migrator.rewrite.discarding import dropped
from migrator.rewrite.responses_flow import METHOD, Scope, given_on, proven
from migrator.rewrite.responses_imported import reference, what_of
from migrator.rewrite.responses_tied import runs_tied
from migrator.rewrite.shown import harmless_call, shown

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer


def mark_taken(writer: Writer, row: str) -> None:
    """Marks each method taken off an instance, giving back a migrated
    response, that is handed where the flow does not follow it (see the module)."""
    ctx = writer.ctx
    for scope in list(writer.flow.scopes.values()):
        if not scope.base:
            continue
        for node in scope.nodes:
            kind = type(node)
            if kind is cst.Name:
                if not reference(ctx, node):  # type: ignore[arg-type]
                    continue
            elif kind is cst.Call:
                if qualified_name(ctx, node.func) != "getattr":  # type: ignore[attr-defined]
                    continue
            elif kind is not cst.Attribute:
                continue
            taken = proven(scope.eval(node))  # type: ignore[arg-type]
            if taken is None or taken.what != METHOD or not _handed(writer, scope, node):  # type: ignore[arg-type]
                continue
            given = proven(scope._taken_given(taken))
            if given_on(given):
                name = ctx.src.code(node) or taken.path or "this method"
                writer.mark(row, node, writer.message("handed", name=name, what=what_of(given)))


def _handed(writer: Writer, scope: Scope, node: cst.BaseExpression) -> bool:
    """`node`, a method taken off an instance, goes where the flow does not
    follow it: put in a display, given back, stored in an attribute or an
    item, given to a lambda or a choice of values, or passed to a call the
    flow does not follow into (not a function or method of the file, nor a
    call that only shows or tests it, nor one that drops what it gives back:
    `discarding`). Not called at once, nor bound to a
    plain name (both followed)."""
    ctx = writer.ctx
    holder = ctx.parent(node)
    if isinstance(holder, (cst.Element, cst.DictElement)):
        return holder.value is node and not shown(ctx, node)
    if isinstance(holder, (cst.Return, cst.Yield, cst.Lambda, cst.IfExp, cst.BooleanOperation)):
        return getattr(holder, "test", None) is not node
    if isinstance(holder, cst.Assign) and holder.value is node:
        return not all(isinstance(t.target, cst.Name) for t in holder.targets)
    if isinstance(holder, cst.AnnAssign) and holder.value is node:
        return not isinstance(holder.target, cst.Name)
    if not isinstance(holder, cst.Arg):
        return False
    call = ctx.parent(holder)
    if not isinstance(call, cst.Call) or harmless_call(ctx, call) or dropped(ctx, node) \
            or runs_tied(scope, call, node):
        return False  # (what `map(self.get_source, slugs)` gives is tied to it: `responses_tied`)
    func = call.func
    if isinstance(func, cst.Name):
        return func.value not in writer.flow.functions
    return not (isinstance(func, cst.Attribute) and scope._method(func) is not None)
