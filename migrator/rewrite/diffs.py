"""Unified diffs of Python source files that `patch -p0` applies: the lines
hold the file's bytes as they are (a BOM, a declared encoding such as
latin-1, line endings), as `git diff` shows them. Lines end where `patch`
and `git apply` end them, at `\\n`: a lone `\\r` (an old Mac file) ends none.

The diff is text whose characters stand for those bytes: each file is
decoded as UTF-8 with `surrogateescape`, so a byte that is no UTF-8 (`\\xe9`
of a latin-1 file) is a lone surrogate, which `encode_diff` turns back into
that byte."""

from __future__ import annotations

import difflib
import re

ENCODING = ("utf-8", "surrogateescape")
"""How a diff's text maps to and from the bytes it shows."""


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """A unified diff of two versions of a file, byte for byte (see `encode_diff`)."""
    old, new = before.decode(*ENCODING), after.decode(*ENCODING)
    out = [_lone_returns_note(path)] if _has_lone_return(before) or _has_lone_return(after) else []
    # a name holding a space ends with a tab, as `git diff` writes it: `patch` ends a name at a space otherwise
    name = path + "\t" if " " in path else path
    for line in difflib.unified_diff(_lines(old), _lines(new), name, name, lineterm="\n"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def encode_diff(diff: str) -> bytes:
    """The bytes of a diff `unified_diff` made: the files' own bytes in its lines."""
    return diff.encode(*ENCODING)


def _has_lone_return(data: bytes) -> bool:
    return data.count(b"\r") != data.count(b"\r\n")


def _lone_returns_note(path: str) -> str:
    """Before the diff's header, where `patch` and `git apply` skip text: a
    file whose lines end in a lone `\\r` is shown as they read it, its lines
    that end so run together on one line of the diff."""
    return (f"# migrator: {path} ends its lines with a lone carriage return (\\r), which patch "
            "does not take for a line end: the lines ending so are shown joined, as patch reads them\n")


_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)
