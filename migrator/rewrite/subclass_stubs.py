"""Subclasses that other modules of the run derive from a module's classes.

`proxied.py` does `from client import Client` and `class ProxiedClient(Client):
BASE_URL = "http://proxy:8080/v1beta"`. Read alone, `client.py` moves its
`BASE_URL` and the paths joined to it to the Public API, and the subclass
then sends Public paths to its own host. The driver gives such a module a
copy of each subclass another module of the run derives from one of its
classes (`from client import Client [as C]`, `import client [as c]` and
`c.Client`), with what it assigns to the attributes the module moved (in
its body, or `self.BASE_URL = ...` in a method), appended to its text like
the imported constants (`shared_bases.build_tail`): it is then read as when
the subclass is in the file. So is a subclass of such a subclass, and a
class taken from a module that imports it in turn (a package's
`__init__.py`: `from .client import Client`), as `Hierarchy` finds them
over the run. A value the importer's own rewrite does not
move (another host, `os.environ[...]`, a Config base it keeps) is copied as
`None`, which no base is: the module's base stays with it. The other way
round, an importer that moves its subclass's Config base while the module
keeps that of the class it derives from is rewritten again with it kept
(`assigned`). Read with `ast` from the text alone.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from migrator.rewrite.shared_bases import dotted, literal

STUB = "_migrator_subclass_{}"
"""The name of a copy (no name of the file: the copies are only read)."""


def class_attributes(data: bytes) -> dict[str, frozenset[str]]:
    """The module's top-level classes (of ASCII names: the copies are read
    as ASCII) → the attributes each assigns (`_assigned`)."""
    tree = _parse(data)
    return {s.name: frozenset(a for a, _ in _assigned(s)) for s in tree.body
            if isinstance(s, ast.ClassDef) and s.name.isascii()} if tree else {}


@dataclass
class _Module:
    """What a module binds, read once: its class statements (top-level by name)."""
    classes: dict[str, ast.ClassDef]
    statements: list[ast.ClassDef]
    imported: dict[str, tuple[str, str]]
    """Local name → (the module's spec, the name it takes), `from spec import name [as local]`."""
    modules: dict[str, str]
    """Local (dotted) name → the spec of the module it is bound to, `import spec [as local]`."""


class Hierarchy:
    """The classes of the run's modules and the classes they derive from in
    other modules: directly (`from client import Client`, `import client
    [as c]` and `c.Client`), through a module that imports the class in turn
    (a package's `__init__.py`: `from .client import Client`), or through a
    subclass (`class Deep(ProxiedClient)`). `read` gives a module's bytes
    (None outside the run), `locate` the file an import of a module names."""

    def __init__(self, paths: Iterable[str], read: Callable[[str], bytes | None],
                 locate: Callable[[str, str], str | None]) -> None:
        self._read, self._locate = read, locate
        self._modules: dict[str, _Module | None] = {}
        self._children: dict[tuple[str, str], list[tuple[str, ast.ClassDef]]] = {}
        self._parents: dict[int, list[tuple[str, str]]] = {}  # id of a class statement → the classes it derives from
        for path in paths:
            data = read(path) if path not in self._modules else None
            if data is not None and b"class" in data:  # else it derives nothing (read when it gives a class on)
                self._modules[path] = _read(data)
            module = self._modules.get(path)
            for node in module.statements if module else ():
                parents = [c for b in node.bases if (c := self._base(path, node, b)) is not None]
                self._parents[id(node)] = parents
                for parent in parents:
                    self._children.setdefault(parent, []).append((path, node))

    def descendants(self, path: str, name: str) -> list[tuple[str, ast.ClassDef]]:
        """(its module, the class statement) for each class of another
        module deriving from `path`'s class `name`, at any depth."""
        found: list[tuple[str, ast.ClassDef]] = []
        todo, seen = [(path, name)], {(path, name)}
        while todo:
            for child, node in self._children.get(todo.pop(), ()):
                if (child, node.name) not in seen:
                    seen.add((child, node.name))
                    todo.append((child, node.name))
                    if child != path:
                        found.append((child, node))
        return found

    def ancestors(self, path: str, node: ast.ClassDef) -> list[tuple[str, str]]:
        """(its module, its name) for each class of another module of the
        run `path`'s class statement `node` derives from, at any depth."""
        found: list[tuple[str, str]] = []
        todo, seen = list(self._parents.get(id(node), ())), set()
        while todo:
            parent = todo.pop()
            if parent in seen:
                continue
            seen.add(parent)
            if parent[0] != path:
                found.append(parent)
            module = self._module(parent[0])
            statement = module.classes.get(parent[1]) if module else None
            todo.extend(self._parents.get(id(statement), ()))
        return found

    def derives_within(self, path: str, node: ast.ClassDef, found: str) -> bool:
        """Whether every class `path`'s class statement `node` derives from
        (at any depth) is `object` or one this run finds, none of them of the
        module `found`: a base not followed may be one of `found`'s."""
        todo, seen = [(path, node)], set()
        while todo:
            where, statement = todo.pop()
            if id(statement) in seen:
                continue
            seen.add(id(statement))
            parents = [self._base(where, statement, b) for b in statement.bases if dotted(b) != "object"]
            if None in parents or any(p[0] == found for p in parents if p):
                return False
            for parent, name in (p for p in parents if p):
                module = self._module(parent)
                if module is None or name not in module.classes:
                    return False
                todo.append((parent, module.classes[name]))
        return True

    def statements(self, path: str) -> list[ast.ClassDef]:
        """The class statements of the module `path`."""
        module = self._module(path)
        return module.statements if module else []

    def _module(self, path: str) -> _Module | None:
        if path not in self._modules:
            data = self._read(path)
            self._modules[path] = _read(data) if data is not None else None
        return self._modules[path]

    def _base(self, path: str, node: ast.ClassDef, base: ast.expr) -> tuple[str, str] | None:
        """(its module, its name) for the class a base of the class statement
        `node` of `path` names (`class Client(Client)` names the one imported)."""
        module = self._module(path)
        name = dotted(base)
        if module is None or name is None:
            return None
        if module.classes.get(name, node) is not node:
            return path, name
        if name in module.imported:
            return self._class(self._locate(path, module.imported[name][0]), module.imported[name][1])
        head, _, last = name.rpartition(".")
        spec = module.modules.get(head)
        if spec is None and head in module.imported:  # `from app import client`
            spec = _join(*module.imported[head])
        target = self._locate(path, spec) if spec is not None else None
        return self._class(target, last) if target is not None else None

    def _class(self, path: str | None, name: str, depth: int = 0) -> tuple[str, str] | None:
        """Where the class `name` an import of a module takes (`path`) is
        defined: there, or where that module imports it from."""
        module = self._module(path) if path is not None and depth < 16 else None
        if path is None or module is None:
            return None
        if name in module.classes:
            return path, name
        if name in module.imported:
            spec, taken = module.imported[name]
            return self._class(self._locate(path, spec), taken, depth + 1)
        return None


def stubs(classes: Iterable[tuple[str, ast.ClassDef, Collection[str]]], attributes: Collection[str]) -> list[str]:
    """The copies (with `\\n` line ends) of the subclasses (the module's class
    it derives from, the subclass statement, what its own module's rewrite
    moved) with what they assign to `attributes`: as it is when their own
    module's rewrite moves that attribute (it moves with the module's own),
    `None` otherwise (it stays: a base the module cannot move with)."""
    attributes = [a for a in attributes if a.isascii()]
    found: list[str] = []
    for name, node, moved in classes:
        assigned = [f"    {a} = {_copy(v) if a in moved else 'None'}\n" for a, v in _assigned(node) if a in attributes]
        if assigned:
            found.append(f"class {STUB.format(len(found))}({name}):\n" + "".join(assigned))
    return found


def assigned(node: ast.ClassDef) -> set[str]:
    """The attributes a class statement assigns (`_assigned`)."""
    return {a for a, _ in _assigned(node)}


def _parse(data: bytes) -> ast.Module | None:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _read(data: bytes) -> _Module | None:
    tree = _parse(data)
    return _bindings(tree) if tree is not None else None


def _bindings(tree: ast.Module) -> _Module:
    classes = {s.name: s for s in tree.body if isinstance(s, ast.ClassDef) and s.name.isascii()}
    module = _Module(classes, [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name.isascii()], {}, {})
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            module.modules.update((a.asname or a.name, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            spec = "." * node.level + (node.module or "")
            module.imported.update((a.asname or a.name, (spec, a.name)) for a in node.names if a.name != "*")
    return module


def _join(spec: str, name: str) -> str:
    """The spec of the module `from spec import name` takes (`from . import client`: `.client`)."""
    return spec + ("." if spec.strip(".") else "") + name


def _assigned(klass: ast.ClassDef) -> Iterator[tuple[str, ast.expr]]:
    """(attribute, value) for each assignment in the class body or to
    `self.<attribute>` in one of its methods."""
    for statement in klass.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = statement.args.posonlyargs + statement.args.args
            me = args[0].arg if args else None
            for node in ast.walk(statement):
                for target, value in _targets(node):
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                            and target.value.id == me:
                        yield target.attr, value
        for target, value in _targets(statement):
            if isinstance(target, ast.Name):
                yield target.id, value


def _targets(node: ast.AST) -> Iterator[tuple[ast.expr, ast.expr]]:
    if isinstance(node, ast.Assign):
        yield from ((t, node.value) for t in node.targets)
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        yield node.target, node.value


def _copy(value: ast.expr) -> str:
    """A plain string as a literal; `None` for anything else (not read)."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return literal(value.value) or "None"
    return "None"
