"""What `calls` reads and plans: a template, its placeholders, its calls
(see `calls` for the rewrite itself)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.strings import Chain
from migrator.rewrite.table import Endpoint, HostForm

ROW = "rewrite.call-templates"
BODY = "rewrite.request-body"
METHOD = "rewrite.http-method"
SLUGS = "rewrite.slug-ids"
STATE = "migrator.rewrite.calls"
"""`ctx.state` key: chain roots dealt with; `STATE + ".origins"`: the migrated calls."""
PERCENT = re.compile(r"%s")
SIMPLE = (cst.Name, cst.Attribute, cst.SimpleString, cst.Integer)
"""Values that may be dropped or moved into a lookup call (no side effects)."""


class Unfit(Exception):
    """The template or one of its uses cannot be read whole: leave it."""


@dataclass
class Slot:
    """One placeholder of the Config template."""

    text: str
    """As written: `{src}`, `{}`, `%s`."""
    key: int | str
    """Auto/positional index, or keyword name."""
    start: int
    """Offset in the template's path text."""


@dataclass
class Site:
    """One `.format(...)` or `%` use of the template."""

    node: cst.Call | cst.BinaryOperation
    values: list[cst.BaseExpression]
    """The value of each slot, in slot order."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Source span of each slot's value (the argument or tuple element)."""
    new_args: list[str] = field(default_factory=list)


@dataclass
class UrlTemplate:
    chain: Chain
    host: HostForm | None
    base_hole: bool
    """The chain starts with a Config base URL held in a name (`API + ...`)."""
    lead_slash: bool
    path: str
    """Config path text (after host/base and `/v1beta/`), placeholders as written."""
    style: str
    """format | percent"""
    parent: UrlTemplate | None = None


@dataclass
class Rewrite:
    path: str
    """The Public path template, placeholders as written for the calls."""
    args: list[str | None]
    """Per kept slot, in new order: the value's new source at this call (None: as it is)."""
    order: list[int]
    """Config slot index of each placeholder of the new template, in order."""
    endpoints: list[Endpoint]
    config_path: str = ""
    """The Config path this call fills (values as holes U+E000 + slot index)."""


def handled(ctx: FileContext) -> set[int]:
    return ctx.state.setdefault(STATE, set())  # type: ignore[return-value]


def roots_of(leaf: UrlTemplate) -> list[int]:
    found = [id(leaf.chain.root)]
    if leaf.parent is not None:
        found.append(id(leaf.parent.chain.root))
    return found


def slots(path: str, style: str) -> list[Slot]:
    slots: list[Slot] = []
    if style == "percent":
        if "%" in PERCENT.sub("", path):
            raise Unfit("a % other than %s")
        for i, m in enumerate(PERCENT.finditer(path)):
            slots.append(Slot(m.group(0), i, m.start()))
        return slots
    offset = 0
    auto = 0
    try:
        parsed = list(string.Formatter().parse(path))
    except ValueError as exc:
        raise Unfit(str(exc)) from exc
    for literal, field_name, spec, conversion in parsed:
        if "{" in literal or "}" in literal:
            raise Unfit("escaped braces")
        offset += len(literal)
        if field_name is None:
            continue
        if spec or conversion:
            raise Unfit("format spec")
        written = "{" + field_name + "}"
        if not path.startswith(written, offset):
            raise Unfit("placeholder not plain")
        if field_name == "":
            key: int | str = auto
            auto += 1
        elif field_name.isdigit():
            raise Unfit("numbered placeholders")
        elif field_name.isidentifier():
            key = field_name
        else:
            raise Unfit("placeholder not plain")
        slots.append(Slot(written, key, offset))
        offset += len(written)
    if len({s.key for s in slots}) != len(slots):
        raise Unfit("a placeholder used twice")
    return slots
