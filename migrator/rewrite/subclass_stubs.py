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
the subclass is in the file. A value other than a plain string is copied
as `None`, which no base is. Read with `ast` from the text alone.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterator

from migrator.rewrite.shared_bases import literal

STUB = "_migrator_subclass_{}"
"""The name of a copy (no name of the file: the copies are only read)."""


def class_names(data: bytes) -> frozenset[str]:
    """The module's top-level classes (of ASCII names: the copies are read as ASCII)."""
    tree = _parse(data)
    return frozenset(s.name for s in tree.body if isinstance(s, ast.ClassDef) and s.name.isascii()) if tree \
        else frozenset()


def stubs(data: bytes, classes: Collection[str], attributes: Collection[str],
          names_module: Callable[[str], bool]) -> list[str]:
    """The copies (with `\\n` line ends) of the subclasses `data` derives
    from `classes` of the module its imports name when `names_module`
    says so, with what they assign to `attributes`."""
    tree = _parse(data)
    attributes = [a for a in attributes if a.isascii()]
    if tree is None or not attributes:
        return []
    bound, modules = _bindings(tree, classes, names_module)
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        names = [n for b in node.bases if (n := _base_class(b, bound, modules, classes)) is not None]
        assigned = [f"    {a} = {v}\n" for a, v in _assigned(node, attributes)] if names else []
        found.extend(f"class {STUB.format(len(found) + i)}({n}):\n" + "".join(assigned)
                     for i, n in enumerate(names) if assigned)
    return found


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
    dotted = _dotted(base)
    if dotted is None:
        return None
    if dotted in bound:
        return bound[dotted]
    head, _, last = dotted.rpartition(".")
    return last if head in modules and last in classes else None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


def _assigned(klass: ast.ClassDef, attributes: Collection[str]) -> Iterator[tuple[str, str]]:
    """(attribute, the copy of its value) for each assignment of `attributes`
    in the class body or to `self.<attribute>` in one of its methods."""
    for statement in klass.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = statement.args.posonlyargs + statement.args.args
            me = args[0].arg if args else None
            for node in ast.walk(statement):
                for target, value in _targets(node):
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                            and target.value.id == me and target.attr in attributes:
                        yield target.attr, _copy(value)
        for target, value in _targets(statement):
            if isinstance(target, ast.Name) and target.id in attributes:
                yield target.id, _copy(value)


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
