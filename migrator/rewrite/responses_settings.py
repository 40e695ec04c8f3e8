"""Loops over a destination's Config settings array, read from a migrated
call's response (part of the `rewrite.responses` kind).

A Config destination holds its settings as `config`, a list of items
`{"name": "<destination name>/config/<key>", "value": v, ...}`; the Public
destination holds `settings`, a map `{key: v}` (the resource row's field
with `transform = "config-settings"`, whose `parse` and `segment` say which
part of the name is the key). Code that walks the list and reads, of each
item, only the key (the last segment of its name) and the value becomes a
walk of the map:

    for item in sorted(dest["config"], key=lambda c: c["name"]):
        print(item["name"].rsplit("/", 1)[-1], item["value"])
    # becomes
    for key, value in sorted(dest["data"]["destination"]["settings"].items()):
        print(key, value)

The list may be walked by a `for` statement or a comprehension, directly,
through `sorted(..., key=lambda c: <its name or key>)` (all names of one
destination share the prefix before the key, so the order is the same as
sorting by key), or through a local name bound once to it
(`config = dest.get("config") or []`). Any other use of an item (its
`type`, the item handed whole) leaves the loop alone, marked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite.edits import Edit
from migrator.rewrite.responses_flow import Read, as_read
from migrator.ruleset.models import FieldMap, ResourceRow

if TYPE_CHECKING:
    from migrator.rewrite.context import FileContext
    from migrator.rewrite.responses import Writer

ITEM_NAME, ITEM_VALUE = "name", "value"
"""Keys of a Config settings item (the `config-settings` transform reads the same)."""
NAMES = (("key", "value"), ("{t}_key", "{t}_value"))
"""Loop variables for a setting's key and value, the first pair free in the scope."""
SORTERS = ("sorted",)
NOTE = (
    "rewrite.responses: settings read from the Public API come with secret values masked "
    "({how}): the code that reads their values gets the masked text (marked)"
)
MASKED = (
    "settings read from the Public API come with secret values masked ({how}): "
    "the values read here hold that text for secrets; do not write them back (that overwrites the secret), "
    "and get a secret this code needs elsewhere"
)
"""The marker on a read of the values of a map whose row says how they are
`masked` (segment-apis.md §2, `DestinationV1`; §4.5)."""
CANNOT = "the Public `{to}` is a map of setting keys to values, not a list of items ({use}): adapt this loop by hand"
_CANNOT = re.compile(
    ".+".join(re.escape(piece) for piece in re.split(r"\{\w+\}", " ".join(CANNOT.split())))
)


def loop_marked(ctx: FileContext, walked: cst.CSTNode, rule: str) -> bool:
    """A run before marked the loop walking `walked` (`CANNOT`): the reads
    of its items are that marker's, not left for a marker of their own
    (that run proved the list a destination's; this one, the call moved,
    proves nothing)."""
    return any(
        found == rule and _CANNOT.fullmatch(" ".join(said.split())) is not None
        for found, said in ctx.earlier_markers(walked)
    )


@dataclass
class Loop:
    """One walk over the settings list."""

    node: cst.For | cst.CompFor
    iterable: cst.BaseExpression
    """The loop's iterable as written (the list, its name, or `sorted(...)`)."""
    target: cst.Name
    sorter: cst.Call | None = None
    keys: list[cst.CSTNode] = field(default_factory=list)
    values: list[cst.CSTNode] = field(default_factory=list)


class Unsupported(Exception):
    """A use this rewrite cannot carry over (the message says which)."""


