"""The marker comments a run with an id map wrote, which a run without one
leaves as they are.

After `migrator rewrite --ids FILE`, a run without ids (`rewrite --check`
in CI) finds again the statements that run only marked (a slug the map
lacks, a path it resolved but kept with its base), and would mark them as
it sees them: needing ids (`run migrator ids, then ...`), advice already
followed, where the comments say more (`the id map has no source `gone``).
In a file holding a comment only a run with an id map writes (a slug the
map lacks, or that names several objects), a statement that the run does
not change keeps its comments, unless one of them says an id map fixes it
(a run without one wrote it, and a rewording may correct it)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping

from migrator.markers import MARKER, advises_ids
from migrator.rewrite.context import FileContext
from migrator.rewrite.path_messages import SLUG_DEFAULTS, SLUGS
from migrator.rewrite.table import table_for

ADVISING = ("needs-ids", "variable")
"""The kinds of slug markers that say an id map fixes them (`SLUG_DEFAULTS`)."""
WITH_A_MAP = ("unknown", "absent", "ambiguous", "left-out", "unread", "unread-variable", "kept-id")
"""The kinds of slug markers only a run with an id map writes."""


def kept_statements(ctx: FileContext, spans: Mapping[int, int]) -> set[int]:
    """Where the statements start whose marker comments this run leaves
    as they are (see the module): none when it has an id map. `spans`: the
    statements' (`engine._statement_spans`)."""
    if ctx.ids is not None or not spans or not ctx.markers:
        return set()
    advice, with_a_map = _slug_messages(ctx, ADVISING), _slug_messages(ctx, WITH_A_MAP)
    if not any(_says(rule, message, with_a_map) for rule, message in _comments(ctx.src.text.splitlines(), False)):
        return set()
    starts = sorted(c.start for c in ctx.changes)
    kept = set()
    for start in {m.statement for m in ctx.markers}:
        end = spans.get(start)
        i = bisect_left(starts, start)
        if end is None or i < len(starts) and starts[i] < end:
            continue  # this run changes it
        number = ctx.src.position(start)[0] - 1
        above = _comments(ctx.src.line_text(n) for n in range(number, 0, -1))
        if above and not any(advises_ids(message) or _says(rule, message, advice) for rule, message in above):
            kept.add(start)
    return kept


def _comments(lines: Iterable[str], stacked: bool = True) -> list[tuple[str, str]]:
    """(rule, message) of the marker comments of `lines` (`stacked`: up to the first line that holds none)."""
    found = []
    for line in lines:
        text = line.strip()
        comment = MARKER.search(text) if text.startswith("#") else None
        if comment is None:
            if stacked:
                break
            continue
        found.append((comment.group("rule"), " ".join(comment.group("message").split())))
    return found


def _says(rule: str, message: str, slug_messages: list[re.Pattern[str]]) -> bool:
    return rule == SLUGS and any(p.fullmatch(message) for p in slug_messages)


def _slug_messages(ctx: FileContext, kinds: Iterable[str]) -> list[re.Pattern[str]]:
    """The slug messages of `kinds`, any values filled in."""
    table = table_for(ctx.rules)
    out = []
    for kind in kinds:
        template = " ".join(table.message(SLUGS + "." + kind, SLUG_DEFAULTS[kind]).split())
        out.append(re.compile(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(template))))
    return out
