"""Which base URL constants the Python modules of a run share.

An *owner* is a module-level `API = "https://platform.segmentapis.com/…"`
(a public name bound once, a plain string): other modules may import it. An
*importer* is a file of the run that binds it with a module-level
`from <owner> import API [as X]`, or reads it off the module imported whole
at module level (`from app import settings`, `import app.settings [as s]`)
as `settings.API`, the module's name bound to nothing else in the file: the
codemod reads it with a copy of the constant (`shared_bases`). Any other way
a file of the run may reach the constant (`from settings import *`, an
import inside a function or under `try:`/`if`, a re-export through another
module (a package's `__init__.py` read as `pkg.API` too), a read off a
name that may not be the module, a file that does not parse) *blocks* it:
nothing follows that use, so the constant stays on the Config API (the
blocking files are told, `Owner.blockers`: a literal pinning it stays). Read
with `ast` from the text alone; nothing is imported.

Integer constants imported the same way (`PAGE_SIZE = 500`) are only read,
never moved: their importers get their values (`imported_numbers`) so that a
page size held in one is checked as in one file.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from dataclasses import dataclass, field, replace

from migrator.imports import candidates, current_layout
from migrator.markers import suppresses
from migrator.rewrite import star_names
from migrator.rewrite.path_messages import PARTIAL
from migrator.rewrite.shared_bases import (
    Outside, SharedBases, attribute_reads, blocked_reason, held_reason, module_constants, stand_in, string_constants,
    stub_reason, unplaced_reason,
)


@dataclass
class Owner:
    path: str
    name: str
    value: str
    line: int
    importers: dict[str, str] = field(default_factory=dict)
    """Importer path → the name it binds the constant to (for a read off the
    module, its stand-in: `shared_bases.stand_in`)."""
    attributes: dict[str, str] = field(default_factory=dict)
    """Importer path → the read off the module it reads the constant as
    (`settings.API`), for those that do."""
    blocked: str | None = None
    """A file of the run that reaches the constant in a way not followed
    (with why, when it is not that)."""
    blockers: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each file of the run that reaches it in a way not followed → the names
    it may read it by, as written (`API`, `settings.API`)."""
    code: str | None = None
    """For a host-less Config path constant (`SOURCES_PATH =
    f"workspaces/{WORKSPACE}/sources"`): its expression, copied as it is."""
    suppressed: str | None = None
    """The suppression on its line (`migrator: ignore`) that keeps the marker
    of a constant held there from being written: its importers say so."""

    @property
    def what(self) -> str:
        return "base URL" if "://" in self.value else "path"

    @property
    def stem(self) -> bytes:
        return module_stem(self.path)

    def shown(self, path: str) -> str:
        """`path` as seen from this module's folder (markers read the same
        wherever the run starts)."""
        return os.path.relpath(path, os.path.dirname(self.path) or ".").replace(os.sep, "/")


_ASSIGNED_URL = re.compile(rb"""^([A-Za-z]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*[rRuU]?(["'])((?i:https?)://[^"'\\\n]*)\2""", re.M)
_ASSIGNED_FURL = re.compile(rb"""^([A-Za-z]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*[fF](["'])((?i:https?)://[^"'\\\n]*)\2""", re.M)
"""A Config URL built by an f-string (`BASE = f"https://…/v1beta/workspaces/{WORKSPACE}"`)."""


def _assigned_path(heads: Iterable[str]) -> re.Pattern[bytes]:
    """A host-less Config path starting with one of `heads` (`SOURCES_PATH =
    f"workspaces/{WORKSPACE}/sources"`)."""
    starts = b"|".join(re.escape(h.encode()) for h in heads)
    return re.compile(rb"""^([A-Za-z]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*[fF]?(["'])((?:""" + starts
                      + rb""")[^"'\\\n]*)\2""", re.M)


def maybe_owners(path: str, data: bytes, hosts: Iterable[bytes], heads: tuple[str, ...] = ()) -> list[Owner]:
    """Cheaply (no parse): the module-level assignments of a Config URL
    string, or of a host-less Config path starting with one of `heads`
    (`Table.workspace_paths`), at the start of a line of `path`, to confirm
    with `owners_in` once an importer is found."""
    text = partial(_decoded, data)
    found = [
        Owner(path, m.group(1).decode(), text(m.group(3)), data.count(b"\n", 0, m.start()) + 1)
        for m in _ASSIGNED_URL.finditer(data) if any(host in m.group(3).lower() for host in hosts)
    ]
    paths = [_assigned_path(heads)] if heads else []
    found += [
        Owner(path, m.group(1).decode(), text(m.group(3)), data.count(b"\n", 0, m.start()) + 1, code="")
        for pattern in (*paths, _ASSIGNED_FURL) for m in pattern.finditer(data)
        if pattern is not _ASSIGNED_FURL or any(host in m.group(3).lower() for host in hosts)
    ]
    return found