def rewrite(
    writer: Writer, read: Read, fm: FieldMap, prefix: str, sub: Callable[..., str], resource: ResourceRow
) -> bool | str:
    """True when the loops over the settings read `read` were rewritten; a
    reason to mark when a loop uses an item in a way the map cannot; False
    when the read is not walked by a loop this module knows."""
    ctx = writer.ctx
    if not fm.to or "." in fm.to or not fm.parse or not fm.segment:
        return False
    container, empty = _container(ctx, read)
    try:
        binding = _binding(ctx, container)
        owners = binding[1] if binding is not None else [container]
        loops = [_loop(ctx, node, fm, named=binding is not None) for node in owners]
        if any(loop is None for loop in loops):
            return False
        found = [loop for loop in loops if loop is not None]
        for loop in found:
            _uses(ctx, loop, fm)
    except Unsupported as problem:
        return CANNOT.format(to=fm.to, use=str(problem))
    text = ctx.src.text
    start, end = writer.span(container)
    new_container = _public_read(writer, read, fm, prefix, sub, start, end, empty)
    if new_container is None:
        return False
    edits: list[Edit] = []
    if binding is not None:
        edits.append(Edit(start, end, new_container))
    for loop in found:
        names = _free_names(ctx, loop)
        if names is None:
            return False
        key_name, value_name = names
        base = loop.iterable if loop.sorter is None else loop.sorter.args[0].value
        base_text = new_container if binding is None else ctx.src.code(base) or ""
        view = _view(loop)
        if view:
            if isinstance(container, cst.BooleanOperation) and binding is None:
                base_text = f"({base_text})"
            base_text += view
        if loop.sorter is not None:
            base_text = f"{ctx.src.code(loop.sorter.func)}({base_text})"
        low, high = writer.span(loop.iterable)
        if "#" in text[low:high]:
            return False  # a comment in the iterable would be lost
        edits.append(Edit(low, high, base_text))
        target = {"": key_name, ".values()": value_name, ".items()": f"{key_name}, {value_name}"}[view]
        edits.append(Edit(*writer.span(loop.target), target))
        for node in loop.keys:
            edits.append(Edit(*writer.span(node), key_name))
        for node in loop.values:
            edits.append(Edit(*writer.span(node), value_name))
    outer = container if binding is None else binding[0]
    if not writer.record(resource.id, outer, edits):
        return False
    for loop in found:
        if loop.values:
            masked(writer, loop.iterable, fm)
    return True


def masked(writer: Writer, node: cst.CSTNode, fm: FieldMap) -> None:
    """The values of `fm`'s map are read at `node`: when the row says its
    secrets come back masked, they are that text now, which changes what the
    code does without failing; a note for the run and a marker for a person
    (not in a function `unfollowed` only walks)."""
    if writer.dry is not None or fm.masked is None:
        return
    writer.ctx.note(NOTE.format(how=fm.masked))
    writer.mark(writer.row, node, MASKED.format(how=fm.masked))


# -- where the list goes -----------------------------------------------------------


def _container(ctx: FileContext, read: Read) -> tuple[cst.BaseExpression, cst.List | None]:
    """The read, or `read or []` (the empty list becomes an empty map)."""
    parent = ctx.parent(read.node)
    if (
        isinstance(parent, cst.BooleanOperation) and isinstance(parent.operator, cst.Or)
        and parent.left is read.node and isinstance(parent.right, cst.List) and not parent.right.elements
    ):
        return parent, parent.right
    return read.node, None


def _binding(
    ctx: FileContext, container: cst.BaseExpression
) -> tuple[cst.Assign, list[cst.BaseExpression]] | None:
    """`config = <container>` in a function, the name bound nowhere else: the
    assignment and every use of the name (each must be walked by a loop)."""
    statement = ctx.parent(container)
    if not (isinstance(statement, cst.Assign) and statement.value is container and len(statement.targets) == 1):
        return None
    target = statement.targets[0].target
    scope = ctx.index.scope_of(statement)
    if not isinstance(target, cst.Name) or not isinstance(scope, cst.FunctionDef):
        return None  # unpacked, or a module-level name: not followed
    uses: list[cst.BaseExpression] = []
    for node in ctx.index.names.get(target.value, []):
        if node is target or not _inside(ctx, node, scope):
            continue
        if not _is_reference(ctx, node) or ctx.index.scope_of(node) is not scope:
            raise Unsupported(f"`{target.value}` is bound or used elsewhere")
        uses.append(node)
    if not uses:
        raise Unsupported(f"`{target.value}` is not walked")
    return statement, uses


def _loop(ctx: FileContext, node: cst.BaseExpression, fm: FieldMap, named: bool) -> Loop | None:
    """The loop that walks `node`, directly or through `sorted(node, key=...)`.
    None when nothing walks it (`named`: a use of the name, which must be walked)."""
    sorter: cst.Call | None = None
    iterable = node
    parent = ctx.parent(node)
    if isinstance(parent, cst.Arg):
        call = ctx.parent(parent)
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value in SORTERS):
            if named:
                raise Unsupported("the list is handed to a call")
            return None
        if not _sort_key_ok(ctx, call, parent, fm):
            raise Unsupported("the list is sorted by something other than the setting names")
        sorter = call
        iterable = call
        parent = ctx.parent(call)
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is iterable:
        if not isinstance(parent.target, cst.Name):
            raise Unsupported("the loop unpacks each item")
        return Loop(parent, iterable, parent.target, sorter)
    if named or sorter is not None:
        raise Unsupported("the list is used other than by a loop")
    return None


