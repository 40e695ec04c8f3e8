"""Pinned payloads of test doubles, through the translate engine.

A dict literal a double returns (or a module constant bound once to one and
used only by doubles of the same endpoint) is read into the JSON value it
stands for and translated in response mode with the double's endpoint row,
exactly as `migrator translate --endpoint` would; the result is written back
in the literal's style. Anything the engine reports as lost, and values
computed at run time where the value itself must be translated, stop it
(`Unsupported`, with the reason for the marker).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from migrator.idmap import EMPTY
from migrator.rewrite.bodies_literal import literal_style
from migrator.rewrite.bodies_values import (
    CheckedContext,
    Holes,
    Reader,
    Unsupported,
    contains_hole_or_opaque,
    render,
)
from migrator.rewrite.constants import binds, bound_once, constant_text
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit
from migrator.rewrite.mock_doubles import PAYLOAD_KEYWORDS
from migrator.rewrite.table import Endpoint
from migrator.ruleset import EndpointMatch, RuleSet
from migrator.ruleset.models import IdRef, ResourceRow
from migrator.ruleset.templates import template
from migrator.translate.context import TranslateError
from migrator.translate.response import translate_response

LOSSES = ("dropped", "unknown", "unresolved", "ambiguous", "note", "conflict")
"""Translate reports that make a pinned payload say less, or something else."""


def shared_payload(ctx: FileContext, name: cst.Name, answers: dict[int, str], row: str) -> cst.Dict | None:
    """The dict literal a payload name is bound to, once, when every use of
    the name is the payload of a double of the same endpoint row (a module
    constant `SOURCES_PAGE = {...}` pinned by several tests)."""
    value = bound_once(ctx, name, name)
    if not isinstance(value, cst.Dict):
        return None
    for use in ctx.index.names.get(name.value, []):
        if binds(ctx, use):
            continue
        arg = ctx.parent(use)
        call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
        if not (isinstance(arg, cst.Arg) and arg.keyword is not None and arg.keyword.value in PAYLOAD_KEYWORDS):
            return None
        if call is None or answers.get(id(call)) != row:
            return None
    return value


def payload_edit(ctx: FileContext, node: cst.BaseExpression, endpoint: Endpoint, site: cst.CSTNode) -> Edit | None:
    """The edit turning a pinned Config response literal into the Public one;
    raises `Unsupported` with the reason when it cannot be done exactly."""
    if isinstance(node, cst.Name):
        raise Unsupported(
            f"the payload `{node.value}` is not a dict literal bound once and used only by doubles of this endpoint"
        )
    if not isinstance(node, cst.Dict):
        raise Unsupported("the payload is not a literal")
    holes = Holes()
    reader = Reader(ctx.src.code, holes, constant=lambda n: constant_text(ctx, n, site))
    value = reader.value(node)
    if contains_hole_or_opaque(value):
        check_run_time_values(value, endpoint, ctx.rules)
    tctx = PayloadContext(ctx.rules, ctx.ids or EMPTY, "response")
    tctx.created = created_kinds(endpoint, ctx.rules)
    try:
        public, kind = translate_response(value, tctx, EndpointMatch(endpoint.row, {}, ""))
    except TranslateError as exc:
        raise Unsupported(str(exc)) from None
    if kind == "public":
        return None
    lost = [r for r in tctx.reports if r.kind in LOSSES]
    if lost:
        where = f"`{lost[0].path}`: " if lost[0].path else ""
        raise Unsupported(where + lost[0].message)
    return render_edit(ctx, node, public, reader, holes)


CREATED = "'{key}' is the {kind} this call creates, so no id map holds its Public id: give the fake one of its own"
"""A created object's own id in a create's pinned response (`migrator ids` cannot help)."""


class PayloadContext(CheckedContext):
    """The response context of a double's payload: the object a create call
    makes has no id in any map (the test made it up), which is said so."""

    created: frozenset[str] = frozenset()

    def resolve(self, ref: IdRef, params: dict[str, str], path: str, rule: str) -> str | None:
        if ref.lookup in self.created:
            try:
                key = ref.key.format_map(params)
            except KeyError:
                return super().resolve(ref, params, path, rule)
            if self.ids is EMPTY or not self.ids.resolve(ref.lookup, key).ids:
                self.report("unresolved", path, rule, CREATED.format(key=key, kind=ref.lookup))
                return None
        return super().resolve(ref, params, path, rule)


def created_kinds(endpoint: Endpoint, rules: RuleSet) -> frozenset[str]:
    """The id kinds of the object a `POST` creates: the ids its response's own
    name (the resource's `name_pattern`) gives that the Config path does not
    name (`source` for `POST …/workspaces/{workspace}/sources`)."""
    row = endpoint.row
    resource = rules.resources.get(row.response) if row.response else None
    if endpoint.method != "POST" or resource is None or resource.name_pattern is None:
        return frozenset()
    kinds = set()
    for fmap in resource.fields.values():
        for output in (fmap, *fmap.also):
            ref = output.id
            if output.parse == resource.name_pattern and ref is not None \
                    and not set(template(ref.key).params) <= set(endpoint.params):
                kinds.add(ref.lookup)
    return frozenset(kinds)


def check_run_time_values(value: Any, endpoint: Endpoint, rules: RuleSet) -> None:
    """Values computed at run time (`"display_name": slug`) may only stand
    where the resource row copies them as they are; anywhere else the value
    itself must be translated, which cannot be done here."""
    row = endpoint.row
    resource = rules.resources.get(row.response) if row.response else None
    if resource is None or not isinstance(value, dict):
        raise Unsupported("the payload holds values computed at run time")
    if row.list_response:
        for key, items in value.items():
            if key != resource.config_list_key or not isinstance(items, list):
                if contains_hole_or_opaque(items):
                    raise Unsupported(f"`{key}` is computed at run time")
                continue
            for item in items:
                if not isinstance(item, dict):
                    raise Unsupported(f"an item of `{key}` is computed at run time")
                _copied_only(item, resource, rules, "")
    else:
        _copied_only(value, resource, rules, "")


def _copied_only(value: dict[str, Any], resource: ResourceRow, rules: RuleSet, prefix: str) -> None:
    for key, item in value.items():
        if not contains_hole_or_opaque(item):
            continue
        dotted = prefix + key
        fmap = resource.fields.get(dotted)
        if fmap is None:
            if isinstance(item, dict) and any(n.startswith(dotted + ".") for n in resource.fields):
                _copied_only(item, resource, rules, dotted + ".")
                continue
            raise Unsupported(f"`{dotted}` is computed at run time")
        for output in (fmap, *fmap.also):
            if output.when == "request" or output.drop:
                continue
            if output.transform != "copy" or output.parse or output.id or output.enum or output.each:
                raise Unsupported(f"`{dotted}` is computed at run time and its value must be translated")


def render_edit(ctx: FileContext, node: cst.BaseExpression, value: Any, reader: Reader, holes: Holes) -> Edit | None:
    """`value` written over `node` in the literal's style (quotes, one line or one item a line)."""
    start, end, old, style = literal_style(ctx, node, reader, holes, "payload")
    text = render(value, style)
    newline = ctx.src.module.default_newline
    if newline != "\n":
        text = text.replace("\n", newline)
    return Edit(start, end, text) if text != old else None
