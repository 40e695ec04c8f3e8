"""Multi-needle searches, each one pass over a file whatever the number of
needles, with the `aho-corasick` Rust crate (through `ahocorasick_rs`):

- `AnyOf`: does a file hold any trigger? It clears most files, so it is the
  audit's hot path: for a few needles the crate runs a SIMD multi-literal
  search (Teddy) at several GB/s, and it releases the GIL.
- `Occurrences`: every start of every needle in a text, as many `str.find`
  loops would give them, for the scanner of the files that a trigger hit;
- `AnyCase`: does a file hold a host name in any case (`Platform.SegmentAPIs.com`)?
  `AnyOfOrHost` asks both questions in one search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import product

import ahocorasick_rs as ac


class AnyOf:
    """A test for whether a buffer holds at least one of some byte strings."""

    def __init__(self, needles: Iterable[bytes]) -> None:
        self.needles = tuple(needles)
        # Leftmost-first: a non-empty result means some needle occurs, and it
        # is the kind that the crate's SIMD search serves.
        automaton = ac.BytesAhoCorasick(list(self.needles), matchkind=ac.MATCHKIND_LEFTMOST_FIRST)
        self.find = automaton.find_matches_as_indexes
        """`find(data)` is non-empty when a needle occurs (the bound method,
        for hot loops)."""

    def __call__(self, data: bytes) -> bool:
        return bool(self.find(data))


class Occurrences:
    """Where each of some strings occurs in a text, overlaps included."""

    def __init__(self, needles: Iterable[str]) -> None:
        self.needles = sorted(set(needles))
        automaton = ac.AhoCorasick(self.needles)  # the standard kind: needed for overlaps
        self._find = automaton.find_matches_as_indexes

    def __call__(self, text: str) -> dict[str, list[int]]:
        """Needle → its start offsets (in characters), ascending; needles
        that do not occur are absent."""
        found: dict[str, list[int]] = {}
        needles = self.needles
        # Overlapping matches come by end offset: for one needle, by start.
        for index, start, _ in self._find(text, overlapping=True):
            needle = needles[index]
            if needle in found:
                found[needle].append(start)
            else:
                found[needle] = [start]
        return found


class HostsAndNames:
    """Whether a file names one of some hosts, and one of some field names,
    in one search (see `migrator.audit.links`, `migrator.rewrite.links`)."""

    def __init__(self, hosts: Iterable[bytes], names: Iterable[bytes]) -> None:
        self.hosts = tuple(hosts)
        self.search = AnyOf((*self.hosts, *names))

    def __call__(self, data: bytes) -> tuple[bool, bool]:
        count = len(self.hosts)
        host = name = False
        for index, _, _ in self.search.find(data):
            if index < count:
                host = True
            else:
                name = True
            if host and name:
                break
        return host, name


PIECE = 4
"""Characters of a host name `AnyCase` looks for in every case first."""
TEDDY = 64
"""The most needles the crate's SIMD search (Teddy) takes: past it, a search is several times slower."""


class AnyCase:
    """A test for whether a buffer holds one of some host names in any case
    (host names are case-insensitive). The crate's search has no case
    folding, and a case-folding regex over every file costs several times
    the search: a piece of each name (`piece`) is looked for in each of its
    cases, at the speed of `AnyOf`, and only a buffer holding one is
    searched for the whole names in any case."""

    def __init__(self, names: Iterable[str]) -> None:
        names = sorted(set(names))
        self.pieces = tuple(sorted({case for name in names for case in _cases(piece(name))}))
        self._any = AnyOf(self.pieces).find if self.pieces else None
        self.names = re.compile(b"|".join(re.escape(n.encode()) for n in names) or b"(?!)", re.IGNORECASE).search
        """`names(data)` finds a name in any case (slow: only where a piece is)."""

    def __call__(self, data: bytes) -> bool:
        return self._any is not None and bool(self._any(data)) and self.names(data) is not None


class AnyOfOrHost:
    """`AnyOf(needles)`, or `AnyCase`'s host names: in one search, the
    pieces' cases along the needles (a second search of every file would
    double the cost of the audit's hot path). A buffer where only pieces are
    found is searched again for the needles alone (a piece may have hidden
    one that overlaps it) and for the names."""

    def __init__(self, needles: Iterable[bytes], hosts: AnyCase) -> None:
        self.needles = tuple(needles)
        self._count = len(self.needles)
        self._both = AnyOf((*self.needles, *hosts.pieces)).find
        self._alone = AnyOf(self.needles).find
        self._hosts = hosts

    def __call__(self, data: bytes) -> bool:
        found = self._both(data)
        if not found:
            return False
        count = self._count
        return any(i < count for i, _, _ in found) or bool(self._alone(data)) or self._hosts.names(data) is not None


def piece(name: str) -> str:
    """The `PIECE` characters of a host name from its first dot (`.segm` of
    `platform.segmentapis.com`): few letters, so few cases, and a dot before
    a label's start, rare in text, which the search skips to quickly."""
    start = max(0, name.find("."))
    return name[start : start + PIECE]


def _cases(text: str) -> set[bytes]:
    """`text` in each of its cases (2 to the power of its letters)."""
    options = [{c.lower(), c.upper()} for c in text]
    return {"".join(chars).encode() for chars in product(*options)}
