"""Base URL constants that one module of a run defines and others import.

`settings.py` holds `API = "https://platform.segmentapis.com/v1beta"`;
`client.py` does `from settings import API` and joins its paths to it. The
codemod reads one file at a time: alone, `settings.py` holds a base it does
not use and `client.py` paths joined to a base it does not show, and both
are marked. The driver (`shared_plan`) finds such pairs and gives each file
what it needs to decide as if the base were its own:

- an importer gets the constant's value (`SharedBases.imported`): the
  codemod reads the file with `API = "<value>"` appended (the *tail*), so
  every kind treats the name as a module constant of the file, and reports
  what became of that copy (`Outcome.imported`: its new value, or None when
  it stayed on the Config API with a path joined to it);
- an importer of a constant held back is given its copy too, and told it
  stays (`kept_imports`): its paths joined to it stay, saying why, and a
  path of its own that cannot move is marked for its own reason;
- the defining module is told which of its constants every importer
  migrates together with it (`exported`: its own edit of the literal
  stands) and which one some importer keeps on the Config API (`held`: it
  stays, with its own paths, and is marked saying why).

The tail never reaches the output: its edits and markers are read back and
dropped.

A module imported whole (`from app import settings`, `import app.settings
[as s]`) whose constant is read as an attribute (`settings.API`) is read
the same way: each read is given to the codemod as one name of the same
length (`settings_API`, the dots made underscores), whose copy is the tail's
(`stand_ins`); the name is turned back into the read in all it reports.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar


@dataclass(frozen=True)
class Outside:
    """The module a file imports a base URL name from, when no module of the
    run shares it (`shared_plan.outside_bases`): where the base comes from."""

    path: str | None
    """The module's file, as seen from the importer's folder; None: no file
    of the run nor on disk is that module."""
    line: int | None
    """The line of its Config base URL constant, which a run holding both
    files moves with the importer's paths (the module is not in this run);
    None: it holds no such constant (`SEGMENT_API = os.environ[...]`)."""
    maybe: str | None = None
    """When no file is that module (`path` None): a module of the run that
    bears its name, found from no root the run knows (`sys.path` set in
    code), as seen from the importer's folder; it holds its base back."""
    via: str | None = None
    """When the module holds no such constant but re-exports the name
    (`from .settings import BASE` in a package's `__init__.py`): the module
    that defines it as a Config base URL constant, as seen from the
    importer's folder."""


@dataclass(frozen=True)
class SharedBases:
    """What one file needs to know about base constants shared across modules."""

    imported: Mapping[str, str] = field(default_factory=dict)
    """Local name → value of a base constant another module of the run defines."""
    exported: frozenset[str] = frozenset()
    """This module's base constants the importers in the run migrate with it."""
    held: Mapping[str, str] = field(default_factory=dict)
    """This module's base constants that stay on the Config API → why (the
    marker's reason: an importer keeps a path joined to it, or reaches it
    in a way not followed)."""
    kept_imports: Mapping[str, str] = field(default_factory=dict)
    """Local name → the module defining it (as seen from this file), for
    imported constants held there: their copy is appended like the others,
    and stays, with every path joined to it here (whose markers say so)."""
    imported_code: Mapping[str, str] = field(default_factory=dict)
    """Local name → the expression of a host-less Config path constant
    another module of the run defines (`f"workspaces/{WORKSPACE}/sources"`),
    appended like the base constants."""
    imported_numbers: Mapping[str, int] = field(default_factory=dict)
    """Local name → value of an integer constant another module of the run
    defines (`PAGE_SIZE = 500`), appended so a page size held in it is
    checked as in one file; the codemod only reads it."""
    kept_suppressed: Mapping[str, str] = field(default_factory=dict)
    """Of `kept_imports`, those whose marker a suppression keeps from being
    written where they are defined → that suppression and where it is
    (`` `migrator: ignore` at settings.py:1 ``), which their paths' markers name."""
    outside: Mapping[str, Outside] = field(default_factory=dict)
    """Local name → where a base URL it imports comes from, when no module of
    the run shares it (its paths' markers say so)."""
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Local name → the read it stands for, of a constant of `imported` (or
    `imported_code`) that this file reads off its module imported whole
    (`settings_API` → `settings.API`): each such read is given to the codemod
    as that name, of the same length (`stand_ins`), and written back."""
    subclasses: tuple[str, ...] = ()
    """Copies of the subclasses other modules of the run derive from this
    module's classes, with what they assign to the attributes it moves
    (`subclass_stubs`), appended like the constants: only read."""
    superclasses: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Attribute → (the class, the module defining it, as seen from this
    file) of another module of the run that keeps its own value of it on the
    Config API, a subclass of this file assigning it too: its marker says so."""
    readers: Mapping[str, str] = field(default_factory=dict)
    """Attribute another module of the run reads → where (`path:line`, as
    seen from this file; `driver._hold_read_attributes`): its marker says so."""

    blocked: Mapping[str, str] = field(default_factory=dict)
    """How this file names base constants of other modules of the run that it
    reaches in a way not followed (`settings.API`, `API`), which hold them
    on the Config API → the module defining each (as seen from this file):
    a literal pinning one stays with it (`pins.held_pin`)."""

    unimported: frozenset[str] = frozenset()
    """This module's base constants that no module of the run imports or
    reads (a driver run looked for them): an unused one's marker says so."""
    patched: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    """Patch target (`app.settings.BASE`) → (value before, value after, where)
    of the base constants other modules of the run moved, that this file may
    patch (`patched_bases`)."""

    def __bool__(self) -> bool:
        return bool(self.imported or self.imported_code or self.imported_numbers or self.exported or self.held
                    or self.outside or self.subclasses or self.superclasses or self.readers or self.unimported
                    or self.blocked or self.patched)


