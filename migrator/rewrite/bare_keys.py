"""A bare word given to `.get`/`.post`/... that is a key, not a path
(`config.get("filters", None)`, `os.environ.get("workspaces")`,
`request.args.get("workspaces")`, `cache.get("workspaces")`).

A one-word Config path (`workspaces`, `filters`) sent through a client
joins a base URL the client holds (`httpx.Client(base_url=...)`), which may
be made in another module and handed here (`def count(c):
c.get("workspaces")`, `from conn import segment`). It is a key:

- off a `get` given a second value by position (`config.get("filters", None)`):
  clients' `get` takes its other arguments by keyword (only the `requests`
  and `httpx` module functions take `params` by position);
- off a receiver that is a mapping: `os.environ`, Flask's `request.args`...,
  Django's `request.GET`..., a name bound only to a dict display or to what
  `dict(...)`, `json.load(...)`, `yaml.safe_load(...)` give back;
- in a file that makes no client joining relative paths to a base (its text
  names no `base_url`, `BaseUrlSession`, `urljoin`...), off a receiver that
  cannot be a client made elsewhere: not a parameter (nor an attribute of
  one: `self.session`), not an imported name, not named like a client
  (`session`, `client`, `http`, `api`), bound only to displays or to what
  a known mapping or store maker gives back (`r = redis.Redis()`), or not
  bound in the file at all; a value any other call made, or one bound
  where this reading does not look (`with ... as seg`, `for seg in ...`),
  may be a client.

Anything else is a path, its base held with it (marked). A path with a
slash, a value in it, or a helper named after a verb (`self._get(...)`) is
read as before.
"""

from __future__ import annotations

import re

import libcst as cst

from migrator.other_clients import HTTP_LIBRARIES
from migrator.rewrite.context import FileContext

WORD = re.compile(r"[\w.-]+")
MAPPINGS = frozenset({
    "dict", "os.environ", "json.load", "json.loads", "collections.defaultdict", "collections.OrderedDict",
    "yaml.safe_load", "yaml.load", "yaml.full_load", "tomllib.load", "tomllib.loads", "toml.load", "toml.loads",
    "django.core.cache.cache",
    *(f"flask.request.{part}" for part in ("args", "form", "values", "headers", "cookies", "files")),
})
"""What a receiver that is a mapping, never a client, is (or is made by)."""
STORES = frozenset({"redis.Redis", "redis.StrictRedis", "redis.from_url", "redis.Redis.from_url"})
"""What makes a key-value store, never an HTTP client (`r = redis.Redis(); r.get("workspaces")`)."""
DJANGO = frozenset({"GET", "POST", "COOKIES", "META", "FILES"})
"""Attributes of a Django request that are mappings (`request.GET.get("filters")`)."""
CLIENT_WORDS = ("session", "client", "http", "api")
"""Parts of a name that make its value a possible HTTP client."""
RELATIVE_WORDS = ("base_url", "BaseUrl", "base_uri", "prefix_url", "urljoin")
"""Text of a file that may make clients joining relative paths to a base."""


def is_key(ctx: FileContext, call: cst.Call, name: str, key: str | None) -> bool:
    """`call` (a verb method `name` given the literal `key` first) reads a key
    off a mapping, not a path off a client."""
    from migrator.rewrite.clients import VERBS, qualified_name

    if key is None or name not in VERBS or not WORD.fullmatch(key) or not isinstance(call.func, cst.Attribute):
        return False
    if name == "get" and sum(1 for a in call.args if a.keyword is None and not a.star) == 2:
        return qualified_name(ctx, call.func).split(".")[0] not in HTTP_LIBRARIES  # `config.get(key, default)`
    if _mapping(ctx, call.func.value):
        return True
    if any(word in ctx.src.text for word in RELATIVE_WORDS):
        return False  # any receiver may be a client with a base, made here or handed on
    return not _handed(ctx, call.func.value)


def _mapping(ctx: FileContext, receiver: cst.BaseExpression) -> bool:
    """The receiver is a mapping: a known one, or a name only bound to a dict
    display or to what `dict(...)`, `json.load(...)`... give back."""
    from migrator.rewrite.clients import qualified_name, resolve

    if qualified_name(ctx, receiver) in MAPPINGS:
        return True
    if isinstance(receiver, cst.Attribute) and receiver.attr.value in DJANGO:
        return True
    values = resolve(ctx, receiver) if isinstance(receiver, cst.Name) else []
    return bool(values) and all(
        isinstance(v, (cst.Dict, cst.DictComp))
        or isinstance(v, cst.Call) and qualified_name(ctx, v.func) in MAPPINGS for v in values
    )


def _handed(ctx: FileContext, receiver: cst.BaseExpression) -> bool:
    """The receiver may be a client made elsewhere (or by a call here)."""
    from migrator.rewrite.clients import qualified_name, resolve

    head = receiver
    while isinstance(head, cst.Attribute):
        if _named(head):
            return True
        head = head.value
    if not isinstance(head, cst.Name) or _named(head) or head.value in ctx.index.modules:
        return True  # a call's value, a name imported from a module
    if _parameter(ctx, head):
        return True
    values = resolve(ctx, head)
    if head is not receiver or not values:
        # an attribute of a value made here (what it is is not followed), or a name
        # bound where this reading does not look (`with`, `for`, a tuple, `:=`)
        return head is not receiver and bool(values) or not values and _bound(ctx, head)
    for value in values:
        if isinstance(value, cst.Call):
            if qualified_name(ctx, value.func) not in MAPPINGS | STORES:
                return True  # made by a call: an HTTP library's, a function of the file or another module's
        elif not isinstance(value, (cst.Dict, cst.DictComp, cst.List, cst.Tuple, cst.SimpleString)):
            return True  # another name, an attribute, a value this reading does not follow
    return False


def _bound(ctx: FileContext, name: cst.Name) -> bool:
    """The file binds `name` somewhere (a global never bound in it is no client it makes)."""
    return any(_binds(ctx, node) for node in ctx.index.names.get(name.value, ()) if node is not name)


def _binds(ctx: FileContext, node: cst.CSTNode) -> bool:
    """`node` is (a part of) a target: of `=`, `with ... as`, `for`, `:=`..."""
    parent = ctx.parent(node)
    while isinstance(parent, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, (cst.AsName, cst.AssignTarget)):
        return True
    return isinstance(parent, (cst.For, cst.CompFor, cst.NamedExpr, cst.AnnAssign, cst.AugAssign)) \
        and parent.target is node


def _parameter(ctx: FileContext, name: cst.Name) -> bool:
    """A parameter of a function around `name` binds it."""
    index = ctx.index
    scope = index.scope_of(name)
    while not isinstance(scope, cst.Module):
        if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
            params = scope.params
            every = [*params.posonly_params, *params.params, *params.kwonly_params]
            every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
            if name.value in {p.name.value for p in every}:
                return True
            if index.assignments.get((scope, name.value)):
                return False  # bound in this function: read by `resolve`
        scope = index.scope_of(scope)
    return False


def _named(node: cst.BaseExpression) -> bool:
    """`session`, `self.http`, `make_client`: a name that says client."""
    text = node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""
    return any(word in text.lower() for word in CLIENT_WORDS)
