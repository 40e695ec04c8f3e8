"""A string expression of a newer Python than the one running (PEP 701
f-strings of 3.12: `f"{s["slug"]}"`, a backslash or a comment in a
replacement field), which libcst reads as it read the file: the same text
with each replacement field's expression put as a name of its own, which
this Python's `ast` can read, so that the edit check (`edits.ast_signature`)
reads the literal characters as Python does and each hole by the
expression it stands for."""

from __future__ import annotations

import re

import libcst as cst

PREFIX = "_migrator_field_"
HOLE = re.compile(PREFIX + r"\d+_")


def readable(snippet: str) -> tuple[str, dict[str, str]] | None:
    """`snippet` with each f-string field's expression as a name, and those
    names → the expression's source (without its own parentheses, as `ast`
    shows a segment); None when libcst does not read it, or for a field
    `ast` would read otherwise (`{x=}` shows its own text)."""
    if PREFIX in snippet:
        return None
    try:
        tree = cst.parse_expression(snippet)
    except (cst.ParserSyntaxError, ValueError, RecursionError):
        return None
    fields = _Fields()
    changed = tree.visit(fields)
    if fields.debug or not isinstance(changed, cst.BaseExpression):
        return None
    return cst.Module([]).code_for_node(changed), fields.names


class _Fields(cst.CSTTransformer):
    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.debug = False

    def leave_FormattedStringExpression(
        self, original_node: cst.FormattedStringExpression, updated_node: cst.FormattedStringExpression,
    ) -> cst.FormattedStringExpression:
        self.debug = self.debug or original_node.equal is not None
        expression = original_node.expression
        name = f"{PREFIX}{len(self.names)}_"
        self.names[name] = cst.Module([]).code_for_node(expression.with_changes(lpar=[], rpar=[]))
        return updated_node.with_changes(expression=cst.Name(name, lpar=expression.lpar, rpar=expression.rpar))