def base_names(data: bytes, hosts: Iterable[str], head: str) -> tuple[str, ...]:
    """The names of a settings module's base URL constants: a module whose
    only Segment text is such constants, assigned at the start of a line and
    not used in it, with no Config path (`head`, the workspace segment); ()
    for any other. It calls no API and gives back no response: importing it
    links a module only where that module names one of them (`mentions`)."""
    needles = tuple(host.encode() for host in hosts)
    owners = maybe_owners("", data, needles)
    if not owners:
        return ()
    lines = data.split(b"\n")
    for owner in owners:
        lines[owner.line - 1] = b""
    rest = b"\n".join(lines)
    if any(needle in rest for needle in needles) or (head and f"{head}/".encode() in rest):
        return ()
    names = tuple(dict.fromkeys(o.name for o in owners))
    return () if mentions(rest, names) else names


def mentions(data: bytes, names: Iterable[str]) -> bool:
    """`data` holds one of `names` as a word."""
    return any(re.search(rb"\b" + re.escape(name.encode()) + rb"\b", data) for name in names)


def _decoded(data: bytes, value: bytes) -> str:
    """`value`, a string literal's bytes in `data`, as Python reads it (in
    the encoding the file declares; unreadable bytes replaced)."""
    try:
        return value.decode()
    except UnicodeDecodeError:
        pass
    from migrator.source_encoding import declared_encoding  # not `rewrite.source`, which loads libcst

    try:
        encoding = declared_encoding(data)
    except SyntaxError:
        encoding = "utf-8"
    return value.decode(encoding, errors="replace")


def owners_in(path: str, data: bytes, hosts: Iterable[bytes], heads: tuple[str, ...] = ()) -> list[Owner]:
    """The shareable base constants `path` defines (and its host-less path
    constants starting with one of `heads`)."""
    folded = data.lower()  # host names are case-insensitive (`Platform.SegmentAPIs.com`, `strings.fold_hosts`)
    if not any(host in folded for host in hosts) and not any(h.encode() in data for h in heads):
        return []
    tree = _parse(data)
    if tree is None:
        return []
    bound: dict[str, int] = {}
    for name in _module_bindings(tree):
        bound[name] = bound.get(name, 0) + 1
    rebound = {n for node in ast.walk(tree) if isinstance(node, (ast.Global, ast.Nonlocal)) for n in node.names}
    once = {name for name, count in bound.items() if count == 1 and not name.startswith("_") and name not in rebound}
    return [
        Owner(path, name, value, line, suppressed=_suppression(data, line))
        for name, value, line in string_constants(tree)
        if name in once and any(host.decode() in value.lower() for host in hosts)
    ] + [
        Owner(path, name, code, line, code=code) for name, code, line in path_constants(tree, data, hosts, heads)
        if name in once
    ]


def _suppression(data: bytes, line: int) -> str | None:
    """The `migrator: ignore` comment covering `line` (as
    `FileContext.suppressed` reads them) that covers the marker of a base
    held on the Config API (`rewrite.partial-path`), as written."""
    if b"migrator:" not in data:
        return None
    from migrator.audit.suppress import python_suppressions  # the audit's reading (it imports the rewrite)

    comments = python_suppressions(data.decode("utf-8", "replace")).get(line, ())
    return next((c.text for c in comments if suppresses(c.rules, PARTIAL)), None)


def path_constants(
    tree: ast.Module, data: bytes, hosts: Iterable[bytes] = (), heads: tuple[str, ...] = (),
) -> Iterable[tuple[str, str, int]]:
    """Each module-level `NAME = "workspaces/…"` or `f"workspaces/{WORKSPACE}/…"`
    (a host-less Config path whose values are names), or an f-string Config
    URL of the same kind (`f"https://platform…/v1beta/workspaces/{WORKSPACE}"`):
    the name, its code and the line."""
    urls = tuple(h.decode() for h in hosts)
    text = data.decode("utf-8", "replace")
    for statement in tree.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            continue
        value = statement.value
        parts = value.values if isinstance(value, ast.JoinedStr) else [value]
        head = parts[0] if parts else None
        if not (isinstance(head, ast.Constant) and isinstance(head.value, str)):
            continue
        url = isinstance(value, ast.JoinedStr) and any(host in head.value.lower() for host in urls)
        if not (url or head.value.startswith(heads)):
            continue
        if not all(isinstance(p, ast.Constant) or (isinstance(p, ast.FormattedValue) and isinstance(p.value, ast.Name)
                   and p.conversion == -1 and p.format_spec is None) for p in parts):
            continue
        code = ast.get_source_segment(text, value)
        if code and "\n" not in code:
            yield statement.targets[0].id, code, statement.lineno


