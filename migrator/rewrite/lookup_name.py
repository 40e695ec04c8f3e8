"""Whether code reads the generated lookup module where a lookup would go.

The rewrite writes `segment_ids.source_id(slug)` and adds `import segment_ids`
(`--lookup-module`). That call reads the module only where nothing else in
the file binds the name: a parameter, a loop or `with` target, an
assignment, a `def`, a `global`, an import of another module under that
name, ... in the scope the call is in or one around it (a module-level one
counts everywhere; a comprehension's, inside it; a class body's, in that
body). A plain `import NAME` is the generated module unless the file reads
something of it the generated module does not have (`json.dumps`): then it
is another module of that name. A star import may bind any name. Where the
name is taken, no lookup is written: the caller marks the line instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite import line_refs
from migrator.rewrite.bindings import binds
from migrator.rewrite.context import FileContext, _dotted
from migrator.ruleset import RuleSet

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_BLOCKS = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_HOW = {
    cst.Param: "a parameter",
    cst.For: "a loop variable",
    cst.CompFor: "a loop variable",
    cst.FunctionDef: "a function",
    cst.ClassDef: "a class",
    cst.NameItem: "declared `global`",
    cst.Del: "deleted with `del`",
    cst.ExceptHandler: "an `except ... as` name",
    cst.WithItem: "a `with ... as` name",
}


@dataclass(frozen=True)
class Taken:
    """A binding of the lookup module's name to something else."""

    region: cst.CSTNode
    """Where it holds: the module, a function or lambda, a comprehension, a class body."""
    what: str
    """What binds it (`a parameter`)."""
    node: cst.CSTNode
    """Where it is bound."""

    def how(self, ctx: FileContext) -> str:
        """What binds it, and on which line (`a parameter on line 6`)."""
        return f"{self.what} on {line_refs.of(ctx, self.node)}"


def lookup_at(ctx: FileContext, *nodes: cst.CSTNode) -> str | None:
    """The lookup module's name, if code at each of `nodes` reads it as the
    generated module (no lookup module, or the name taken there: None)."""
    if ctx.lookup_module is None or taken_at(ctx, *nodes) is not None:
        return None
    return ctx.lookup_module


def taken_at(ctx: FileContext, *nodes: cst.CSTNode) -> Taken | None:
    """The first binding that keeps code at one of `nodes` from reading the
    lookup module (None when there is none, or no lookup module)."""
    if ctx.lookup_module is None:
        return None
    for taken in _bindings(ctx):
        if any(_covers(ctx, taken.region, node) for node in nodes):
            return taken
    return None


def imported(ctx: FileContext) -> bool:
    """A module-level `import NAME` of the generated module is in the file
    (an import inside a function does not serve the rest of the file)."""
    name = ctx.lookup_module
    module = ctx.src.module
    return name is not None and any(
        _alias_kind(ctx, n)[0] == "plain" and ctx.index.scope_of(n) is module and ctx.index.class_of(n) is None
        for n in ctx.index.names.get(name, ())
    )


def _bindings(ctx: FileContext) -> list[Taken]:
    """Every binding of the name that is not the generated module (cached)."""
    key = __name__
    found = ctx.state.get(key)
    if isinstance(found, list):
        return found
    name = ctx.lookup_module or ""
    taken: list[Taken] = []
    plain: list[cst.Name] = []
    reads: list[cst.Name] = []
    for node in ctx.index.names.get(name, ()):
        kind, what = _alias_kind(ctx, node)
        if kind == "plain":
            plain.append(node)
        elif kind == "other":
            taken.append(Taken(_region(ctx, node), what, node))
        elif kind == "read" and binds(ctx, node):
            taken.append(Taken(_region(ctx, node), _how(ctx, node), node))
        elif kind == "read":
            reads.append(node)
    for star in ctx.index.star_imports:
        source = "." * len(star.relative) + (_dotted(star.module) if star.module is not None else "")
        taken.append(Taken(ctx.src.module, f"maybe bound by `from {source} import *`", star))
    foreign = _foreign_read(ctx, reads, taken)
    if foreign is not None:
        for node in plain:
            taken.append(Taken(_region(ctx, node), f"another module whose `{foreign}` the code reads, imported", node))
    ctx.state[key] = taken
    return taken