@dataclass(frozen=True)
class Tail:
    """The imported constants appended to the file's text."""

    text: str
    lines: tuple[tuple[str, str, int, int], ...]
    """Name, value, start and end offsets in `text` of each assignment."""
    start: int = 0
    """Offset of `text` in the text the codemod reads."""

    def holds(self, offset: int) -> bool:
        return offset >= self.start

    def name_at(self, offset: int) -> str | None:
        inside = offset - self.start
        return next((name for name, _, start, end in self.lines if start <= inside < end), None)


def literal(value: str) -> str | None:
    """`value` as a plain double-quoted literal, if it can be one simply."""
    if any(c in value for c in '"\\\r\n') or not value.isascii():
        return None
    return f'"{value}"'


def build_tail(imported: Mapping[str, str], newline: str, code: Mapping[str, str] | None = None,
               numbers: Mapping[str, int] | None = None, classes: Sequence[str] = ()) -> Tail | None:
    """One `NAME = "value"` line per imported constant (`NAME = <code>` for
    the path constants given as code, `NAME = 500` for the integer ones,
    which are only read: they are left out of `lines`, as are the copies of
    subclasses, `classes`), to append to the file's text."""
    parts = [newline]
    lines: list[tuple[str, str, int, int]] = []
    offset = len(newline)
    given = {name: literal(value) for name, value in imported.items()}
    given.update(code or {})
    for name, shown in sorted(given.items()):
        value = imported.get(name, shown or "")
        if shown is None or not name.isidentifier() or "\n" in shown or "\r" in shown:
            continue
        line = f"{name} = {shown}{newline}"
        lines.append((name, value, offset, offset + len(line)))
        parts.append(line)
        offset += len(line)
    parts.extend(f"{name} = {value}{newline}" for name, value in sorted((numbers or {}).items()) if name.isidentifier())
    parts.extend(stub.replace("\n", newline) for stub in classes)
    return Tail("".join(parts), tuple(lines)) if len(parts) > 1 else None


def read_tail(tail: Tail, edits: list[tuple[int, int, str]], kept: set[str]) -> dict[str, str | None]:
    """What each imported constant became: its new value when the codemod
    migrated it, None when it is as it was or `kept` (marked, held back)."""
    text = tail.text
    for start, end, new in sorted(edits, reverse=True):
        text = text[: start - tail.start] + new + text[end - tail.start :]

    def values(source: str) -> dict[str, str]:
        try:
            return {name: value for name, value, _ in string_constants(ast.parse(source))}
        except SyntaxError:
            return {}

    before, after = values(tail.text), values(text)
    return {
        name: None if name in kept or after.get(name) in (None, before.get(name)) else after[name]
        for name, _, _, _ in tail.lines
    }


def exported_values(data: bytes, code: bytes, shared: SharedBases) -> dict[str, str | None]:
    """The new value of each of the module's shared constants in `code`
    (None: as in `data`)."""
    names = set(shared.exported) | set(shared.held)

    def values(text: bytes) -> dict[str, str]:
        try:
            return {n: v for n, v, _ in string_constants(ast.parse(text)) if n in names}
        except (SyntaxError, ValueError):
            return {}

    before, after = values(data), values(code)
    return {n: after.get(n) if after.get(n) != before.get(n) else None for n in sorted(names)}


def string_constants(tree: ast.Module) -> Iterator[tuple[str, str, int]]:
    """Each module-level `NAME = "text"` (or `NAME: T = "text"`): the name,
    the text and the line."""
    for name, value, line in module_constants(tree):
        if isinstance(value, str):
            yield name, value, line