def find_owners(
    flagged: Mapping[str, bytes], every_file: Callable[[], Mapping[str, bytes]], hosts: Iterable[str],
    heads: tuple[str, ...] = (), unreached: dict[str, frozenset[str]] | None = None,
) -> list[Owner]:
    """The owners among `flagged` (Python files holding Config text) that a
    file of the run reaches, with their importers; `every_file` gives the
    run's Python files (path → bytes), read only when a Config URL is
    assigned at the start of a line of a flagged file. `unreached`, when
    given, gets path → the Config base URL constants of `flagged` that no
    file of the run reaches (`SharedBases.unimported`)."""
    needles = tuple(host.encode() for host in hosts)
    maybe = [o for path, data in flagged.items() for o in maybe_owners(path, data, needles, heads)]
    if not maybe:
        return []
    texts = every_file()
    link_importers(maybe, texts)
    if unreached is not None:
        for path in sorted({o.path for o in maybe}):
            names = frozenset(o.name for o in maybe if o.path == path and not o.importers and not o.blocked)
            if names:
                unreached[path] = names
    # Confirmed with `ast` (bound once, a plain string) only where another module reaches them.
    reached = {(o.path, o.name): o for o in maybe if o.importers or o.blocked}
    owners: list[Owner] = []
    for path in sorted({path for path, _ in reached}):
        for confirmed in owners_in(path, texts[path], needles, heads):
            if (owner := reached.get((path, confirmed.name))) is not None:
                owners.append(replace(owner, value=confirmed.value, line=confirmed.line, code=confirmed.code,
                                      suppressed=confirmed.suppressed))
    return owners


def link_importers(owners: list[Owner], files: Mapping[str, bytes]) -> None:
    """Fill each owner's importers from `files` (path → bytes, the run's
    Python files), or say what blocks it. Only files naming the constant
    and its module are parsed (an import of a module names it), then those
    naming the constant and one of its importers (a re-export)."""
    by_name: dict[str, list[Owner]] = {}
    for owner in owners:
        by_name.setdefault(owner.name, []).append(owner)
    words = re.compile(rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(by_name)) + rb")\b")
    needles = [n.encode() for n in by_name]
    mentions = {path: {m.group().decode() for m in words.finditer(data)}
                for path, data in files.items() if any(n in data for n in needles)}
    for path, data in files.items():
        if b"import *" in data or b"import*" in data:  # may reach any of them without naming it
            mentions[path] = set(by_name)
    run = set(files)
    defined = {(o.path, o.name) for o in owners}
    trees: dict[str, ast.Module | None] = {}
    modules: dict[str, _Imports] = {}
    named = _Named()
    done: set[tuple[str, int]] = set()
    for stage in ("module", "importers"):
        # owner → the module names a file must hold to reach it (none: a package's `from . import`)
        gates = {id(o): {o.stem} if stage == "module" else {module_stem(p) for p in o.importers} for o in owners}
        stems = sorted({g for found in gates.values() for g in found if g})
        held = re.compile(rb"\b(?:" + b"|".join(re.escape(g) for g in stems) + rb")\b") if stems else None
        for path, names in mentions.items():
            data = files[path]
            present = {m.group() for m in held.finditer(data)} | {b""} if held else {b""}
            for owner in (o for n in sorted(names) for o in by_name[n]):
                if owner.path == path or (path, id(owner)) in done or not gates[id(owner)] & present:
                    continue
                done.add((path, id(owner)))
                tree = trees[path] if path in trees else trees.setdefault(path, _parse(data))
                if tree is None:
                    owner.blocked = owner.blocked or f"{owner.shown(path)} (it does not parse)"
                    continue
                found = modules[path] if path in modules else modules.setdefault(path, _Imports(tree, data))
                how, local, read = _reaches(path, found, owner, run, defined, partial(_assigns, files, trees), named,
                                            partial(_star_names, files, trees))
                if how == "imports":
                    owner.importers[path] = local
                    if read is not None:
                        owner.attributes[path] = read
                elif how == "blocks":
                    owner.blocked = owner.blocked or owner.shown(path)
                    owner.blockers[path] = _names_of(found, owner, named, path)
                elif how == "unplaced":
                    owner.blocked = owner.blocked or unplaced_reason(owner.shown(path), local)
    for owner in owners:
        if owner.blocked is None:
            owner.blocked = _renamed_reexport(owner, files, trees)