def _sort_key_ok(ctx: FileContext, call: cst.Call, arg: cst.Arg, fm: FieldMap) -> bool:
    if len(call.args) != 2 or call.args[0] is not arg or arg.keyword is not None or arg.star:
        return False
    key = call.args[1]
    if key.keyword is None or key.keyword.value != "key" or not isinstance(key.value, cst.Lambda):
        return False
    params = key.value.params
    if (
        len(params.params) != 1 or params.posonly_params or params.kwonly_params
        or isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None
    ):
        return False
    name = params.params[0].name.value
    body = key.value.body
    read = as_read(body)
    if read is not None and _is_item_read(read, name, ITEM_NAME):
        return True  # the whole name: one destination's names share the prefix before the key
    return _key_of(ctx, body, name, fm, inner=True) is not None


# -- uses of an item -------------------------------------------------------------


def _uses(ctx: FileContext, loop: Loop, fm: FieldMap) -> None:
    """Every use of the loop variable: its key (taken apart from the name) or
    its value; anything else raises `Unsupported`."""
    name = loop.target.value
    region: cst.CSTNode = loop.node
    if isinstance(loop.node, cst.CompFor):
        owner = ctx.parent(loop.node)
        while isinstance(owner, cst.CompFor):
            owner = ctx.parent(owner)
        region = owner
    scope = ctx.index.scope_of(loop.node)
    for node in ctx.index.names.get(name, []):
        if node is loop.target or not _is_reference(ctx, node):
            continue
        if loop.sorter is not None and _inside(ctx, node, loop.sorter):
            continue
        inside = _inside(ctx, node, region) and ctx.index.scope_of(node) is scope
        if not inside:
            if _own_comprehension(ctx, node, name):
                continue  # another comprehension's own variable of the same name
            if isinstance(loop.node, cst.For) and _inside(ctx, node, scope) or _inside(ctx, node, region):
                raise Unsupported(f"`{name}` is used outside the loop or in a nested function")
            continue
        key = _key_of(ctx, node, name, fm)
        if key is not None:
            loop.keys.append(key)
            continue
        read = _read_of(ctx, node)
        if read is not None and read.name == ITEM_VALUE and (
            not read.is_get or len(read.node.args) == 1  # type: ignore[attr-defined]
        ):
            loop.values.append(read.node)
            continue
        if read is not None:
            raise Unsupported(f"`{ctx.src.code(read.node)}` has no counterpart")
        raise Unsupported(f"the item `{name}` is used whole")


def _read_of(ctx: FileContext, node: cst.Name) -> Read | None:
    """`node["key"]` or `node.get("key", ...)`, the read of which `node` is the value."""
    parent = ctx.parent(node)
    if isinstance(parent, cst.Attribute) and parent.value is node:
        parent = ctx.parent(parent)
    read = as_read(parent) if parent is not None else None
    return read if read is not None and read.value is node else None


def _is_item_read(read: Read, name: str, key: str) -> bool:
    return read.name == key and isinstance(read.value, cst.Name) and read.value.value == name


def _key_of(
    ctx: FileContext, node: cst.CSTNode, name: str, fm: FieldMap, inner: bool = False
) -> cst.CSTNode | None:
    """`<name>["name"].rsplit("/", 1)[-1]` (or `.split("/")[-1]`, or the
    separator before the key in the row's `parse`): the node that is the
    setting's key. `inner`: `node` is that expression itself (a sort key)."""
    if inner:
        subscript = node
        call = node.value if isinstance(node, cst.Subscript) else None
        attr = call.func if isinstance(call, cst.Call) else None
        read = as_read(attr.value) if isinstance(attr, cst.Attribute) else None
        if read is None or not _is_item_read(read, name, ITEM_NAME):
            return None
    else:
        read = _read_of(ctx, node)
        if read is None or read.name != ITEM_NAME:
            return None
        attr = ctx.parent(read.node)
        call = ctx.parent(attr) if isinstance(attr, cst.Attribute) and attr.value is read.node else None
        subscript = ctx.parent(call) if isinstance(call, cst.Call) and call.func is attr else None
    if read.is_get and len(read.node.args) == 2:  # type: ignore[attr-defined]
        default = read.node.args[1].value  # type: ignore[attr-defined]
        if not (isinstance(default, cst.SimpleString) and default.evaluated_value == ""):
            return None
    if not (isinstance(subscript, cst.Subscript) and isinstance(call, cst.Call) and subscript.value is call):
        return None
    method = attr.attr.value  # type: ignore[union-attr]
    args = [a for a in call.args]
    if not args or any(a.keyword is not None or a.star for a in args) or len(subscript.slice) != 1:
        return None
    separator = args[0].value
    if not isinstance(separator, cst.SimpleString) or separator.evaluated_value not in separators(fm):
        return None
    index = subscript.slice[0].slice
    index_text = ctx.src.code(index.value) if isinstance(index, cst.Index) else None
    if method == "split" and len(args) == 1 and index_text == "-1":
        return subscript
    if method == "rsplit" and len(args) == 2 and ctx.src.code(args[1].value) == "1" and index_text in ("-1", "1"):
        return subscript
    return None


