"""Jupyter notebooks: only the cells' source is code.

A notebook is JSON: besides the cells' `source`, it holds metadata (the
kernelspec's `"display_name": "Python 3"`, widget state) and the outputs
of the last run, none of which a migration changes. The audit reads the
notebook's text with those values blanked out: every character but line
breaks becomes a space, so lines stay those of the file. A cell's source
line is a JSON string (`"url = \\"https://...\\"\\n",`): it is read as the
code it holds (`cells_code`), and the columns of what is found there are
put back where the file has them (`Columns`).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrator.audit.model import Finding

SUFFIX = ".ipynb"

NOT_CODE = ("metadata", "outputs", "attachments")
"""Keys of a notebook and of its cells whose values are not code."""

_KEY = re.compile(r'(?<!\\)"(?:' + "|".join(NOT_CODE) + r')"\s*:\s*')
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
"""A JSON string or bracket (not `lexer.QUOTED`: JSON's strings only, read to their close)."""
_SCALAR_END = re.compile(r"[,}\]\n]")


def is_notebook(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


def notebook_code(text: str) -> str:
    """`text` with the values of `NOT_CODE` keys blanked (spaces, line breaks kept)."""
    pieces: list[str] = []
    done = 0
    for key in _KEY.finditer(text):
        start = key.end()
        if start < done:
            continue  # inside a value already blanked
        end = value_end(text, start)
        pieces.append(text[done:start])
        pieces.append(blank(text[start:end]))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


_SOURCE_KEY = re.compile(r'(?<!\\)"source"\s*:\s*')


def cell_spans(text: str) -> list[tuple[int, int]]:
    """Where each cell's `source` value starts and ends, in order: a cell's
    code is its own (a minified notebook holds every cell on one line)."""
    spans: list[tuple[int, int]] = []
    for key in _SOURCE_KEY.finditer(text):
        if spans and key.start() < spans[-1][1]:
            continue  # inside the value of the cell before
        spans.append((key.end(), value_end(text, key.end())))
    return spans


def value_end(text: str, start: int) -> int:
    """Where the JSON value at `start` ends (the text's end when it does not)."""
    if text.startswith('"', start):
        m = _TOKEN.match(text, start)
        return m.end() if m else len(text)
    if not text.startswith(("{", "["), start):
        m = _SCALAR_END.search(text, start)
        return m.start() if m else len(text)
    depth = 0
    for m in _TOKEN.finditer(text, start):
        token = m.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                return m.end()
    return len(text)


_NOT_A_BREAK = re.compile(r"[^\r\n]")


def blank(value: str) -> str:
    """Every character but line breaks as a space."""
    return _NOT_A_BREAK.sub(" ", value)


_SOURCE_LINE = re.compile(r'^([ \t]*)("(?:[^"\\\n]|\\.)*")[ \t]*,?[ \t]*\r?$', re.M)
_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}|\\.")


@dataclass
class Columns:
    """Where each character of a decoded source line stands in the file."""

    lines: dict[int, list[int]] = field(default_factory=dict)
    """Line → 0-based column in the file of each character of the line as read."""

    def column(self, line: int, column: int) -> int:
        """The file's 1-based column of a 1-based column of the text as read."""
        where = self.lines.get(line)
        if where is None:
            return column
        return where[min(column - 1, len(where) - 1)] + 1

    def placed(self, f: Finding) -> Finding:
        """`f` at the file's column, and where its text ends in the file
        when the line's escapes make that other than its length after it."""
        if f.line not in self.lines:
            return f
        column = self.column(f.line, f.column)
        end = self.column(f.line, f.column + len(f.text) - 1) + 1 if f.text else column
        if end == column + len(f.text):
            return replace(f, column=column)
        return replace(f, column=column, end_line=f.line, end_column=end)


def cells_code(text: str) -> tuple[str, Columns]:
    """`notebook_code(text)` with each source line (a JSON string alone on
    its line) as the code it holds, in its place: lines are the file's."""
    code = notebook_code(text)
    columns = Columns()
    out: list[str] = []
    done = 0
    for number, m in _numbered(code):
        try:
            value = json.loads(m.group(2))
        except ValueError:
            continue
        if not isinstance(value, str) or "\\" not in m.group(2):
            continue  # nothing escaped: the text as it is reads the same
        indent, start = m.group(1), m.start(2) - m.start()
        decoded, where = _decoded(m.group(2)[1:-1], start + 1)
        if decoded != value.rstrip("\n").replace("\n", " ").replace("\r", " "):
            continue
        out.append(code[done : m.start()])
        out.append(indent + decoded)
        columns.lines[number] = [*range(len(indent)), *where, start + len(m.group(2))]
        done = m.end()
    if not out:
        return code, columns
    out.append(code[done:])
    return "".join(out), columns


def source_texts(text: str) -> dict[int, str]:
    """Line → the code a cell's source line there holds (a JSON string alone
    on its line, decoded, its line break left out): what a finding there is
    fingerprinted by, so that `"x = 1"` and `"x = 1\\n",`, the same line
    before and after another is appended to its cell, are one."""
    held: dict[int, str] = {}
    for number, m in _numbered(notebook_code(text)):
        try:
            value = json.loads(m.group(2))
        except ValueError:
            continue
        if isinstance(value, str):
            held[number] = value.rstrip("\r\n")
    return held


def _numbered(code: str):  # type: ignore[no-untyped-def]
    line, at = 1, 0
    for m in _SOURCE_LINE.finditer(code):
        line += code.count("\n", at, m.start())
        at = m.start()
        yield line, m


def _decoded(raw: str, offset: int) -> tuple[str, list[int]]:
    """The characters a JSON string's inside stands for (a line break at its
    end left out, others as spaces), and the column of each in the file."""
    chars: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(raw):
        m = _ESCAPE.match(raw, i)
        if m:
            char = json.loads(f'"{m.group()}"')
            chars.append(" " if char in "\r\n" else char)
            where.append(offset + i)
            i = m.end()
        else:
            chars.append(raw[i])
            where.append(offset + i)
            i += 1
    while chars and chars[-1] == " " and raw.endswith(("\\n", "\\r")):
        chars.pop(), where.pop()
        raw = raw[:-2]
    return "".join(chars), where


@dataclass
class CodeLines:
    """The lines of code of a notebook's cells, wherever their source
    strings stand in the file: one string per line (Jupyter's), a list on
    one line, one string of several lines."""

    starts: list[int]
    """Offset in the file of the start of each line of the file."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Where each line of code starts and ends in the file, in order."""
    texts: list[str] = field(default_factory=list)
    """The code of each, its line break left out."""

    def at(self, line: int, column: int) -> str | None:
        """The line of code at the file's 1-based (`line`, `column`), or None
        outside the cells' source strings."""
        if not 1 <= line <= len(self.starts):
            return None
        offset = self.starts[line - 1] + column - 1
        i = bisect.bisect_left(self.spans, offset, key=lambda span: span[1])
        if i == len(self.spans) or self.spans[i][0] - 1 > offset:  # `- 1`: the opening quote
            return None
        return self.texts[i]


def code_lines(text: str) -> CodeLines:
    """`CodeLines` of the notebook `text`: each cell's source strings,
    decoded and joined, split at their line breaks."""
    found = CodeLines(list(accumulate((len(s) + 1 for s in text.split("\n")), initial=0)))
    for start, end in cell_spans(notebook_code(text)):
        chars: list[str] = []
        first, last = -1, end
        for m in _TOKEN.finditer(text, start, end):
            if not m.group().startswith('"'):
                continue
            for char, at, after in _characters(m.group()[1:-1], m.start() + 1):
                first = at if first < 0 else first
                if char == "\n":
                    found.spans.append((first, after))
                    found.texts.append("".join(chars).rstrip("\r"))
                    chars, first = [], -1
                else:
                    chars.append(char)
            last = m.end() - 1
        if first >= 0:
            found.spans.append((first, last))
            found.texts.append("".join(chars).rstrip("\r"))
    return found


def _characters(raw: str, offset: int) -> Iterator[tuple[str, int, int]]:
    """Each character a JSON string's inside stands for, with where its
    text starts and ends in the file (`raw` starts at `offset`)."""
    i = 0
    while i < len(raw):
        m = _ESCAPE.match(raw, i)
        end = m.end() if m else i + 1
        try:
            char = json.loads(f'"{m.group()}"') if m else raw[i]
        except ValueError:
            char = m.group()  # an escape JSON refuses: its text as it is
        yield char, offset + i, offset + end
        i = end


@dataclass
class PythonView:
    """A notebook's cells as one Python module: each line of code of the
    text `cells_code` reads moved to the start of its line (the JSON
    indentation and quotes after it), all else blank. Lines keep their
    length, so they start where they do in the text read."""

    text: str
    shifts: dict[int, int]
    """Where a line of code starts → how far its code moved left."""

    def to_view(self, at: int) -> int | None:
        """Where the code at `at` in the text read is in the view; None outside code."""
        start = self.text.rfind("\n", 0, at) + 1
        shift = self.shifts.get(start)
        return None if shift is None or at - start < shift else at - shift

    def to_text(self, at: int) -> int:
        """Where the view's `at` is in the text read."""
        return at + self.shifts.get(self.text.rfind("\n", 0, at) + 1, 0)


_LEADING = re.compile(r"[ \t]*")


def python_view(code: str) -> PythonView:
    """The `PythonView` of `code`, a notebook as `cells_code` reads it. Only
    cells written a source line a line (Jupyter's) are read: one on one
    line, or one string of several lines, is left blank."""
    view = list(blank(code))
    shifts: dict[int, int] = {}
    for start, end in cell_spans(code):
        first, last = code.find("\n", start) + 1, code.rfind("\n", start, end)
        if not 0 < first <= last:
            continue
        lines = [(at, stop) for at, stop in _lines_in(code, first, last)]
        indents = [_LEADING.match(code, at, stop).end() - at for at, stop in lines if code[at:stop].strip()]
        indent = min(indents, default=0)
        for at, stop in lines:
            line = code[at:stop]
            quoted = _SOURCE_LINE.fullmatch(line)
            if quoted is not None and "\\" not in quoted.group(2):
                held, shift = quoted.group(2)[1:-1], quoted.start(2) + 1  # (no escape: the text as it is)
            elif quoted is None and not line[:indent].strip():
                held, shift = line[indent:], indent  # decoded by `cells_code`
            else:
                continue
            view[at : at + len(held)] = held
            shifts[at] = shift
    return PythonView("".join(view), shifts)


def _lines_in(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Where each line from `start` (a line's start) to `end` (a line break) starts and ends."""
    at = start
    while at < end:
        stop = text.find("\n", at, end)
        stop = end if stop < 0 else stop
        yield at, stop
        at = stop + 1
