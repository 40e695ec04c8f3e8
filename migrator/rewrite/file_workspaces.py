"""Calls for different literal workspaces, in one file or in the files of a
run (part of `rewrite.other-workspace`).

Without an id map, a workspace the code names once (`.../workspaces/acme/sources`,
`WORKSPACE = "acme"`) is taken for the token's, and dropped with its path
segment. When migrated calls of the same file name different ones (`acme` in
one, `other` in another), dropping them would send every call to the token's
one workspace: each such call is put back on the Config API and marked (the
code must choose which workspace a token, and so a run, is for). The driver
compares the files of a run the same way: each file's workspaces dropped
(`dropped`) are given to the others (`FileContext.run_workspaces`), whose
calls for another one are marked alike. (A template constant filled in
with different literals, `SOURCES.format("acme")` and `.format("globex")`,
is checked where its path is read: `path_outcome._check_filled_workspaces`.)
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import joins, line_refs
from migrator.rewrite.context import FileContext
from migrator.rewrite.path_messages import OTHER_WORKSPACE
from migrator.rewrite.path_outcome import no_workspace
from migrator.rewrite.table import Table

STATE = __name__
MESSAGE = (
    "this call is for workspace `{workspace}` and other calls of this file are for `{others}`, but the Public API "
    "drops the workspace from its paths: a Public API token works for one workspace; migrate each with that "
    "workspace's token (and id map)"
)
RUN = (
    "this call is for workspace `{workspace}` and calls of other files of this run are for {others}, but the Public "
    "API drops the workspace from its paths: a Public API token works for one workspace; migrate each with that "
    "workspace's token (and id map)"
)


def _found(ctx: FileContext) -> dict[str, list[cst.CSTNode]]:
    found = ctx.state.setdefault(STATE, {})
    return found  # type: ignore[return-value]


def record(ctx: FileContext, workspace: str | None, root: cst.CSTNode) -> None:
    """A migrated URL (its chain's root) whose one workspace text was dropped."""
    if workspace is not None and no_workspace(ctx):
        _found(ctx).setdefault(workspace, []).append(root)


def settle(ctx: FileContext, table: Table) -> None:
    """Mark and hold back (`joins`) the migrated URLs of every workspace when
    the file's name more than one, or other files of the run name another
    (`run_workspaces`); before `joins.settle`, which puts them back."""
    found = _found(ctx)
    run = {w: where for w, where in ctx.run_workspaces.items() if w not in found}
    if len(found) + len(run) < 2 or not found:
        return
    migrated = joins.state(ctx).migrated
    for workspace, roots in found.items():
        mine = "`, `".join(w for w in found if w != workspace)
        if run:
            named = ", ".join(f"`{w}` (in {where})" for w, where in run.items())
            message = table.message(OTHER_WORKSPACE + ".run", RUN, workspace=workspace,
                                    others=f"{named}, and other calls of this file for `{mine}`" if mine else named)
        else:
            message = table.message(OTHER_WORKSPACE + ".file", MESSAGE, workspace=workspace, others=mine)
        for root in roots:
            if id(root) not in migrated or ctx.suppressed(root, OTHER_WORKSPACE):
                continue
            ctx.mark(OTHER_WORKSPACE, root, message)
            joins.link(ctx, root, [root], ok=False)


def dropped(ctx: FileContext) -> tuple[tuple[str, int], ...]:
    """The workspaces whose text the file's migrated calls drop, each with the
    line of its first call (once every kind is done: calls put back are not)."""
    migrated = joins.state(ctx).migrated
    out: dict[str, int] = {}
    for workspace, roots in _found(ctx).items():
        for root in roots:
            if id(root) in migrated and not joins.in_tail(ctx, root):
                out.setdefault(workspace, line_refs.number(ctx, root))
                break
    return tuple(sorted(out.items()))
