"""Multi-needle searches, each one pass over a file whatever the number of
needles, with the `aho-corasick` Rust crate (through `ahocorasick_rs`):

- `AnyOf`: does a file hold any trigger? It clears most files, so it is the
  audit's hot path: for a few needles the crate runs a SIMD multi-literal
  search (Teddy) at several GB/s, and it releases the GIL.
- `Occurrences`: every start of every needle in a text, as many `str.find`
  loops would give them, for the scanner of the files that a trigger hit.
"""

from __future__ import annotations

from collections.abc import Iterable

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
