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
the subclass is in the file. A value the importer's own rewrite does not
move (another host, `os.environ[...]`, a Config base it keeps) is copied as
`None`, which no base is: the module's base stays with it. The other way
round, an importer that moves its subclass's Config base while the module
keeps that of the class it derives from is rewritten again with it kept
(`assigned`). Read with `ast` from the text alone.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterator

from migrator.rewrite.shared_bases import dotted, literal

STUB = "_migrator_subclass_{}"
"""The name of a copy (no name of the file: the copies are only read)."""


def class_attributes(data: bytes) -> dict[str, frozenset[str]]:
    """The module's top-level classes (of ASCII names: the copies are read
    as ASCII) → the attributes each assigns (`_assigned`)."""
    tree = _parse(data)
    return {s.name: frozenset(a for a, _ in _assigned(s)) for s in tree.body
            if isinstance(s, ast.ClassDef) and s.name.isascii()} if tree else {}


def stubs(data: bytes, classes: Collection[str], attributes: Collection[str],
          names_module: Callable[[str], bool], moved: Collection[str]) -> list[str]:
    """The copies (with `\\n` line ends) of the subclasses `data` derives
    from `classes` of the module its imports name when `names_module`
    says so, with what they assign to `attributes`: as it is when `data`'s
    own rewrite moves that attribute (`moved`: it moves with the module's
    own), `None` otherwise (it stays: a base the module cannot move with)."""
    tree = _parse(data)
    attributes = [a for a in attributes if a.isascii()]
    if tree is None or not attributes:
        return []
    found: list[str] = []
    for name, node in _derived(tree, classes, names_module):
        assigned = [f"    {a} = {_copy(v) if a in moved else 'None'}\n" for a, v in _assigned(node) if a in attributes]
        if assigned:
            found.append(f"class {STUB.format(len(found))}({name}):\n" + "".join(assigned))
    return found


def assigned(data: bytes, classes: Collection[str], names_module: Callable[[str], bool]) -> set[tuple[str, str]]:
    """(the class of the module, the attribute) for each attribute a
    subclass `data` derives from one of `classes` assigns."""
    tree = _parse(data)
    if tree is None:
        return set()
    return {(name, a) for name, node in _derived(tree, classes, names_module) for a, _ in _assigned(node)}


def _derived(
    tree: ast.Module, classes: Collection[str], names_module: Callable[[str], bool]
) -> Iterator[tuple[str, ast.ClassDef]]:
    """(the class of the module it derives from, the class statement)."""
    bound, modules = _bindings(tree, classes, names_module)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = _base_class(base, bound, modules, classes)
                if name is not None:
                    yield name, node


def _parse(data: bytes) -> ast.Module | None:
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _bindings(
    tree: ast.Module, classes: Collection[str], names_module: Callable[[str], bool]
) -> tuple[dict[str, str], set[str]]:
    """Local name → the class of the module it is bound to; the local
    (dotted) names the module itself is bound to."""
    bound: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if names_module(a.name))
        elif isinstance(node, ast.ImportFrom):
            spec = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name in classes and names_module(spec):
                    bound[alias.asname or alias.name] = alias.name
                elif names_module(spec + ("." if node.module else "") + alias.name):
                    modules.add(alias.asname or alias.name)  # `from app import client`
    return bound, modules


def _base_class(base: ast.expr, bound: dict[str, str], modules: set[str], classes: Collection[str]) -> str | None:
    """The module's class a base of a class statement names (`Client`, `client.Client`), if any."""
    name = dotted(base)
    if name is None:
        return None
    if name in bound:
        return bound[name]
    head, _, last = name.rpartition(".")
    return last if head in modules and last in classes else None


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
