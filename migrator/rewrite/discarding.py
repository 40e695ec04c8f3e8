"""Calls known to drop what a callable given to them gives back, or never to call it.

A function or method giving back a migrated response that is handed to one
of these (`threading.Thread(target=client.list_sources)`,
`atexit.register(client.close)`, `inspect.signature(client.list_sources)`,
`sorted(slugs, key=client.get_source)`) is not handed to code that reads
what it gives back, so it is not marked as handed on (`responses_taken`,
`responses_imported`). Calls that give back what they run it for stay
marked or followed (`executor.submit`, `asyncio.to_thread`,
`run_in_executor`, `map`: `responses_tied`), and so does any call this
table does not name (an event bus's `bus.on("refresh", f)`: some buses
give back what their receivers give, blinker's and Django's `send()`).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite.clients import qualified_name
from migrator.rewrite.context import FileContext


@dataclass(frozen=True)
class Drops:
    keyword: str | None = None
    """The one keyword argument that is dropped so (`key=`); None: any argument."""
    statement: bool = False
    """The call gives back a callable it was given (`atexit.register` gives
    back its function, `signal.signal` the handler before): dropped only
    when the call is a statement of its own."""


_RUNS_AND_DROPS = Drops()
_NEVER_CALLED = Drops()
_COMPARED = Drops(keyword="key")
_GIVEN_BACK = Drops(statement=True)

CALLS: dict[str, Drops] = {
    # run in a thread or a timer, or at exit, or on a signal: the value is dropped
    "threading.Thread": _RUNS_AND_DROPS, "threading.Timer": _RUNS_AND_DROPS,
    "atexit.register": _GIVEN_BACK, "signal.signal": _GIVEN_BACK,
    # looked at, never called
    **{f"inspect.{name}": _NEVER_CALLED for name in (
        "signature", "getdoc", "getsource", "getsourcelines", "getsourcefile", "getfile", "getmodule",
        "getfullargspec", "ismethod", "isfunction", "isroutine", "isbuiltin", "iscoroutinefunction",
        "isgeneratorfunction", "isasyncgenfunction", "isawaitable", "ismethoddescriptor",
    )},
    # called for a sort key, compared only: the items are given back
    "sorted": _COMPARED, "min": _COMPARED, "max": _COMPARED,
    "heapq.nsmallest": _COMPARED, "heapq.nlargest": _COMPARED,
}
"""Functions and classes, by qualified name."""

METHODS: dict[str, Drops] = {
    # an asyncio event loop's callbacks (`loop.call_soon(f)`): their values are dropped
    "call_soon": _RUNS_AND_DROPS, "call_soon_threadsafe": _RUNS_AND_DROPS,
    "call_later": _RUNS_AND_DROPS, "call_at": _RUNS_AND_DROPS,
    # `items.sort(key=f)`
    "sort": _COMPARED,
}
"""Methods, by name, on any object."""


def dropped(ctx: FileContext, node: cst.BaseExpression) -> bool:
    """`node` is an argument of a call of `CALLS` or `METHODS` that drops
    what it gives back, or never calls it (see the module)."""
    arg = ctx.parent(node)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) and arg.value is node else None
    if not isinstance(call, cst.Call) or arg.star:  # type: ignore[union-attr]
        return False
    func = call.func
    drops = CALLS.get(qualified_name(ctx, func))
    if drops is None and isinstance(func, cst.Attribute):
        drops = METHODS.get(func.attr.value)
    if drops is None:
        return False
    keyword = arg.keyword.value if arg.keyword is not None else None  # type: ignore[union-attr]
    if drops.keyword is not None and keyword != drops.keyword:
        return False
    if drops.statement:
        holder = ctx.parent(call)
        return isinstance(holder, cst.Expr) and holder.value is call
    return True
