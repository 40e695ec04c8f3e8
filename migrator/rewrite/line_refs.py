"""Line numbers inside marker reasons, held as references to offsets until
the file is assembled (`engine`): the report names the lines of the file as
it was read, the comments written into the file name the lines it has once
the rewrite is in (marker comments above them shift them). A line of
another file of the run comes with both of its numbers (`moved`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import libcst as cst

from migrator.rewrite.context import FileContext

REF = re.compile("\x00(\\d+)\x00")
MOVED = re.compile("\x01(\\d+)\x01(\\d+)\x01")
QUOTED_CALL = 60
"""The longest call text a reason quotes to tell calls on one line apart."""
ORDINALS = ("first", "second", "third", "fourth", "fifth")


def ref(offset: int) -> str:
    """The line holding `offset`, in a reason."""
    return f"\x00{offset}\x00"


def moved(before: int, after: int) -> str:
    """A line of another file of the run, `before` as it was read and
    `after` once this run's rewrite of it is in (the driver knows both)."""
    return str(before) if before == after else f"\x01{before}\x01{after}\x01"


def moved_line(shifts: Sequence[tuple[int, int]], line: int) -> int:
    """Where `line` of a file as it was is in its rewrite (`engine.Outcome.shifts`)."""
    return line + sum(delta for first, delta in shifts if first <= line)


def of(ctx: FileContext, node: cst.CSTNode) -> str:
    """`line N` for the line `node` starts on."""
    return lines(ctx, [node])


def lines(ctx: FileContext, nodes: Iterable[cst.CSTNode]) -> str:
    """`line 3`, `lines 3 and 5`, `lines 3, 5 and 8`: the lines the nodes
    start on, each once."""
    by_line: dict[int, int] = {}
    for node in nodes:
        span = ctx.src.span(node)
        if span is not None:
            by_line.setdefault(ctx.src.position(span[0])[0], span[0])
    refs = [ref(by_line[n]) for n in sorted(by_line)]
    if len(refs) <= 1:
        return f"line {refs[0]}" if refs else "another line"
    return "lines " + ", ".join(refs[:-1]) + f" and {refs[-1]}"


def calls_apart(ctx: FileContext, calls: Sequence[cst.Call], apart: Sequence[cst.Call] = ()) -> str:
    """`the calls on lines 17 and 22`, but a call on a line that also holds
    one of `apart` is named by its text (`the call on line 11 and
    `short(dst)` on line 17`), or by its place among the calls alike there
    when its text does not tell it apart (`_told`)."""
    shared = {_line(ctx, c) for c in apart}
    items: list[str] = []
    plain: list[cst.Call] = []
    for call in sorted(calls, key=_start(ctx)):
        if _line(ctx, call) not in shared:
            plain.append(call)
            continue
        if plain:
            items.append(_plain(ctx, plain))
            plain = []
        if (told := _told(ctx, call, calls, apart)) not in items:
            items.append(told)
    if plain:
        items.append(_plain(ctx, plain))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def _plain(ctx: FileContext, calls: list[cst.Call]) -> str:
    return f"the call{'s' if len(calls) > 1 else ''} on {lines(ctx, calls)}"


def _told(ctx: FileContext, call: cst.Call, calls: Sequence[cst.Call], apart: Sequence[cst.Call]) -> str:
    """`` `short(dst)` on line 17 ``, or `the second call to `short` on
    line 17` (among `calls` and `apart`) for a long text or one a call of
    `apart` there has too."""
    text = ctx.src.code(call) or ""
    line = _line(ctx, call)
    if "\n" not in text and 0 < len(text) <= QUOTED_CALL and all(
            ctx.src.code(c) != text for c in apart if _line(ctx, c) == line):
        return f"`{text}` on {of(ctx, call)}"
    func = ctx.src.code(call.func) or "a function"
    there = {id(c): c for c in [*calls, *apart] if _line(ctx, c) == line and ctx.src.code(c.func) == func}
    same = sorted(there.values(), key=_start(ctx))
    place = next(i for i, c in enumerate(same) if c is call)
    nth = ORDINALS[place] if place < len(ORDINALS) else f"{place + 1}th"
    return f"the {nth} call to `{' '.join(func.split())}` on {of(ctx, call)}"


def _line(ctx: FileContext, node: cst.CSTNode) -> int:
    span = ctx.src.span(node)
    return ctx.src.position(span[0])[0] if span is not None else 0


def _start(ctx: FileContext) -> Callable[[cst.CSTNode], int]:
    return lambda node: (ctx.src.span(node) or (0, 0))[0]


def number(ctx: FileContext, node: cst.CSTNode) -> int:
    """The line `node` starts on, as the report names it (0 when unknown)."""
    span = ctx.src.span(node)
    return ctx.src.shown_line(ctx.src.position(span[0])[0]) if span is not None else 0


def number_at(ctx: FileContext, offset: int) -> int:
    """The line holding `offset`, as the report names it."""
    return ctx.src.shown_line(ctx.src.position(offset)[0])


def render(text: str, line: Callable[[int], int], after: bool = False) -> str:
    """`text` with each reference as the number `line` gives its offset, and
    each line of another file (`moved`) as it was, or as it is `after` the rewrite."""
    if "\x00" in text:
        text = REF.sub(lambda m: str(line(int(m.group(1)))), text)
    if "\x01" in text:
        text = MOVED.sub(lambda m: m.group(2 if after else 1), text)
    return text