def _names_of(module: _Imports, owner: Owner, named: _Named, path: str) -> frozenset[str]:
    """The names the file at `path` may read `owner`'s constant by: the name
    a `from` import of it binds (or the constant's, through `*`), and the
    reads off its module imported whole (`settings.API`)."""
    names: set[str] = set()
    for node, _ in module.nodes:
        if isinstance(node, ast.ImportFrom) and (node.module or node.level):
            written = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == owner.name or alias.name == "*" and owner.path in named(path, written):
                    names.add(alias.asname or owner.name)
                inner = f"{written}.{alias.name}" if written.strip(".") else written + alias.name
                if alias.name != "*" and owner.path in named(path, inner):
                    names.add(f"{alias.asname or alias.name}.{owner.name}")
        elif isinstance(node, ast.Import):
            names.update(f"{a.asname or a.name}.{owner.name}" for a in node.names if owner.path in named(path, a.name))
    return frozenset(names & ({n for n in names if "." not in n} | module.reads))


def _renamed_reexport(owner: Owner, files: Mapping[str, bytes], trees: dict[str, ast.Module | None]) -> str | None:
    """A file of the run that takes the constant from one of its importers
    under the name that importer binds it to (`from reexp import BASE_URL`,
    `reexp.BASE_URL`, `from reexp import *`): not followed, so it blocks."""
    for importer, local in owner.importers.items():
        # a package's `__init__.py` is imported by its folder's name (`import pkg`, `from .. import api`)
        stem = module_stem(importer) or module_stem(os.path.dirname(importer))
        if not stem:
            continue
        read = owner.attributes.get(importer)
        # a read off the module: the importer passes on the module (`from ws import settings`)
        local = read.split(".")[0] if read is not None else local
        for path, data in files.items():
            if path in (importer, owner.path) or stem not in data or (local.encode() not in data and b"*" not in data):
                continue
            if read is not None and not mentions(data, [owner.name]):
                continue
            tree = trees[path] if path in trees else trees.setdefault(path, _parse(data))
            taken = _takes(path, tree, importer, local) if tree is not None else ()
            if taken:
                owner.blockers[path] = frozenset(taken)
                return owner.shown(path)
    return None