def _alias_kind(ctx: FileContext, name: cst.Name) -> tuple[str, str]:
    """How an import statement holds `name`: ("plain", "") for `import NAME`,
    ("other", what) for an import binding it to something else, ("none", "")
    for a part of an import that binds nothing (`from NAME import x`), and
    ("read", "") outside imports."""
    holder = ctx.parent(name)
    if isinstance(holder, cst.ImportAlias) and holder.name is name:
        statement = ctx.parent(holder)
        if holder.asname is not None:
            return "none", ""  # `import NAME as x`: binds x
        if isinstance(statement, cst.Import):
            return "plain", ""
        source = "." * len(statement.relative) + (_dotted(statement.module) if statement.module else "")  # type: ignore[union-attr]
        return "other", f"imported from `{source}`"
    if isinstance(holder, cst.AsName) and isinstance(ctx.parent(holder), cst.ImportAlias):
        alias = ctx.parent(holder)
        return "other", f"`{_dotted(alias.name)}` imported under that name"  # type: ignore[union-attr]
    if isinstance(holder, cst.Attribute) and holder.attr is name or isinstance(holder, cst.Arg) and holder.keyword is name:
        return "none", ""  # `x.NAME`, `f(NAME=...)`: no name of this scope
    node: cst.CSTNode | None = holder
    while isinstance(node, cst.Attribute):
        node = ctx.parent(node)
    if isinstance(node, cst.ImportAlias) and isinstance(ctx.parent(node), cst.Import) and node.asname is None:
        return "other", f"`import {_dotted(node.name)}`"  # binds the package NAME
    if isinstance(node, (cst.ImportAlias, cst.ImportFrom)):
        return "none", ""
    return "read", ""


def _how(ctx: FileContext, name: cst.Name) -> str:
    holder = ctx.parent(name)
    while isinstance(holder, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
        holder = ctx.parent(holder)
    if isinstance(holder, cst.AsName):
        holder = ctx.parent(holder)
    if isinstance(holder, cst.NameItem) and isinstance(ctx.parent(holder), cst.Nonlocal):
        return "declared `nonlocal`"
    for kind, text in _HOW.items():
        if isinstance(holder, kind):
            return text
    return "assigned"


def _region(ctx: FileContext, name: cst.Name) -> cst.CSTNode:
    """Where a binding of `name` holds (see `Taken.region`)."""
    index = ctx.index
    holder = ctx.parent(name)
    start: cst.CSTNode = holder if isinstance(holder, (cst.FunctionDef, cst.ClassDef)) and holder.name is name else name
    if _comprehension_target(ctx, name):
        node = ctx.parent(name)
        while node is not None and not isinstance(node, _COMPREHENSIONS):
            node = ctx.parent(node)
        if node is not None:
            return node
    block = ctx.parent(start)
    while block is not None and not isinstance(block, _BLOCKS):
        block = ctx.parent(block)
    if isinstance(block, cst.ClassDef):
        return block
    scope = index.scope_of(start)
    if not isinstance(scope, cst.Module) and index.declares_global(scope, name.value):
        return ctx.src.module
    return scope


def _comprehension_target(ctx: FileContext, name: cst.Name) -> bool:
    node: cst.CSTNode = name
    holder = ctx.parent(node)
    while isinstance(holder, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
        node, holder = holder, ctx.parent(holder)
    return isinstance(holder, cst.CompFor) and holder.target is node


def _covers(ctx: FileContext, region: cst.CSTNode, node: cst.CSTNode) -> bool:
    if isinstance(region, cst.Module):
        return True
    if isinstance(region, cst.ClassDef):
        block = ctx.parent(node)
        while block is not None and not isinstance(block, _BLOCKS):
            block = ctx.parent(block)
        return block is region
    return ctx.within(node, region)


def _foreign_read(ctx: FileContext, reads: list[cst.Name], taken: list[Taken]) -> str | None:
    """A read of the name, not bound otherwise where it stands, of something
    the generated module does not have (`json.dumps`, the bare name): the
    text read, or None."""
    functions = generated_functions(ctx.rules)
    for read in reads:
        if any(_covers(ctx, t.region, read) for t in taken):
            continue
        holder = ctx.parent(read)
        if isinstance(holder, cst.Attribute) and holder.value is read:
            if holder.attr.value not in functions:
                return f"{read.value}.{holder.attr.value}"
        else:
            return read.value
    return None


def generated_functions(rules: RuleSet) -> frozenset[str]:
    """The names the generated module defines for code to call."""
    from migrator.rewrite.pages import HELPER
    from migrator.rewrite.slugs import function_name

    return frozenset(
        {function_name(ref.lookup) for endpoint in rules.endpoints for ref in endpoint.ids.values()} | {HELPER}
    )
