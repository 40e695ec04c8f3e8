"""Reads of a class's own attribute, which are no reads of another module's.

`b.py` does `import a` and has `class Other: def __init__(self, base_url):
self.base_url = base_url`, then `self.base_url.rstrip("/") + path`. Its
`self.base_url` is `Other`'s own attribute, not `a`'s `base_url`: the
driver's search for other modules reading an attribute a module moved
(`driver._hold_read_attributes`) leaves such reads out. A read counts as the
class's own when its receiver is the first parameter of a method of a class
that assigns that attribute itself (`subclass_stubs.assigned`) and derives
from no class of the module (`Hierarchy.derives_within`: every class it
derives from is found, none of that module). Read with `ast`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from migrator.rewrite.subclass_stubs import assigned

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def blank_own_reads(data: bytes, classes: list[ast.ClassDef], attribute: str,
                    own: Callable[[ast.ClassDef], bool]) -> bytes:
    """`data` with each `self.<attribute>` of a method of one of its class
    statements `classes` (parsed from `data`) that assigns `attribute` and
    for which `own` holds blanked out (spaces: lines and offsets stay)."""
    text = bytearray(data)
    starts = _line_starts(data)
    bases = {b.id for k in classes for b in k.bases if isinstance(b, ast.Name)}
    for klass in classes:
        if attribute not in assigned(klass) or not own(klass):
            continue
        if klass.name in bases or not _set_in_init(klass, attribute):
            continue  # a mixin the client may be combined with, or set only at times: the client's may show through
        for node in _reads(klass, attribute):
            start = starts[node.lineno - 1] + node.col_offset
            end = starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]
            if bytes(text[start:end]).endswith(attribute.encode()):  # else offsets of another encoding: kept
                text[start:end] = bytes(b if b in b"\r\n" else 32 for b in text[start:end])
    return bytes(text)


def _set_in_init(klass: ast.ClassDef, attribute: str) -> bool:
    """`__init__` sets `self.<attribute>` whatever happens (a statement of its
    own body, not under an `if`, a loop or a `try`)."""
    for method in klass.body:
        if isinstance(method, ast.FunctionDef) and method.name == "__init__" and method.args.args:
            me = method.args.args[0].arg
            return any(
                isinstance(statement, (ast.Assign, ast.AnnAssign)) and any(
                    isinstance(t, ast.Attribute) and t.attr == attribute and isinstance(t.value, ast.Name)
                    and t.value.id == me
                    for t in (statement.targets if isinstance(statement, ast.Assign) else [statement.target])
                )
                for statement in method.body
            )
    return False


def _reads(klass: ast.ClassDef, attribute: str) -> Iterator[ast.Attribute]:
    """`self.<attribute>` in the class's own methods (`self` their first
    parameter, while no inner function or class binds that name anew)."""
    for method in klass.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in method.decorator_list):
            continue
        args = method.args.posonlyargs + method.args.args
        if args:
            yield from _within(method.body, args[0].arg, attribute)


def _within(nodes: list[ast.stmt], me: str, attribute: str) -> Iterator[ast.Attribute]:
    todo: list[ast.AST] = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.ClassDef):
            continue  # its methods' `self` is another class's
        if isinstance(node, _SCOPES) and me in _parameters(node.args):
            continue
        if isinstance(node, ast.Attribute) and node.attr == attribute \
                and isinstance(node.value, ast.Name) and node.value.id == me:
            yield node
        todo.extend(ast.iter_child_nodes(node))


def _parameters(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def _line_starts(data: bytes) -> list[int]:
    """The offset each line of `data` starts at (as `ast` counts lines)."""
    starts, offset = [0], 0
    for line in data.splitlines(keepends=True):
        offset += len(line)
        starts.append(offset)
    return starts
