"""Where the text of a string rebuilt from pieces came from in the file.

The audit reads some code as the string it builds (`joined_lists`: a join
of segments read as `"{}/workspaces/{}/sources"`), written in the place of
that code and in as many characters, so that offsets outside it stay the
file's. `Pieces` maps an offset inside such a string back to the file: to
the piece (a literal's text, a value) it came from, so that a finding there
spans its pieces in the file, from the first one's start to the last one's end.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrator.audit.model import Finding
    from migrator.audit.text_scan import Lines


@dataclass(frozen=True)
class Piece:
    """A piece of a rebuilt string (`read` to `read_end` in the text read)
    and the file's text it came from (`file` to `file_end`); `exact`: a
    character for a character (a literal's text), else its ends map to the
    file's ends (a value written `{}`, a name bound to segments)."""

    read: int
    read_end: int
    file: int
    file_end: int
    exact: bool = True


@dataclass
class Pieces:
    """The rebuilt strings of a text read: their spans in it (sorted, apart),
    and each one's pieces, in order."""

    spans: list[tuple[int, int]] = field(default_factory=list)
    pieces: list[list[Piece]] = field(default_factory=list)

    def add(self, start: int, end: int, pieces: list[Piece]) -> None:
        """A string rebuilt over `start` to `end` of the text read (offsets of
        the text before it was, which are those after: it is as long), from
        `pieces` given in that text's offsets: they are mapped to the file's
        through the strings rebuilt before (a join of them)."""
        if not pieces:
            return
        mapped = [replace(p, file=self.to_file(p.file), file_end=self.to_file(p.file_end, end=True)) for p in pieces]
        i = bisect.bisect_left(self.spans, start, key=_start)
        if i > 0 and self.spans[i - 1][1] > start:
            i -= 1  # (one it starts within)
        j = i
        while j < len(self.spans) and self.spans[j][0] < end:
            j += 1  # rebuilt again: the new string holds them
        self.spans[i:j] = [(start, end)]
        self.pieces[i:j] = [mapped]

    def _within(self, at: int, end: bool) -> list[Piece] | None:
        i = (bisect.bisect_left if end else bisect.bisect_right)(self.spans, at, key=_start) - 1
        if i < 0:
            return None
        start, stop = self.spans[i]
        inside = start < at <= stop if end else start <= at < stop
        return self.pieces[i] if inside else None

    def to_file(self, at: int, end: bool = False) -> int:
        """The file's offset of `at` in the text read: the same outside the
        rebuilt strings; in one, in the piece it falls in (a start between
        pieces: the next one's start; an end: the last one's end)."""
        pieces = self._within(at, end)
        if pieces is None:
            return at
        if end:
            before = [p for p in pieces if p.read < at]
            if not before:
                return pieces[0].file
            p = before[-1]
            return p.file + min(at - p.read, p.file_end - p.file) if p.exact and at < p.read_end else p.file_end
        p = next((p for p in pieces if p.read_end > at), None)
        if p is None:
            return pieces[-1].file_end
        return p.file + max(0, at - p.read) if p.exact else p.file

    def holds(self, at: int, end: bool = False) -> bool:
        """`at` (a start, or an `end`) is in a rebuilt string."""
        return self._within(at, end) is not None

    def __bool__(self) -> bool:
        return bool(self.spans)


def _start(span: tuple[int, int]) -> int:
    return span[0]


def placed(findings: list[Finding], pieces: Pieces, read: Lines, lines: Lines) -> list[Finding]:
    """Findings in the text read (`read`'s lines and columns) at the file's
    (`lines`); one whose text is rebuilt ends where its last piece does."""
    out = []
    for f in findings:
        at = read.offset(f.line, f.column)
        start, end = pieces.to_file(at), pieces.to_file(at + len(f.text), end=True)
        line, column = lines.locate(start)
        joined = f.line if line != f.line else 0
        rebuilt = pieces.holds(at) or pieces.holds(at + len(f.text), end=True)
        if rebuilt and (end - start != len(f.text) or lines.text[start:end] != f.text):
            end_line, end_column = lines.locate(end)
            f = replace(f, line=line, column=column, end_line=end_line, end_column=end_column, joined_line=joined)
        elif (line, column) != (f.line, f.column):
            f = replace(f, line=line, column=column, joined_line=joined)
        out.append(f)
    return out
