"""A shell script's own variables (`page_token=""`, `"$page_token"`,
`${page_size:-100}`): names of the script, not Config keys; a query
parameter (`?page_size=10`) or a word given to a command (`curl -d
page_size=10`) still is one."""

from __future__ import annotations

import re

SHELL_SUFFIXES = (".sh", ".bash", ".zsh", ".ksh")
_ASSIGNED = re.compile(r"(?:^|;|&&|\|\||\bthen[ \t]|\bdo[ \t]|\belse[ \t])[ \t]*(?:(?:export|local|readonly|declare(?:[ \t]+-\w+)*)[ \t]+)?\Z", re.MULTILINE)
"""What may come before a variable assigned at a command's start: nothing,
`;`, `&&`, `then`, `export`, `local` (not a URL's `&`, `?a=1&page_token=t`)."""


def is_shell(path: str) -> bool:
    return path.lower().endswith(SHELL_SUFFIXES)


def shell_variable(text: str, at: int, end: int) -> bool:
    """The name at `at`..`end` is a variable of the script: expanded
    (`$page_token`, `${page_token}`, `${page_size:-100}`) or assigned at
    the start of a command (`page_token=...`, `local page_size=10`; not
    on a line continuing the one above, where it is a command's argument)."""
    if text[at - 1 : at] == "$" or text[max(0, at - 2) : at] == "${":
        return True
    if text[end : end + 1] != "=":
        return False
    line_start = text.rfind("\n", 0, at) + 1
    if _ASSIGNED.search(text, line_start, at) is None:
        return False
    return not (line_start > 0 and text[:line_start - 1].rstrip("\r").endswith("\\"))
