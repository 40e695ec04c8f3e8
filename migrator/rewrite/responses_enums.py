"""Reads of enum-valued fields of migrated responses (part of the
`rewrite.responses` row).

A field whose row maps its values (`enum`, plain copy otherwise: a filter
action's `type`, `whitelist_fields` → `ALLOW_PROPERTIES`) holds Public
values once the call is migrated. Where the read is compared with string
literals (`==`, `!=`, `in (...)`, `not in`, or the subject of a `match`
whose cases are literals, `|` of literals and `_`), the literals become the
Public values when each has exactly one Config value mapping to its Public
one; any other use of the read is marked with the mapping. Fields whose
values are the same in both APIs are plain fields.

Nested lists of a resource (`actions` of a filter: a field with `each` and an
empty value `[]`) hold items of the row they name, so their items are
proven too (`for a in created["actions"]: a["type"]`).
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.edits import Edit
from migrator.rewrite.responses_flow import LIST, Flow, Read, Shape
from migrator.ruleset.models import FieldMap, ResourceRow

MESSAGE = "`{key}` values differ in the Public API ({mapping}): check how this value is used"
_EQUALITY = (cst.Equal, cst.NotEqual)
_MEMBERSHIP = (cst.In, cst.NotIn)


class EnumFlow(Flow):
    """The response flow, with the items of a resource's nested lists proven."""

    def _field_shape(self, resource: ResourceRow, key: str) -> Shape | None:
        found = super()._field_shape(resource, key)
        if found is not None:
            return found
        fm = resource.fields.get(key)
        if fm is not None and fm.each in self.resources and isinstance(fm.empty, list) and not fm.drop:
            return Shape(LIST, kind=fm.each)
        return None


def differs(fm: FieldMap) -> bool:
    """An enum of a plainly copied field whose values are not all the same."""
    return bool(fm.enum) and fm.transform == "copy" and any(k != v for k, v in fm.enum.items())


def message(fm: FieldMap, key: str) -> str | None:
    """The marker of a read whose values differ (upper-cased ones too), if they do."""
    if not fm.enum or fm.when == "request" or fm.transform not in ("copy", "upper") or fm.parse or fm.id:
        return None
    if fm.transform == "copy" and not differs(fm):
        return None
    return MESSAGE.format(key=key, mapping=mapping_text(fm))


def mapping_text(fm: FieldMap) -> str:
    return ", ".join(f"{k} → {v}" for k, v in fm.enum.items())


def public_value(fm: FieldMap, config: str) -> str | None:
    """The Public value of a Config literal, when no other Config value maps to it."""
    if config not in fm.enum:
        return None
    public = fm.enum[config]
    if sum(1 for v in fm.enum.values() if v == public) != 1:
        return None
    if any(c in public for c in "'\"\\\n\r") or any(c in config for c in "\\\n\r"):
        return None
    return public


def literals(parent: cst.CSTNode | None, node: cst.CSTNode) -> list[cst.SimpleString] | None:
    """The string literals the read is compared with, or None for any other use."""
    if isinstance(parent, cst.Comparison) and len(parent.comparisons) == 1:
        target = parent.comparisons[0]
        if parent.left is node:
            other = target.comparator
            if isinstance(target.operator, _EQUALITY):
                return _strings([other])
            if isinstance(target.operator, _MEMBERSHIP) and isinstance(other, (cst.Tuple, cst.List, cst.Set)):
                if other.elements and all(type(e) is cst.Element for e in other.elements):
                    return _strings([e.value for e in other.elements])
            return None
        if target.comparator is node and isinstance(target.operator, _EQUALITY):
            return _strings([parent.left])
        return None
    if isinstance(parent, cst.Match) and parent.subject is node:
        found: list[cst.SimpleString] = []
        for case in parent.cases:
            patterns = [p.pattern for p in case.pattern.patterns] if isinstance(case.pattern, cst.MatchOr) else [case.pattern]
            for pattern in patterns:
                if isinstance(pattern, cst.MatchAs) and pattern.pattern is None and pattern.name is None:
                    continue  # `case _:`
                if not isinstance(pattern, cst.MatchValue):
                    return None
                strings = _strings([pattern.value])
                if strings is None:
                    return None
                found.extend(strings)
        return found or None
    return None


def _strings(nodes: list[cst.BaseExpression]) -> list[cst.SimpleString] | None:
    found = []
    for node in nodes:
        if type(node) is not cst.SimpleString or not isinstance(node.evaluated_value, str):
            return None
        found.append(node)
    return found


def _token(text: str, value: str) -> str:
    """A string token holding `value`, with the prefix and quotes of `text`."""
    start = 0
    while text[start] not in "'\"":
        start += 1
    quote = text[start : start + 3] if text[start : start + 3] in ('"""', "'''") else text[start]
    return f"{text[:start]}{quote}{value}{quote}"


def rewrite(  # type: ignore[no-untyped-def]
    writer, row: str, read: Read, fm: FieldMap, resource: ResourceRow, edits: list[Edit], key: str | None = None
) -> None:
    """Map the literals a read is compared with, or mark the read (under
    `row`); `edits` rename the read itself and are taken either way."""
    ctx = writer.ctx
    parent = ctx.parent(read.node)
    if isinstance(parent, cst.ComparisonTarget):
        parent = ctx.parent(parent)
    found = literals(parent, read.node)
    if found is not None:
        mapped: list[Edit] | None = []
        for literal in found:
            public = public_value(fm, literal.evaluated_value)  # type: ignore[arg-type]
            if public is None:
                mapped = None
                break
            if public != literal.evaluated_value:
                start, end = writer.span(literal)
                mapped.append(Edit(start, end, _token(ctx.src.text[start:end], public)))
        if mapped is not None:
            if not edits and not mapped:
                return  # the same values in both APIs
            if not isinstance(parent, cst.Match):
                if writer.record(resource.id, parent, [*edits, *mapped]):
                    return
            elif _record_apart(writer, resource.id, read.node, edits, found, mapped):
                return  # one change per case literal, not one spanning the cases
    if edits:
        writer.record(resource.id, read.node, edits)
    writer.mark(row, read.node, message(fm, key or read.name) or "")


def _record_apart(  # type: ignore[no-untyped-def]
    writer, rule: str, read: cst.CSTNode, edits: list[Edit], found: list[cst.SimpleString], mapped: list[Edit]
) -> bool:
    """Record the read's edits and each literal's, all or none."""
    if any(writer.ctx.edits.overlaps(edit) for edit in [*edits, *mapped]):
        return False
    if edits:
        writer.record(rule, read, edits)
    spans = {writer.span(literal): literal for literal in found}
    for edit in mapped:
        writer.record(rule, spans[(edit.start, edit.end)], [edit])
    return True
