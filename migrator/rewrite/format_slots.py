"""Where an argument of `"<template>".format(...)` goes in its template.

`"{}/{}".format(self.base, REGULATIONS.format(ws))` joins the path to a
base as `f"{self.base}/{REGULATIONS.format(ws)}"` does: the path is the
last field (nothing follows it), and a name fills the field the template
starts with (its base). Read from the literal template, so that `clients.flow`
follows both spellings alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

import libcst as cst

QUERY = ("?", "#")


@dataclass(frozen=True)
class Slot:
    follows: bool
    """Path text may follow the argument's field (literal text or another
    field, not a query string)."""
    head: cst.BaseExpression | None
    """The name or attribute filling the field the template starts with,
    when that is another argument (a base in front of this one)."""


def slot(call: cst.Call, arg: cst.Arg) -> Slot | None:
    """Where `arg` goes in the literal template `call` formats; None when
    that cannot be told (the template is not a plain literal, `*args` or
    `**mapping` are given, the field is used twice or reads into the value)."""
    template = call.func.value if isinstance(call.func, cst.Attribute) else None
    text = template.evaluated_value if isinstance(template, (cst.SimpleString, cst.ConcatenatedString)) else None
    if not isinstance(text, str) or any(a.star for a in call.args):
        return None
    key: int | str | None = _Key(arg.keyword.value) if arg.keyword is not None else None
    if key is None:
        positional = [a for a in call.args if a.keyword is None]
        key = next((i for i, a in enumerate(positional) if a is arg), None)
        if key is None:
            return None
    try:
        parsed = list(Formatter().parse(text))
    except ValueError:
        return None
    items: list[str | int] = []  # literal texts and field keys, in order
    auto = 0
    for literal, name, _, _ in parsed:
        if literal:
            items.append(literal)
        if name is None:
            continue
        if name == "":
            items.append(auto)
            auto += 1
        elif name.isdigit():
            items.append(int(name))
        elif name.isidentifier():
            items.append(_Key(name))
        else:
            return None  # `{0.attr}`, `{0[key]}`: not the value itself
    fields = [i for i, item in enumerate(items) if _is_field(item) and item == key]
    if len(fields) != 1:
        return None
    rest = items[fields[0] + 1 :]
    follows = bool(rest) and not (isinstance(rest[0], str) and not _is_field(rest[0]) and rest[0].startswith(QUERY))
    head = None
    if items and _is_field(items[0]) and items[0] != key:
        found = _argument(call, items[0])
        if isinstance(found, (cst.Name, cst.Attribute)):
            head = found
    return Slot(follows, head)


def _is_field(item: str | int) -> bool:
    return isinstance(item, int) or isinstance(item, _Key)


class _Key(str):
    """A keyword field's name (apart from literal text)."""


def _argument(call: cst.Call, key: str | int) -> cst.BaseExpression | None:
    if isinstance(key, int):
        positional = [a for a in call.args if a.keyword is None]
        return positional[key].value if key < len(positional) else None
    return next((a.value for a in call.args if a.keyword is not None and a.keyword.value == key), None)
