"""A bare word given to `.get`/`.post`/... that is a key, not a path
(`config.get("filters", None)`, `os.environ.get("workspaces")`,
`request.args.get("workspaces")`).

A one-word Config path (`workspaces`, `filters`) sent through a client
joins a base URL the client holds (`httpx.Client(base_url=...)`), which may
be made in another module and handed here under any name
(`def count(c): c.get("workspaces")`): such a call is read as a path, and
its base held with it, unless it plainly is a mapping's lookup:

- a `get` given a second value by position (`config.get("filters", None)`):
  clients' `get` takes its other arguments by keyword (only the `requests`
  and `httpx` module functions take `params` by position);
- a receiver that is a mapping: `os.environ`, Flask's `request.args`,
  `request.form`..., a name bound only to a dict display or to what
  `dict(...)`, `json.load(...)` give back.

A path with a slash, a value in it, or a helper named after a verb
(`self._get(...)`) is read as before.
"""

from __future__ import annotations

import re

import libcst as cst

from migrator.other_clients import HTTP_LIBRARIES
from migrator.rewrite.context import FileContext

WORD = re.compile(r"[\w.-]+")
MAPPINGS = frozenset({
    "dict", "os.environ", "json.load", "json.loads", "collections.defaultdict", "collections.OrderedDict",
    *(f"flask.request.{part}" for part in ("args", "form", "values", "headers", "cookies", "files")),
})
"""What a receiver that is a mapping, never a client, is (or is made by)."""


def is_key(ctx: FileContext, call: cst.Call, name: str, key: str | None) -> bool:
    """`call` (a verb method `name` given the literal `key` first) reads a key
    off a mapping, not a path off a client."""
    from migrator.rewrite.clients import VERBS, qualified_name

    if key is None or name not in VERBS or not WORD.fullmatch(key) or not isinstance(call.func, cst.Attribute):
        return False
    if name == "get" and sum(1 for a in call.args if a.keyword is None and not a.star) == 2:
        return qualified_name(ctx, call.func).split(".")[0] not in HTTP_LIBRARIES  # `config.get(key, default)`
    return _mapping(ctx, call.func.value)


def _mapping(ctx: FileContext, receiver: cst.BaseExpression) -> bool:
    """The receiver is a mapping: a known one, or a name only bound to a dict
    display or to what `dict(...)`, `json.load(...)`... give back."""
    from migrator.rewrite.clients import qualified_name, resolve

    if qualified_name(ctx, receiver) in MAPPINGS:
        return True
    values = resolve(ctx, receiver) if isinstance(receiver, cst.Name) else []
    return bool(values) and all(
        isinstance(v, (cst.Dict, cst.DictComp))
        or isinstance(v, cst.Call) and qualified_name(ctx, v.func) in MAPPINGS for v in values
    )
