"""Statements and marker comments in a text: where a statement ends, and
which finding a marker comment the rewrite left stands for (tiers of
`migrator.audit.text` and the precise audit share them)."""

from __future__ import annotations

import re
from dataclasses import replace

from migrator.audit import lexer
from migrator.audit.model import Finding
from migrator.audit.text_scan import Lines
from migrator.markers import MARKER


QUOTED = re.compile(r"`([^`]+)`")
"""What a message quotes."""


def absorbed(findings: list[Finding], candidates: list[Finding], lines: Lines) -> list[Finding]:
    """`findings` and `candidates` (a list of its own, or `findings` itself),
    without the candidates already on the to-do list through a marker of
    `migrator rewrite` among `findings` (they have the marker's rule on the
    line it points at, or are a field name it quotes there): the marker
    stands for them (`Finding.stands_for`)."""
    owners: dict[tuple[str, int], int] = {}
    words: dict[tuple[str, int], int] = {}
    for i, f in enumerate(findings):
        if f.kind == "marker":
            target = marker_target(lines, f.line, f.column)
            owners.setdefault((f.rule, target), i)
            for word in QUOTED.findall(f.message):
                # a field read on a line below, or quoted in the comment itself (`change ["sources"] to ...`)
                for line in (f.line, *range(target, statement_end(lines, target) + 1)):
                    words.setdefault((word, line), i)
    if not owners:
        return findings if candidates is findings else [*findings, *candidates]
    taken: dict[int, list[tuple[str, int]]] = {}
    gone: set[int] = set()
    for f in candidates:
        if f.kind == "marker":
            continue
        owner = owners.get((f.rule, f.line))
        if owner is None and f.kind == "field":
            owner = words.get((f.text, f.line))
        if owner is not None:
            taken.setdefault(owner, []).append((f.rule, f.line))
            gone.add(id(f))
    out = [standing(f, taken[i]) if i in taken else f for i, f in enumerate(findings)]
    if candidates is not findings:
        out += candidates
    return [f for f in out if id(f) not in gone]


_STRINGS = re.compile(f"{lexer.QUOTED}|{lexer.HASH_COMMENT}")
STATEMENT_LINES = 40
"""How far a statement a marker comment points at is followed (its open brackets)."""


def statement_end(lines: Lines, first: int) -> int:
    """The last line of the statement starting at `first`: while brackets
    stay open or a line ends with a backslash (strings and comments aside)."""
    depth = 0
    number = first
    while number < first + STATEMENT_LINES:
        code = _STRINGS.sub("", lines.line(number))
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        if depth <= 0 and not code.rstrip().endswith("\\"):
            return number
        number += 1
    return first


def statements_on(line: str) -> list[tuple[int, int]]:
    """The statements `;` separates on a line (`a = get(u1); b = get(u2)`),
    outside strings and brackets, before a `#` comment: their 1-based
    columns, the end excluded (the last one to the end of the line)."""
    spans: list[tuple[int, int]] = []
    start = depth = 0
    quote = ""
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "#":
            break
        elif c == ";" and depth <= 0:
            spans.append((start + 1, i + 1))
            start = i + 1
        i += 1
    spans.append((start + 1, len(line) + 1))
    return spans


def standing(marker: Finding, found: list[tuple[str, int]]) -> Finding:
    """`marker` standing for the findings `found` (rule, line) too: their rows
    are also its own (`Finding.also`) when they are others."""
    rules = {rule for rule, _ in found} | set(marker.also) | {marker.rule}
    return replace(marker, stands_for=tuple(dict.fromkeys((*marker.stands_for, *found))),
                   also=tuple(sorted(rules)) if len(rules) > 1 else marker.also)


def marker_target(lines: Lines, line: int, column: int) -> int:
    """The line a comment speaks about: its own, or the next one when the
    comment stands alone on its line, past the markers stacked under it (a
    rewrite marking one line twice, or a line a suppression comment covers
    for other rules)."""
    before = lines.line(line)[: column - 1].lstrip(" \t")
    if before.startswith("{/*"):  # JSX writes a comment alone on its line so: `{/* ... */}`
        before = before[1:]
    if before.strip(" \t#/*-;!<%'\""):
        return line
    target = line + 1
    while MARKER.match(lines.line(target).lstrip()):
        target += 1
    return target
