"""Ignore files (`.gitignore`, `.git/info/exclude`, `core.excludesFile`),
matched as git matches them.

Each path is judged on its own: the walk never enters an excluded folder
(unless it holds tracked files), so a pattern never decides for the files
below the folder it matched. Hence `*` then `!*/` keeps every folder, and
`!*.sh` then keeps the shell scripts in them, as with git.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pattern:
    regex: str
    """Matched against the whole path relative to the ignore file's folder."""
    negated: bool
    dir_only: bool


class IgnoreFile:
    """The patterns of one ignore file: the last one matching a path decides."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self._files = _combined([p for p in patterns if not p.dir_only])
        self._dirs = _combined(patterns)

    def decide(self, relative: str, is_dir: bool) -> bool | None:
        """True when excluded, False when a negation keeps it, None when no
        pattern matches `relative` (`/`-separated, no trailing slash)."""
        regex, negated = self._dirs if is_dir else self._files
        if regex is None:
            return None
        match = regex.fullmatch(relative)
        if match is None:
            return None
        return not negated[match.lastindex or 0]

    def without_excluding(self, folders: list[str]) -> IgnoreFile:
        """These patterns less the ones excluding one of `folders`."""
        kept = [
            p for p in self.patterns
            if p.negated or not any(re.fullmatch(p.regex, f, re.DOTALL) for f in folders)
        ]
        return self if len(kept) == len(self.patterns) else IgnoreFile(kept)


def _combined(patterns: list[Pattern]) -> tuple[re.Pattern[str] | None, list[bool]]:
    """One regex trying the patterns last first: its matched group is the
    pattern that decides (group numbers from 1, hence the padding)."""
    if not patterns:
        return None, []
    last_first = patterns[::-1]
    regex = re.compile("|".join(f"({p.regex})" for p in last_first), re.DOTALL)
    return regex, [False, *(p.negated for p in last_first)]


def read_ignore_file(path: Path | str) -> IgnoreFile | None:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return parse(data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape"))


def parse(text: str) -> IgnoreFile:
    return IgnoreFile([p for p in map(parse_line, text.splitlines()) if p is not None])


def parse_line(line: str) -> Pattern | None:
    """A pattern line as git reads it; None for blanks and comments."""
    if line.startswith("#"):
        return None
    line = _strip_trailing_spaces(line)
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/")
    if dir_only:
        line = line[:-1]
    if not line:
        return None
    if "/" in line:  # anchored at the ignore file's folder
        regex = _translate(line.removeprefix("/"))
    else:  # a name, at any depth
        regex = "(?:.*/)?" + _translate(line)
    return Pattern(regex, negated, dir_only)


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces go, unless escaped with a backslash (`a\\ `)."""
    stripped = line.rstrip(" ")
    if stripped != line and stripped.endswith("\\") and (len(stripped) - len(stripped.rstrip("\\"))) % 2:
        return stripped + " "
    return stripped


def _translate(glob: str) -> str:
    """A wildmatch glob (with `/` matched only by `/` and `**`) as a regex."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            j = i
            while j < n and glob[j] == "*":
                j += 1
            whole = (i == 0 or glob[i - 1] == "/") and (j == n or glob[j] == "/")
            if j - i >= 2 and whole:
                if j == n:
                    out.append(".*")  # `a/**`: everything inside
                else:
                    out.append("(?:.*/)?")  # `**/`: any folders, or none
                    j += 1
            else:
                out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            bracket, i = _bracket(glob, i)
            out.append(bracket)
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


_CLASSES = {
    "alnum": "a-zA-Z0-9", "alpha": "a-zA-Z", "blank": " \\t", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~",
    "punct": "!-/:-@\\[-`{-~", "space": " \\t\\n\\r\\f\\v", "upper": "A-Z", "xdigit": "0-9a-fA-F",
}


def _bracket(glob: str, start: int) -> tuple[str, int]:
    """`[...]` at `start` as a regex class that never matches `/`, and the
    index after it; an unclosed `[` is a literal."""
    i = start + 1
    negate = i < len(glob) and glob[i] in "!^"
    if negate:
        i += 1
    members: list[str] = []
    first = True
    while i < len(glob):
        c = glob[i]
        if c == "]" and not first:
            body = "".join(members)
            return (f"[^/{body}]" if negate else f"(?!/)[{body}]"), i + 1
        first = False
        if c == "[" and glob.startswith("[:", i):
            end = glob.find(":]", i + 2)
            if end != -1 and glob[i + 2 : end] in _CLASSES:
                members.append(_CLASSES[glob[i + 2 : end]])
                i = end + 2
                continue
        if c == "\\" and i + 1 < len(glob):
            i += 1
            c = glob[i]
        if c == "-" and members and i + 1 < len(glob) and glob[i + 1] != "]":
            members.append("-")
        else:
            members.append(re.escape(c))
        i += 1
    return re.escape("["), start + 1
