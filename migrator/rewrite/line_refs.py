"""Line numbers inside marker reasons, held as references to offsets until
the file is assembled (`engine`): the report names the lines of the file as
it was read, the comments written into the file name the lines it has once
the rewrite is in (marker comments above them shift them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import libcst as cst

from migrator.rewrite.context import FileContext

REF = re.compile("\x00(\\d+)\x00")


def ref(offset: int) -> str:
    """The line holding `offset`, in a reason."""
    return f"\x00{offset}\x00"


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


def number(ctx: FileContext, node: cst.CSTNode) -> int:
    """The line `node` starts on, as the report names it (0 when unknown)."""
    span = ctx.src.span(node)
    return ctx.src.shown_line(ctx.src.position(span[0])[0]) if span is not None else 0


def number_at(ctx: FileContext, offset: int) -> int:
    """The line holding `offset`, as the report names it."""
    return ctx.src.shown_line(ctx.src.position(offset)[0])


def render(text: str, line: Callable[[int], int]) -> str:
    """`text` with each reference as the number `line` gives its offset."""
    if "\x00" not in text:
        return text
    return REF.sub(lambda m: str(line(int(m.group(1)))), text)
