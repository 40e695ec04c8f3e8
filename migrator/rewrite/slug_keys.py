"""Slugs known before the program runs (part of `rewrite.slug-ids`).

A slug in a path may be held in a value whose text the code itself fixes:
a constant bound once (`SOURCE = "backend"`, see `constants.constant_text`)
or the variable of a `for` loop over literal items (`for slug in ("web",
"old-blog"):`). Then the keys the id lookup will be asked for are known at
rewrite time, and the id map can be checked for them now.
"""

from __future__ import annotations

import itertools

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.constants import constant_text
from migrator.rewrite.context import FileContext
from migrator.rewrite.strings import Hole
from migrator.ruleset.templates import Template

Value = tuple[str, object]
"""("lit", text) or ("hole", Hole), as the paths kind reads a path's values."""


def texts_of(ctx: FileContext, value: Value, site: cst.CSTNode) -> list[str] | None:
    """Every text a path value can hold, or None when that is not known."""
    kind, held = value
    if kind == "lit":
        return [str(held)]
    assert isinstance(held, Hole)
    if held.node is None or not held.plain:
        return None
    return node_texts(ctx, held.node, site)


def texts_read(ctx: FileContext, value: Value, site: cst.CSTNode) -> list[str]:
    """The known texts of the names a path value's expression reads
    (`str(ws)` in `for ws in ("globex",):` → "globex"), for a workspace
    check when the value's own texts are not known."""
    kind, held = value
    if kind == "lit" or not isinstance(held, Hole) or held.node is None:
        return []
    texts: list[str] = []
    for name in _names_read(held.node):
        for text in node_texts(ctx, name, site) or []:
            if text not in texts:
                texts.append(text)
    return texts


def _names_read(node: cst.CSTNode) -> list[cst.Name]:
    """Names read in an expression (not attribute names or keywords)."""
    if isinstance(node, cst.Name):
        return [node]
    if isinstance(node, cst.Attribute):
        return _names_read(node.value)
    if isinstance(node, cst.Arg):
        return _names_read(node.value)
    if isinstance(node, cst.Lambda):
        return _names_read(node.body)
    return [name for child in node.children for name in _names_read(child)]


def node_texts(ctx: FileContext, node: cst.BaseExpression, site: cst.CSTNode) -> list[str] | None:
    """Every text an expression can hold: a constant, or each literal item
    of the loop whose variable it is; None when that is not known."""
    text = constant_of(ctx, node, site)
    if text is not None:
        return [text]
    if not isinstance(node, cst.Name):
        return None  # `slug.strip()`, `str(slug)`, `slug or "a"`: not followed
    items = clients.loop_values(ctx, node)
    if items is None:
        return None
    texts: list[str] = []
    for item in items:
        found = constant_text(ctx, item, item) if isinstance(item, cst.BaseExpression) else None
        if found is None:
            return None
        if found not in texts:
            texts.append(found)
    return texts


def constant_of(ctx: FileContext, node: cst.BaseExpression, site: cst.CSTNode) -> str | None:
    """`constants.constant_text`, remembered per file for names (see `_constant_name`)."""
    return _constant_name(ctx, node, site) if isinstance(node, cst.Name) else constant_text(ctx, node, site)


def _constant_name(ctx: FileContext, name: cst.Name, site: cst.CSTNode) -> str | None:
    """`constant_text` of a name, remembered per file for names the function
    of `site` does not assign (then the answer does not depend on the site)."""
    assigned = ctx.index.assignments
    scope = ctx.index.scope_of(site)
    local = scope is not ctx.src.module and bool(assigned.get((scope, name.value)))
    if not local and not assigned.get((ctx.src.module, name.value)):
        return None  # assigned neither here nor at module level: not a constant
    if local:
        return constant_text(ctx, name, site)
    cache: dict[str, str | None] = ctx.state.setdefault(__name__, {})  # type: ignore[assignment]
    if name.value not in cache:
        cache[name.value] = constant_text(ctx, name, site)
    return cache[name.value]


def known_keys(
    ctx: FileContext, key: str, values: dict[str, Value], site: cst.CSTNode
) -> list[str] | None:
    """The keys `key` (a template over the path's parameters) is filled to,
    when each is known; None otherwise."""
    choices: dict[str, list[str]] = {}
    for param in Template(key).params:
        texts = texts_of(ctx, values[param], site) if param in values else None
        if not texts:
            return None
        choices[param] = texts
    return fill_keys(key, choices)


def fill_keys(key: str, choices: dict[str, list[str]]) -> list[str] | None:
    """Every key `key` is filled to from the texts of its parameters. At
    most one parameter may take several texts: two loop variables need not
    run through every pair."""
    params = Template(key).params
    if sum(len(choices[p]) > 1 for p in params) > 1:
        return None
    template = Template(key)
    return [template.fill(dict(zip(params, combo))) for combo in itertools.product(*(choices[p] for p in params))]
