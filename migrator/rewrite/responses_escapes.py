"""Ways a migrated response leaves what the flow follows (part of `responses`).

Reads are rewritten only on values `responses_flow` proves; these uses hand
a migrated response on where its reads are not seen, so each is marked:

- its body as text or bytes (`r.text`, `r.content`, `await resp.text()`,
  the parts `r.iter_content()` gives) handed to a call that
  is not followed: a decoder other than the JSON ones (`orjson.loads` is one,
  `Model.model_validate_json` is not), a write to a file (`f.write`,
  `Path(...).write_text`), any other function; as the default of a dict
  read (`body.get("message", r.text)`) it goes where the value read goes:
  nowhere to mark when that is shown or formatted into other text, handed
  on when it is given to a call, marked when it is kept (bound, returned);
- a JSON decode that builds other objects than dicts (`r.json(object_hook=...)`,
  `json.loads(r.text, cls=...)`): attribute reads (`src.display_name`) are
  not followed;
- a `yield` of a response, or a part of one, in a generator that is not
  followed as a whole (only one yielding nothing but a response's items, or
  its decoded pages, and returning no value is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from migrator.rewrite.clients import SHOWN, callee_name, literal, qualified_name
from migrator.rewrite.responses_flow import (
    CHUNKS, DOC, ITEM, JSON_DECODERS, LIST, OWN, PAGES, PARTS, RAW, RESP, SUB, UNSEEN, Scope, plain_decoding,
    proven,
)
from migrator.rewrite.responses_uses import WHAT

if TYPE_CHECKING:
    from migrator.rewrite.responses import Writer

ROW = "rewrite.responses"
PUBLIC = "it now holds the Public shape (`data` envelope, Public field names)"
SIZED = frozenset({"len", "bool", "isinstance", "id", "type"})
"""Calls a body's text can be handed to without its content mattering."""
WRITES = frozenset({"write", "write_text", "write_bytes", "writelines", "dump"})
"""Calls that save what they are given (to a file, a cache)."""
DICTS = frozenset({DOC, ITEM, SUB, OWN})
"""Values whose `.get(key, default)` is a dict read."""
MESSAGES = {
    "saved": "{what} is saved by `{callee}`: {public}, and the code that reads it back "
    "(here, in another module or another program) is not followed; migrate those reads by hand",
    "text": "{what} is handed to `{callee}`, which this rewrite does not follow: {public}; "
    "check what `{callee}` does with it and migrate the reads of what it gives back by hand",
    "defaulted": "{what} is the default of this read of `{key}`, and this rewrite does not follow where the "
    "value read goes: {public}; check the uses of that value by hand",
    "hook": "the body of a migrated call is decoded with `{keyword}`: the reads of what it builds are not "
    "followed, and {public}; migrate them by hand",
    "yielded": "{what} is yielded by a generator whose values this rewrite does not follow (only one that "
    "yields nothing but a response's items, or its decoded pages, is followed): the reads of what it yields are "
    "left as they are, and {public}; migrate them by hand",
}


def followed(writer: Writer, scope: Scope, call: cst.Call) -> bool:
    """A call whose value the flow proves (`json.loads(r.text)`), or a
    function of the file whose reads are rewritten with what it is given."""
    if proven(scope.eval(call)) is not None:
        return True
    func = call.func
    target = writer.flow.functions.get(func.value) if isinstance(func, cst.Name) else None
    if isinstance(func, cst.Attribute):
        target = scope._method(func)
    return target is not None and id(target) in writer.promoted


