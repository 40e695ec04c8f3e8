"""Jupyter notebooks: only the cells' source is code.

A notebook is JSON: besides the cells' `source`, it holds metadata (the
kernelspec's `"display_name": "Python 3"`, widget state) and the outputs
of the last run, none of which a migration changes. The audit reads the
notebook's text with those values blanked out: every character but line
breaks becomes a space, so lines and columns stay those of the file.
"""

from __future__ import annotations

import re

SUFFIX = ".ipynb"

NOT_CODE = ("metadata", "outputs", "attachments")
"""Keys of a notebook and of its cells whose values are not code."""

_KEY = re.compile(r'(?<!\\)"(?:' + "|".join(NOT_CODE) + r')"\s*:\s*')
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
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
        end = _value_end(text, start)
        pieces.append(text[done:start])
        pieces.append(_blank(text[start:end]))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _value_end(text: str, start: int) -> int:
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


def _blank(value: str) -> str:
    """Every character but line breaks as a space."""
    return _NOT_A_BREAK.sub(" ", value)
