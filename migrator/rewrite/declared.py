"""Paths a declarative HTTP client declares: `@uplink.get("v1beta/workspaces/{workspace}/sources")`.

The decorator's path is joined to a base URL given apart (the `base_url`
a `uplink.Consumer` is built with), and the decorated method's parameters
fill its placeholders: dropping `{workspace}` or turning a slug into an id
changes the method's signature and every caller. So such a path is marked,
not rewritten, and, as a path joined to a base this file does not show, it
holds the file's Config bases on the Config API with it (`paths.finish`):
moving the Consumer's `base_url` alone would send the Config paths to the
Public host.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext

CLIENT_DECORATORS = frozenset(f"uplink.{verb}" for verb in ("get", "post", "put", "patch", "delete", "head"))
"""uplink's request decorators, whose first argument (`uri`) is the request's path."""
PATH_KEYWORD = "uri"
"""The name of that argument: `@uplink.get(uri="...")`."""


def client_decorator(ctx: FileContext, node: cst.CSTNode) -> tuple[str, str] | None:
    """The declarative client's decorator whose path argument (first, or `uri=`) is `node`,
    by its name (`uplink.get`) and as written (`get`); None when it is no
    such decorator's."""
    from migrator.rewrite.clients import qualified_name

    arg = ctx.parent(node)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or not isinstance(arg, cst.Arg) or not _path_argument(call, arg):
        return None
    if not isinstance(ctx.parent(call), cst.Decorator):
        return None
    name = qualified_name(ctx, call.func)
    return (name, ctx.src.code(call.func) or name) if name in CLIENT_DECORATORS else None


def _path_argument(call: cst.Call, arg: cst.Arg) -> bool:
    """`arg` is the path a decorator's call gives: its first argument given
    by position, or the one named `uri` (`@get(uri="...")`)."""
    if arg.keyword is not None:
        return arg.keyword.value == PATH_KEYWORD
    return bool(call.args) and call.args[0] is arg
