"""Commands that `\\` joins over lines (`curl -X PATCH \\` then `-H ... \\`
then the URL): where each starts and ends, and the method of each `curl`
in them. Found once per file, each `curl`'s words read up to the next
`curl`: a file of long joined commands is read in linear time."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from migrator.audit.paths import CURL, curl_method


_CONTINUES = re.compile(r"\\[ \t\r]*(?=\n)")
"""A line's end that `\\` joins to the next line."""


@dataclass
class Joined:
    """The text's commands of two lines or more that `\\` joins."""

    starts: list[int]
    ends: list[int]
    curls: dict[int, list[int]] = field(default_factory=dict)
    """A command's start → where each `curl` in it starts (found on demand)."""
    methods: dict[int, str | None] = field(default_factory=dict)
    """Where a `curl` starts → its method (found on demand)."""


def joined_commands(text: str) -> Joined:
    starts: list[int] = []
    ends: list[int] = []
    for m in _CONTINUES.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        next_end = text.find("\n", m.end() + 1)
        next_end = len(text) if next_end < 0 else next_end
        if ends and ends[-1] == m.end():
            ends[-1] = next_end  # the command goes on
        else:
            starts.append(line_start)
            ends.append(next_end)
    return Joined(starts, ends)


def joined_curl(text: str, joined: Joined, at: int) -> tuple[bool, str | None]:
    """Whether `at` is in a `curl` command that `\\` joins over lines (the
    last `curl` before `at` in the joined lines), and that command's method
    (`curl_method`), whatever line of it its options are on."""
    i = bisect.bisect_right(joined.starts, at) - 1
    if i < 0 or joined.ends[i] < at:
        return False, None
    start, end = joined.starts[i], joined.ends[i]
    curls = joined.curls.get(start)
    if curls is None:
        curls = joined.curls[start] = [m.start() for m in CURL.finditer(text, max(0, start - 1), end)]
    k = bisect.bisect_left(curls, at) - 1
    if k < 0:
        return False, None
    curl = curls[k]
    if curl not in joined.methods:
        stop = curls[k + 1] if k + 1 < len(curls) else end  # its words end before the next `curl`
        joined.methods[curl] = curl_method(text[curl:stop])
    return True, joined.methods[curl]
