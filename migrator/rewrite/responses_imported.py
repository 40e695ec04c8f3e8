"""Uses of another module's functions that this file does not follow.

In a run over several modules, a module that imports a client whose
functions give back migrated responses (`FileContext.returns`) has its
direct calls of them followed (`get_source(slug)["enabled"]`). Any other
use hands the function, or an instance whose methods give them back, to
code that is not followed (`fetch = get_source`, `map(get_source, slugs)`,
`class Mine(Segment)`, `run(segment)`): those uses are marked, since the
reads of what they give back would be left in the Config shape unseen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import bindings, responses_uses
from migrator.rewrite.context import FileContext

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer

HARMLESS = frozenset({"isinstance", "issubclass", "type", "id", "callable", "hasattr", "getattr"})
"""Calls a class or an instance can be handed to without any method being called."""


def mark_unfollowed(writer: Writer, row: str) -> None:
    ctx = writer.ctx
    given = ctx.returns
    for local, spec in bindings.imported(ctx).items():
        if not any(k.startswith(spec + ".") or k == spec for k in given):
            continue
        for use in ctx.index.names.get(local, ()):
            if not _reference(ctx, use):
                continue
            node, dotted = _reach(ctx, use, spec, given)
            holder = ctx.parent(node)
            if isinstance(holder, cst.Call) and holder.func is node:
                continue  # a call the flow follows (or a class made into an instance it follows)
            if dotted in given:
                if isinstance(holder, cst.Attribute):
                    continue  # an attribute of the function (`get_source.cache_clear()`)
                what = responses_uses.WHAT.get(given[dotted].what, "a response")  # type: ignore[attr-defined]
                writer.mark(row, node, writer.message("handed", name=ctx.src.code(node) or local, what=what))
            elif any(k.startswith(dotted + ".") for k in given) and _hands_on(ctx, node):
                writer.mark(row, node, writer.message("handed-methods", name=ctx.src.code(node) or local))


def _reference(ctx: FileContext, name: cst.Name) -> bool:
    """`name` is read here (not an attribute's name, a keyword, or the import itself)."""
    holder = ctx.parent(name)
    if isinstance(holder, cst.Attribute) and holder.attr is name:
        return False
    if isinstance(holder, cst.Arg) and holder.keyword is name:
        return False
    return not bindings.binds(ctx, name) and not bindings.in_import(ctx, name)


def _reach(ctx: FileContext, name: cst.Name, spec: str, given: object) -> tuple[cst.BaseExpression, str]:
    """The longest attribute chain from `name` (`client.segment.get_source`)
    that names a key of `given` or a prefix of one, and what it names."""
    node: cst.BaseExpression = name
    dotted = spec
    while dotted not in given:  # type: ignore[operator]
        holder = ctx.parent(node)
        if not (isinstance(holder, cst.Attribute) and holder.value is node):
            break
        longer = f"{dotted}.{holder.attr.value}"
        if not any(k == longer or k.startswith(longer + ".") for k in given):  # type: ignore[attr-defined]
            break
        node, dotted = holder, longer
    return node, dotted


def _hands_on(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """A class or an instance whose methods give back responses, used so
    that its methods may be called where they are not followed: subclassed,
    bound to another name, passed, returned, stored (not an annotation, a
    test of its type, or an attribute read that names no such method)."""
    holder = ctx.parent(node)
    if isinstance(holder, (cst.Attribute, cst.Annotation)):
        return False
    if isinstance(holder, cst.Arg):
        call = ctx.parent(holder)
        if isinstance(call, cst.ClassDef):
            return True
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value in HARMLESS:
            return False
        return True
    if isinstance(holder, (cst.Comparison, cst.ComparisonTarget, cst.Subscript, cst.SubscriptElement, cst.Index)):
        return False
    return True
