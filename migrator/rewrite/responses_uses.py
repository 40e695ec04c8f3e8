"""Uses of a response that reads alone do not cover (part of `responses`).

A response (or an item or part of it) that the code changes, or uses as a
whole dict, is not safe to migrate read by read:

- *writes*: `body["sources"] = [...]`, `del s["display_name"]`,
  `s.update(...)`, `s.pop("display_name")`. A read of a key the code writes
  into values of the same shape would read the Public key while the write
  keeps the Config one, so those reads are left alone and marked (all reads
  of the shape, when the key written cannot be seen);
- *whole uses* of a dict: `"sources" in body`, `body.items()`, `for k in
  body`, `{**body}`, `body[key]` or `body.get(key)` with a key that is not
  a literal, `len(body)`, `list(body)`, `f(**s)`, `"%(display_name)s" % s`.
  The Public dict has other keys; each such use is marked, also in a
  function of the file whose reads are not rewritten (`unfollowed`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import line_refs
from migrator.rewrite.clients import literal
from migrator.rewrite.responses_flow import DOC, ITEM, LIST, NEUTRAL, PAGES, RAW, SUB, Scope, Shape, as_read, proven

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer

ROW = "rewrite.responses"
DICTS = (DOC, ITEM, SUB)
MUTATORS = frozenset({"update", "pop", "setdefault", "clear", "popitem", "__setitem__", "__delitem__"})
WHOLE_METHODS = frozenset({"keys", "items", "values", "copy"}) | MUTATORS
DICT_SAFE_CALLEES = frozenset({"bool", "isinstance", "id", "type"})
"""Of the calls safe for a list (`responses.SAFE_CALLEES`), those a dict's keys do not matter to."""
WHAT = {
    DOC: "the response of a migrated call", LIST: "a list from a migrated call's response",
    ITEM: "an item of a migrated call's response", SUB: "a part of a migrated call's response",
    PAGES: "a generator of a migrated call's responses", RAW: "the body of a migrated call",
}

Family = tuple[str, str | None, str | None, str | None]


def family(shape: Shape) -> Family:
    """Values of one family may be the same object."""
    return (shape.what, shape.endpoint, shape.kind, shape.path)


def written_into(written: dict[tuple[Family, str | None], str], shape: object) -> bool:
    """The code writes into a response of the endpoint or resource of `shape` (`writes`)."""
    endpoint, kind = getattr(shape, "endpoint", None), getattr(shape, "kind", None)
    return any(endpoint and fam[1] == endpoint or kind and fam[2] == kind for fam, _ in written)


def dict_shape(scope: Scope, node: cst.BaseExpression) -> Shape | None:
    shape = proven(scope.eval(node))
    return shape if shape is not None and shape.what in DICTS else None


def writes(writer: Writer, scopes: list[Scope]) -> dict[tuple[Family, str | None], str]:
    """(family, key written, None for any key) → the first line that writes it (`line N`)."""
    found: dict[tuple[Family, str | None], str] = {}
    for scope in scopes:
        for node in scope.nodes:
            receiver: cst.BaseExpression | None = None
            key: str | None = None
            if type(node) is cst.Subscript and writer.is_target(node):
                receiver, key = node.value, _literal_key(node)  # type: ignore[attr-defined,arg-type]
            elif type(node) is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in MUTATORS:  # type: ignore[attr-defined]
                receiver = node.func.value  # type: ignore[attr-defined]
                args = node.args  # type: ignore[attr-defined]
                if node.func.attr.value in ("pop", "setdefault", "__setitem__", "__delitem__") and args:  # type: ignore[attr-defined]
                    key = literal(args[0].value)
            if receiver is None:
                continue
            shape = dict_shape(scope, receiver)
            if shape is not None:
                found.setdefault((family(shape), key), line_refs.of(writer.ctx, node))
    return found


