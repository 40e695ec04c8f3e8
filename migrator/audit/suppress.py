"""Suppression comments: deliberate Config API uses that the audit skips.

    BASE = "https://platform.segmentapis.com/v1beta"  # migrator: ignore
    # migrator: ignore[host.base-url, endpoint.sources]
    BASE = "https://platform.segmentapis.com/v1beta"

A comment applies to findings on its own line and, when it stands alone on
its line (nothing but comment syntax before it), to the statement on the
next line too: the lines its open brackets span and a `\\` at the end
continues it onto, or, when that line opens a tag (JSX, HTML), the lines of
the opening tag, its attributes, up to its `>`. `migrator rewrite` leaves
alone the same lines (`python_suppressions`), so the two agree.
Without `[...]` it covers every rule; with it, the listed rule ids and any id
that starts with one of them followed by a dot (`endpoint` covers
`endpoint.sources.get`). A finding of the codemod is also covered when the
list covers every row the text scanner reports at its place
(`Finding.also`): `ignore[host.base-url, endpoint]` covers a
`rewrite.partial-path` marker on a Config URL.

Only comments count: the text must follow a comment opener on its line
(`#`, `//`, `/*`, `<!--`, `-- `; `;` in INI-like files and Lisps, where it
opens comments, not in languages where it ends statements) outside any
string literal of that line, or
stand alone after nothing but comment syntax. `"... # migrator: ignore"`, a
string, suppresses nothing; nor does a `#` glued to a word (`.../sources#x`,
a word in shell and YAML; in Python, `x = 1# ...` is a comment), nor, in
Python, a line inside a string over lines (a docstring: the file is
tokenized, only when it holds a suppression).
"""

from __future__ import annotations

import bisect
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from migrator.audit.model import Finding
from migrator.audit.statements import STATEMENT_LINES, marker_target, statement_end
from migrator.audit.text_scan import Lines
from migrator.markers import MARKER, MARKER_PREFIX, SUPPRESSION, selects, suppressed_rules, suppression_problem

ALL = "*"


@dataclass(frozen=True)
class Suppression:
    """One suppression comment: its line, its text as written
    (`migrator: ignore[host.base-url]`), its `rules` group (None: every
    rule) and the lines it covers (see `_covered`)."""

    line: int
    text: str
    rules: str | None
    covers: frozenset[int]


def suppressions(
    lines: Lines, rule_ids: Iterable[str], notebook: bool = False, python: bool = False, semicolon: bool = False,
) -> tuple[dict[int, set[str]], list[str]]:
    """Line number → rule ids (or `*`) suppressed there; and a note for each
    comment naming something that is no rule id nor prefix of one (a typo
    would leave its finding reported, and say nothing). In a `notebook`, the
    comments are those of the code in its cells' source strings; in `python`,
    not in a string literal over lines (a docstring); with `semicolon` (see
    `semicolon_comments`), a `;` opens a comment too."""
    found: dict[int, set[str]] = {}
    notes: list[str] = []
    for comment in suppression_comments(lines, notebook, python, semicolon):
        ids = {ALL} if comment.rules is None else suppressed_rules(comment.rules)
        problem = suppression_problem(comment.rules, rule_ids)
        if problem:
            notes.append(f"line {comment.line}: {problem}")
        for target in comment.covers:
            found.setdefault(target, set()).update(ids)
    return found, notes


def suppression_comments(
    lines: Lines, notebook: bool = False, python: bool = False, semicolon: bool = False,
) -> Iterator[Suppression]:
    """The suppression comments of a text, in order (see `suppressions`).
    A marker comment of `migrator rewrite` quoting one (`` kept there by a
    suppression comment (`migrator: ignore` at line 3) ``) is none."""
    text = lines.text
    strings: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
    start = text.find("migrator:")
    while start >= 0:
        m = SUPPRESSION.match(text, start)
        commented = m is not None and (
            _commented_in_cell(lines, start) if notebook else _commented(lines, start, python, semicolon))
        if commented and python:
            strings = _python_strings(text) if strings is None else strings
            commented = not _inside(strings, lines.locate(start))
        if m and commented and not _in_marker(lines, start):
            line, column = lines.locate(m.start())
            yield Suppression(line, m.group(0), m.group("rules"), frozenset(_covered(lines, line, column)))
        start = text.find("migrator:", start + 1)


_LONE_CR = re.compile(r"\r(?!\n)")


def python_suppressions(text: str) -> dict[int, list[Suppression]]:
    """Python source: line → the suppression comments that cover it, the
    nearest first (its own line's, then those above), as `audit` reads them;
    `migrator rewrite` leaves alone what they cover. Lines end as Python
    ends them (a lone `\\r` too)."""
    if "migrator:" not in text:
        return {}
    found: dict[int, list[Suppression]] = {}
    for comment in suppression_comments(Lines(_LONE_CR.sub("\n", text)), python=True):
        for line in comment.covers:
            found.setdefault(line, []).append(comment)
    for comments in found.values():
        comments.sort(key=lambda c: -c.line)
    return found


