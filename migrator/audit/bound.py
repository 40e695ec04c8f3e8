"""A field read off another API's response: `me["profile"]["display_name"]`
where the function bound `me` once, from a call naming only other APIs'
URLs (`me = requests.get("https://slack.com/api/...").json()`). Python
only: its functions are found by their indentation."""

from __future__ import annotations

import re
from collections.abc import Callable

_KEY = r"""(?:'[^'\n]*'|"[^"\n]*"|-?\d+)"""
_SUBJECT = re.compile(
    rf"""(?<![\w.])(?P<name>[A-Za-z_]\w*)                        # me
        (?:\[\s*{_KEY}\s*\]|\.get\(\s*{_KEY}\s*(?:,[^()\n]*)?\))*  # ["profile"], .get("profile", {{}})
        (?:\[\s*|\.get\(\s*)['"]\Z""",                            # ["  or .get("  of the word read
    re.VERBOSE,
)
"""The variable a field is read off, through keys: `me["profile"]["`."""
_TARGETS = r"[\w \t,()*]*?"
"""Names a statement binds, with commas, parentheses and stars: `(a, *b)`."""
_DEF = re.compile(r"[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\((?P<params>)")
LOOK_UP = 200
"""Lines looked at above a read for its function's `def`."""
STATEMENT_LINES = 10
"""Lines an assignment's statement may span (a call broken over lines)."""


def read_of_other_api(text: str, at: int, other_apis_only: Callable[[str], bool]) -> bool:
    """The field read at `at` (its word) is off a variable its function
    bound once, by a statement whose URLs are all other APIs'."""
    line_start = text.rfind("\n", 0, at) + 1
    m = _SUBJECT.search(text, line_start, at)
    if m is None:
        return False
    name = re.escape(m.group("name"))
    indent = _indent(text[line_start:at])
    assigned = re.compile(rf"[ \t]*{name}[ \t]*(?::[^=\n]+)?=(?!=)")
    other = re.compile(  # (a comprehension's or loop's target, `as`, `:=`, unpacking)
        rf"""\bfor[ \t]+{_TARGETS}\b{name}\b{_TARGETS}\bin\b|\bas[ \t]+{_TARGETS}\b{name}\b
            |\b{name}[ \t]*:=|^[ \t]*(?=[^=\n]*,){_TARGETS}\b{name}\b{_TARGETS}=(?!=)""",
        re.VERBOSE,
    )
    line_end = text.find("\n", at)
    if other.search(text[line_start : len(text) if line_end < 0 else line_end]):
        return False  # `[me["display_name"] for me in sources]`: the read's own line binds it
    found: list[int] = []
    end = line_start - 1
    for _ in range(LOOK_UP):
        if end < 0:
            return False
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        d = _DEF.match(line)
        if d is not None and _indent(line) < indent:
            params = _statement(text, start)[d.start("params") :]  # (a signature spread over lines too)
            if re.search(rf"\b{name}\b", params) or len(found) != 1:
                return False  # a parameter (bound by the caller), or bound more than once
            return other_apis_only(_statement(text, found[0]))
        if other.search(line):
            return False  # bound another way too (a loop, a `with`, unpacking)
        if assigned.match(line):
            found.append(start)
        end = start - 1
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _statement(text: str, start: int) -> str:
    """The statement starting at `start` (a line's start), up to where its brackets close."""
    out: list[str] = []
    depth = 0
    for _ in range(STATEMENT_LINES):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        out.append(line)
        depth += sum(line.count(c) for c in "([{") - sum(line.count(c) for c in ")]}")
        if depth <= 0 or end >= len(text):
            break
        start = end + 1
    return " ".join(out)
