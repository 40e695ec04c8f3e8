"""Unified diffs of Python source files, decoded as Python decodes them
(BOM or coding cookie), line endings and undecodable bytes kept visible."""

from __future__ import annotations

import difflib
import io
import re
import tokenize


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """A unified diff of two versions of a source file, decoded as Python would."""
    encoding = source_encoding(before)
    old, new = _decode(before, encoding), _decode(after, encoding)
    out = []
    for line in difflib.unified_diff(_lines(old), _lines(new), path, path, lineterm="\n"):
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def source_encoding(data: bytes) -> str:
    """The declared encoding (BOM or coding cookie), utf-8 if none or unknown."""
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except (SyntaxError, LookupError):
        return "utf-8"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        # Undecodable bytes stay visible as \xNN escapes rather than vanish.
        return data.decode("utf-8", "backslashreplace")


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)
