"""The bodies of the types named after Config resources (`type Source
struct {`, `interface Source {`, `class Source(TypedDict):`): a field
inside one belongs to that resource however far below its opening line it
is (`field_names._resource_before`). Braces are matched in Go, JavaScript
and TypeScript (strings, comments, template literals and regular
expressions skipped), Python classes end where the parser says; one pass
over the text each."""

from __future__ import annotations

import ast
import bisect
import re
import warnings
from collections.abc import Iterable

from migrator.audit import lexer

Body = tuple[int, int]
"""Where a type's definition starts (its sign) and where its body ends."""

_CODE = re.compile(r"[{}'\"`/]")
_QUOTED = {q: re.compile(rf"{q}(?:[^{q}\\\n]|\\[\s\S])*{q}") for q in "'\""}
"""Not `lexer.QUOTED`: in JavaScript an escaped line break goes on with the string."""
_TEMPLATE_PART = re.compile(r"(?:[^`\\$]|\\[\s\S]|\$(?!\{))*")
_REGEX = re.compile(r"/(?![*/])(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[a-z]*")
_BEFORE_REGEX = frozenset("(,=:[!&|?{};+-*%<>~^")
_TEMPLATE = -1
"""On the stack of open braces: a template literal's `${`."""
_BODY_OPEN = re.compile(r"[\w$ \t\r\n,.<>\[\]=]*?\{")
"""From a type's name to the brace that opens its body: `struct`, `=`,
type parameters, `extends`/`implements` clauses (not `Base & {`, not a call)."""


def type_bodies(text: str, language: str | None, signs: Iterable[re.Match[str]]) -> list[Body]:
    """The bodies of the types `signs` define (`Catalog.type_names`
    matches, in order), where they can be told precisely: in Go, JavaScript
    and TypeScript by their braces, in Python by the class's last line."""
    if language == "python":
        return _classes(text, signs)
    if language not in ("go", "js"):
        return []
    found = list(signs)
    if not found:
        return []
    pairs, skipped = _braces(text, js=language == "js")
    starts = [start for start, _ in skipped]
    bodies = []
    for m in found:
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < skipped[i][1]:
            continue  # in a comment or a string
        opened = _BODY_OPEN.match(text, m.end())
        close = pairs.get(opened.end() - 1) if opened else None
        if close is not None:
            bodies.append((m.start(), close + 1))
    return bodies


def owners(bodies: list[Body]) -> list[tuple[int, int, int]]:
    """The text cut where the innermost body holding it changes: (start,
    end, where that body's type is defined), in order (`bodies` nest or
    are apart)."""
    out: list[tuple[int, int, int]] = []
    stack: list[Body] = []
    at = 0

    def close(until: int) -> None:
        nonlocal at
        while stack and stack[-1][1] <= until:
            owner, end = stack.pop()
            if at < end:
                out.append((at, end, owner))
                at = end

    for start, end in sorted(bodies):
        close(start)
        if stack and at < start:
            out.append((at, start, stack[-1][0]))
        at = start
        stack.append((start, end))
    close(len(bodies) and max(end for _, end in bodies))
    return out


def owner_at(segments: list[tuple[int, int, int]], at: int) -> int:
    """Where the type whose body holds `at` is defined (`owners`), or -1."""
    i = bisect.bisect_right(segments, (at, float("inf"))) - 1
    return segments[i][2] if i >= 0 and segments[i][0] <= at < segments[i][1] else -1


def _classes(text: str, signs: Iterable[re.Match[str]]) -> list[Body]:
    """Python: the class each sign starts (`class Source(...)`, by its line
    and name), to the end of its last line; none when the file does not parse."""
    found = [m for m in signs if m.group("class")]
    if not found:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (`"\d"`: an invalid escape, said by the parser)
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    ends = {(node.lineno, node.name): node.end_lineno or node.lineno
            for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    bodies = []
    for m in found:
        line = bisect.bisect_right(starts, m.start())
        end = ends.get((line, m.group("class")))
        if end is not None:
            bodies.append((m.start(), starts[end] if end < len(starts) else len(text)))
    return bodies


def _braces(text: str, js: bool) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Where each `{` of the code closes, and where its strings and
    comments are (in order)."""
    pairs: dict[int, int] = {}
    skipped: list[tuple[int, int]] = []
    stack: list[int] = []
    i, n = 0, len(text)
    while (m := _CODE.search(text, i)) is not None:
        i, ch = m.start(), m.group()
        if ch == "{":
            stack.append(i)
            i += 1
        elif ch == "}":
            top = stack.pop() if stack else None
            if top == _TEMPLATE:
                i = _template(text, i + 1, stack, skipped)
                continue
            if top is not None:
                pairs[top] = i
            i += 1
        elif ch == "`" and js:
            i = _template(text, i + 1, stack, skipped)
        elif ch == "`":  # Go's raw string
            end = text.find("`", i + 1)
            end = n if end < 0 else end + 1
            skipped.append((i, end))
            i = end
        elif ch in "'\"":
            quoted = _QUOTED[ch].match(text, i)
            if quoted is None:
                i += 1  # not closed on its line (an apostrophe in JSX text)
                continue
            skipped.append((i, quoted.end()))
            i = quoted.end()
        else:
            end = _comment_or_regex(text, i, js)
            if end is None:
                i += 1
                continue
            skipped.append((i, end))
            i = end
    return pairs, skipped


def _template(text: str, i: int, stack: list[int], skipped: list[tuple[int, int]]) -> int:
    """Read a template literal from `i` (inside it) to its end, or to a
    `${` (then pushed: its `}` comes back here)."""
    end = _TEMPLATE_PART.match(text, i).end()  # type: ignore[union-attr]
    if end < len(text) and text[end] == "$":
        skipped.append((i - 1, end))
        stack.append(_TEMPLATE)
        return end + 2
    end = min(end + 1, len(text))
    skipped.append((i - 1, end))
    return end


def _comment_or_regex(text: str, i: int, js: bool) -> int | None:
    """The end of the comment or (JavaScript) regular expression literal
    starting at the `/` at `i`; None for a division."""
    end = lexer.comment_end(text, i)
    if end is not None or not js:
        return end
    j = i - 1
    while j >= 0 and text[j] in " \t\r\n":
        j -= 1
    if j >= 0 and text[j] not in _BEFORE_REGEX and not text.endswith("return", 0, j + 1):
        return None
    literal = _REGEX.match(text, i)
    return literal.end() if literal else None
