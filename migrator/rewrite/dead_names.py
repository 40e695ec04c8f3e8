"""Names the rewrite leaves unread (`engine` runs `remove` once every kind is done).

A migrated request body or response read may drop the last read of a
function's local variable (`name = "workspaces/acme/sources/web/destinations/ga"`
read only in the Config body `f"{name}/config/trackingId"`): the assignment
is then a Config resource name nothing reads, which `migrator audit` still
reports. Its lines are removed when that is provably safe:

- the name is local to a function (never module or class level: other
  modules may import it), not `global`/`nonlocal`, bound once there by a
  plain `name = <value>` alone on its line(s), and mentioned nowhere else in
  the function (nested functions, lambdas, comprehensions and classes
  included), which calls no `locals()`/`vars()`/`eval`/`exec`;
- the value only reads: a string, an f-string or a `+` of strings,
  f-strings and plain names, whose text is a Config resource name or path
  of the table;
- it was read before the rewrite and is not after it (code that was dead
  already is not the rewrite's to remove).

Removing one may leave another unread (the base of a removed name): the
step repeats until nothing more goes.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from dataclasses import dataclass

from migrator.rewrite.context import FileContext, Recorded
from migrator.rewrite.edits import Edit, apply
from migrator.rewrite.source import NEWLINE
from migrator.rewrite.strings import hole_char
from migrator.rewrite.table import table_for

NOTE = "line {line} (as read): `{code}` is removed: `{name}` was read only by code this rewrite changed, nothing reads it now"
_DYNAMIC = frozenset({"locals", "vars", "dir", "eval", "exec"})
"""Names through which a function may read its locals without naming them."""
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (*_FUNCTIONS, ast.Lambda, ast.ClassDef, ast.Module)


@dataclass(frozen=True)
class _Local:
    """A function-local name bound once by a plain assignment that only reads."""

    name: str
    statement: tuple[int, int]
    """Text span of the assignment statement."""
    lines: tuple[int, int]
    """Text span of its whole lines, newline included."""
    reads: tuple[tuple[int, int], ...]
    """Text spans of the reads of the name in the function."""


def remove(ctx: FileContext) -> None:
    """Remove the assignments of Config names that the edits taken left unread."""
    if not any(e.start < e.end for e in ctx.edits):
        return  # a read goes only with text an edit replaces
    text = ctx.src.text
    try:
        before = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    pool = [c for c in _locals(ctx, before, text) if c.reads]
    while pool:
        ready = [c for c in pool if _removable(ctx, c)]
        after = _assignments(apply(text, list(ctx.edits))) if ready else None
        if after is None:
            return
        dead = [c for c in ready if _unread_now(ctx, c, after)]
        if not dead:
            return
        for local in dead:
            _drop(ctx, local)
        pool = [c for c in pool if c not in dead]


def _assignments(text: str) -> dict[int, tuple[ast.Assign, dict[ast.AST, ast.AST]]] | None:
    """The assignments of `text` by offset, with the parents of its nodes."""
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    parents = _parents(module)
    starts = _Offsets(text)
    return {starts.span(n)[0]: (n, parents) for n in ast.walk(module) if isinstance(n, ast.Assign)}


# -- reading a function ----------------------------------------------------------


def _locals(ctx: FileContext, module: ast.Module, text: str) -> list[_Local]:
    """The eligible locals of every function of `module` (see the module doc)
    holding text an edit replaced (a local is removable only then)."""
    starts = _Offsets(text)
    edited = [(e.start, e.end) for e in ctx.edits if e.start < e.end]
    found: list[_Local] = []
    for function in ast.walk(module):
        if not isinstance(function, _FUNCTIONS):
            continue
        first, last = starts.span(function)
        if not any(first <= start and end <= last for start, end in edited):
            continue
        parents = _parents(function)  # enough: a local's scope and block are inside its function
        known: dict[str, str | None] = {}  # the text of the names bound once, as they come
        for name, assign, reads in sorted(_bound_once(function, parents), key=lambda b: starts.span(b[1])):
            known[name] = _text(assign.value, known)
            if not _config_name(ctx, known[name]):
                continue
            lines = _whole_lines(text, starts, assign, parents)
            if lines is None:
                continue
            found.append(_Local(name, starts.span(assign), lines, tuple(starts.span(r) for r in reads)))
    return found


def _bound_once(
    function: ast.FunctionDef | ast.AsyncFunctionDef, parents: dict[ast.AST, ast.AST]
) -> list[tuple[str, ast.Assign, list[ast.Name]]]:
    """Names the function binds once, by `name = value` in its own scope,
    and mentions otherwise only as reads: with the assignment and the reads."""
    stores: dict[str, list[ast.Name]] = {}
    reads: dict[str, list[ast.Name]] = {}
    other: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            if node.id in _DYNAMIC:
                return []
            if isinstance(node.ctx, ast.Load):
                reads.setdefault(node.id, []).append(node)
            elif isinstance(node.ctx, ast.Store):
                stores.setdefault(node.id, []).append(node)
            else:
                other.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr == "f_locals":
            return []
        else:
            other.update(_other_bindings(node, function))
    found = []
    for name, stored in stores.items():
        if name in other or len(stored) != 1:
            continue
        assign = parents.get(stored[0])
        if (
            isinstance(assign, ast.Assign)
            and assign.targets == [stored[0]]
            and _scope(assign, parents) is function
            and _only_reads(assign.value)
        ):
            found.append((name, assign, reads.get(name, [])))
    return found


def _other_bindings(node: ast.AST, function: ast.AST) -> list[str]:
    """Names `node` binds or declares other than by a plain name target."""
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, ast.alias):
        return [node.asname or node.name.split(".")[0]]
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef)) and node is not function:
        return [node.name]
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest:
        return [node.rest]
    return []


def _scope(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    current = parents.get(node)
    while current is not None and not isinstance(current, _SCOPES):
        current = parents.get(current)
    return current


def _only_reads(value: ast.expr) -> bool:
    """A string, an f-string of plain names, or a `+` of those and names."""
    if isinstance(value, ast.BinOp):
        return isinstance(value.op, ast.Add) and all(
            isinstance(side, ast.Name) or _only_reads(side) for side in (value.left, value.right)
        )
    if isinstance(value, ast.JoinedStr):
        return all(
            isinstance(part, ast.Constant)
            or (
                isinstance(part, ast.FormattedValue)
                and isinstance(part.value, ast.Name)
                and part.conversion == -1
                and part.format_spec is None
            )
            for part in value.values
        )
    return isinstance(value, ast.Constant) and isinstance(value.value, str)


def _config_name(ctx: FileContext, text: str | None) -> bool:
    """`text` is a Config resource name of the table, or a Config path."""
    if text is None:
        return False
    rules = ctx.rules
    if any(template.match(text) is not None for template, _ in rules.named_resources):
        return True
    for host in rules.config_hosts:
        for scheme in ("https://", "http://"):
            if text.startswith(scheme + host):
                text = text[len(scheme + host) :]
    table = table_for(rules)
    path = text.removeprefix("/").removeprefix(table.version + "/").split("?", 1)[0]
    return bool(table.match(path))


def _text(value: ast.expr, known: dict[str, str | None]) -> str | None:
    """The text of a value that only reads: a name is the text of the local
    bound once to it before (`known`), or else one segment filled in at run time."""
    if isinstance(value, ast.Constant):
        return value.value if isinstance(value.value, str) else None
    if isinstance(value, ast.Name):
        return known.get(value.id) or hole_char(0)
    if isinstance(value, ast.FormattedValue):
        return _text(value.value, known)
    if isinstance(value, ast.JoinedStr):
        parts = [_text(part, known) for part in value.values]
        return None if None in parts else "".join(parts)  # type: ignore[arg-type]
    if isinstance(value, ast.BinOp):
        left, right = _text(value.left, known), _text(value.right, known)
        return None if left is None or right is None else left + right
    return None


def _whole_lines(
    text: str, starts: _Offsets, assign: ast.Assign, parents: dict[ast.AST, ast.AST]
) -> tuple[int, int] | None:
    """The span of the assignment's lines, when it is alone on them, its block
    keeps a statement without it (and no string becomes a docstring), and no
    comment above it speaks to it (a marker, a suppression)."""
    start, end = starts.span(assign)
    first = starts.line_start(start)
    if text[first:start].strip(" \t"):
        return None
    rest = starts.line_end(end)
    tail = text[end:rest].strip(" \t\r\n")
    if tail and not tail.startswith("#"):
        return None
    above = starts.line_above(first)
    if above.lstrip().startswith("#") and "migrator" in above:
        return None
    block = _block(assign, parents)
    if block is None or len(block) < 2:
        return None
    if block[0] is assign and isinstance(block[1], ast.Expr) and isinstance(block[1].value, ast.Constant):
        return None
    return first, rest


def _block(statement: ast.stmt, parents: dict[ast.AST, ast.AST]) -> list[ast.stmt] | None:
    parent = parents.get(statement)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is statement for s in block):
            return block
    return None


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


class _Offsets:
    """Text offsets of `ast` positions (lines as Python counts them, columns in UTF-8 bytes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in NEWLINE.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return start + len(self.text[start:end].encode("utf-8")[:column].decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            self.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )

    def line_start(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1]

    def line_end(self, offset: int) -> int:
        """The start of the line after the one holding `offset` (or the end of the text)."""
        line = bisect_right(self.starts, offset)
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def line_above(self, start: int) -> str:
        """The text of the line before the one starting at `start`."""
        line = bisect_right(self.starts, start) - 1
        return self.text[self.starts[line - 1] : start] if line >= 1 else ""


# -- after the edits -------------------------------------------------------------


def _removable(ctx: FileContext, local: _Local) -> bool:
    """Its lines are untouched by the edits taken, and every read of it is
    inside text an edit replaced."""
    if ctx.edits.overlaps(Edit(local.lines[0], local.lines[1], "")):
        return False
    if any(local.lines[0] <= at < local.lines[1] for m in ctx.markers for at in (m.offset, m.statement)):
        return False
    return all(_edited_read(ctx, local, read) is not None for read in local.reads)


def _edited_read(ctx: FileContext, local: _Local, read: tuple[int, int] | None = None) -> str | None:
    """The rule of the change that replaced `read` (the first read when none is given)."""
    start, end = read or local.reads[0]
    if not any(e.start < e.end and e.start <= start and end <= e.end for e in ctx.edits):
        return None
    rules = [c.rule for c in ctx.changes if c.start <= start and end <= c.end]
    return rules[0] if rules else None


def _unread_now(
    ctx: FileContext, local: _Local, after: dict[int, tuple[ast.Assign, dict[ast.AST, ast.AST]]]
) -> bool:
    """In the text with the edits in, the same assignment is still the only
    binding of the name in its function, and nothing reads it."""
    shift = sum(len(e.text) - (e.end - e.start) for e in ctx.edits if e.end <= local.statement[0])
    found = after.get(local.statement[0] + shift)
    if found is None:
        return False
    node, parents = found
    function = _scope(node, parents)
    return isinstance(function, _FUNCTIONS) and any(
        name == local.name and assign is node and not reads for name, assign, reads in _bound_once(function, parents)
    )


def _drop(ctx: FileContext, local: _Local) -> None:
    rule = _edited_read(ctx, local)
    assert rule is not None
    start, end = local.statement
    code = ctx.src.text[start:end]
    ctx.edits.append(Edit(local.lines[0], local.lines[1], ""))
    ctx.changes.append(Recorded(rule, start, end, code, ""))
    # the line as read: in the file written, it is gone (and marker comments may shift the lines)
    ctx.note(NOTE.format(line=ctx.src.position(start)[0], code=" ".join(code.split()), name=local.name))
