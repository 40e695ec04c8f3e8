"""The encoding a Python source file declares (PEP 263: a BOM or a coding
cookie on one of its first two lines), found where Python finds it."""

from __future__ import annotations

import re
from collections.abc import Callable

_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)?")


def declared_encoding(data: bytes) -> str:
    """`tokenize.detect_encoding`'s codec (`utf-8-sig` for a BOM), given lines
    ended as Python ends them: at a lone `\\r` too (an old Mac file), which
    `tokenize` alone reads as part of one long first line, taking any
    `coding=` later in the file (`open(p, encoding=enc)`) for its cookie.
    Raises SyntaxError, as `tokenize` does, for a cookie Python refuses."""
    import tokenize  # rarely needed by the audit: not at start-up

    return tokenize.detect_encoding(_python_lines(data))[0]


def _python_lines(data: bytes) -> Callable[[], bytes]:
    """A `readline` over `data` (b"" at its end)."""
    position = 0

    def readline() -> bytes:
        nonlocal position
        line = _LINE.match(data, position)
        assert line is not None  # the pattern matches the empty string
        position = line.end()
        return line.group()

    return readline