def _takes(path: str, tree: ast.Module, module_path: str, name: str) -> tuple[str, ...]:
    """How `path` reads `name` off the module at `module_path` (imported from
    it, by `*`, or as an attribute), as written: `()` when it does not."""
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = {a.name for a in node.names}
            if (node.module or node.level) and module_path in candidates(path, [module]) and names & {name, "*"}:
                return tuple(sorted({a.asname or name for a in node.names if a.name in (name, "*")}))
            for alias in node.names:
                inner = f"{module}.{alias.name}" if module.strip(".") else module + alias.name
                if module_path in candidates(path, [inner]):
                    modules.append(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules.extend(a.asname or a.name for a in node.names if module_path in candidates(path, [a.name]))
            # `import pkg.client` binds `pkg`, the package itself
            modules.extend(head for a in node.names if a.asname is None and "." in a.name
                           and module_path in candidates(path, [head := a.name.split(".")[0]]))
    return tuple(sorted(_dotted_reads(tree) & {f"{m}.{name}" for m in modules})) if modules else ()


def module_stem(path: str) -> bytes:
    """The name an import of the module at `path` holds (none for a
    package's `__init__.py`: `from . import API`)."""
    name = os.path.basename(path)
    return b"" if name == "__init__.py" else name.rsplit(".", 1)[0].encode("utf-8", "surrogateescape")


def _star_names(files: Mapping[str, bytes], trees: dict[str, ast.Module | None], path: str) -> frozenset[str] | None:
    """The names `from <the module at path> import *` binds, when its literal `__all__` says (`star_names`)."""
    data = files.get(path)
    tree = None if data is None else trees[path] if path in trees else trees.setdefault(path, _parse(data))
    return star_names.listed(tree) if tree is not None else None


def _assigns(files: Mapping[str, bytes], trees: dict[str, ast.Module | None], path: str, name: str) -> bool:
    """The module at `path` binds `name` itself, other than by an import (its own `API = ...`)."""
    data = files.get(path)
    if data is None:
        return False
    tree = trees[path] if path in trees else trees.setdefault(path, _parse(data))
    if tree is None:
        return False
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == name:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
            continue
        if not isinstance(node, (ast.Import, ast.ImportFrom, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return False


class _Imports:
    """A parsed module's import statements (and whether each is at module
    level), and its dotted reads when asked: found once for all owners."""

    def __init__(self, tree: ast.Module, data: bytes = b"") -> None:
        self.tree = tree
        self.data = data
        top = {id(s) for s in tree.body}
        self.nodes = [(n, id(n) in top) for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        self._reads: set[str] | None = None

    @property
    def reads(self) -> set[str]:
        if self._reads is None:
            self._reads = _dotted_reads(self.tree)
        return self._reads


class _Named(dict[tuple[str, str], frozenset[str]]):
    """(importing file, module as written) → the files it may name (`candidates`), each worked out once."""

    def __call__(self, path: str, module: str) -> frozenset[str]:
        found = self.get((path, module))
        if found is None:
            found = self[path, module] = frozenset(candidates(path, [module]))
        return found


def _reaches(
    path: str, module: _Imports, owner: Owner, run: set[str], defined: set[tuple[str, str]],
    assigns: Callable[[str, str], bool], named: _Named,
    star: Callable[[str], frozenset[str] | None] = lambda _: None,
) -> tuple[str | None, str, str | None]:
    """How the file at `path` reaches `owner`'s constant: "imports" (only by
    module-level `from owner import NAME`, or only as `settings.NAME` off
    the module imported whole, `_followed`), "blocks" (some other way:
    `*`, an import inside a function, a `NAME` imported from a module of
    the run that does not define it, a read off the module not followed),
    "unplaced" (an import that may be of its module, found from no root the
    run knows: the import as written in place of the name, `_unplaced`),
    or None (not at all); the name it binds the constant to (its stand-in
    for a read off the module); and that read."""
    imports = blocks = False
    local = owner.name
    lost: str | None = None  # an import that may name the owner's module, from no root the run knows
    modules: list[tuple[str, bool]] = []  # local dotted names the owner module is imported as, and at module level
    for node, at_top in module.nodes:
        if isinstance(node, ast.ImportFrom):
            written = "." * node.level + (node.module or "")
            names = {a.name for a in node.names}
            defines = owner.path in named(path, written) if node.module or node.level else False
            if owner.name in names and defines:
                imports = True
                blocks |= not at_top
                local = next(a.asname or a.name for a in node.names if a.name == owner.name)
            elif defines and "*" in names:
                listed = star(owner.path)
                blocks |= listed is None or owner.name in listed  # `__all__` may keep it out of `*`
            elif owner.name in names and any(c in run and (c, owner.name) not in defined and not assigns(c, owner.name)
                                             for c in named(path, written)):
                blocks = True  # a re-export: its value is not followed through that module
            elif (owner.name in names or "*" in names) and _unplaced(owner.path, written, named(path, written), run):
                lost = lost or written  # it may be the owner, from a root this run does not know
            for alias in node.names:
                inner = f"{written}.{alias.name}" if written.strip(".") else written + alias.name
                if alias.name != "*" and owner.path in named(path, inner):
                    modules.append((alias.asname or alias.name, at_top))  # `from pkg import settings`
                elif alias.name != "*" and _unplaced(owner.path, inner, named(path, inner), run):
                    lost = lost or inner
        else:
            modules.extend((a.asname or a.name, at_top) for a in node.names if owner.path in named(path, a.name))
            lost = lost or next((a.name for a in node.names if _unplaced(owner.path, a.name, named(path, a.name), run)),
                                None)
    if lost is not None:
        return "unplaced", lost, None
    reads = sorted({f"{m}.{owner.name}" for m, _ in modules} & module.reads)
    if not reads:
        return ("blocks" if blocks else "imports" if imports else None), local, None
    if imports or blocks or len(reads) > 1 or not _followed(module, reads[0], modules):
        return "blocks", local, None  # `settings.API` read in a way not followed, or with another name for it
    return "imports", stand_in(reads[0]), reads[0]


def _unplaced(owner: str, written: str, named: Iterable[str], run: set[str]) -> bool:
    """An absolute import (`written`) that names no file, of the run or on
    disk, from any root the run knows (`candidates`), while the module at
    `owner` bears that name (`segcfg.const` for `lib/segcfg/const.py`): it
    may be that module (`sys.path` set in code, an installed package), so
    it blocks the constant rather than leave that file on the old value."""
    if written.startswith(".") or not may_name(owner, written):
        return False
    return not any(c in run or os.path.isfile(c) for c in named)


def _bearing(written: str, run: Iterable[str]) -> str | None:
    """The first module of the run, by path, that bears the name `written` (`may_name`)."""
    layout = current_layout()
    found = layout.may_name(written) if layout is not None else sorted(p for p in run if may_name(p, written))
    return found[0] if found else None


def may_name(path: str, written: str) -> bool:
    """The module at `path` bears the absolute name `written` (its last parts)."""
    parts = written.split(".")
    mine = os.path.splitext(os.path.normpath(path))[0].split(os.sep)
    if mine[-1] == "__init__":
        mine = mine[:-1]
    return all(parts) and mine[-len(parts):] == parts


def _followed(module: _Imports, read: str, modules: list[tuple[str, bool]]) -> bool:
    """`read` (`settings.API`) is surely the constant off its module: the
    module's local name is bound only by its imports at module level (for
    `import app.settings`, `app` by module-level `import app...` alone),
    each read is written as `read` and only read, and its stand-in names
    nothing in the file."""
    name = read.rsplit(".", 1)[0]
    head = name.split(".")[0]
    if not all(at_top for m, at_top in modules if m == name) or stand_in(read).encode() in module.data:
        return False
    bindings = list(_bindings(module.tree, head))
    if "." in name:  # `import app.settings`: `app` is bound by such imports only, never as an alias
        if not all(isinstance(b, ast.alias) and b.asname is None and b.name.split(".")[0] == head for b in bindings):
            return False
        top = {id(a) for s in module.tree.body if isinstance(s, ast.Import) for a in s.names}
        if not all(id(b) in top for b in bindings):
            return False
    elif len(bindings) != 1:
        return False
    return attribute_reads(module.tree, module.data, read) is not None


def _bindings(tree: ast.Module, name: str) -> Iterable[ast.AST]:
    """Every place in the module that binds `name`, in any scope (an import,
    an assignment, a parameter, a definition, `global`, `except ... as`, a
    pattern...)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and node.id == name:
            yield node
        elif isinstance(node, ast.arg) and node.arg == name:
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            yield node
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            yield from (a for a in node.names if (a.asname or a.name.split(".")[0]) == name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            yield node
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name == name:
            yield node
        elif isinstance(node, ast.MatchMapping) and node.rest == name:
            yield node


def _dotted_reads(tree: ast.Module) -> set[str]:
    """`a.b.c` for every attribute read off a chain of names."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = [node.attr]
            value = node.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                found.add(".".join([value.id, *reversed(parts)]))
    return found


def _module_bindings(tree: ast.Module) -> Iterable[str]:
    """Names bound at module level (assignments, imports, defs, loops,
    `with`), in the statements of the module and of its blocks."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                yield (alias.asname or alias.name).split(".")[0]
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id
        if isinstance(node, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _parse(data: bytes) -> ast.Module | None:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


Key = tuple[str, str]
"""(owner path, constant name)."""


def options(owners: list[Owner], held: Mapping[Key, str]) -> dict[str, SharedBases]:
    """Each file's `SharedBases`: importers get the values of the constants
    not held; owners learn which of theirs move with their importers, and
    why the others stay."""
    imported: dict[str, dict[str, str]] = {}
    exported: dict[str, set[str]] = {}
    kept: dict[str, dict[str, str]] = {}
    kept_imports: dict[str, dict[str, str]] = {}
    code: dict[str, dict[str, str]] = {}
    suppressed: dict[str, dict[str, str]] = {}
    reads: dict[str, dict[str, str]] = {}
    blocked: dict[str, dict[str, str]] = {}
    for owner in owners:
        key = (owner.path, owner.name)
        for path, names in owner.blockers.items() if key in held else ():
            where = os.path.relpath(owner.path, os.path.dirname(path) or ".").replace(os.sep, "/")
            blocked.setdefault(path, {}).update(dict.fromkeys(sorted(names), where))
        if key in held:
            kept.setdefault(owner.path, {})[owner.name] = held[key]
        else:
            exported.setdefault(owner.path, set()).add(owner.name)
        for path, local in owner.importers.items():
            if path in owner.attributes:
                reads.setdefault(path, {})[local] = owner.attributes[path]
            if owner.code is not None:
                code.setdefault(path, {})[local] = owner.code
            else:
                imported.setdefault(path, {})[local] = owner.value
            if key in held:
                where = os.path.relpath(owner.path, os.path.dirname(path) or ".").replace(os.sep, "/")
                if owner.path.endswith(".pyi"):  # the module it describes is the one named, when both hold it
                    kept_imports.setdefault(path, {}).setdefault(local, where)
                else:
                    kept_imports.setdefault(path, {})[local] = where
                if owner.suppressed is not None:
                    suppressed.setdefault(path, {})[local] = f"`{owner.suppressed}` at {where}:{owner.line}"
    paths = set(imported) | set(code) | set(exported) | set(kept) | set(blocked)
    return {
        p: SharedBases(imported.get(p, {}), frozenset(exported.get(p, ())), kept.get(p, {}), kept_imports.get(p, {}),
                       code.get(p, {}), kept_suppressed=suppressed.get(p, {}), attributes=reads.get(p, {}),
                       blocked=blocked.get(p, {}))
        for p in sorted(paths)
    }


def first_holds(owners: list[Owner]) -> dict[Key, str]:
    """Constants held before any rewrite: blocked ones, and those an importer
    binds under a name it also imports from another owner."""
    held = {(o.path, o.name): blocked_reason(o.name, o.blocked, o.what) for o in owners if o.blocked}
    seen: dict[tuple[str, str], Owner] = {}
    for owner in owners:
        for path, local in owner.importers.items():
            other = seen.setdefault((path, local), owner)
            if other is not owner and not _stub_of(owner, other):
                for clash in (owner, other):
                    twin = other if clash is owner else owner
                    reason = (_other_value(clash, twin) if _pair(clash, twin)
                              else blocked_reason(clash.name, clash.shown(path), clash.what))
                    held.setdefault((clash.path, clash.name), reason)
    return held


def _pair(one: Owner, other: Owner) -> bool:
    """One is the `.pyi` stub of the other's module (same folder and stem) and names the same constant."""
    stub, module = (one, other) if one.path.endswith(".pyi") else (other, one)
    return stub.path.endswith(".pyi") and module.path == stub.path[:-1] and stub.name == module.name


def _stub_of(one: Owner, other: Owner) -> bool:
    """`_pair`, with the same value: the stub describes that module, its
    value is the module's, so they are one constant (each file's rewrite
    moves its own, `_hold_with_stubs` keeps them together)."""
    return _pair(one, other) and one.value == other.value


def _other_value(owner: Owner, twin: Owner) -> str:
    """Why a module's constant and its stub's stay: they differ, and which one a reader means cannot be told."""
    return (f"Config API {owner.what} `{owner.name}`: {owner.shown(twin.path)} gives it another value "
            f"(`{twin.value}`), so the value this rewrite would move is not the one of both; make them agree, "
            "or migrate them together, by hand")


Outcome = tuple[Mapping[str, str | None], Mapping[str, str | None]]
"""What a file's rewrite made of the constants it imports (by the name it
binds) and of those it defines: their new values, None where kept."""


def settle(
    owners: list[Owner], held: dict[Key, str], outcome: Callable[[str], Outcome | None],
    again: Callable[[dict[str, SharedBases], set[str]], None],
) -> None:
    """Hold back (in `held`) every constant that its module or one of its
    importers did not migrate to the same value, and have `again` rewrite
    the files that must change with the new `options`, until all agree
    (each round holds at least one more)."""
    def value(path: str, name: str, imported: bool) -> str | None:
        found = outcome(path)
        return found[0 if imported else 1].get(name) if found is not None else None

    while True:
        new: dict[Key, str] = {}
        for owner in owners:
            if (owner.path, owner.name) in held:
                continue
            mine = value(owner.path, owner.name, False)
            keeping = [p for p, local in sorted(owner.importers.items()) if value(p, local, True) != mine]
            if mine is None or keeping:
                new[(owner.path, owner.name)] = held_reason(
                    owner.name, owner.shown(keeping[0]) if keeping else None, owner.what)
        _hold_with_stubs(owners, held, new)
        if not new:
            return
        held.update(new)
        paths: set[str] = set()
        for owner in owners:
            if (owner.path, owner.name) in new:
                paths.update(owner.importers)
                if value(owner.path, owner.name, False) is not None:
                    paths.add(owner.path)  # it had moved: it stays now
        again(options(owners, held), paths)


def _hold_with_stubs(owners: list[Owner], held: Mapping[Key, str], new: dict[Key, str]) -> None:
    """A module's constant and its `.pyi` stub's hold one value: when one is
    held, so is the other, saying why (the stub's own reason names its
    module, not the importers the module's hold kept)."""
    for stub in owners:
        module = next((o for o in owners if o is not stub and _stub_of(stub, o) and stub.path.endswith(".pyi")), None)
        if module is None:
            continue
        mine, its = (stub.path, stub.name), (module.path, module.name)
        if its in held or its in new:
            if mine not in held:
                new[mine] = stub_reason(stub.name, stub.shown(module.path), True, stub.what)
        elif mine in held or mine in new:
            new[its] = stub_reason(module.name, module.shown(stub.path), False, module.what)


def outside_bases(
    files: Mapping[str, bytes], run: set[str], hosts: Iterable[str], head: str,
    excluded: Callable[[str], bool] | None = None,
) -> dict[str, dict[str, Outside]]:
    """Each file of `files` (the run's files to rewrite) holding a Config
    path (`head`, the workspace segment) → the names it binds with a
    module-level `from <module> import NAME [as X]` and joins something to
    (`{X}`, `X +`), where the module shares no base constant NAME with the
    run: it is not found, or outside the run (a run holding both would move
    them together, `Outside.line`), or holds no Config base URL string this
    rewrite reads. A module `excluded` (`--exclude`) is not read: as not found."""
    needles = tuple(host.encode() for host in hosts)
    lines: dict[str, dict[str, int]] = {}

    def constants(module: str) -> dict[str, int]:
        if module not in lines:
            try:
                with open(module, "rb") as handle:
                    data = handle.read()
            except OSError:
                data = b""
            lines[module] = {o.name: o.line for o in owners_in(module, data, needles)}
        return lines[module]

    found: dict[str, dict[str, Outside]] = {}
    for path, data in files.items():
        if b"import" not in data or head.encode() not in data:
            continue
        tree = _parse(data)
        for statement in tree.body if tree is not None else ():
            if not isinstance(statement, ast.ImportFrom) or not (statement.module or statement.level):
                continue
            written = "." * statement.level + (statement.module or "")
            for alias in statement.names:
                local = re.escape((alias.asname or alias.name).encode())
                if alias.name == "*" or not re.search(rb"\{" + local + rb"\}|\b" + local + rb"\s*\+", data):
                    continue
                module = next((c for c in candidates(path, [written])
                               if c in run or os.path.isfile(c) and not (excluded and excluded(c))), None)
                if module is None:
                    maybe = _bearing(written, run) if not written.startswith(".") else None
                    shown = os.path.relpath(maybe, os.path.dirname(path) or ".").replace(os.sep, "/") if maybe else None
                    found.setdefault(path, {})[alias.asname or alias.name] = Outside(None, None, shown)
                    continue
                if module == path:
                    continue
                line = constants(module).get(alias.name)
                if module in run and line is not None:
                    continue  # shared with the run: `find_owners`
                shown = os.path.relpath(module, os.path.dirname(path) or ".").replace(os.sep, "/")
                origin = _reexported(module, alias.name, run, constants) if line is None else None
                via = None if origin is None else os.path.relpath(origin, os.path.dirname(path) or ".").replace(os.sep, "/")
                found.setdefault(path, {})[alias.asname or alias.name] = Outside(shown, line, via=via)
    return found


def _reexported(
    module: str, name: str, run: set[str], constants: Callable[[str], dict[str, int]],
) -> str | None:
    """The module `module` imports `name` from at module level, under that
    name (`from .settings import BASE` in a package's `__init__.py`), when
    it defines `name` as a Config base URL constant; else None."""
    try:
        with open(module, "rb") as handle:
            tree = _parse(handle.read())
    except OSError:
        return None
    for statement in tree.body if tree is not None else ():
        if not isinstance(statement, ast.ImportFrom) or not (statement.module or statement.level):
            continue
        if not any(a.name == name and (a.asname or a.name) == name for a in statement.names):
            continue
        written = "." * statement.level + (statement.module or "")
        origin = next((c for c in candidates(module, [written]) if c in run or os.path.isfile(c)), None)
        held = origin is not None and origin != module and name in constants(origin)
        return origin if held else None
    return None


def imported_numbers(
    importers: Mapping[str, bytes], read: Callable[[str], bytes | None], needles: Iterable[bytes],
) -> dict[str, dict[str, int]]:
    """Each file of `importers` holding one of `needles` (a page size
    parameter) → the integer constants it binds with a module-level
    `from <module> import NAME [as X]` (local name → value), where the
    module is a file of the run (`read` gives its bytes, None when it is not
    one) that binds NAME once, at module level, to an integer literal
    (`PAGE_SIZE = 500`): the codemod reads them as the file's own."""
    words = tuple(needles)
    found: dict[str, dict[str, int]] = {}
    constants: dict[str, dict[str, int]] = {}
    for path, data in importers.items():
        if b"import" not in data or not any(w in data for w in words):
            continue
        tree = _parse(data)
        for statement in tree.body if tree is not None else ():
            if not isinstance(statement, ast.ImportFrom) or not (statement.module or statement.level):
                continue
            module = "." * statement.level + (statement.module or "")
            owner = next((c for c in candidates(path, [module]) if read(c) is not None), None)
            if owner is None:
                continue
            if owner not in constants:
                constants[owner] = integer_constants(_parse(read(owner) or b""))
            for alias in statement.names:
                if alias.name in constants[owner]:
                    found.setdefault(path, {})[alias.asname or alias.name] = constants[owner][alias.name]
    return found


def integer_constants(tree: ast.Module | None) -> dict[str, int]:
    """Module-level `NAME = 500` (or `NAME: int = 500`), the name bound
    nowhere else in the module (nor declared `global` in a function)."""
    if tree is None:
        return {}
    bound: dict[str, int] = {}
    for name in _module_bindings(tree):
        bound[name] = bound.get(name, 0) + 1
    rebound = {n for node in ast.walk(tree) if isinstance(node, ast.Global) for n in node.names}
    found: dict[str, int] = {}
    for name, value, _ in module_constants(tree):
        if type(value) is int and bound.get(name) == 1 and name not in rebound:
            found[name] = value
    return found
