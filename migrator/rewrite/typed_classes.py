"""Classes that declare Config fields (`class Source(TypedDict): display_name:
str`, or `Source = TypedDict("Source", {"display_name": str})`), as
`responses_typed` names them in its markers; those of a module read alone,
for the driver to give the modules of the run that import them
(`FileContext.types`)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from migrator.rewrite.known_names import config_fields
from migrator.ruleset import RuleSet


@dataclass(frozen=True)
class Declared:
    name: str
    """The class's own name (`Source`)."""
    line: str
    """`line N` of its name (`line_refs.of`: the number is the rewritten file's
    in the comment); `app/models.py:4` for a class of another module."""
    fields: tuple[str, ...]
    """Its Config fields, in order, with their hints (`` `display_name` (`name`) ``)."""


def hinted(fields: list[str], rules: RuleSet) -> tuple[str, ...]:
    """The Config field names among `fields`, each with its hint (`config_fields`)."""
    known = config_fields(rules)
    return tuple(f"`{name}` ({known[name]})" for name in fields if name in known)


_ANNOTATING: dict[RuleSet, tuple[re.Pattern[bytes], re.Pattern[bytes]]] = {}


def may_declare(data: bytes, rules: RuleSet) -> bool:
    """A quick look: `data` has a class and an indented line annotating a
    Config field name (`    display_name: str`), or `TypedDict` and a
    Config field name as a key (`"display_name": str`)."""
    found = _ANNOTATING.get(rules)
    if found is None:
        names = b"|".join(re.escape(n.encode()) for n in sorted(config_fields(rules)))
        found = _ANNOTATING[rules] = (re.compile(rb"^[ \t]+(?:" + names + rb")[ \t]*:", re.M),
                                      re.compile(rb"[\"'](?:" + names + rb")[\"'][ \t]*:"))
    annotated, keyed = found
    return (b"class" in data and annotated.search(data) is not None
            or b"TypedDict" in data and keyed.search(data) is not None)


def functional(node: ast.stmt) -> tuple[str, list[str]] | None:
    """`Source = TypedDict("Source", {"display_name": str}, total=False)`
    (`typing.TypedDict` too): the name bound and the keys, in order."""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        return None
    call, name = node.value, node.targets[0].id
    callee = call.func if isinstance(call, ast.Call) else None
    if (not isinstance(call, ast.Call) or len(call.args) != 2 or not isinstance(call.args[1], ast.Dict)
            or not (isinstance(callee, ast.Name) and callee.id == "TypedDict"
                    or isinstance(callee, ast.Attribute) and callee.attr == "TypedDict")):
        return None
    return name, [k.value for k in call.args[1].keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]


def module_classes(data: bytes, rules: RuleSet) -> dict[str, tuple[int, tuple[str, ...]]]:
    """The module-level classes of a module (one of each name in the whole
    file) whose body annotates Config field names, or TypedDicts of the
    functional form whose keys are such names, → the line of the class's
    name and those fields, hinted; nothing for a module that does not parse."""
    if not may_declare(data, rules):
        return {}
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return {}
    every = [n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    every += [made[0] for n in ast.walk(tree) if isinstance(n, ast.Assign) and (made := functional(n))]
    found: dict[str, tuple[int, tuple[str, ...]]] = {}
    for node in tree.body:
        made = functional(node)
        if made is not None and every.count(made[0]) == 1 and (fields := hinted(made[1], rules)):
            found[made[0]] = (node.lineno, fields)
        if not isinstance(node, ast.ClassDef) or every.count(node.name) != 1:
            continue  # two classes of that name: which one is meant is not told
        fields = hinted([s.target.id for s in node.body
                         if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)], rules)
        if fields:
            found[node.name] = (node.lineno, fields)  # the line of `class`, not of a decorator
    return found