def whole_use(writer: Writer, scope: Scope, node: cst.CSTNode) -> None:
    """Mark `node` when it uses a dict-shaped response value whole."""
    kind = type(node)
    how: str | None = None
    value: cst.BaseExpression | None = None
    if kind is cst.Comparison:
        for target in node.comparisons:  # type: ignore[attr-defined]
            if type(target.operator) in (cst.In, cst.NotIn) and dict_shape(scope, target.comparator):
                how, value = "a test of its keys with `in`", target.comparator
                break
    elif kind is cst.Call and any(a.star == "**" and dict_shape(scope, a.value) for a in node.args):  # type: ignore[attr-defined]
        how, value = "`**` into keyword arguments", next(a.value for a in node.args if a.star == "**"  # type: ignore[attr-defined]
                                                            and dict_shape(scope, a.value))
    elif kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "get" and node.args:  # type: ignore[attr-defined]
        # `.get(key)` with a key that is not a literal (a literal one is a read, `as_read`), as `x[key]`
        how, value = "a key this rewrite cannot see", node.func.value  # type: ignore[attr-defined]
    elif kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value in WHOLE_METHODS:  # type: ignore[attr-defined]
        how, value = f"`.{node.func.attr.value}()`", node.func.value  # type: ignore[attr-defined]
    elif kind is cst.BinaryOperation and type(node.operator) is cst.Modulo:  # type: ignore[attr-defined]
        how, value = "`%` formatting by its keys", node.right  # type: ignore[attr-defined]
    elif kind is cst.Subscript and not writer.is_target(node) and _literal_key(node) is None:  # type: ignore[arg-type]
        how, value = "a key this rewrite cannot see", node.value  # type: ignore[attr-defined]
    elif kind in (cst.For, cst.CompFor):
        how, value = "a loop over its keys", node.iter  # type: ignore[attr-defined]
    elif kind is cst.StarredDictElement:
        how, value = "`**` into a dict", node.value  # type: ignore[attr-defined]
    elif kind is cst.IfExp or kind is cst.BooleanOperation and type(node.operator) is cst.Or:  # type: ignore[attr-defined]
        # `{...} if offline else requests.get(...).json()`: a response on one side only
        # (`body.get("sources") or []` is fine: an empty start value)
        sides = (node.body, node.orelse) if kind is cst.IfExp else (node.left, node.right)  # type: ignore[attr-defined]
        shapes = [proven(shape) for side in sides if (shape := scope.eval(side)) != NEUTRAL]
        found = [s for s in shapes if s is not None and s.what in WHAT]
        if found and (len(found) < len(shapes) or found[0] != found[-1]):
            writer.mark(ROW, node, f"{WHAT[found[0].what]} is one value of this expression, another value is "
                        "not: its reads cannot be migrated alone (the response now has the Public shape); "
                        "migrate them by hand")
        return
    elif kind is cst.Match:
        shape = proven(scope.eval(node.subject))  # type: ignore[attr-defined]
        if shape is not None and shape.what in WHAT:
            writer.mark(ROW, node, used(shape, "a `match` against patterns of its keys", done="is matched whole"))
        return
    if how is None or value is None:
        return
    shape = dict_shape(scope, value)
    if shape is None:
        return
    writer.mark(ROW, node, used(shape, how))


def used(shape: Shape, how: str, done: str = "is used as a whole dict") -> str:
    return (
        f"{WHAT[shape.what]} {done} here ({how}): it now has the Public shape "
        "(`data` envelope, Public field names); check this use by hand"
    )


def written(shape: Shape, key: str | None, line: str) -> str:
    what = f"`{key}`" if key is not None else "keys"
    return (
        f"the code writes {what} into {WHAT[shape.what]} itself ({line}), under the Config names: "
        "migrate those writes and this read together by hand"
    )


def _literal_key(node: cst.Subscript) -> str | None:
    read = as_read(node)
    return read.name if read is not None else None
