"""Rewrite or mark a test's patches of base constants the run moved, and
the doubles on the patched value (see `patched_bases`)."""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit

ROW = "rewrite.mocks"
PARTIAL = "rewrite.partial-path"
PATCH = (
    "the code under test now joins Public API paths to `{target}` ({where} moves it to `{new}`), so to the "
    "value patched here too: patch it to the Public base and migrate the doubles on it"
)
DOUBLE = (
    "this double is on the value the test patches `{target}` to, to which the code under test now joins "
    "Public API paths ({where} moves it to `{new}`): migrate it with that patch"
)


def mark_patched_bases(ctx: FileContext) -> None:
    """Rewrite or mark the patches of moved base constants (see the module)."""
    from migrator.rewrite.clients import qualified_name
    from migrator.rewrite.responses_imported import patch_targets

    patched = ctx.shared.patched
    for call in [n for n in ctx.index.parents if isinstance(n, cst.Call)]:
        targets, _ = patch_targets(ctx, call)
        target = next((t for t in targets if t in patched), None)
        if target is None:
            continue
        old, new, where = patched[target]
        value = _patched_value(call, qualified_name(ctx, call.func))
        text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
        doubles = _doubles_on(ctx, text, value) if isinstance(text, str) else []
        configs = {row.config.rstrip("/") for row in ctx.rules.hosts}
        if text == old and old.rstrip("/") in configs and all(_migrated(ctx, d) for d in doubles):
            if _replace(ctx, value, new):  # type: ignore[arg-type]
                continue
        if ctx.suppressed(call, ROW):
            continue
        _unmark(ctx, value)
        ctx.mark(ROW, call, PATCH.format(target=target, where=where, new=new))
        for double in doubles:
            if not _marked(ctx, double) and not ctx.suppressed(double, ROW):
                ctx.mark(ROW, double, DOUBLE.format(target=target, where=where, new=new))


def _patched_value(call: cst.Call, name: str) -> cst.BaseExpression | None:
    """The value a patching call puts in place: `setattr(obj, "NAME", value)`,
    `patch.object(obj, "NAME", new)`, `patch("mod.NAME", new)` (or `new=`, `value=`)."""
    args = [a.value for a in call.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    by_object = name.endswith("patch.object") or (name.endswith("setattr") and len(args) >= 3)
    at = 2 if by_object else 1
    if len(args) > at:
        return args[at]
    return keywords.get("new", keywords.get("value"))


def _doubles_on(ctx: FileContext, value: str, patch: cst.BaseExpression | None) -> list[cst.SimpleString]:
    """The file's strings that start with the patched value, followed by a
    path or a query (the URLs of its doubles on it), but the patch's own."""
    found: list[cst.SimpleString] = []
    for node in ctx.index.parents:
        if isinstance(node, cst.SimpleString) and node is not patch:
            text = node.evaluated_value
            if isinstance(text, str) and text.startswith(value) and text[len(value):][:1] in ("/", "?"):
                found.append(node)
    return found


def _migrated(ctx: FileContext, node: cst.CSTNode) -> bool:
    """This run changed `node`, and marks nothing of its statement."""
    span = ctx.src.span(node)
    return span is not None and ctx.edits.overlaps(Edit(span[0], span[1], "")) and not _marked(ctx, node)


def _marked(ctx: FileContext, node: cst.CSTNode) -> bool:
    statement = ctx.src.span(ctx.statement_of(node))
    return statement is not None and any(m.statement == statement[0] for m in ctx.markers)


def _replace(ctx: FileContext, value: cst.SimpleString, new: str) -> bool:
    """Write `new` in place of the patched string, in its quotes; drop the
    marker this run put on it as a Config base used in a way not followed."""
    from migrator.rewrite.mocks import record

    span = ctx.src.span(value)
    if span is None or '"' in new or "'" in new or "\\" in new:
        return False
    if not record(ctx, [Edit(span[0], span[1], f"{value.prefix}{value.quote}{new}{value.quote}")], ROW):
        return False
    _unmark(ctx, value)
    return True


def _unmark(ctx: FileContext, value: cst.BaseExpression | None) -> None:
    """Drop the generic marker of a Config base URL (`rewrite.partial-path`)
    on the patched value: the patch's own marker (or its rewrite) says more."""
    span = ctx.src.span(value) if value is not None else None
    if span is not None:
        ctx.markers[:] = [m for m in ctx.markers if not (m.rule == PARTIAL and span[0] <= m.offset < span[1])]
