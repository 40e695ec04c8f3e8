"""Config paths joined from a list of segments.

    path = "/".join(["workspaces", WORKSPACE, "regulations"])       # Python
    const path = ["workspaces", ws, "regulations"].join("/");        // JS, TS, Ruby
    path := strings.Join([]string{"workspaces", ws, "regulations"}, "/")  // Go

No string holds the path. The audit reads each such join as the string it
builds (`"workspaces/{}/regulations"`: a value that is no literal is a
placeholder), written where the join starts and padded to its length, so
that lines and columns stay those of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ELEMENT = r"""\s*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z_$][\w.$]*(?:\[[^\]\n]*\]|\([^()\n]*\))*)\s*"""
_ELEMENTS = rf"{_ELEMENT}(?:,{_ELEMENT})+,?\s*"
_JOINS = re.compile(
    rf"""(["'])/\1\s*\.\s*join\(\s*[\[(](?P<a>{_ELEMENTS})[\])]\s*\)"""  # "/".join([...])
    rf"""|\[(?P<b>{_ELEMENTS})\]\s*\.\s*join\(\s*(["'])/\4\s*\)"""  # [...].join("/")
    rf"""|strings\.Join\(\s*\[\]string\{{(?P<c>{_ELEMENTS})\}}\s*,\s*"/"\s*\)"""  # Go
)
_LITERAL = re.compile(r"""\s*(?:"([^"\n]*)"|'([^'\n]*)')\s*\Z""")


def may_hold_joined_lists(text: str, heads: tuple[str, ...]) -> bool:
    return ("join" in text or "Join" in text) and any(f'"{h}"' in text or f"'{h}'" in text for h in heads)


def joined_paths(text: str, heads: tuple[str, ...], is_path: Callable[[str], bool]) -> str:
    """`text` with each join of segments of which one is one of `heads`
    (`workspaces`, `v1beta`; a base may come first) as the path string it
    builds, when `is_path` says that is a Config path (`/workspaces/{}/regulations`;
    not a folder, `workspaces/{}/cache`)."""
    def path(m: re.Match[str]) -> str:
        elements = m.group("a") or m.group("b") or m.group("c") or ""
        parts = []
        for element in _split(elements):
            literal = _LITERAL.match(element)
            parts.append((literal.group(1) or literal.group(2) or "") if literal else "{}")
        joined = '"' + "/".join(p for p in parts if p) + '"'
        start = next((i for i, p in enumerate(parts) if p in heads), None)
        if start is None or len(joined) > len(m.group()):
            return m.group()
        path = "/".join(parts[start + 1 :] if parts[start] == heads[-1] else parts[start:])
        if not is_path("/" + path):
            return m.group()
        return joined.ljust(len(m.group()))
    return _JOINS.sub(path, text)


def _split(elements: str) -> list[str]:
    """The elements of a list, at its top-level commas."""
    out, depth, start, quote = [], 0, 0, ""
    for i, char in enumerate(elements):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            out.append(elements[start:i])
            start = i + 1
    if elements[start:].strip():
        out.append(elements[start:])
    return out