def body_handed(writer: Writer, scope: Scope, arg: cst.Arg, call: cst.Call) -> None:
    """`r.text`/`r.content` (or a name bound to it) given to `call`, which the flow does not follow."""
    name = callee_name(call)
    if name in SIZED or _shown(writer, call):
        return
    if _defaults_read(scope, arg, call):
        _read_goes(writer, scope, arg, call)
        return
    shape = proven(scope.eval(arg.value))
    chunk = shape is not None and shape.kind == CHUNKS
    if qualified_name(writer.ctx, call.func) in JSON_DECODERS and shape is not None and shape.what == RAW \
            and not chunk:
        message = MESSAGES["hook"].format(keyword=_hook(writer, call), public=PUBLIC)
    else:
        what = "a part of the body of a migrated call" if chunk else "the body of a migrated call"
        which = "saved" if name in WRITES else "text"
        message = MESSAGES[which].format(what=what, callee=name or "a call", public=PUBLIC)
    writer.mark(ROW, arg.value, message)


def _defaults_read(scope: Scope, arg: cst.Arg, call: cst.Call) -> bool:
    """`body.get("message", r.text)`: `arg` is the default of a read off a dict."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "get" and len(call.args) == 2):
        return False
    if call.args[1] is not arg or arg.keyword is not None or arg.star or call.args[0].keyword is not None:
        return False
    receiver = proven(scope.eval(func.value))
    return receiver is not None and receiver.what in DICTS


def _read_goes(writer: Writer, scope: Scope, text: cst.Arg, read: cst.Call) -> None:
    """The body as the default of `read`: judged where the value read goes."""
    parent = writer.ctx.parent(read)
    if isinstance(parent, (cst.Expr, cst.FormattedStringExpression, cst.BinaryOperation)):
        return  # dropped, or formatted into other text (as `f"{r.text}"`, `"..." + r.text` are)
    outer = writer.ctx.parent(parent)
    if isinstance(parent, cst.Arg) and not parent.star and isinstance(outer, cst.Call):
        body_handed(writer, scope, parent, outer)
        return
    key = literal(read.args[0].value) or writer.ctx.src.code(read.args[0].value) or "a key"
    writer.mark(ROW, text.value, MESSAGES["defaulted"].format(what="the body of a migrated call", key=key,
                                                              public=PUBLIC))


def decoded_otherwise(writer: Writer, scope: Scope, call: cst.Call) -> None:
    """`r.json(object_hook=...)` (or any decode argument the flow does not
    follow) of a migrated response."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "json" and call.args):
        return
    if plain_decoding(call.args):
        return
    receiver = proven(scope.eval(func.value))
    if receiver is None or receiver.what != RESP or receiver.kind == UNSEEN:
        return
    writer.mark(ROW, call, MESSAGES["hook"].format(keyword=_hook(writer, call), public=PUBLIC))


def yielded(writer: Writer, scope: Scope, node: cst.Yield) -> None:
    """A yield of a migrated value in a generator whose values are not followed."""
    generated = proven(scope.returns)
    if generated is not None and generated.what in (LIST, PAGES):
        return
    value = node.value
    if isinstance(value, cst.From):
        value = value.item
    shape = proven(scope.eval(value)) if value is not None else None
    if shape is None or shape.what not in (*PARTS, RESP, RAW):
        return
    what = WHAT.get(shape.what, "the response of a migrated call")
    writer.mark(ROW, node, MESSAGES["yielded"].format(what=what, public=PUBLIC))


def _hook(writer: Writer, call: cst.Call) -> str:
    """The first decode argument that builds other objects (`object_hook=`)."""
    method = isinstance(call.func, cst.Attribute) and call.func.attr.value == "json"
    for arg in call.args if method else call.args[1:]:
        if not plain_decoding([arg]):
            return f"{arg.keyword.value}=" if arg.keyword is not None else writer.ctx.src.code(arg) or "arguments"
    return "arguments"


def _shown(writer: Writer, call: cst.Call) -> bool:
    """Printed, logged, or the message of an exception raised: text shown to a person."""
    parent = writer.ctx.parent(call)
    if callee_name(call) in SHOWN and isinstance(parent, cst.Expr):
        return True
    return isinstance(parent, cst.Raise)
