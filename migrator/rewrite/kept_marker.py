"""The markers of a test's URL (a double) left on the Config API with the
code under test (`driver._keep_tests_with_their_code`): `KEPT`, the code
keeps calling its endpoint, or `KEPT_MOVED` when that code also migrated
calls of the endpoint; `JOINED_MOVED` added to the marker of one held with
its base whose endpoint that code migrated calls of (`joins.settle`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.line_refs import MOVED, REF
from migrator.rewrite.path_messages import KEPT, KEPT_CALL, KEPT_MOVED, PARTIAL
from migrator.rewrite.table import Table

_FIELD = re.compile(r"\{(\w+)\}")
_LINE = re.compile(f"{REF.pattern}|{MOVED.pattern}".replace("(", "(?:"))


def message(ctx: FileContext, node: cst.CSTNode, table: Table, held: Sequence[str], call: bool = False) -> str:
    """The marker for the URL `node` of the endpoint rows `held` (of `ctx.kept`);
    `call`, a URL the test sends, kept with the file's doubles (`sent_calls`)."""
    where = ", ".join(sorted({ctx.kept[row] for row in held}))
    if call:
        return table.message(PARTIAL + ".kept-call", KEPT_CALL, where=where)
    template = table.message(PARTIAL + ".kept-moved", KEPT_MOVED, where="{where}", calls="{calls}")
    moved = _moved(ctx, held)
    if moved:
        calls = f"the call on {moved[0]} now goes" if len(moved) == 1 else f"the calls on {', '.join(moved)} now go"
        return _fill(template, where=where, calls=calls)
    return _again(ctx, node, template, "calls", where=where) or table.message(PARTIAL + ".kept", KEPT, where=where)


def joined(ctx: FileContext, node: cst.CSTNode, rows: Sequence[str], text: str, template: str) -> str:
    """`text`, the marker of a test's URL `node` held with its base, with
    `template` (`JOINED_MOVED`) when the code under test migrated calls of
    its endpoint `rows`."""
    moved = _moved(ctx, rows)
    if moved:
        return _fill(template, joined=text, where=", ".join(moved))
    return _again(ctx, node, template, "where", joined=text) or text


def _moved(ctx: FileContext, rows: Sequence[str]) -> list[str]:
    """Where the code under test migrated calls of `rows`, each once."""
    return list(dict.fromkeys(w for row in rows if row in ctx.moved_rows for w in ctx.moved_rows[row].split(", ")))


def _fill(template: str, **fields: str) -> str:
    return _FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), template)


def _again(ctx: FileContext, node: cst.CSTNode, template: str, unknown: str, **fields: str) -> str | None:
    """A later run, the migrated calls on the Public API by then (no longer
    seen moving): `template` filled with `fields` and, for the `unknown`
    field, what the earlier run's marker above `node` said of them, if it
    left one of `template` for the same `fields` (their line numbers apart:
    marker comments may shift them)."""
    pattern = "".join(
        f"(?P<{piece}>.+)" if index % 2 and piece == unknown
        else _loose(fields.get(piece, "{" + piece + "}")) if index % 2 else _loose(piece)
        for index, piece in enumerate(_FIELD.split(template))
    )
    for rule, said in ctx.earlier_markers(node):
        found = re.fullmatch(pattern, said) if rule == PARTIAL else None
        if found is not None:
            return _fill(template, **fields, **{unknown: found.group(unknown)})
    return None


def _loose(text: str) -> str:
    """A pattern of `text`, any line number where it refers to one (`line_refs`)."""
    return r"\d+".join(re.escape(piece) for piece in _LINE.split(text))
