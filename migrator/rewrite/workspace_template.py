"""A helper that joins the paths its callers pass after the workspace
(`"{}/workspaces/{}/{}".format(self.base_url, self.workspace, path)`, the
same with an f-string or `+`), called with path strings (`self._url("sources")`).

The Public API drops the workspace from every path, so the helper loses its
`workspaces/{}/` and the workspace value, and each path a caller passes is
read whole (`workspaces/{workspace}/` + it) and becomes the rest of its
Public path (`sources/{slug}/destinations/{d}` → `destinations/{id}`). All
of them move together or none does (`joins`): a caller that passes anything
else than a path string, or a path that cannot move, keeps them all on the
Config API, marked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import clients, joins, line_refs
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import PlanError, plan_edits
from migrator.rewrite.path_messages import DEFAULTS, PARTIAL, ROW
from migrator.rewrite.path_reading import Reading, base_slash, read, whole_paths
from migrator.rewrite.strings import Chain, NewCell, NewHole, build_chain, is_chain_root, is_hole_char
from migrator.rewrite.table import Table

if TYPE_CHECKING:
    from migrator.rewrite.paths import PathsKind

STATE = __name__ + ".joined"
UNSEEN_USES = "the helper's URL is used in a way this rewrite cannot follow, and a longer path built from it would need a different Public path"


def joined(ctx: FileContext) -> set[int]:
    """Chain roots a helper's rewrite read (callers' paths): no other reading."""
    found = ctx.state.setdefault(STATE, set())
    return found  # type: ignore[return-value]


def migrate(
    ctx: FileContext, kind: PathsKind, chain: Chain, reading: Reading, table: Table, bases: list[cst.CSTNode]
) -> bool:
    """Migrate the helper's template and its callers' paths (True when it is
    such a helper, whatever became of it)."""
    head, _, last = reading.path.rpartition("/")
    workspace = head.partition("/")[2]
    if (
        reading.prefix_end != 1
        or reading.query is not None
        or reading.trailing_slash
        or not bases
        or head.partition("/")[0] != table.workspace_segment
        or len(workspace) != 1
        or not is_hole_char(workspace)
        or len(last) != 1
        or not is_hole_char(last)
    ):
        return False
    param = chain.hole(last).node
    value = chain.hole(workspace).node
    helper = ctx.index.scope_of(chain.root)
    if not isinstance(param, cst.Name) or not isinstance(helper, cst.FunctionDef) or not _own(ctx, helper):
        return False
    if helper.name.value in ctx.held_attributes:
        return False  # another module of the run calls it (`client._url(...)`)
    if isinstance(value, cst.Name) and value.value in {p.name.value for p in helper.params.params}:
        return False  # the workspace a caller gives: each call's may differ

    passed = clients.parameter_values(ctx, chain.root, [param])
    if not passed or not all(is_chain_root(p) for p in passed):
        return False
    base = build_chain(ctx.src, bases[0]) if isinstance(bases[0], cst.BaseExpression) else None
    host = read(base, table) if base is not None else None
    slashed = base_slash(ctx, bases[0])
    if host is None or host.host is None or slashed is None:
        return False
    ok = True
    for node in passed:
        ok = _caller(ctx, kind, node, host, table) and ok
        joined(ctx).add(id(node))
    if ok:
        # one slash between the base and the path: the base's own when it ends with one (`".../v1beta/"`)
        slash = [] if slashed else [NewCell("/")]
        wanted = [NewHole(chain.hole(chain.template()[0])), *slash, NewHole(chain.hole(last))]
        try:
            edits = plan_edits(ctx.src, chain, wanted)  # the workspace and its value go
        except PlanError:
            edits = []
        ok = bool(edits) and joins.accept(ctx, chain, edits, [ROW]) is not None
    if ok and ctx.index.class_of(helper) is not None:
        ctx.moved_attributes.add(helper.name.value)  # other modules calling it on an object are looked for
    joins.link(ctx, chain.root, [*bases, *passed], ok=ok)
    if not ok and not ctx.suppressed(chain.root, PARTIAL):
        ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL])
                 + f" (it joins the paths its callers pass on {line_refs.lines(ctx, passed)} after the workspace, "
                 "which the Public API drops: they move with it or not at all, and one of them cannot)")
    return True


def _own(ctx: FileContext, helper: cst.FunctionDef) -> bool:
    """A helper only this file calls: private (`_url`), or of a script."""
    from migrator.rewrite.calls import is_script

    return helper.name.value.startswith("_") or is_script(ctx)


def _caller(ctx: FileContext, kind: PathsKind, node: cst.CSTNode, base: Reading, table: Table) -> bool:
    """One path a caller passes, read after the workspace: migrated (True)."""
    chain = build_chain(ctx.src, node) if isinstance(node, cst.BaseExpression) else None
    reading = read(chain, table) if chain is not None else None
    if chain is None or reading is None or reading.host is not None or reading.prefix_end or reading.had_version:
        return False
    if reading.lead_slash or not reading.path:
        return False
    whole = replace(
        reading,
        path=f"{table.workspace}/{reading.path}",  # the helper's workspace: dropped
        base_kind="config",
        strip="",
        rebase_host=base.host,  # recorded even when its text stays (`sources`)
    )
    matches = table.match(whole.path)
    if not matches or any(ctx.suppressed(chain.root, e.row.id) for e, _ in matches):
        if not matches and not ctx.suppressed(chain.root, PARTIAL):
            ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL]))
        return False
    flow = clients.flow(ctx, chain.root)
    arg = ctx.parent(chain.root)
    sent = clients.flow(ctx, call) if isinstance(arg, cst.Arg) and isinstance(call := ctx.parent(arg), cst.Call) else flow
    if sent.prefix or (sent.opaque and not all(table.prefix_safe[e.row.id] for e, _ in matches)):
        # as a path written whole would be (`paths`): more path may be appended to the URL the helper returns
        if not ctx.suppressed(chain.root, PARTIAL):
            ctx.mark(PARTIAL, chain.root, table.message(PARTIAL, DEFAULTS[PARTIAL]) + f" ({UNSEEN_USES})")
        return False
    if not kind._rewrite(ctx, chain, whole, matches, flow, table, True):
        return False
    whole_paths(ctx)[id(chain.root)] = whole.path  # what the request-body kind reads (`paths.read_joined`)
    return True
