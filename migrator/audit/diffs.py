"""Unified diffs saved in a tree (`migrator rewrite --diff > migrate.diff`,
`git format-patch`, a `patches/` folder): only the lines a diff adds are
what it brings into the code. The lines it removes (a migration's Config
URLs), its context lines (the target file's, audited there) and what lies
outside its hunks (headers, a commit message, the rewrite's summary after
`2>&1`) are not read.

Known by its start (`diff `, `--- `, `Index: `, a `git format-patch` mail)
under any name, or by a `.diff` or `.patch` suffix, and by a hunk header
that follows; the hunks are read by their line counts."""

from __future__ import annotations

import re

SUFFIXES = (".diff", ".patch")
NOTE = "read as a diff: only the lines it adds, which hold no Config text (it removes or leaves it)"
"""The note of a diff whose Config text is all in lines it removes or
leaves (a saved migration): said once, not as findings."""
_START = re.compile(rb"(?:\xef\xbb\xbf)?(?:diff |--- |Index: |From [0-9a-f]{40} )")
_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", re.MULTILINE)
_HUNK_BYTES = re.compile(rb"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@", re.MULTILINE)


def is_diff(path: str, data: bytes) -> bool:
    """`data` is a unified diff: it starts as one, or is named as one, and has a hunk."""
    return (_START.match(data) is not None or path.lower().endswith(SUFFIXES)) \
        and _HUNK_BYTES.search(data) is not None


def added_lines(text: str) -> str:
    """`text` with all but the lines its hunks add blanked (each character a
    space, line ends kept: findings keep their lines and columns); an added
    line's `+` too."""
    out: list[str] = []
    kept = 0  # where the text not yet copied starts
    for m in _HUNK.finditer(text):
        start = text.find("\n", m.end())
        if start < 0 or m.start() < kept:
            continue
        old, new = int(m.group(1) or 1), int(m.group(2) or 1)
        out.append(_blank(text[kept : start + 1]))
        at = start + 1
        while (old > 0 or new > 0) and at < len(text):
            end = text.find("\n", at)
            end = len(text) if end < 0 else end + 1
            mark = text[at]
            if mark == "+":
                new -= 1
                out.append(" " + text[at + 1 : end])
            else:
                if mark == "-":
                    old -= 1
                elif mark != "\\":  # context (`\ No newline at end of file` counts for neither)
                    old, new = old - 1, new - 1
                out.append(_blank(text[at:end]))
            at = end
        kept = at
    out.append(_blank(text[kept:]))
    return "".join(out)


def _blank(text: str) -> str:
    return re.sub(r"[^\r\n]", " ", text)
