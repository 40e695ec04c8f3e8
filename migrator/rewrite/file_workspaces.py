"""Calls of one file for different literal workspaces (part of `rewrite.other-workspace`).

Without an id map, a workspace the code names once (`.../workspaces/acme/sources`,
`WORKSPACE = "acme"`) is taken for the token's, and dropped with its path
segment. When migrated calls of the same file name different ones (`acme` in
one, `other` in another), dropping them would send every call to the token's
one workspace: each such call is put back on the Config API and marked (the
code must choose which workspace a token, and so a run, is for). Calls in
different files of a run are not compared. (A template constant filled in
with different literals, `SOURCES.format("acme")` and `.format("globex")`,
is checked where its path is read: `path_outcome._check_filled_workspaces`.)
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import joins
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


def _found(ctx: FileContext) -> dict[str, list[cst.CSTNode]]:
    found = ctx.state.setdefault(STATE, {})
    return found  # type: ignore[return-value]


def record(ctx: FileContext, workspace: str | None, root: cst.CSTNode) -> None:
    """A migrated URL (its chain's root) whose one workspace text was dropped."""
    if workspace is not None and no_workspace(ctx):
        _found(ctx).setdefault(workspace, []).append(root)


def settle(ctx: FileContext, table: Table) -> None:
    """Mark and hold back (`joins`) the migrated URLs of every workspace when
    the file's name more than one; before `joins.settle`, which puts them back."""
    found = _found(ctx)
    if len(found) < 2:
        return
    migrated = joins.state(ctx).migrated
    for workspace, roots in found.items():
        others = "`, `".join(w for w in found if w != workspace)
        message = table.message(OTHER_WORKSPACE + ".file", MESSAGE, workspace=workspace, others=others)
        for root in roots:
            if id(root) not in migrated or ctx.suppressed(root, OTHER_WORKSPACE):
                continue
            ctx.mark(OTHER_WORKSPACE, root, message)
            joins.link(ctx, root, [root], ok=False)