def _in_marker(lines: Lines, offset: int) -> bool:
    """Whether `offset` is in a marker comment (`# migrator[<rule>]: ...`)."""
    start, end = lines.bounds(offset)
    found = MARKER.search(lines.text, start, end) if MARKER_PREFIX in lines.text[start:end] else None
    return found is not None and found.start() < offset


def _covered(lines: Lines, line: int, column: int) -> set[int]:
    """The comment's line; alone on its line, also the statement on the
    next: the lines its open brackets span (a call spread over lines) and a
    `\\` at a line's end continues it onto (`curl -X DELETE \\`), the
    opening tag that starts there (`<Fetcher` and its attributes below), the
    block scalar of a YAML key there (`run: >-`) or the Markdown code block
    a fence opens there."""
    target = marker_target(lines, line, column)
    if target == line:
        return {line}
    end = max(statement_end(lines, target), _tag_end(lines, target),
              _scalar_end(lines, target), _fence_end(lines, target))
    return {line, *range(target, end + 1)}


_TAG_OPEN = re.compile(r"[ \t]*<[A-Za-z][\w.:-]*")


def _tag_end(lines: Lines, first: int) -> int:
    """The line where the opening tag that starts line `first` (JSX, HTML:
    `<Fetcher`, its attributes on the lines below) ends with `>` or `/>`,
    outside its quoted values and `{...}` expressions; `first` when no tag
    starts there or it does not end within `STATEMENT_LINES` lines. Type
    arguments right after its name (TSX: `<Fetcher<Source[]>`) are not its
    end, nor is an arrow's `=>` in them. Its children are not the tag's:
    each takes a comment of its own."""
    opened = _TAG_OPEN.match(lines.line(first))
    if opened is None:
        return first
    depth, angles, quote, start = 0, 0, "", opened.end()
    for number in range(first, first + STATEMENT_LINES):
        line = lines.line(number)
        i = start
        while i < len(line):
            char = line[i]
            if quote:
                if char == "\\" and depth:
                    i += 1  # an escape, in a JavaScript string of an expression
                elif char == quote:
                    quote = ""
            elif char in "\"'`":
                quote = char
            elif char in "{}":
                depth += 1 if char == "{" else -1
            elif char == "<" and (angles or (number == first and i == opened.end())):
                angles += 1  # type arguments, nested or right after the name
            elif char == ">" and angles:
                if line[i - 1 : i] != "=":  # not an arrow's, in a function type
                    angles -= 1
            elif char == ">" and depth <= 0:
                return number
            i += 1
        start = 0
    return first


_BLOCK_SCALAR = re.compile(r"(?P<indent>[ \t]*(?:-[ \t]+)*)[^\s#][^#]*?:[ \t]+[|>][1-9+-]{0,2}[ \t]*(?:#.*)?\Z")
"""A YAML key whose value is a block scalar: `run: >-`, `- script: |`."""


def _scalar_end(lines: Lines, first: int) -> int:
    """The last line of the YAML block scalar whose key is on line `first`
    (`run: >-`, the command on the lines below, more indented than the key;
    a `#` in them is the command's, so the comment above the key is the only
    place for one); `first` when no such key is there."""
    m = _BLOCK_SCALAR.match(lines.line(first))
    if m is None:
        return first
    indent, end, number = len(m.group("indent").expandtabs()), first, first + 1
    count = lines.text.count("\n") + 1
    while number <= count:
        text = lines.line(number)
        if text.strip():
            if len(text) - len(text.lstrip(" \t")) <= indent:
                break
            end = number
        number += 1
    return end


_FENCE = re.compile(r"[ \t]*(?P<fence>`{3,}|~{3,})")
"""A fence opening a Markdown code block, indented too (in a list item)."""


def _fence_end(lines: Lines, first: int) -> int:
    """The line of the fence that closes the Markdown code block opened on
    line `first` (```` ```sh ````: `<!-- migrator: ignore -->` above it
    covers the code inside, where an HTML comment would show); `first`
    when no fence opens there or none closes it."""
    m = _FENCE.match(lines.line(first))
    if m is None or (m.group("fence")[0] == "`" and "`" in lines.line(first)[m.end():]):
        return first
    fence = m.group("fence")
    closing = re.compile(rf"[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*\Z")
    count = lines.text.count("\n") + 1
    for number in range(first + 1, count + 1):
        if closing.match(lines.line(number)):
            return number
    return first


_OPENERS = ("#", "//", "/*", "<!--", "-- ", "--\t")
_SEMICOLON_OPENERS = (*_OPENERS, ";")
SEMICOLON_SUFFIXES = (
    ".ini", ".cfg", ".conf", ".cnf", ".gitconfig", ".gitmodules", ".editorconfig",  # INI and its kin
    ".clj", ".cljs", ".cljc", ".edn", ".el", ".lisp", ".scm", ".rkt",  # Lisps
)
"""Files in which `;` opens a comment (`key = value ; comment`), as it does
not in the many languages where it ends a statement."""


def semicolon_comments(path: str) -> bool:
    """Whether `;` opens a comment in the file at `path` (by its name)."""
    return path.lower().endswith(SEMICOLON_SUFFIXES)

