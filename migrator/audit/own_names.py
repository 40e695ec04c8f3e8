"""A Python file's own names, which precise mode does not report as Config
fields where the codemod neither changes nor marks the line: attributes of
the file's own classes (`self.display_name`, `Address.display_name` of a
property it defines), names of parameters and keyword arguments of its own
functions (`infer(choice, source_name=None)`), attributes it assigns on
`self` (`self.finish_time = time.perf_counter()`). Reads of a value's keys
(`s["display_name"]`, `s.get("display_name")`) are never its own.

And a pattern row found only with what it `requires` in the same function
(`PatternRow.in_function`): `"Basic " + creds` in the function that posts to
`/access-tokens` mints a token; a `Basic` header helper elsewhere does not."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from migrator.audit.model import Finding
from migrator.audit.table import Catalog

Place = tuple[int, int]
"""(1-based line, 1-based column in characters)."""

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def without_own_names(
    findings: list[Finding], text: str, covered: set[int], catalog: Catalog,
) -> list[Finding]:
    """`findings` of a Python file read precisely, without the text
    scanner's field names that are the file's own names, nor the matches of
    an `in_function` pattern row in a function lacking what the row
    requires; only on lines not in `covered` (what the codemod changes or
    marks, and the statements marker comments point at)."""
    scoped = {p.rule: p.requires for p in catalog.patterns if p.in_function}
    open_ = [f for f in findings if f.line not in covered and f.fix == "manual"
             and (f.kind == "field" or f.kind == "pattern" and f.rule in scoped)]
    if not open_:
        return findings
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):  # the codemod read it; `ast` of this Python may not: all stand
        return findings
    rows = _BREAK.split(text)  # as `ast` counts lines
    own = _own_places(tree, rows) if any(f.kind == "field" for f in open_) else set()
    functions = [node for node in ast.walk(tree) if isinstance(node, _FUNCTIONS)]
    dropped = set()
    for f in open_:
        if f.kind == "field" and (f.line, f.column) in own:
            dropped.add(id(f))
        elif f.kind == "pattern" and not _required_in_function(f.line, functions, rows, scoped[f.rule]):
            dropped.add(id(f))
    return [f for f in findings if id(f) not in dropped]


def _required_in_function(line: int, functions: list[ast.AST], rows: list[str], requires: Iterable[str]) -> bool:
    """The innermost function holding `line` holds one of `requires` (at
    module level: the file does, as the row needs)."""
    inner = None
    for node in functions:
        start, end = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        if start <= line <= end and (inner is None or start >= inner[0]):
            inner = (start, end)
    if inner is None:
        return True
    body = "\n".join(rows[inner[0] - 1 : inner[1]])
    return any(r in body for r in requires)


def _own_places(tree: ast.AST, rows: list[str]) -> set[Place]:
    """Where the file's own names are (see the module's docstring)."""
    attributes: set[str] = set()
    """Methods and properties of its classes, their plain class attributes
    (not annotated ones: a dataclass's or model's fields may be a response's
    keys), and attributes assigned on `self`."""
    parameters: dict[str, set[str]] = {}
    """Its functions' (and classes', by `__init__`) names → their parameter names."""
    places: set[Place] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, _FUNCTIONS):
                    attributes.add(item.name)
                    attributes.update(_self_attributes(item))
                    if item.name == "__init__":
                        parameters.setdefault(node.name, set()).update(_parameters(item))
                elif isinstance(item, ast.Assign):
                    attributes.update(t.id for t in item.targets if isinstance(t, ast.Name))
        if isinstance(node, _FUNCTIONS):
            parameters.setdefault(node.name, set()).update(_parameters(node))
            for arg in _arguments(node):
                places.add(_place(rows, arg.lineno, arg.col_offset))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in attributes and node.end_lineno is not None:
            end = node.end_col_offset or 0
            places.add(_place(rows, node.end_lineno, end - len(node.attr.encode())))
        elif isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else None
            names = parameters.get(called or "", set())
            places.update(_place(rows, k.lineno, k.col_offset) for k in node.keywords
                          if k.arg is not None and k.arg in names)
    return places


def _arguments(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    a = function.args
    rest = [x for x in (a.vararg, a.kwarg) if x is not None]
    return [*a.posonlyargs, *a.args, *a.kwonlyargs, *rest]


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names it can be given by keyword."""
    a = function.args
    return {x.arg for x in (*a.args, *a.kwonlyargs)}


def _self_attributes(method: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The attributes `method` assigns on its first parameter (`self.finish_time = ...`)."""
    if not method.args.args:
        return set()
    me = method.args.args[0].arg
    out = set()
    for node in ast.walk(method):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in _unpacked(target)]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        out.update(t.attr for t in targets
                   if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == me)
    return out


def _unpacked(target: ast.expr) -> list[ast.expr]:
    """The targets of `a, self.b = ...`."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return [t for element in target.elts for t in _unpacked(element)]
    if isinstance(target, ast.Starred):
        return _unpacked(target.value)
    return [target]


_BREAK = re.compile(r"\r\n?|\n")


def _place(rows: list[str], line: int, byte_column: int) -> Place:
    """`ast`'s (line, 0-based UTF-8 byte column) as the audit's (line, 1-based character column)."""
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    return line, len(row.encode()[:byte_column].decode("utf-8", "ignore")) + 1
