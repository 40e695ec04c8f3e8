"""Types of the file that declare Config fields (`class Source(TypedDict):
display_name: str`, a pydantic model, a dataclass) put on a migrated
response: a typed binding (`src: Source = r.json()`) or what a function
declares it gives back (`def get_web() -> Source:` returning one). The
value now has the Public shape while its type still says the Config one;
the rewrite does not change a type, so the annotation is marked, naming the
class and its Config fields (after the rewrite the file may call the Public
API only, and this marker is the to-do the audit keeps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import line_refs
from migrator.rewrite.known_names import config_fields
from migrator.rewrite.responses_flow import DOC, ITEM, LIST, SUB, Scope, proven
from migrator.rewrite.responses_uses import WHAT

if TYPE_CHECKING:
    from migrator.rewrite.context import FileContext
    from migrator.rewrite.responses import Writer

TYPED = (DOC, LIST, ITEM, SUB)
"""Values a type of Config fields may describe: decoded JSON, not a response object."""


@dataclass(frozen=True)
class Declared:
    line: str
    """`line N` of its name (`line_refs.of`: the number is the rewritten file's in the comment)."""
    fields: tuple[str, ...]
    """Its Config fields, in order, with their hints (`` `display_name` (`name`) ``)."""


def declared(ctx: FileContext) -> dict[str, Declared]:
    """Classes of the file (by name, one class only) whose body annotates
    Config field names (`config_fields`)."""
    if "class" not in ctx.src.text:
        return {}
    known = config_fields(ctx.rules)
    found: dict[str, Declared | None] = {}
    for node in ctx.index.parents:
        if not isinstance(node, cst.ClassDef) or not isinstance(node.body, cst.IndentedBlock):
            continue
        fields = [
            f"`{target.value}` ({known[target.value]})"
            for line in node.body.body if isinstance(line, cst.SimpleStatementLine)
            for small in line.body if isinstance(small, cst.AnnAssign)
            and isinstance(target := small.target, cst.Name) and target.value in known
        ]
        name = node.name.value
        if name in found:
            found[name] = None  # two classes of that name: which one is meant is not told
        elif fields:
            found[name] = Declared(line_refs.of(ctx, node.name), tuple(fields))
    return {name: d for name, d in found.items() if d is not None}


def _named(annotation: cst.BaseExpression, types: dict[str, Declared]) -> str | None:
    """The first class of `types` an annotation names (`Source`,
    `list[Source]`, `Optional[Source]`, `"Source"`)."""
    if isinstance(annotation, cst.SimpleString):  # a forward reference: the annotation it holds
        value = annotation.evaluated_value
        try:
            held = cst.parse_expression(value) if isinstance(value, str) else None
        except cst.ParserSyntaxError:
            return None
        return _named(held, types) if held is not None and not isinstance(held, cst.SimpleString) else None
    if isinstance(annotation, cst.Name):
        return annotation.value if annotation.value in types else None
    found: list[str] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value in types:
                found.append(node.value)

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            return False  # `models.Source`: another module's

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            name = _named(node, types)
            if name is not None:
                found.append(name)

    annotation.visit(Names())
    return found[0] if found else None


def _mark(writer: Writer, node: cst.CSTNode, name: str, types: dict[str, Declared], what: str) -> None:
    if id(node) in writer.typed:
        return
    writer.typed.add(id(node))
    kind = types[name]
    writer.mark(writer.row, node, writer.message(
        "typed", name=name, line=kind.line, fields=_listed(kind.fields), what=what))


def _listed(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def binding(writer: Writer, scope: Scope, node: cst.AnnAssign) -> None:
    """`src: Source = r.json()`: a migrated value bound under a Config type."""
    if node.value is None or not writer.types:
        return
    name = _named(node.annotation.annotation, writer.types)
    shape = proven(scope.eval(node.value)) if name is not None else None
    if name is not None and shape is not None and shape.what in TYPED:
        _mark(writer, node.annotation, name, writer.types, WHAT[shape.what])


def mark_returns(writer: Writer) -> None:
    """`def get_web() -> Source:` giving back a migrated value (its own
    analysis, with nothing passed)."""
    if not writer.types:
        return
    for function in writer.ctx.index.parents:
        if not isinstance(function, cst.FunctionDef) or function.returns is None:
            continue
        name = _named(function.returns.annotation, writer.types)
        scope = writer.flow.scopes.get((id(function), ())) if name is not None else None
        shape = proven(scope.returns) if scope is not None else None
        if name is not None and shape is not None and shape.what in TYPED:
            _mark(writer, function.returns, name, writer.types, WHAT[shape.what])
