"""The marker of a test's URL (a double) left on the Config API with the
code under test, which keeps calling it (`driver._keep_tests_with_their_code`):
`KEPT`, or `KEPT_MOVED` when that code also migrated calls of the endpoint."""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.path_messages import KEPT, KEPT_MOVED, PARTIAL
from migrator.rewrite.table import Table

_WHERE, _CALLS = "\x00where\x00", "\x00calls\x00"


def message(ctx: FileContext, node: cst.CSTNode, table: Table, held: Sequence[str]) -> str:
    """The marker for the URL `node` of the endpoint rows `held` (of `ctx.kept`).
    A later run, the migrated calls on the Public API by then (no longer
    seen as moved), finds an earlier run's `KEPT_MOVED` above `node` with the
    same kept calls and says it again."""
    where = ", ".join(sorted({ctx.kept[row] for row in held}))
    moved = list(dict.fromkeys(w for row in held if row in ctx.kept_moved for w in ctx.kept_moved[row].split(", ")))
    if moved:
        calls = f"the call on {moved[0]} now goes" if len(moved) == 1 else f"the calls on {', '.join(moved)} now go"
        return table.message(PARTIAL + ".kept-moved", KEPT_MOVED, where=where, calls=calls)
    template = table.message(PARTIAL + ".kept-moved", KEPT_MOVED, where=_WHERE, calls=_CALLS)
    pattern = re.escape(template).replace(re.escape(_WHERE), re.escape(where)).replace(re.escape(_CALLS), ".+")
    for rule, said in ctx.earlier_markers(node):
        if rule == PARTIAL and re.fullmatch(pattern, said):
            return said
    return table.message(PARTIAL + ".kept", KEPT, where=where)
