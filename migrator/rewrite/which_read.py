"""Which of several same-looking expressions a marker means.

A marker comment speaks of the statement below it. When the rewrite makes the
code it is about stand there more often than it did (`s["display_name"]`
renamed to `s["name"]` beside the Config `s["name"]` the marker is about),
the comment says which one it means: `(the second `s["name"]` below)`.
"""

from __future__ import annotations

import io
import tokenize
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace

from migrator.rewrite.context import FileContext, PendingMarker
from migrator.rewrite.edits import Edit

LAYOUT = frozenset({tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT,
                    tokenize.ENDMARKER})
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def name_the_reads(ctx: FileContext) -> None:
    """Give the markers whose code is ambiguous in its statement, once the
    edits are in, the place of the one they mean (`ctx.markers` and the sets
    keyed by reason follow)."""
    if not ctx.markers or not ctx.edits:
        return
    edits = sorted(ctx.edits, key=lambda e: (e.start, e.end))
    offsets = [e.start for e in edits]

    def edited(start: int, end: int) -> str | None:
        return _edited(edits, offsets, ctx.src.text, start, end)

    placed = {id(p): _placed(p, edited) for p in ctx.markers}
    for i, pending in enumerate(ctx.markers):
        found = placed[id(pending)]
        if found is None:
            continue
        text, statement_text, at = found
        starts = _occurrences(statement_text, text)
        others = [s for s in starts if s != at]
        if at not in starts or not others or all(_said_at(ctx, placed, pending, s) for s in others):
            continue
        source = ctx.src.text
        if len(_occurrences(source[pending.statement : pending.statement_end], source[pending.offset : pending.end])) \
                >= len(starts):
            continue  # as ambiguous as the code was: what the marker says tells them apart
        which = starts.index(at)
        ordinal = ORDINALS[which] if which < len(ORDINALS) else f"number {which + 1}"
        reason = f"{pending.reason} (the {ordinal} `{text}` below)"
        for keyed in (ctx.by_hand, ctx.slugs_by_hand, ctx.with_ids, ctx.hedged):
            if pending.reason in keyed:
                keyed.add(reason)
        ctx.markers[i] = replace(pending, reason=reason)


def _said_at(ctx: FileContext, placed: dict[int, tuple[str, str, int] | None], pending: PendingMarker, at: int) -> bool:
    """Whether another marker of the statement says the same at `at` (one comment speaks of both)."""
    return any(
        (p.rule, p.reason, p.statement) == (pending.rule, pending.reason, pending.statement)
        and (found := placed[id(p)]) is not None and found[2] == at
        for p in ctx.markers
    )


def _placed(pending: PendingMarker, edited: Callable[[int, int], str | None]) -> tuple[str, str, int] | None:
    """The code of the marker's node and of its statement once the edits are
    in, and where the node starts in it; None when it spans lines or an edit
    crosses its bounds."""
    if pending.end < 0 or pending.statement_end < 0:
        return None
    text = edited(pending.offset, pending.end)
    statement_text = edited(pending.statement, pending.statement_end)
    if text is None or statement_text is None or not text.strip() or "\n" in text or "`" in text:
        return None
    before = edited(pending.statement, pending.offset)
    return (text, statement_text, len(before)) if before is not None else None


def _edited(edits: list[Edit], starts: list[int], text: str, start: int, end: int) -> str | None:
    """`text[start:end]` with the edits inside it applied (`edits` sorted, not
    overlapping, `starts` theirs); None when one crosses a bound. An insertion
    at `start` is inside, one at `end` is not."""
    first = bisect_left(starts, start)
    if first and edits[first - 1].end > start:
        return None
    out: list[str] = []
    last = start
    for edit in edits[first : bisect_left(starts, end)]:
        if edit.end > end:
            return None
        out.append(text[last : edit.start])
        out.append(edit.text)
        last = edit.end
    out.append(text[last:end])
    return "".join(out)


def _occurrences(text: str, part: str) -> list[int]:
    """Where the tokens of `part` stand in `text` (so `plan` is not found in
    `"plan %s"`), left to right; none when either does not tokenize."""
    tokens, wanted = _tokens(text), _tokens(part)
    if not tokens or not wanted:
        return []
    words = [t for _, t in wanted]
    return [
        tokens[i][0] for i in range(len(tokens) - len(words) + 1)
        if [t for _, t in tokens[i : i + len(words)]] == words
    ]


def _tokens(text: str) -> list[tuple[int, tuple[int, str]]]:
    """The code tokens of `text` (type and text: a name is not the same text
    in an f-string) with their offsets."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    found: list[tuple[int, tuple[int, str]]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in LAYOUT:
                found.append((starts[token.start[0] - 1] + token.start[1], (token.type, token.string)))
    except (tokenize.TokenError, SyntaxError):
        return []
    return found
