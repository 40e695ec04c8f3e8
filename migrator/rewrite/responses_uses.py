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

import json
from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite import line_refs
from migrator.rewrite.clients import literal
from migrator.rewrite.responses_flow import (
    DOC, INDEX, ITEM, LIST, NEUTRAL, PAGES, RAW, RESP, SUB, Scope, Shape, as_read, proven,
)
from migrator.translate.public_models import find_public

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
    INDEX: "a dict of the items of a migrated call's response",
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
    tested(writer, scope, node)  # (a test of truth is not a use as a whole dict: it goes on)
    if kind is cst.Comparison:
        if compared(writer, scope, node):  # type: ignore[arg-type]
            return
        for target in node.comparisons:  # type: ignore[attr-defined]
            if type(target.operator) in (cst.In, cst.NotIn) and dict_shape(scope, target.comparator):
                how, value = "a test of its keys with `in`", target.comparator
                break
    elif kind is cst.Call and any(a.star == "**" and dict_shape(scope, a.value) for a in node.args):  # type: ignore[attr-defined]
        how, value = "`**` into keyword arguments", next(a.value for a in node.args if a.star == "**"  # type: ignore[attr-defined]
                                                            and dict_shape(scope, a.value))
    elif kind is cst.Call and type(node.func) is cst.Attribute and node.func.attr.value == "get" and node.args:  # type: ignore[attr-defined]
        looked_up(writer, scope, node)  # type: ignore[arg-type]
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
        # a response object too (`requests.get(CACHE) if offline else requests.get(url)`)
        found = [s for s in shapes if s is not None and (s.what in WHAT or s.what == RESP)]
        if found and (len(found) < len(shapes) or found[0] != found[-1]):
            writer.mark(ROW, node, f"{WHAT.get(found[0].what, WHAT[DOC])} is one value of this expression, another value is "
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


def compared(writer: Writer, scope: Scope, node: cst.Comparison) -> bool:
    """`body == {}`, `item != expected`: a response, an item or a part of one
    (or a list of items, but for `== []`) compared whole with a value that is
    not one too (the Public one has other keys, and a call that answers a status
    only answers `{"data": {"status": ...}}` where the Config answer was empty):
    marked; True when it is."""
    left = node.left
    for target in node.comparisons:
        if type(target.operator) in (cst.Equal, cst.NotEqual):
            for this, other in ((left, target.comparator), (target.comparator, left)):
                shape = proven(scope.eval(this))
                if shape is None or shape.what not in (*DICTS, LIST) or _alike(scope, shape, other):
                    continue
                writer.mark(ROW, node, f"{WHAT[shape.what]} is compared whole with "
                            f"`{writer.ctx.src.code(other) or 'a value'}` here{_answer(writer, shape)}: it now has the "
                            "Public shape (`data` envelope, Public field names); check this comparison by hand")
                return True
        left = target.comparator
    return False


def _alike(scope: Scope, shape: Shape, other: cst.BaseExpression) -> bool:
    """`other` is no value the Public shape changes the comparison with: `None`,
    an empty list for a list, or a value of the same shape (another response)."""
    if type(other) is cst.Name and other.value == "None":
        return True
    if shape.what == LIST and type(other) in (cst.List, cst.Tuple) and not other.elements:  # type: ignore[attr-defined]
        return True
    found = proven(scope.eval(other))
    return found is not None and family(found) == family(shape)


TRUTH_TESTS = (cst.If, cst.While, cst.Assert, cst.IfExp, cst.CompIf)
"""Nodes whose `test` is used for its truth."""


def tested(writer: Writer, scope: Scope, node: cst.CSTNode) -> None:
    """The answer of a call whose Public answer is a status only (`{"data":
    {"status": "SUCCESS"}}`, never empty; a delete's Config answer was an
    empty body) tested for its truth: `if not body:`, `assert body`, `body or
    ...`, `bool(body)`."""
    kind = type(node)
    values: list[cst.BaseExpression] = []
    if kind in TRUTH_TESTS:
        values = [node.test]  # type: ignore[attr-defined]
    elif kind is cst.UnaryOperation and type(node.operator) is cst.Not:  # type: ignore[attr-defined]
        values = [node.expression]  # type: ignore[attr-defined]
    elif kind is cst.BooleanOperation:
        values = [node.left]  # type: ignore[attr-defined]  # (the right one is the value when the left is not true)
        parent = writer.ctx.parent(node)
        if type(parent) in TRUTH_TESTS and parent.test is node or type(parent) is cst.UnaryOperation:  # type: ignore[attr-defined]
            values.append(node.right)  # type: ignore[attr-defined]
    elif kind is cst.Call and type(node.func) is cst.Name and node.func.value == "bool" and len(node.args) == 1:  # type: ignore[attr-defined]
        values = [node.args[0].value]  # type: ignore[attr-defined]
    for value in values:
        shape = proven(scope.eval(value))
        if shape is not None and shape.what == DOC and _status_only(writer, shape):
            writer.mark(ROW, value, f"the answer of this call is tested for its truth here, and the Public API answers "
                        f"it with {_status_answer(writer)}, which is never empty, whatever the Config API answered: "
                        "test the status, or the HTTP status code, by hand")


def _status_only(writer: Writer, shape: Shape) -> bool:
    """The Public call of `shape`'s endpoint answers a status only: its row maps
    no response and the spec gives the call no other output (as `translate` has it)."""
    row = writer.flow.endpoints.get(shape.endpoint or "")
    if row is None or row.public is None or row.response is not None:
        return False
    call = find_public(row.public)
    return call is not None and not call.output


def _status_answer(writer: Writer) -> str:
    envelope = writer.ctx.rules.envelope
    return f"`{json.dumps({envelope.data_key: envelope.status_body})}`"


def _answer(writer: Writer, shape: Shape) -> str:
    """What the Public call answers, when the row says: a status only."""
    return f" (the Public API answers this call with {_status_answer(writer)})" if (
        shape.what == DOC and _status_only(writer, shape)) else ""


def looked_up(writer: Writer, scope: Scope, call: cst.Call) -> None:
    """`index.get(slug, default)`: an item of the index, or the default, which
    holds no Public item unless it is `None` or empty (`{"config": []}`): marked."""
    receiver = proven(scope.eval(call.func.value)) if type(call.func) is cst.Attribute else None
    if receiver is None or receiver.what != INDEX or len(call.args) != 2 or scope.eval(call.args[1].value) == NEUTRAL:
        return
    writer.mark(ROW, call, f"{WHAT[ITEM]} is one value of this expression, its default another: its reads cannot "
                "be migrated alone (the item now has the Public shape, the default does not); migrate them by hand")


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
