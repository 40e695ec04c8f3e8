"""Responses of calls this run left on the Config API: a Config URL marked
by an earlier kind and not changed (`rewrite.partial-path`, a slug with no
id map). Code still on the Config API reads Config responses, which are
still right, so reads of them get no marker as values of unknown origin
(`responses.Writer._unknown_origin`). The flow that proves them is the
responses flow, started at these URLs instead of the migrated ones.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.responses_flow import DOC, ITEM, LIST, PAGES, RAW, RESP, SUB, Flow, Read, Scope, proven
from migrator.rewrite.table import Endpoint, table_for

ANSWERS = frozenset({RESP, RAW, DOC, LIST, ITEM, SUB, PAGES})
"""Shapes of what a call answers (not a dict the code wrote itself, nor its own data)."""


def origins(ctx: FileContext) -> dict[int, str]:
    """Chain root ids → endpoint row id ("" when the call's method does not
    pick one) of the Config URLs marked and left as they are."""
    from migrator.rewrite import clients, paths
    from migrator.rewrite.strings import build_chain

    marked = {m.offset for m in ctx.markers}
    changed = [(c.start, c.end) for c in ctx.changes]
    table = table_for(ctx.rules)
    found: dict[int, str] = {}
    for root in ctx.index.roots:
        span = ctx.src.span(root)
        if span is None or any(a < span[1] and span[0] < b for a, b in changed):
            continue
        held_bases = _held_bases(ctx, root, marked, changed)
        if span[0] not in marked and not held_bases:
            continue
        chain = build_chain(ctx.src, root)
        reading = paths.read(chain, table) if chain is not None and not chain.is_bytes else None
        matches = [e for e, _ in table.match(reading.path)] if reading is not None else []
        if not matches and reading is not None and held_bases:
            matches = _joined(ctx, held_bases, reading.path)  # `"/sources"` on a client of a held base
        if not matches:
            continue  # no Config path (a base alone): no call's URL
        method = clients.flow(ctx, root).method
        fitting = [e for e in matches if e.method == (method or "GET")]
        found[id(root)] = fitting[0].row.id if len(fitting) == 1 else ""
    return found


def _held_bases(
    ctx: FileContext, root: cst.CSTNode, marked: set[int], changed: list[tuple[int, int]]
) -> list[cst.BaseExpression]:
    """The `base_url=` values of the httpx clients that send `root`, a
    host-less path (`"/sources"`), when all are Config URLs marked and left
    as they are (the call stays on the Config API, wherever the base's own
    parts come from); [] otherwise."""
    from migrator.rewrite import clients

    if type(root) is not cst.SimpleString or not str(root.evaluated_value).startswith("/"):  # type: ignore[attr-defined]
        return []
    flow = clients.flow(ctx, root)
    if not flow.url or flow.prefix or flow.opaque or flow.bases or not flow.clients:
        return []
    bases = [b for c in flow.clients for b in clients.client_base_urls(ctx, c)]
    values = [v for b in bases for v in (clients.resolve(ctx, b) if isinstance(b, (cst.Name, cst.Attribute)) else [b])]
    if not values or len(values) < len(bases) or not all(_held(ctx, v, marked, changed) for v in values):
        return []
    return values


def _joined(ctx: FileContext, bases: list[cst.BaseExpression], path: str) -> list[Endpoint]:
    """The endpoints of `path` joined to each of `bases` (the Config path
    they end with), when all bases agree on them."""
    from migrator.rewrite import paths
    from migrator.rewrite.strings import build_chain

    table = table_for(ctx.rules)
    found: list[list[Endpoint]] = []
    for base in bases:
        chain = build_chain(ctx.src, base)
        reading = paths.read(chain, table) if chain is not None and not chain.is_bytes else None
        if reading is None or reading.query:
            return []
        found.append([e for e, _ in table.match("/".join(p for p in (reading.path.strip("/"), path.strip("/")) if p))])
    first = found[0] if found else []
    return first if all([e.row.id for e in f] == [e.row.id for e in first] for f in found) else []


def _held(ctx: FileContext, node: cst.CSTNode, marked: set[int], changed: list[tuple[int, int]]) -> bool:
    span = ctx.src.span(node)
    return span is not None and span[0] in marked and not any(a < span[1] and span[0] < b for a, b in changed)


class Held:
    """Answers whether a value comes from a held call; the flow runs on first use."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.origins = origins(ctx)
        self.flow: Flow | None = None

    def read_off(self, scope: Scope, read: Read) -> bool:
        """`read` is a read of a held call's response (in the function's own analysis)."""
        if not self.origins:
            return False
        if self.flow is None:
            self.flow = Flow(self.ctx, self.origins)
            self.flow.run()
        held = self.flow.scopes.get((id(scope.node), ()))
        shape = proven(held.eval(read.value)) if held is not None else None
        return shape is not None and shape.what in ANSWERS
