"""A bare word given to `.get`/`.post`/... of something that is not known as
an HTTP client: a key, not a path (`config.get("filters")`,
`os.environ.get("workspaces")`, `self.settings.get("filters", {})`).

A one-word Config path (`workspaces`, `filters`) is only a request path when
the call is an HTTP library's (`requests.get`, `httpx.post`), or its
receiver is a client or session this file makes (`requests.Session()`,
`httpx.Client(base_url=...)`, `BaseUrlSession(...)`, `make_client()`), is a
class deriving from one (`self.get` in a `requests.Session` subclass), or is
named like one (`session`, `client`, `http`, `api`: a client given to a
function). In a file that may make a client joining relative paths to a
base (its text names `base_url`, `BaseUrlSession`, `urljoin`...), any other
receiver may be such a client handed on (`def count(c): c.get("workspaces")`)
and the word stays a path, as before, unless the receiver is plainly a
mapping (`os.environ`, a name bound only to a dict or to `json.load(...)`). A path with a slash, a value in it, or
a helper named after a verb (`self._get(...)`) is read as before.
"""

from __future__ import annotations

import re

import libcst as cst

from migrator.other_clients import HTTP_LIBRARIES
from migrator.rewrite.context import FileContext

WORD = re.compile(r"[\w.-]+")
CLIENT_WORDS = ("session", "client", "http", "api")
"""Parts of a name that make its value a possible HTTP client."""
RELATIVE_WORDS = ("base_url", "BaseUrl", "base_uri", "prefix_url", "urljoin")
"""Text of a file that may make clients joining relative paths to a base."""


def is_key(ctx: FileContext, call: cst.Call, name: str, key: str | None) -> bool:
    """`call` (a verb method `name` given the literal `key` first) reads a key
    off something that is not an HTTP client."""
    from migrator.rewrite.clients import VERBS

    if key is None or name not in VERBS or not WORD.fullmatch(key) or not isinstance(call.func, cst.Attribute):
        return False
    if any(word in ctx.src.text for word in RELATIVE_WORDS):
        return _no_client(ctx, call.func.value)  # else any receiver may be a client with a base handed on
    return not _client(ctx, call.func.value, _library(ctx, call.func))


MAPPINGS = frozenset({"dict", "os.environ", "json.load", "json.loads", "collections.defaultdict",
                      "collections.OrderedDict"})
"""What a receiver that is a mapping, never a client, is (or is made by)."""


def _no_client(ctx: FileContext, receiver: cst.BaseExpression) -> bool:
    """The receiver is a mapping: `os.environ`, or a name only bound to a
    dict display or to what `dict(...)`, `json.load(...)`... give back."""
    from migrator.rewrite.clients import qualified_name, resolve

    if qualified_name(ctx, receiver) in MAPPINGS:
        return True
    values = resolve(ctx, receiver) if isinstance(receiver, cst.Name) else []
    return bool(values) and all(
        isinstance(v, (cst.Dict, cst.DictComp))
        or isinstance(v, cst.Call) and qualified_name(ctx, v.func) in MAPPINGS for v in values
    )


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
