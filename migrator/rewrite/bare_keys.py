"""A bare word given to `.get`/`.post`/... of something that is not known as
an HTTP client: a key, not a path (`config.get("filters")`,
`os.environ.get("workspaces")`, `self.settings.get("filters", {})`).

A one-word Config path (`workspaces`, `filters`) is only a request path when
the call is an HTTP library's (`requests.get`, `httpx.post`), or its
receiver is a client or session this file makes (`requests.Session()`,
`httpx.Client(base_url=...)`, `BaseUrlSession(...)`, `make_client()`), is a
class deriving from one (`self.get` in a `requests.Session` subclass), or is
named like one (`session`, `client`, `http`, `api`: a client given to a
function). A path with a slash, a value in it, or a helper named after a
verb (`self._get(...)`) is read as before.
"""

from __future__ import annotations

import re

import libcst as cst

from migrator.other_clients import HTTP_LIBRARIES
from migrator.rewrite.context import FileContext

WORD = re.compile(r"[\w.-]+")
CLIENT_WORDS = ("session", "client", "http", "api")
"""Parts of a name that make its value a possible HTTP client."""


def is_key(ctx: FileContext, call: cst.Call, name: str, key: str | None) -> bool:
    """`call` (a verb method `name` given the literal `key` first) reads a key
    off something that is not an HTTP client."""
    from migrator.rewrite.clients import VERBS

    if key is None or name not in VERBS or not WORD.fullmatch(key) or not isinstance(call.func, cst.Attribute):
        return False
    return not _client(ctx, call.func.value, _library(ctx, call.func))


def _library(ctx: FileContext, node: cst.BaseExpression) -> bool:
    from migrator.rewrite.clients import qualified_name

    return qualified_name(ctx, node).split(".")[0] in HTTP_LIBRARIES


def _client(ctx: FileContext, receiver: cst.BaseExpression, library: bool) -> bool:
    """Is the receiver (possibly) an HTTP client or session?"""
    from migrator.rewrite.clients import _entered, resolve

    if library or _named(receiver):
        return True
    if isinstance(receiver, cst.Name) and receiver.value in ("self", "cls"):
        klass = ctx.index.class_of(receiver)
        return klass is not None and any(_named(b.value) or _library(ctx, b.value) for b in klass.bases)
    values = [receiver] if isinstance(receiver, cst.Call) else [*resolve(ctx, receiver), *_entered(ctx, receiver)]
    return any(isinstance(v, cst.Call) and (_named(v.func) or _library(ctx, v.func)) for v in values)


def _named(node: cst.BaseExpression) -> bool:
    """`session`, `self.http`, `httpx.Client`, `make_client`: a name that says client."""
    text = node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""
    return any(word in text.lower() for word in CLIENT_WORDS)
