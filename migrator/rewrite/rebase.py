"""A Config base URL that holds a resource path, joined to suffixes whose
Public paths do not all share it (rewrite row `rewrite.rebased-joins`).

`SOURCE_URL = ".../v1beta/workspaces/acme/sources/backend"` is used as
`SOURCE_URL + "/destinations"` (Public `/sources/{sourceId}/connected-
destinations`) and `SOURCE_URL + "/destinations/" + slug` (Public
`/destinations/{destinationId}`). When the base's own path is a Config
resource path whose Public path the table gives whole (every row agrees,
every id literal and in the id map), the base becomes that Public URL; each
join whose Public path starts with it keeps the base and only its own part
changes, and a join whose Public path does not start with it is written in
full with the Public host in place of the base. Direct uses of the base
(`requests.get(FILTERS)`) are migrated as the paths kind migrates any URL.
The base is rewritten only when each use of it is one of these; otherwise it
stays marked, and with it every join (see `joins`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import clients, joins
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import PlanError, plan_edits
from migrator.rewrite.path_messages import OTHER_WORKSPACE
from migrator.rewrite.path_outcome import outcome as fill
from migrator.rewrite.path_reading import base_slash
from migrator.rewrite.strings import NewCell, NewHole, NewItem, is_hole_char
from migrator.rewrite.table import Endpoint, Table


if TYPE_CHECKING:
    from migrator.rewrite.paths import PathsKind, Prefix


def own_path(ctx: FileContext, prefix: Prefix, table: Table) -> str | None:
    """The Public path (no leading slash) of the base's own Config path, when
    the table gives it whole and literal; None otherwise (the base then only
    changes host, see `paths._compose`)."""
    if prefix.own_done:
        return prefix.own
    prefix.own_done = True
    reading = replace(prefix.reading, strip="", trailing_slash=False)
    matches = table.match(reading.path)
    if reading.host is None:
        prefix.own = _layered_own(ctx, prefix, matches, table)
        prefix.matches = matches
        return prefix.own
    texts: set[str] = set()
    workspace = reading.path.count("/") == 1 and reading.path.startswith(table.workspace_segment + "/")
    """The base ends at the workspace: its Public counterpart is the bare host."""
    for endpoint, params in matches:
        if endpoint.row.public is None or endpoint.public_query:
            return None
        outcome = fill(ctx, prefix.chain, reading, endpoint, params, table)
        if workspace and [p.rule for p in outcome.problems] == [OTHER_WORKSPACE]:
            if _held_workspace(prefix):
                prefix.problem = outcome.problems[0]  # the paths joined to it do not see it: the base says so
                return None
            texts.add(reading.host.public(ctx.region) + "/")  # each path joined to it says so
            continue
        if outcome.problems or outcome.items is None:
            return None
        if not all(isinstance(i, NewCell) for i in outcome.items):
            return None
        texts.add("".join(i.char for i in outcome.items))  # type: ignore[union-attr]
    head = reading.host.public(ctx.region) + "/"
    if len(texts) != 1:
        return None
    text = texts.pop()
    if not text.startswith(head) or "?" in text:
        return None
    if text == head and not workspace:
        return None  # only the workspace's base becomes the bare host (its paths drop it)
    prefix.own = text[len(head) :]
    prefix.matches = matches
    return prefix.own


def _layered_own(
    ctx: FileContext, prefix: Prefix, matches: list[tuple[Endpoint, dict[str, str]]], table: Table
) -> str | None:
    """A workspace base built on a Config base (`f"{API}/workspaces/acme"`,
    `paths._layered_base`): "" (that base alone) when every row of its path
    is the bare Public host, None otherwise."""
    reading = replace(prefix.reading, strip="", trailing_slash=False)
    for endpoint, params in matches:
        if endpoint.row.public is None or endpoint.public_query or (endpoint.public_path or "").strip("/"):
            return None
        found = fill(ctx, prefix.chain, reading, endpoint, params, table).problems
        problems = [p.rule for p in found]
        if problems and problems != [OTHER_WORKSPACE]:
            return None
        if problems and _held_workspace(prefix):
            prefix.problem = found[0]  # the paths joined to it do not see it: the base says so
            return None
        # a literal workspace other than the id map's: each path joined to it says so
    return "" if matches else None


def _held_workspace(prefix: Prefix) -> bool:
    """The base's workspace is a value (`f"{API}/workspaces/{ws}"` in a loop
    over workspaces), not literal text: the paths read whole with it hold a
    placeholder in its stead, so only the base can be marked for it."""
    return any(is_hole_char(c) for c in prefix.reading.path)


def settle(ctx: FileContext, kind: PathsKind, prefix: Prefix, uses: list[cst.CSTNode], table: Table) -> bool:
    """Rewrite a base whose joins were read with its own Public path (True),
    when every use of it is such a join or a direct use in an HTTP call."""
    if prefix.own is None or not uses:
        return False
    chain, reading = prefix.chain, prefix.reading
    direct = [u for u in uses if id(u) not in prefix.covered | prefix.apart]
    methods: set[str] = set()
    for use in direct:
        found = clients.flow(ctx, use)
        if not found.url or found.prefix or found.opaque or found.unknown or not found.methods:
            return False
        methods |= found.methods
    if any(ctx.suppressed(chain.root, e.row.id) for e, _ in prefix.matches):
        return False
    if direct and not prefix.own:
        return False  # the workspace itself as well: its joins would follow a Public `/`
    if direct:
        # migrated like any URL, for the methods it is called with directly
        flow = clients.Flow(url=True, methods=methods)
        whole = replace(reading, strip="", trailing_slash=False)
        return kind._rewrite(ctx, chain, whole, prefix.matches, flow, table, True)
    host = reading.host.row.id if reading.host is not None else table.hosts[0].row.id
    if ctx.suppressed(chain.root, host):
        return False
    # only joined: the base is a URL part, its change is the host row's
    wanted: list[NewItem] = [NewCell(c) for c in reading.host.public(ctx.region)] if reading.host is not None \
        else [NewHole(chain.hole(c)) for c in chain.template()[: reading.prefix_end]]  # the base in front alone
    if prefix.own:
        wanted.append(NewCell("/"))
        wanted.extend(NewCell(c) for c in prefix.own)
    if reading.trailing_slash and not (reading.host is None and not prefix.own and base_slash(ctx, prefix.bases[0])):
        wanted.append(NewCell("/"))  # not after the base alone that ends with one (`f"{API}workspaces/{WS}/"`)
    try:
        edits = plan_edits(ctx.src, chain, wanted)
    except PlanError:
        return False
    return bool(edits) and joins.accept(ctx, chain, edits, [host]) is not None
