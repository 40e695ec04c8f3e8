"""The part of a Python file the codemod needs to see.

A flagged file is often a large module with one function that calls the
Config API. The codemod's findings there depend only on the top-level
statements that hold one of its needles (a Config host, `v1beta`, the first
segment of a Config path; the names it acts on wherever they are: Config
field names, mocking fixtures), on the imports, and on the statements linked
to those by a name: the ones defining a name they use (constants, helpers,
classes) and the ones using a name they define (callers, readers, the users
of an imported module), transitively.

`relevant_slice` keeps those statements, verbatim and in order, and leaves
the others out, so that libcst parses and the codemod analyses only them.
Lines keep their text, so columns do not move; `Slice.lines` maps each line
of the slice back to the file. The links are over-approximated (any word in
a statement's text counts as a use), which only ever keeps more.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from migrator.search import AnyOf

WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
KEEP_WHOLE = 0.6
"""Past this share of the file's lines, the file is given whole."""


@dataclass(frozen=True)
class Slice:
    data: bytes
    lines: tuple[int, ...]
    """1-based line in the file of each line of `data`."""


@dataclass
class _Unit:
    """Top-level statements sharing lines (`a = 1; b = 2`), as one."""

    start: int
    end: int
    nodes: list[ast.stmt]
    words: set[bytes]
    defines: set[bytes]


def relevant_slice(data: bytes, needles: tuple[bytes, ...], keep_whole: float | None = None) -> Slice | None:
    """The statements the codemod needs, or None to give it the whole file
    (it does not parse here, or the slice would hold more than `keep_whole`
    of its lines)."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = data.splitlines(keepends=True)
    units = _units(tree.body, lines)
    keep = _closure(units, _holding(data, lines, units, needles))
    kept_lines = sum(units[i].end - units[i].start + 1 for i in keep)
    if kept_lines > (KEEP_WHOLE if keep_whole is None else keep_whole) * len(lines):
        return None
    return _assemble(lines, [units[i] for i in sorted(keep)])


def _units(body: list[ast.stmt], lines: list[bytes]) -> list[_Unit]:
    units: list[_Unit] = []
    for node in body:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        end = node.end_lineno or node.lineno
        if units and start <= units[-1].end:
            unit = units[-1]
            unit.end = max(unit.end, end)
            unit.nodes.append(node)
        else:
            units.append(_Unit(start, end, [node], set(), set()))
    for unit in units:
        unit.words = set(WORD.findall(b"".join(lines[unit.start - 1 : unit.end])))
        for node in unit.nodes:
            unit.defines |= {name.encode() for name in _bound(node, b"global" in unit.words)}
    return units


def _holding(data: bytes, lines: list[bytes], units: list[_Unit], needles: tuple[bytes, ...]) -> set[int]:
    """The units whose text holds a needle (the codemod's own test), found
    in one pass over the file; and one over it in lowercase when it holds
    capitals (host names are case-insensitive: `Platform.SegmentAPIs.com` is
    the Config host; a unit kept for another needle so costs only time)."""
    if not needles:
        return set()
    search = _SEARCHES.get(needles)
    if search is None:
        search = _SEARCHES[needles] = AnyOf(needles).find
    line_starts = list(accumulate((len(line) for line in lines), initial=0))
    unit_starts = [unit.start for unit in units]
    found: set[int] = set()
    lowered = data.lower()  # ASCII only: the offsets stay
    hits = search(data) if lowered == data else [*search(data), *search(lowered)]
    for _, offset, _ in hits:
        line = bisect_right(line_starts, offset)
        i = bisect_right(unit_starts, line) - 1
        if i >= 0 and units[i].end >= line:
            found.add(i)
    return found


_SEARCHES: dict[tuple[bytes, ...], Callable[[bytes], list[tuple[int, int, int]]]] = {}


def _closure(units: list[_Unit], seeds: set[int]) -> set[int]:
    """Imports, the statements in `seeds`, and what a name links to them."""
    definers: dict[bytes, list[int]] = {}
    users: dict[bytes, list[int]] = {}
    todo: list[int] = list(seeds)
    for i, unit in enumerate(units):
        for word in unit.defines:
            definers.setdefault(word, []).append(i)
        for word in unit.words:
            users.setdefault(word, []).append(i)
        if all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in unit.nodes) or any(map(_says_who_reads, unit.nodes)):
            todo.append(i)
    keep: set[int] = set()
    while todo:
        i = todo.pop()
        if i in keep:
            continue
        keep.add(i)
        unit = units[i]
        for word in unit.words:
            todo.extend(definers.get(word, ()))
        for word in unit.defines:
            todo.extend(users.get(word, ()))
    return keep


def _says_who_reads(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (a script: no module imports its
    constants) and `__all__ = [...]` (what other modules may import): the
    codemod decides on a file's constants by them."""
    if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
        left = node.test.left
        return isinstance(left, ast.Name) and left.id == "__name__"
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
        node, (ast.AnnAssign, ast.AugAssign)) else []
    return any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets)