def module_constants(tree: ast.Module) -> Iterator[tuple[str, object, int]]:
    """Each module-level `NAME = <literal>` (or `NAME: T = <literal>`): the
    name, the value and the line."""
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign):
            target = statement.target
        else:
            continue
        value = statement.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Constant):
            yield target.id, value.value, statement.lineno


def stand_in(read: str) -> str:
    """The name a read off a module (`settings.API`) is given to the codemod as."""
    return read.replace(".", "_")


def attribute_reads(tree: ast.Module, data: bytes, read: str) -> list[tuple[int, int]] | None:
    """The byte spans of the reads `read` (`settings.API`, off a chain of
    names) in `data`; None when one is not a plain load written as `read`
    (spaces, parentheses, a line break inside: no stand-in can take its
    place), or assigned, or deleted."""
    starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
    written = read.encode()
    spans: list[tuple[int, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or dotted(node) != read:
            continue
        if not isinstance(node.ctx, ast.Load) or node.end_lineno is None or node.end_col_offset is None:
            return None
        start = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        if data[start:end] != written:
            return None
        spans.append((start, end))
    return sorted(spans)


def dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of attributes off a name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


def stand_ins(data: bytes, attributes: Mapping[str, str]) -> bytes:
    """`data` with each read of `attributes` (stand-in → read) written as its stand-in."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return data
    out = bytearray(data)
    for name, read in attributes.items():
        for start, end in attribute_reads(tree, data, read) or ():
            out[start:end] = name.encode()
    return bytes(out)


AnyStr = TypeVar("AnyStr", str, bytes)


def reads_back(text: AnyStr, attributes: Mapping[str, str]) -> AnyStr:
    """`text` (the code, or what is said of it) with each stand-in of
    `attributes` turned back into its read."""
    for name, read in attributes.items():
        if isinstance(text, bytes):
            text = re.sub(rb"\b" + re.escape(name.encode()) + rb"\b", read.encode(), text)
        else:
            text = re.sub(r"\b" + re.escape(name) + r"\b", read, text)
    return text


def held_reason(name: str, where: str | None, what: str = "base URL") -> str:
    """Why an owner's constant stays on the Config API: an importer keeps it."""
    if where is None:
        return (f"Config API {what} `{name}`: it stays on the Config API, and so do the paths the modules of "
                "this run that import it join to it; migrate them together, by hand")
    if what != "base URL":  # a path: an importer may use it whole (return it, compare it) as well as join to it
        return (f"Config API {what} `{name}`: {where} imports it and uses it in a way that stays on the Config API, "
                "so it stays on it too; migrate them together, by hand")
    return (f"Config API {what} `{name}`: {where} imports it and joins a path to it that stays on the Config "
            "API, so it stays on it too, with the paths joined to it here; migrate them together, by hand")


def stub_reason(name: str, other: str, stub: bool, what: str = "base URL") -> str:
    """Why a constant stays with the one of its `.pyi` stub, or of the module
    the stub describes (`other`): they hold one value, which moves or not."""
    if stub:
        return (f"Config API {what} `{name}`: this stub describes {other}, whose `{name}` stays on the Config API "
                "(its marker says why), so it stays too; migrate them together, by hand")
    return (f"Config API {what} `{name}`: its stub {other} keeps it on the Config API (its marker says why), "
            "so it stays too, with the paths joined to it here; migrate them together, by hand")


UNPLACED = "which this run cannot place"
"""In `blocked` (see `unplaced_reason`): `blocked_reason` then says why as it is."""


def unplaced_reason(where: str, written: str) -> str:
    """`blocked` for a file whose import may name the owner's module but is
    found from no root the run knows (`shared_plan._unplaced`)."""
    return f"{where} imports `{written}`, {UNPLACED}"


def blocked_reason(name: str, where: str, what: str = "base URL") -> str:
    """Why an owner's constant stays: a module reaches it in a way not followed."""
    if UNPLACED in where:
        return (f"Config API {what} `{name}`: {where} (it is found from no folder the run's layout gives: a "
                "`sys.path` set in code, an installed package), and it may be this module: it stays on the Config "
                "API, with the paths joined to it here; migrate them together, by hand")
    return (f"Config API {what} `{name}`: {where} reaches it in a way this rewrite does not follow (`*`, an "
            "import inside a function or under `try:`/`if`, a re-export, a read off its module other than a plain "
            "`module.NAME` "
            "under a name bound to nothing else, two names for it in one file): it stays on the Config API, "
            "with the paths joined to it here; migrate them together, by hand")