_COMMENT_SYNTAX = " \t#/*-;!<%"
_STRING_PREFIXES = {"r", "b", "f", "u", "rb", "br", "fr", "rf"}
_LETTERS_BEFORE = re.compile(r"[A-Za-z]+\Z")


_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def _commented_in_cell(lines: Lines, offset: int) -> bool:
    """`_commented` for a notebook: on the code of the cell's source line
    (a JSON string, `"url = '...'  # migrator: ignore\\n",`) that holds `offset`."""
    start, end = lines.bounds(offset)
    line, at = lines.text[start:end], offset - start
    m = _JSON_STRING.search(line)
    if m is None or not m.start() < at < m.end() or line[: m.start()].strip() or line[m.end() :].strip() not in ("", ","):
        return False  # a comment covers the file's line: only where it holds one source line alone
    try:
        code = json.loads(m.group())
        before = json.loads('"' + line[m.start() + 1 : at] + '"')
    except ValueError:
        return False
    if not isinstance(code, str) or "\n" in code.rstrip("\n") or "\n" in before:
        return False
    return _in_comment(code, len(before))


def _commented(lines: Lines, offset: int, glued_hash: bool = False, semicolon: bool = False) -> bool:
    """Whether `offset` is inside a comment of its line: a cheap reading that
    knows comment openers and single-line string literals, not languages.
    A `#` opens one at the start of the line or after a space or a tab, as
    in shell and YAML (`.../sources#x` is a URL's fragment, a word), also
    right after code where `glued_hash` (Python: `x = 1# ...`); where
    `semicolon`, so does a `;` (`a = https://... ; migrator: ignore`)."""
    start, end = lines.bounds(offset)
    return _in_comment(lines.text[start:end], offset - start, glued_hash, semicolon)


def _python_strings(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where each string literal of Python source starts and ends, as
    (line, 0-based column) pairs, in order; those before where it stops
    tokenizing (past them, the cheap reading alone decides)."""
    import tokenize  # only for Python files holding a suppression comment

    fstring_start = getattr(tokenize, "FSTRING_START", None)  # Python 3.12: f-strings are split
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    opened: list[tuple[int, int]] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and not opened:
                spans.append((token.start, token.end))
            elif token.type == fstring_start:
                opened.append(token.start)
            elif token.type == fstring_end and opened:
                begin = opened.pop()
                if not opened:
                    spans.append((begin, token.end))
    except (tokenize.TokenError, SyntaxError):
        pass  # Python 2, a syntax error: the strings read so far
    return spans


def _inside(spans: list[tuple[tuple[int, int], tuple[int, int]]], where: tuple[int, int]) -> bool:
    """Whether the 1-based (line, column) `where` lies in one of `spans`."""
    at = (where[0], where[1] - 1)
    i = bisect.bisect_right(spans, (at, (sys.maxsize, 0)))
    return i > 0 and spans[i - 1][1] > at


def _in_comment(line: str, at: int, glued_hash: bool = True, semicolon: bool = False) -> bool:
    if not line[:at].strip(_COMMENT_SYNTAX):
        return True  # alone on its line after comment syntax (or inside a block comment)
    openers = _SEMICOLON_OPENERS if semicolon else _OPENERS
    i = 0
    while i < at:
        char = line[i]
        if char in "\"'`" and not _apostrophe(line, i):
            close = _closing(line, i)
            if close > at:
                return False  # inside a string literal
            if close >= 0:
                i = close + 1
                continue
        elif line.startswith(openers, i) and not (char == "/" and line[i - 1:i] == ":") and (  # not https://
                char not in "#;" or (glued_hash and char == "#") or not i or line[i - 1] in " \t"):
            return True
        i += 1
    return False


def _closing(line: str, i: int) -> int:
    """Where the string literal opened at `i` ends on the line, or -1."""
    quote, j = line[i], i + 1
    while j < len(line):
        if line[j] == "\\":
            j += 2
            continue
        if line[j] == quote:
            return j
        j += 1
    return -1


def _apostrophe(line: str, i: int) -> bool:
    """A `'` inside a word (`don't`), not a quote (`f'...'` is one)."""
    if line[i] != "'" or not line[i + 1:i + 2].isalpha() or not line[i - 1:i].isalpha():
        return False
    word = _LETTERS_BEFORE.search(line, 0, i)
    return word is None or word.group().lower() not in _STRING_PREFIXES


def quiets(table: dict[int, set[str]], line: int, rule: str) -> bool:
    """The line's comments list every rule or `rule` (a hit of the text scan, before it is a finding)."""
    ids = table.get(line)
    return bool(ids) and (ALL in ids or any(selects(rule, s) for s in ids))


def is_suppressed(finding: Finding, table: dict[int, set[str]]) -> bool:
    """The line's comments list every rule, the finding's rule, or every
    row a finding of the codemod also is (see `Finding.also`)."""
    ids = table.get(finding.line)
    if finding.joined_line:  # (a join's pieces below the line it starts on: that line's comments too)
        ids = {*(ids or ()), *table.get(finding.joined_line, ())}
    if not ids:
        return False
    return ALL in ids or finding.covered_by(ids)
