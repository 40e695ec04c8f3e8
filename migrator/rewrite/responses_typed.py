"""Types that declare Config fields (`class Source(TypedDict): display_name:
str`, a pydantic model, a dataclass), of the file or imported from another
module of the run (`FileContext.types`), put on a migrated response: a typed
binding (`src: Source = r.json()`), what a function declares it gives back
(`def get_web() -> Source:` returning one), or a parameter a call of the
file passes one to (`def show(src: Source)` called as `show(r.json())`). The
value now has the Public shape while its type still says the Config one;
the rewrite does not change a type, so the annotation is marked, naming the
class and its Config fields (after the rewrite the file may call the Public
API only, and this marker is the to-do the audit keeps)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import bindings, line_refs
from migrator.rewrite.responses_flow import DOC, ITEM, LIST, SUB, Scope, imported_name, proven
from migrator.rewrite.responses_uses import WHAT
from migrator.rewrite.typed_classes import Declared, hinted

if TYPE_CHECKING:
    from migrator.rewrite.context import FileContext
    from migrator.rewrite.responses import Writer

TYPED = (DOC, LIST, ITEM, SUB)
"""Values a type of Config fields may describe: decoded JSON, not a response object."""


def declared(ctx: FileContext) -> dict[str, Declared]:
    """Classes of the file (by name, one class only) whose body annotates
    Config field names (`config_fields`), and those of other modules of the
    run the file imports under a name nothing else binds (by that name,
    `ctx.types`); those it reaches through a module (`models.Source`) are
    found by `_named`."""
    found: dict[str, Declared | None] = {}
    if "class" in ctx.src.text or "TypedDict" in ctx.src.text:
        for node in ctx.index.parents:
            kind = type(node)  # (not isinstance(): libcst's nodes are ABCs, slow to test)
            made = _functional(node) if kind is cst.Assign else None  # type: ignore[arg-type]
            if made is not None:
                target, keys = made
                fields = hinted(keys, ctx.rules)
                name = target.value
                found[name] = None if name in found else Declared(name, line_refs.of(ctx, target), fields)
                continue
            if kind is not cst.ClassDef or not isinstance(node.body, cst.IndentedBlock):  # type: ignore[attr-defined]
                continue
            fields = hinted([
                target.value for line in node.body.body if isinstance(line, cst.SimpleStatementLine)
                for small in line.body
                if isinstance(small, cst.AnnAssign) and isinstance(target := small.target, cst.Name)
            ], ctx.rules)
            name = node.name.value
            if name in found:
                found[name] = None  # two classes of that name: which one is meant is not told
            elif fields:
                found[name] = Declared(name, line_refs.of(ctx, node.name), fields)
    if ctx.types:
        for local, spec in bindings.imported(ctx).items():
            if spec in ctx.types and local not in found:
                found[local] = ctx.types[spec]
    return {name: d for name, d in found.items() if d is not None and d.fields}


def _functional(node: cst.Assign) -> tuple[cst.Name, list[str]] | None:
    """`Source = TypedDict("Source", {"display_name": str}, total=False)`
    (`typing.TypedDict` too): the name bound and the keys, in order."""
    call = node.value
    target = node.targets[0].target if len(node.targets) == 1 else None
    if not isinstance(call, cst.Call) or not isinstance(target, cst.Name):
        return None
    callee = call.func
    if not (isinstance(callee, cst.Name) and callee.value == "TypedDict"
            or isinstance(callee, cst.Attribute) and callee.attr.value == "TypedDict"):
        return None
    given = [a for a in call.args if a.keyword is None]
    if len(given) != 2 or given[0].star or given[1].star or not isinstance(keys := given[1].value, cst.Dict):
        return None
    return target, [value for e in keys.elements if isinstance(e, cst.DictElement)
                    and isinstance(e.key, cst.SimpleString) and isinstance(value := e.key.evaluated_value, str)]


def _named(writer: Writer, annotation: cst.BaseExpression) -> Declared | None:
    """The first class of `writer.types` an annotation names (`Source`,
    `list[Source]`, `Optional[Source]`, `"Source"`), or of another module's
    `ctx.types` through a module the file imports (`models.Source`)."""
    types, ctx = writer.types, writer.ctx
    if isinstance(annotation, cst.SimpleString):  # a forward reference: the annotation it holds
        value = annotation.evaluated_value
        try:
            held = cst.parse_expression(value) if isinstance(value, str) else None
        except cst.ParserSyntaxError:
            return None
        return _named(writer, held) if held is not None and not isinstance(held, cst.SimpleString) else None
    if isinstance(annotation, cst.Name):
        return types.get(annotation.value)
    if isinstance(annotation, cst.Attribute):
        dotted = imported_name(ctx, annotation) if ctx.types else None
        return ctx.types.get(dotted) if dotted is not None else None
    found: list[Declared] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value in types:
                found.append(types[node.value])

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            kind = _named(writer, node)
            if kind is not None:
                found.append(kind)
            return False  # `x.Source` is no `Source` of this file

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            kind = _named(writer, node)
            if kind is not None:
                found.append(kind)

    annotation.visit(Names())
    return found[0] if found else None


def _mark(writer: Writer, node: cst.CSTNode, kind: Declared, what: str) -> None:
    if id(node) in writer.typed:
        return
    writer.typed.add(id(node))
    writer.mark(writer.row, node, writer.message(
        "typed", name=kind.name, line=kind.line, fields=_listed(kind.fields), what=what))


def _listed(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def binding(writer: Writer, scope: Scope, node: cst.AnnAssign) -> None:
    """`src: Source = r.json()`: a migrated value bound under a Config type."""
    if node.value is None or not writer.types and not writer.ctx.types:
        return
    kind = _named(writer, node.annotation.annotation)
    shape = proven(scope.eval(node.value)) if kind is not None else None
    if kind is not None and shape is not None and shape.what in TYPED:
        _mark(writer, node.annotation, kind, WHAT[shape.what])


def mark_returns(writer: Writer) -> None:
    """`def get_web() -> Source:` giving back a migrated value (its own
    analysis, with nothing passed)."""
    if not writer.types and not writer.ctx.types:
        return
    for function in writer.ctx.index.parents:
        if type(function) is not cst.FunctionDef or function.returns is None:  # type: ignore[attr-defined]
            continue
        kind = _named(writer, function.returns.annotation)
        scope = writer.flow.scopes.get((id(function), ())) if kind is not None else None
        shape = proven(scope.returns) if scope is not None else None
        if kind is not None and shape is not None and shape.what in TYPED:
            _mark(writer, function.returns, kind, WHAT[shape.what])


def mark_params(writer: Writer) -> None:
    """`def show(src: Source)` that a call of the file passes a migrated
    value to (`show(r.json())`, `show(data)`): each analysis of a function
    under the arguments its calls give (`Flow.scopes`). The reads of it in
    `show` are rewritten, or marked, as for any such function."""
    if not writer.types and not writer.ctx.types:
        return
    for scope in list(writer.flow.scopes.values()):
        function = scope.node
        if scope.base or not isinstance(function, cst.FunctionDef):
            continue
        params = function.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            shape = proven(scope.binding.get(param.name.value))
            kind = _named(writer, param.annotation.annotation) if param.annotation is not None and shape else None
            if kind is not None and shape is not None and shape.what in TYPED:
                _mark(writer, param.annotation, kind, WHAT[shape.what])
