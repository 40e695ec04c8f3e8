"""Key functions given the items of a migrated list (part of `responses`).

`sorted(items, key=...)`, `items.sort(key=...)`, `max(items, key=...)` and
`min(items, key=...)` hand each item to their key function. A lambda's
parameter is followed as an item (`responses_flow`), so its reads move like
any other. Otherwise:

- `operator.itemgetter("display_name", ...)` reads the items by those keys:
  each key becomes its Public field, as a read of an item would
  (`display_name` → `name`; a Config name sorts as its last segment,
  `name` → `slug`, when the items share their parent, as those of one
  response or of the pages of one URL do: they share the prefix, so the
  order is the same; a list gathered from several URLs, as by `.extend()`
  in a loop over sources, is marked); a key that cannot become one Public
  key is marked;
- an `attrgetter(...)`, or an `itemgetter` bound to a name first
  (`by = itemgetter("display_name")`), is marked; so are the builtins that
  read an item whole (`len`, `str`, `repr`: the Public item has other keys,
  so `max(items, key=len)` may pick another one); other functions (a
  function of the file, whose own reads are rewritten or marked) are left
  alone, as for a list handed to `sorted` whole.

Off a list whose origin is not proven, an `itemgetter` of a Config-looking
field is marked as such a read would be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import responses_enums, responses_uses
from migrator.rewrite.clients import callee_name, qualified_name, resolve
from migrator.rewrite.edits import Edit
from migrator.rewrite.responses_flow import ITEM, LIST, Scope, Shape, one_parent, proven, sorted_items
from migrator.ruleset.models import FieldMap, ResourceRow

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer

ROW = "rewrite.responses"
WHOLE_KEYS = frozenset({"len", "str", "repr", "ascii", "hash", "json.dumps"})
"""Key functions whose value depends on the whole item, its keys and order."""
ITEMGETTER = "operator.itemgetter"
GETTERS = frozenset({ITEMGETTER, "operator.attrgetter"})


def key_function(writer: Writer, scope: Scope, call: cst.Call, arg: cst.Arg) -> None:
    """Rewrite or mark the `key=` function `arg` of a sorting `call`."""
    source = sorted_items(call)
    if source is not None and _whole_key(writer, arg.value):
        items = proven(scope.eval(source))
        if items is not None and items.what == LIST:
            name = writer.ctx.src.code(arg.value) or "a key function"
            writer.mark(ROW, arg.value, writer.message("whole", what=responses_uses.WHAT[ITEM], callee=name))
        return
    getter = _getter(writer, arg.value)
    if source is None or getter is None:
        return
    items = proven(scope.eval(source))
    direct = getter is arg.value and qualified_name(writer.ctx, getter.func) == ITEMGETTER
    if items is None or items.what != LIST:
        if direct:
            before = len(writer.ctx.markers)
            _unproven_keys(writer, getter)
            writer.of_unknown_origin(arg, before)
        return
    if direct:
        _itemgetter(writer, getter, items)
        return
    name = writer.ctx.src.code(arg.value) if isinstance(arg.value, cst.Name) else callee_name(getter)
    writer.mark(ROW, arg.value, writer.message("whole", what=responses_uses.WHAT[ITEM], callee=name or "a getter"))


def _whole_key(writer: Writer, value: cst.BaseExpression) -> bool:
    """`len`, `str`, `json.dumps`... as the builtin or library function (not a name the file binds)."""
    if not isinstance(value, (cst.Name, cst.Attribute)):
        return False
    name = qualified_name(writer.ctx, value)
    return name in WHOLE_KEYS and not (isinstance(value, cst.Name) and value.value in writer.flow.functions)


def _getter(writer: Writer, value: cst.BaseExpression) -> cst.Call | None:
    """`itemgetter(...)` / `attrgetter(...)` of `operator`, given as the key or
    bound first to the name given (`by = itemgetter("display_name")`)."""
    values = resolve(writer.ctx, value) if isinstance(value, cst.Name) else [value]
    for found in values:
        if isinstance(found, cst.Call) and qualified_name(writer.ctx, found.func) in GETTERS:
            return found
    return None


def _itemgetter(writer: Writer, getter: cst.Call, items: Shape) -> None:
    """`itemgetter("display_name")` → `itemgetter("name")`, all keys or none."""
    from migrator.rewrite.responses import quote_of

    resource = writer.flow.resources.get(items.kind or "")
    if resource is None:
        return
    item = Shape(ITEM, kind=items.kind, path=LIST)
    edits: list[Edit] = []
    for arg in getter.args:
        key = arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
        if arg.keyword is not None or arg.star or not isinstance(key, str):
            writer.mark(ROW, getter, writer.message("whole", what=responses_uses.WHAT[ITEM], callee="itemgetter"))
            return
        written = writer._written(item, key)
        if written is not None:
            writer.mark(ROW, getter, responses_uses.written(item, written[1], written[0]))
            return
        public = _public_key(writer, resource, key, one_parent(items))
        if not isinstance(public, tuple):
            writer.mark(ROW, getter, public)
            return
        if public[0] != key:
            opener, closer = quote_of(writer.ctx.src.code(arg.value) or '"')
            start, end = writer.span(arg.value)
            edits.append(Edit(start, end, f"{opener}{public[0]}{closer}"))
    if edits:
        writer.record(resource.id, getter, edits)


def _public_key(writer: Writer, resource: ResourceRow, key: str, one: bool) -> tuple[str] | str:
    """The one Public key an item is sorted by instead of `key`, or why there
    is none (a last segment sorts the same only for the items of one response)."""
    fm = resource.fields.get(key)
    if resource.public_list_item:
        return writer.message("changed", to=resource.public_list_item, key=key,
                              why=f"Public list items are plain `{resource.public_list_item}` values")
    if fm is None:
        return writer.message("unknown", key=key, kind=resource.kind)
    if fm.drop:
        return writer.message("dropped", key=key, reason=fm.reason or "")
    if fm.to and fm.to.split(".")[0] in resource.list_omit:
        return writer.message("changed", to=fm.to, key=key, why="list items do not carry it; read the single resource")
    enum = responses_enums.message(fm, key)
    if enum is not None:
        return enum
    plain = fm.transform == "copy" and fm.parse is None and fm.id is None and fm.when != "request"
    target = fm.to if plain else _last_segment(fm)
    if target is not None and not plain and not one:
        from migrator.rewrite.responses import SEVERAL

        return writer.message("changed", to=target, key=key, why=SEVERAL)
    if target is None or "." in target:
        why = "it is nested" if target else "its value has another form"
        return writer.message("changed", to=target or fm.to or "", key=key, why=why)
    return (target,)


def _last_segment(fm: FieldMap) -> str | None:
    """The Public field holding the last segment of a Config name (`name` →
    `slug`): what `x["name"]` sorts as, as in `sorted(key=lambda s: s["name"])`."""
    for entry in (fm, *fm.also):
        if entry.when == "request" or entry.transform != "segment" or not entry.parse or not entry.segment:
            continue
        if entry.to and entry.parse.endswith("{" + entry.segment + "}"):
            return entry.to
    return None


def _unproven_keys(writer: Writer, getter: cst.Call) -> None:
    """`itemgetter("display_name")` of a list whose origin is not proven, in a
    file of Config calls or a linked one: marked as a read of that field would be."""
    ctx = writer.ctx
    if ctx.suppressed(getter, ROW):
        return
    for arg in getter.args:
        key = arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
        if isinstance(key, str) and key in writer.fields:
            hint = writer.fields[key]
            if ctx.linked is not None:
                writer.mark(ROW, getter, writer.message("linked", key=key, why=ctx.linked, hint=hint))
            else:
                writer.mark(ROW, getter, writer.message("unproven", key=key, hint=hint))
            return
