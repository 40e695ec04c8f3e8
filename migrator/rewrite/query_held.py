"""The literal text a call's URL is written with, the names it is built from
included: `URL = ".../sources?page_size=50"` then `requests.get(URL)` sends
that query as surely as `requests.get(".../sources?page_size=50")` does
(`pagination` renames it, or reads its other keys, in either place)."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext

DEPTH = 4


class Unsure(Exception):
    """A name in the URL may hold one of several texts, one with a query:
    which one a call sends cannot be told."""


def texts(ctx: FileContext, call: cst.Call) -> list[cst.SimpleString | cst.FormattedStringText]:
    """The string pieces of the call's arguments and of the values the names
    in them hold (a name bound once), in order; `Unsure` when a name bound
    more than once holds a query in one of its values."""
    found: list[cst.SimpleString | cst.FormattedStringText] = []
    for arg in call.args:
        followed = arg.keyword is None or arg.keyword.value == "url"  # not `params=`, `json=`, `headers=`
        found.extend(_texts(ctx, [arg.value], DEPTH if followed else 0, set()))
    return found


def _texts(
    ctx: FileContext, nodes: list[cst.CSTNode], depth: int, seen: set[int]
) -> Iterator[cst.SimpleString | cst.FormattedStringText]:
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.SimpleString, cst.FormattedStringText)):
            yield node
        elif isinstance(node, (cst.Name, cst.Attribute)) and depth > 0 and id(node) not in seen and _value_use(ctx, node):
            seen.add(id(node))
            values = clients.resolve(ctx, node)
            held = list(_texts(ctx, list(values), depth - 1, seen))
            if len(values) > 1 and any("?" in _raw(t) for t in held):
                raise Unsure
            if len(values) == 1:
                yield from held
        if isinstance(node, cst.Attribute):
            stack.append(node.value)  # `"{}?page_size=10".format(URL)`: the template, not `format`
        else:
            stack.extend(reversed(node.children))


def _value_use(ctx: FileContext, node: cst.Name | cst.Attribute) -> bool:
    """A name read for its value (not an attribute's name or a keyword)."""
    parent = ctx.parent(node)
    if isinstance(node, cst.Name) and isinstance(parent, cst.Attribute) and parent.attr is node:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is node:
        return False
    return not (isinstance(parent, cst.Call) and parent.func is node)


def _raw(node: cst.SimpleString | cst.FormattedStringText) -> str:
    return node.value


def url_texts(ctx: FileContext, url: cst.BaseExpression) -> list[cst.SimpleString | cst.FormattedStringText]:
    """`texts` of one URL expression (not the call's other arguments)."""
    return list(_texts(ctx, [url], DEPTH, set()))