def separators(fm: FieldMap) -> tuple[str, ...]:
    """`/`, and the literal text before the key in `parse` (`/config/`)."""
    last = "{" + (fm.segment or "") + "}"
    parse = fm.parse or ""
    if not parse.endswith(last):
        return ()
    before = parse[: -len(last)]
    literal = before[before.rfind("}") + 1 :]
    return ("/", literal) if literal.startswith("/") and literal.endswith("/") else ("/",)


# -- the Public read and names ----------------------------------------------------------


def _public_read(
    writer: Writer, read: Read, fm: FieldMap, prefix: str, sub: Callable[..., str], start: int, end: int,
    empty: cst.List | None,
) -> str | None:
    """The container's text with the Public field (and `{}` for `[]`)."""
    from migrator.rewrite.edits import apply
    from migrator.rewrite.responses import quote_of

    ctx = writer.ctx
    _, value_end = writer.outer(read.value)
    read_start, read_end = writer.span(read.node)
    edits: list[Edit] = []
    if read.is_get:
        opener, closer = quote_of(ctx.src.code(read.key) or '"')
        if prefix:
            edits.append(Edit(value_end, value_end, prefix))
        edits.append(Edit(*writer.span(read.key), f"{opener}{fm.to}{closer}"))
        args = read.node.args  # type: ignore[attr-defined]
        if len(args) == 2:
            default = args[1].value
            if not (isinstance(default, cst.List) and not default.elements):
                return None
            edits.append(Edit(*writer.span(default), "{}"))
    else:
        edits.append(Edit(value_end, read_end, prefix + sub(fm.to)))
    if empty is not None:
        edits.append(Edit(*writer.span(empty), "{}"))
    return apply(ctx.src.text[start:end], edits, start)


def _view(loop: Loop) -> str:
    """How the map is walked: its keys, `.values()`, or `.items()` (a sorted
    walk that uses values still goes by key)."""
    if not loop.values:
        return ""
    return ".values()" if not loop.keys and loop.sorter is None else ".items()"


def _free_names(ctx: FileContext, loop: Loop) -> tuple[str, str] | None:
    """The first pair of `NAMES` not used in the function (or module) of the loop."""
    scope = ctx.index.scope_of(loop.node)
    view = _view(loop)
    for key_form, value_form in NAMES:
        pair = key_form.format(t=loop.target.value), value_form.format(t=loop.target.value)
        wanted = {"": pair[:1], ".values()": pair[1:]}.get(view, pair)
        taken = any(
            _is_reference(ctx, node) and (isinstance(scope, cst.Module) or _inside(ctx, node, scope))
            for name in wanted for node in ctx.index.names.get(name, [])
        )
        if not taken:
            return pair
    return None


def _is_reference(ctx: FileContext, node: cst.Name) -> bool:
    """A variable, not an attribute name or a keyword of a call."""
    parent = ctx.parent(node)
    if isinstance(parent, cst.Attribute) and parent.attr is node:
        return False
    if isinstance(parent, cst.Arg) and parent.keyword is node:
        return False
    return True


def _own_comprehension(ctx: FileContext, node: cst.Name, name: str) -> bool:
    """`node` is inside a comprehension that binds `name` itself."""
    current = ctx.parent(node)
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.Module)):
        if isinstance(current, (cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)):
            comp = current.for_in
            while comp is not None:
                if isinstance(comp.target, cst.Name) and comp.target.value == name:
                    return True
                comp = comp.inner_for_in
        current = ctx.parent(current)
    return False


def _inside(ctx: FileContext, node: cst.CSTNode, ancestor: cst.CSTNode) -> bool:
    current = ctx.parent(node)
    while current is not None:
        if current is ancestor:
            return True
        current = ctx.parent(current)
    return False
