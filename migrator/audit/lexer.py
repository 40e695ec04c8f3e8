"""How the audit's text scanners read string literals, comments and
brackets, in the two families of languages they read:

- C-like (JavaScript, TypeScript, Go, Java, Terraform): `"..."`, `'...'` and
  `` `...` `` strings, `//` and `/* */` comments (and `#` in Terraform);
- hash-comment (Python, shell, YAML, Ruby): `"..."` and `'...'` strings,
  `#` comments.

The strings are regular-expression pattern text, for the scanners that
build their own token patterns from them; `comment_end` and
`innermost_open` are walks over the text.
"""

from __future__ import annotations

SINGLE_QUOTED = r"'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
"""A `'` string closed on its line, backslash escapes read (not one of a line break)."""
DOUBLE_QUOTED = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
"""A `"` string closed on its line, as `SINGLE_QUOTED`."""
QUOTED = f"{SINGLE_QUOTED}|{DOUBLE_QUOTED}"
"""A string literal of either family, closed on its line."""
BACKTICK = r"`[^`\\]*(?:\\.[^`\\]*)*`"
"""A C-like backtick string (a template literal, Go's raw string), over lines, backslash escapes read."""
HASH_COMMENT = r"#.*"
"""A hash-family comment, to the end of its line."""


def comment_end(text: str, at: int, hash_comments: bool = False) -> int | None:
    """Where the C-like comment starting at `at` ends: a `//` one (and a
    `#` one, with `hash_comments`) at its line break, a `/* */` one past its
    `*/`; unclosed, at the text's end. None when no comment starts there."""
    if text.startswith("//", at) or hash_comments and text.startswith("#", at):
        end = text.find("\n", at)
        return len(text) if end < 0 else end
    if text.startswith("/*", at):
        end = text.find("*/", at + 2)
        return len(text) if end < 0 else end + 2
    return None


def innermost_open(text: str, at: int, lo: int, opens: str = "([{", closes: str = ")]}") -> int:
    """Where the innermost bracket of `opens` still open at `at` is, looked
    for back to `lo`; -1 when there is none. Every closing bracket of
    `closes` counts against any opening one, and strings are not skipped:
    an approximation, for text read a short way back."""
    depth = 0
    for i in range(at - 1, lo - 1, -1):
        ch = text[i]
        if ch in closes:
            depth += 1
        elif ch in opens:
            if depth == 0:
                return i
            depth -= 1
    return -1