def _assemble(lines: list[bytes], units: list[_Unit]) -> Slice:
    out: list[bytes] = []
    numbers: list[int] = []
    # An encoding declaration on line 1 or 2 must stay on line 1 or 2.
    for number in (1, 2):
        if number <= len(lines) and lines[number - 1].lstrip().startswith(b"#"):
            out.append(lines[number - 1])
            numbers.append(number)
        else:
            break
    for unit in units:
        above = unit.start - 1
        # A suppression comment alone on the line above a statement covers
        # it (`suppress.python_suppressions`): that line stays such a comment
        # or is left empty (a comment after code covers only its own line).
        if above >= 1 and (not numbers or numbers[-1] < above):
            text = lines[above - 1]
            comment = text.lstrip(b" \t") if text.lstrip(b" \t").startswith(b"#") else b""
            # a lone `\r` ends the lines of an old Mac file: `\n` after the one before would join them (`\r\n`)
            lone = text.endswith(b"\r") or not comment and bool(out) and out[-1].endswith(b"\r")
            out.append(comment.rstrip(b"\r\n") + (b"\r" if lone else b"\n"))
            numbers.append(above)
        for number in range(max(unit.start, numbers[-1] + 1 if numbers else 1), unit.end + 1):
            line = lines[number - 1]
            out.append(line if line.endswith((b"\n", b"\r")) else line + b"\n")
            numbers.append(number)
    return Slice(b"".join(out), tuple(numbers))


def _bound(node: ast.stmt, has_global: bool) -> set[str]:
    """Names a top-level statement binds in the module: a function's or
    class's own name (a class's members too, and attributes stored anywhere
    in it, since `obj.member` may reach them), assignment and loop targets,
    imports; names a function declares `global`."""
    names: set[str] = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        names.add(node.name)
    elif isinstance(node, ast.ClassDef):
        names.add(node.name)
        for statement in node.body:
            _module_bindings(statement, names)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store):
                names.add(inner.attr)
    else:
        _module_bindings(node, names)
    if has_global:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Global):
                names.update(inner.names)
    return names


def _module_bindings(node: ast.AST, names: set[str]) -> None:
    """Names a statement binds in the scope it runs in (the bodies of defs
    and classes inside it are other scopes: only their names count)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(current.name)
            continue
        if isinstance(current, ast.Lambda):
            continue
        if isinstance(current, ast.Name) and isinstance(current.ctx, ast.Store):
            names.add(current.id)
        elif isinstance(current, ast.alias):
            names.add((current.asname or current.name).split(".")[0])
        elif isinstance(current, ast.ExceptHandler) and current.name:
            names.add(current.name)
        elif isinstance(current, (ast.MatchAs, ast.MatchStar)) and current.name:
            names.add(current.name)
        elif isinstance(current, ast.MatchMapping) and current.rest:
            names.add(current.rest)
        stack.extend(ast.iter_child_nodes(current))
