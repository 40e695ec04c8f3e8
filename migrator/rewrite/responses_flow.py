"""Where the responses of migrated calls go, within a file.

The paths kind migrates a call's URL; this module follows that URL to the
call that sends it, and the call's value (the response object, its
`.json()`, lists and items read from it) through assignments, `+=`,
`.extend()`, `for` loops, comprehensions, `sorted(..., key=lambda ...)`,
items picked by `max`/`min`/`next`/`random.choice`,
`with ... as`, `await`, dicts of a list's items by a key (`{d["name"]:
d for d in dests}`: their values, `.values()` and `.items()`), module constants, the return values of the
functions and methods of the file (and of the getters of its properties), and what their generators yield (a
response's items, or its decoded pages). Each value gets a `Shape`; anything else
has none (not proven).

A name bound to values of one shape has it everywhere in its function. A
name bound to different shapes (`resp` reused for several calls) has, at a
use, the shape of the bindings that can reach it (`Scope.reaching`): the
last one before it, earlier ones when that one is conditional, later ones
in a loop around the use. Anything unproven among them makes it unproven.

Values that reach a function of the file as arguments are used to compute
what it returns (a helper that sends a URL and returns `resp.json()`).
Reads inside it are rewritten only when the file is a script (or the
function private), the file only calls it, and every call passes the same
kind of value (`Flow._promoted`); otherwise callers elsewhere could pass
something else, and the reads that would change are marked with their
change instead (`responses.Writer.unfollowed`).
"""

from __future__ import annotations

from string import Formatter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import libcst as cst
import libcst.helpers

from migrator.other_clients import makes_client
from migrator.rewrite import bindings, constants, fixture_values
from migrator.rewrite.clients import (
    REQUEST_NAMES, SHOWN, VERBS, callee_name, literal, param_names, qualified_name, resolve,
)
from migrator.rewrite.context import STATEMENTS, FileContext, child_nodes, node_types
from migrator.rewrite.decorators import manager, transparent
from migrator.rewrite.fixtures import ELSEWHERE, FIXTURE_KEY, UNPROVEN, conftest_fixtures, renamed, requested
from migrator.rewrite.mock_doubles import is_double
from migrator.rewrite.table import table_for
from migrator.ruleset.models import EndpointRow, ResourceRow

URL, REQ, RESP, RAW, DOC, LIST, ITEM, TOKEN = "url", "req", "resp", "raw", "doc", "list", "item", "token"
LOCAL = "local"
"""Data the program reads from its own files (`json.load(open(path))`,
`yaml.safe_load(f)`, `csv.DictReader(f)` rows): no response, whatever its keys."""
LOCAL_READERS = frozenset({
    "json.load", "json.loads", "yaml.safe_load", "yaml.load", "yaml.full_load", "tomllib.load", "tomllib.loads",
    "toml.load", "toml.loads", "csv.DictReader", "csv.reader",
})
"""Functions that turn a file's contents into data."""
JSON_DECODERS = frozenset({
    "json.loads", "json.load", "orjson.loads", "ujson.loads", "ujson.load", "simplejson.loads", "simplejson.load",
})
"""Functions that decode JSON text into the same dicts and lists as `json.loads`."""
PLAIN_DECODING = frozenset({"parse_float", "parse_int", "parse_constant", "strict", "content_type", "encoding"})
"""Keywords of a JSON decode that leave the shape of what it gives alone
(any other, `object_hook=`, `cls=`, `loads=`, builds other objects)."""
SUB = "sub"
INSTANCE = "instance"
ANNOTATED = "annotated"
"""`Shape.path` of an instance known only from an annotation (`client: Client`): it may be of a subclass."""
OVERRIDDEN = "@overridden"
"""Suffix of a key of `FileContext.returns` (`client.Client.sources@overridden`):
a subclass in another module of the run defines the method again."""
"""An object of a class of the file (`kind` holds the class name)."""
OWN = "own"
"""A dict the code writes itself (`{"display_name": x}`; `keys` holds its keys)."""
SENDS = frozenset((*VERBS, *REQUEST_NAMES))
"""Names of the calls that may send a URL."""
BUILT_REQUESTS = ("requests.Request", "httpx.Request", "requests.models.Request")
UNSEEN = "unseen"
"""`kind` of the response of a call this flow does not know: even its `.json()` is not proven."""
NOT_SENDING = frozenset({
    "str", "repr", "len", "bool", "isinstance", "format", "urlparse", "urlsplit", "quote", "unquote",
    "join", "startswith", "endswith", "split", "rsplit", "replace", "strip", "rstrip", "lstrip", "encode",
    "append", "extend", "add", "assertEqual", "assertIn", "dict", "list", "tuple", "set", "frozenset", "hash",
    "sorted", "reversed", "enumerate", "zip", "iter", "any", "all", "dumps",
})
"""Calls that do something else with a URL they are given than sending it."""
CHUNKS = "chunks"
"""`kind` of a `RAW` that holds parts of the body (`r.iter_content()`, its items): no JSON document alone."""
BODY_READS = frozenset({"read", "aread", "decode", "text", "strip", "lstrip", "rstrip"})
"""Methods that give a response's body (aiohttp `await resp.text()`, httpx
`await r.aread()`), or the same text again (`r.text.strip()`)."""
BODY_CHUNKS = frozenset({
    "iter_content", "iter_lines", "iter_bytes", "iter_text", "iter_raw", "aiter_bytes", "aiter_text",
    "aiter_lines", "aiter_raw", "iter_chunked", "iter_any",
})
"""Methods that give a response's body in parts, to loop over."""
INDEX = "index"
"""A dict of a list's items by a key (`{d["name"]: d for d in dests}`,
`dict((k, d) for d in dests)`): its values are the items (the `Shape` is the
list's but for `what`); its keys are what the code made them."""
ENTRIES = "entries"
"""`.items()` of an `INDEX`, `enumerate()` of a `LIST`: (key, item) pairs."""
ENTRY = "entry"
"""One (key, item) pair of `ENTRIES`, unpacked by a `for k, d in ...` target."""
PAGES = "pages"
"""A generator of a migrated call's decoded responses (`yield body`): its items are `DOC`s."""
METHOD = "method"
"""A method taken off an instance and not called there (`fetch = client.list_sources`,
`getattr(client, "list_sources")`): `kind` the instance's class (of the file, or
dotted, another module's), `path` the method's name. Called, it gives what the method does."""
DECORATED = "decorated"
"""What a call of a function of the file gives back through a decorator this flow
does not know (`@cached(cache)`, `@shared_task`), when the function itself gives
back a migrated response: `kind` the function's name, `path` the decorator's."""
TAKEN_PARTLY = "taken-partly"
"""What a call of a name gives back (`fetch()`) that holds a method taken off
an instance, giving back a migrated response, on one path and another value
on another, or that a nested function binds again: `kind` the name, `path`
the method (`SegmentClient.list_sources`), `keys` "paths" or "nested" and
what the method gives back (`DOC`, `LIST`, ...)."""
EXPORTED = frozenset({RESP, RAW, DOC, LIST, ITEM, PAGES})
"""What a function may give back to another module (`Flow.exports`)."""


def given_on(shape: Shape | None) -> bool:
    """A migrated response (or a list or item of one) a function may give another module."""
    return shape is not None and shape.what in EXPORTED and bool(shape.endpoint or shape.kind)


GETTERS = frozenset({"property", "functools.cached_property"})
"""Decorators that make a method the getter of an attribute of the same name."""
PROPERTY = "@property"
"""Suffix of a key of `FileContext.returns` (`client.SourceView.data@property`):
the getter of a property, whose value the attribute is (not a method to call)."""
BUILD_REQUEST = "build_request"
"""httpx's `client.build_request(method, url, ...)`, sent with `client.send`."""


@dataclass(frozen=True)
class Shape:
    what: str
    endpoint: str | None = None
    """Endpoint row id (url, req, resp, raw, doc)."""
    kind: str | None = None
    """Resource kind (list, item, sub)."""
    path: str | None = None
    """For `sub`: the Config path of a nested object whose fields the row maps
    one by one (`attributes` of `attributes.values`)."""
    keys: frozenset[str] = frozenset()
    """For `own`: the keys it was written with."""
    gathered: bool = False
    """For `list`: built from several lists or items (`+=`, `.extend()`,
    `.append()`, `a + b`, a generator's yields), so its items may come from
    several responses."""
    sent: str | None = None
    """For `resp`, `doc`, `list`: the one URL the call sends, when the code
    fixes it (`constants.constant_text`): a list gathered from its answers
    alone (its pages) holds the children of one parent."""


PARTS = (RESP, DOC, LIST, ITEM, SUB)
"""What a migrated call gives back, and the parts of it reads are rewritten on."""
NEUTRAL = Shape("neutral")
"""`[]`, `{}`, `""`, `None`: initial values of accumulators and page tokens."""
CONFLICT = Shape("conflict")


def join(a: Shape | None, b: Shape | None) -> Shape:
    if b is None:
        return CONFLICT
    if a is None or a == NEUTRAL:
        return b
    if b == NEUTRAL or a == b:
        return a
    if _plain(a) == _plain(b):  # the same, but for the URLs its responses come from
        return replace(a, gathered=a.gathered or b.gathered, sent=a.sent if a.sent == b.sent else None)
    return CONFLICT


def _plain(shape: Shape) -> Shape:
    return replace(shape, gathered=False, sent=None)


def gather(shape: Shape, *more: Shape) -> Shape | None:
    """A list holding the items of `shape` and of `more`, lists of the same
    items (`a + b`, `a += b`, `a.extend(b)`): gathered, of one URL if all are;
    None when they are not lists of the same items."""
    if shape.what != LIST or any(_plain(other) != _plain(shape) for other in more):
        return None
    sent = shape.sent if all(other.sent == shape.sent for other in more) else None
    return replace(shape, gathered=True, sent=sent)


def one_parent(items: Shape) -> bool:
    """The items of a list share their Config parent (so their names all but
    the last segment): one response, or the pages of one URL."""
    return items.what == LIST and (not items.gathered or items.sent is not None)


def proven(shape: Shape | None) -> Shape | None:
    return None if shape is None or shape in (NEUTRAL, CONFLICT) else shape



def names_bound(target: cst.BaseExpression) -> set[str]:
    """The names a `for` target binds (`s`, `k, v`, `(a, [b, *c])`)."""
    if type(target) is cst.Name:
        return {target.value}  # type: ignore[attr-defined]
    if type(target) in (cst.Tuple, cst.List):
        return set().union(*(names_bound(e.value) for e in target.elements))  # type: ignore[attr-defined]
    if type(target) is cst.StarredElement:
        return names_bound(target.value)  # type: ignore[attr-defined]
    return set()

@dataclass
class Read:
    """`value["key"]` or `value.get("key", ...)`."""

    node: cst.BaseExpression
    value: cst.BaseExpression
    key: cst.SimpleString
    name: str
    is_get: bool


def as_read(node: cst.CSTNode) -> Read | None:
    if type(node) is cst.Subscript:
        elements = node.slice  # type: ignore[attr-defined]
        if len(elements) == 1 and type(elements[0].slice) is cst.Index:
            key = elements[0].slice.value
            if type(key) is cst.SimpleString:
                value = key.evaluated_value
                if isinstance(value, str):
                    return Read(node, node.value, key, value, False)  # type: ignore[attr-defined]
        return None
    if type(node) is cst.Call:
        func = node.func  # type: ignore[attr-defined]
        args = node.args  # type: ignore[attr-defined]
        if (
            type(func) is cst.Attribute
            and func.attr.value == "get"
            and 1 <= len(args) <= 2
            and all(a.keyword is None and not a.star for a in args)
            and type(args[0].value) is cst.SimpleString
        ):
            value = args[0].value.evaluated_value
            if isinstance(value, str):
                return Read(node, func.value, args[0].value, value, True)
    return None


SORTING = ("sorted", "sort", "min", "max")
"""Calls whose `key=` function is given each item of a list."""
PICKING = frozenset({"min", "max", "next"})
"""Builtins that give back one item of the list (or iterator) they are given."""


def sorted_items(call: cst.Call) -> cst.BaseExpression | None:
    """The list whose items a sorting call hands its `key=` function
    (`sorted(items, ...)`, `items.sort(...)`, `max(items, ...)`)."""
    name = callee_name(call)
    if name not in SORTING:
        return None
    if name == "sort":
        return call.func.value if isinstance(call.func, cst.Attribute) else None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[0].value if positional else None


def _taken_apart(parents: dict, key: cst.CSTNode) -> bool:
    """`key` is read and the value taken apart with a method
    (`x["name"].split("/")`, `x.get("name").replace(...)`)."""
    node = parents.get(key)
    node = parents.get(node) if type(node) in (cst.Index, cst.Arg) else None
    node = parents.get(node) if type(node) is cst.SubscriptElement else node
    read = as_read(node) if node is not None else None
    if read is None or read.key is not key:
        return False
    outer = parents.get(node)
    return type(outer) is cst.Attribute and outer.attr.value in ("split", "rsplit", "replace")  # type: ignore[attr-defined]


def _last_field(template: str | None, args: Sequence[cst.Arg]) -> cst.BaseExpression | None:
    """The value a `.format` template ends with (`{}`, `{2}`, `{path}`), or
    that its query string follows (`"{}?page_size=10"`, `"{}?page_size={}"`,
    as `f"{URL}?page_size=10"`)."""
    if template is None or any(a.star for a in args):
        return None
    try:
        parsed = list(Formatter().parse(template))
    except ValueError:
        return None
    items: list[tuple[str, str | None]] = []  # (literal text, field name) in order
    for text, name, _, _ in parsed:
        if text:
            items.append((text, None))
        if name is not None:
            items.append(("", name))
    end = next((i for i, (text, name) in enumerate(items) if name is None and text.startswith(_QUERY)), len(items))
    if end == 0 or items[end - 1][1] is None:
        return None
    field = items[end - 1][1]
    positional = [a.value for a in args if a.keyword is None]
    if field == "":
        auto = sum(1 for _, name in items if name == "")
        if auto != len(positional) or any(name not in ("", None) for _, name in items):
            return None
        return positional[sum(1 for _, name in items[:end] if name == "") - 1]
    if field is not None and field.isdigit():
        return positional[int(field)] if int(field) < len(positional) else None
    return next((a.value for a in args if a.keyword is not None and a.keyword.value == field), None)


_QUERY = ("?", "#")


def imported_name(ctx: FileContext, func: cst.BaseExpression) -> str | None:
    """What a called name names through an import nothing else rebinds
    (`client.get_source` → `client.get_source`, `c.f` with `import app.client
    as c` → `app.client.f`, `f` of `from .client import f` → `.client.f`)."""
    head, parts = _dotted(func)
    spec = None if head is None else bindings.imported(ctx).get(head.value)
    return None if spec is None else ".".join([spec, *parts])


def _dotted(func: cst.BaseExpression) -> tuple[cst.Name | None, list[str]]:
    """The name an attribute chain starts at, and the attributes after it
    (`a.b.c` → `a`, `["b", "c"]`); None for another start."""
    parts: list[str] = []
    while isinstance(func, cst.Attribute):
        parts.append(func.attr.value)
        func = func.value
    return (func if isinstance(func, cst.Name) else None), parts[::-1]


def imported_here(ctx: FileContext, func: cst.BaseExpression) -> str | None:
    """`imported_name`, or, for a name an import of the function it is read
    in binds (`def default_client(): from app.client import Client; return
    Client()`), what that import names."""
    dotted = imported_name(ctx, func)
    if dotted is not None:
        return dotted
    head, parts = _dotted(func)
    if head is None:
        return None
    spec = bindings.function_imports(ctx).get(id(ctx.index.scope_of(head)), {}).get(head.value)
    return None if spec is None else ".".join([spec, *parts])


def default_param(ctx: FileContext, node: cst.CSTNode) -> bool:
    """`node` names a parameter of the function it is in (`client` of `client or Client()`)."""
    if type(node) is not cst.Name:
        return False
    function = ctx.index.scope_of(node)
    return isinstance(function, cst.FunctionDef) and node.value in param_names(function.params)  # type: ignore[attr-defined]


def held(ctx: FileContext, attribute: cst.Attribute) -> tuple[cst.FunctionDef, cst.BaseExpression] | None:
    """`self.client` in a class whose `__init__` binds it once (`self.client =
    Client()`) and that nothing else in the file binds (no other `x.client =
    ...`, class attribute, method or `setattr`): the `__init__` and the value."""
    index = ctx.index
    if not (type(attribute.value) is cst.Name and attribute.value.value == "self") or "setattr" in ctx.src.text:  # type: ignore[attr-defined]
        return None
    klass = index.class_of(attribute)
    name = attribute.attr.value
    if klass is None or not isinstance(klass.body, cst.IndentedBlock):
        return None
    values = index.attributes.get((klass, name), [])
    targets = [t for t in index.targets if type(t) is cst.Attribute and t.attr.value == name]  # type: ignore[attr-defined]
    if len(values) != 1 or len(targets) != 1 or index.scope_of(targets[0]) is index.scope_of(attribute):
        return None
    if not (type(targets[0].value) is cst.Name and targets[0].value.value == "self"):  # type: ignore[attr-defined]
        return None
    init = index.scope_of(targets[0])
    if not (isinstance(init, cst.FunctionDef) and init.name.value == "__init__"
            and any(s is init for s in klass.body.body)):
        return None
    uses = index.self_attributes.get((klass, name), [])
    if any(type(ctx.parent(u)) in (cst.AugAssign, cst.Element, cst.Del) for u in uses):
        return None  # bound another way (`self.client += ...`, `self.client, x = ...`, `del self.client`)
    if any(isinstance(s, cst.FunctionDef) and s.name.value == name for s in klass.body.body):
        return None
    return init, values[0]


def _bound_to_class(decorator: cst.Decorator, *which: str) -> bool:
    """`@staticmethod`, `@classmethod` (or those of `which`): called on the
    class or an instance, the method gives back the same."""
    return isinstance(decorator.decorator, cst.Name) and decorator.decorator.value in (
        which or ("staticmethod", "classmethod"))


def _annotated_instances(ctx: FileContext, params: cst.Parameters) -> dict[str, Shape]:
    """Parameters annotated with a class of another module whose methods
    give back migrated responses (`client: SegmentClient`): instances of it."""
    found: dict[str, Shape] = {}
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        annotation = param.annotation.annotation if param.annotation is not None else None
        dotted = imported_name(ctx, annotation) if isinstance(annotation, (cst.Name, cst.Attribute)) else None
        if dotted is not None and dotted not in ctx.returns and any(k.startswith(dotted + ".") for k in ctx.returns):
            found[param.name.value] = Shape(INSTANCE, kind=dotted, path=ANNOTATED)
    return found


def plain_decoding(args: Sequence[cst.Arg]) -> bool:
    """Arguments of a JSON decode (after the text) that leave its shape alone:
    none, or only `PLAIN_DECODING` keywords."""
    return all(a.keyword is not None and a.keyword.value in PLAIN_DECODING and not a.star for a in args)


def _generated(item: Shape | None) -> Shape | None:
    """What a generator yielding `item` is: a list of a response's items
    (`yield item`), or the pages of a migrated call (`yield body`)."""
    if item is not None and item.what == ITEM and item.path == LIST:
        return Shape(LIST, kind=item.kind, gathered=True)
    if item is not None and item.what == DOC:
        return Shape(PAGES, item.endpoint)
    return None


def _own(node: cst.Dict) -> Shape | None:
    """A dict display with literal keys only (no `**other`)."""
    keys: set[str] = set()
    for element in node.elements:
        if type(element) is not cst.DictElement or type(element.key) is not cst.SimpleString:
            return None
        key = element.key.evaluated_value
        if not isinstance(key, str):
            return None
        keys.add(key)
    return Shape(OWN, keys=frozenset(keys)) if keys else None


def _names_in(node: cst.CSTNode) -> list[cst.Name]:
    """The names `node` reads (not attributes' names: `os.environ` reads `os`)."""
    if type(node) is cst.Name:
        return [node]  # type: ignore[list-item]
    if type(node) is cst.Attribute:
        return _names_in(node.value)  # type: ignore[attr-defined]
    return [name for child in child_nodes(node) for name in _names_in(child)]


def _literal_prefix(node: cst.BaseExpression) -> str | None:
    """The literal text an expression starts with (for `url + "?…"`)."""
    if type(node) is cst.SimpleString:
        value = node.evaluated_value  # type: ignore[attr-defined]
        return value if isinstance(value, str) else None
    if type(node) is cst.FormattedString:
        parts = node.parts  # type: ignore[attr-defined]
        return parts[0].value if parts and type(parts[0]) is cst.FormattedStringText else ""
    if type(node) is cst.BinaryOperation and type(node.operator) is cst.Add:  # type: ignore[attr-defined]
        return _literal_prefix(node.left)  # type: ignore[attr-defined]
    return None


def _literal_suffix(node: cst.BaseExpression) -> str:
    """The literal text an expression ends with ("" when it ends with a value)."""
    if type(node) is cst.SimpleString:
        value = node.evaluated_value  # type: ignore[attr-defined]
        return value if isinstance(value, str) else ""
    if type(node) is cst.BinaryOperation and type(node.operator) is cst.Add:  # type: ignore[attr-defined]
        return _literal_suffix(node.right)  # type: ignore[attr-defined]
    return ""


def _entry_item(index: Shape) -> Shape:
    """A value of an index (or of an entry of one): an item of its list."""
    return Shape(ITEM, kind=index.kind, path=LIST)


def _unpacked(target: cst.BaseExpression, item: Shape | None) -> dict[str, Shape | None]:
    """What a `for k, d in index.items()` target binds: `d` an item, `k` nothing proven."""
    if item is None or item.what != ENTRY or type(target) not in (cst.Tuple, cst.List):
        return {}
    elements = target.elements  # type: ignore[attr-defined]
    if len(elements) != 2 or type(elements[1].value) is not cst.Name:
        return {}
    return {elements[1].value.value: _entry_item(item)}


def decorated_by(ctx: FileContext, function: cst.FunctionDef) -> str | None:
    """The outermost decorator of `function` that this flow does not follow
    through (`decorators.transparent`) and that does not only declare it
    (`responses_imported.PLAIN`, pytest marks), as written (`cached`,
    `app.task`); None when there is none, or it is a context manager's."""
    from migrator.rewrite.responses_imported import plain

    if manager(ctx, function):
        return None
    for decorator in function.decorators:
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        if not transparent(ctx, decorator) and not plain(ctx, target) and not _bound_to_class(decorator):
            return ctx.src.code(target) or None
    return None


class Scope:
    """One function (or the module) analysed under one binding of its parameters."""

    def __init__(self, flow: Flow, node: cst.CSTNode, binding: tuple[tuple[str, Shape], ...]) -> None:
        self.flow = flow
        self.node = node
        self.binding = dict(binding)
        self.key = binding
        self.base = not binding
        self.env: dict[str, Shape] = {}
        self.nodes: list[cst.CSTNode] = []
        self.returns: Shape | None = None
        self.mixed: list[cst.CSTNode] = []
        """`return`s of a migrated response in a function that gives back something else elsewhere."""
        self.mixed_made: list[tuple[cst.CSTNode, str]] = []
        """`return`s of an instance (`Client()`) and its class in a function that
        gives back something else elsewhere (`return Fake()`)."""
        self.memo: dict[int, Shape | None] = {}
        self.running = False
        self.events: dict[str, dict[int, tuple[cst.CSTNode, Shape | None]]] = {}
        self._event: cst.CSTNode | None = None
        self.rebound: set[str] = set()
        """Names a nested function rebinds (`nonlocal`; `global` for the
        module): their shape here is never proven."""
        self.lambdas: dict[tuple[int, str], Shape | None] = {}
        """(lambda, parameter) → what it is bound to (`sorted(key=lambda s: ...)`)."""
        self.comps: dict[tuple[int, str], Shape | None] = {}
        """(comprehension's `for`, name) → what it is bound to: a comprehension
        binds its names in a scope of its own (`for body in others` does not
        rebind the function's `body`)."""
        self.params: set[str] = param_names(node.params) if isinstance(node, cst.FunctionDef) else set()
        self.asked: dict[int, Shape] = {}
        """`request.getfixturevalue("client")` calls (ids) → what the fixture gives (`_fixtures`)."""

    # -- nodes of this scope -------------------------------------------------

    def collect(self) -> None:
        root = self.node
        body: list[cst.CSTNode]
        if isinstance(root, cst.Module):
            body = list(root.body)
        else:
            body = [root.body]  # type: ignore[attr-defined]
        stack = list(reversed(body))
        nested: list[cst.CSTNode] = []
        while stack:
            node = stack.pop()
            if type(node) is cst.FunctionDef or type(node) is cst.ClassDef:
                nested.append(node)
                continue
            self.nodes.append(node)
            stack.extend(reversed(child_nodes(node)))
        keyword, statement = ("global", cst.Global) if isinstance(root, cst.Module) else ("nonlocal", cst.Nonlocal)
        if nested and keyword in self.flow.ctx.src.text:
            stack = nested
            while stack:
                node = stack.pop()
                if type(node) is statement:
                    self.rebound.update(n.name.value for n in node.names)  # type: ignore[attr-defined]
                stack.extend(child_nodes(node))

    # -- the fixpoint ----------------------------------------------------------

    def run(self) -> None:
        self.running = True
        try:
            self._run()
        finally:
            self.running = False

    def _run(self) -> None:
        self.collect()
        for name, shape in self.binding.items():
            self.env[name] = shape
        if self.flow.ctx.returns and isinstance(self.node, cst.FunctionDef):
            for name, shape in _annotated_instances(self.flow.ctx, self.node.params).items():
                self.env.setdefault(name, shape)
        if isinstance(self.node, cst.FunctionDef) and not self.binding:
            for name, shape in self._fixtures(self.node).items():
                self.env.setdefault(name, shape)
            calls = [a for a in self.flow.fixture_calls() if a.function is self.node and a.own and a.pytest and a.name]
            if calls:
                given = self._fixtures(self.node, {a.name for a in calls if a.name})
                self.asked = {id(a.call): given[a.name] for a in calls if a.name in given}
        previous: dict[str, Shape] | None = None
        for _ in range(4):
            self.memo = {}
            self.events = {}
            for node in self.nodes:
                self._bind_events(node)
            if self.env == previous:
                break
            previous = dict(self.env)
        self.memo = {}
        returns: Shape | None = None
        found = False
        yields = [node for node in self.nodes if type(node) is cst.Yield]
        migrated: list[cst.CSTNode] = []
        made: list[tuple[cst.CSTNode, str]] = []
        for node in self.nodes:
            if type(node) is cst.Return:
                value = node.value  # type: ignore[attr-defined]
                if value is None and yields:
                    continue  # a generator's end
                found = True
                shape = self.eval(value) if value is not None else None
                returns = join(returns, shape)
                if given_on(shape):
                    migrated.append(node)
                elif shape is not None and shape.what == INSTANCE and shape.kind \
                        and not shape.kind.startswith(FIXTURE_KEY):
                    made.append((node, shape.kind))
        # a migrated response given back on one path, something else on another (`return CACHE[slug]`)
        self.mixed = migrated if returns == CONFLICT and not yields else []
        self.mixed_made = made if returns == CONFLICT and not yields else []
        if yields:
            # a generator of a response's items (`yield item`, `yield from items`) is a list of them
            returns = CONFLICT if found else self._yielded(yields)
            found = True
        self.returns = proven(returns) if found else None
        for node in self.nodes:
            # a call nothing binds or reads by key is sent all the same (`requests.get(url).raise_for_status()`,
            # `if session.get(url).ok:`): its query is migrated with the others
            if type(node) is cst.Call and callee_name(node).lstrip("_").lower() in SENDS:
                self.eval(node)  # type: ignore[arg-type]

    def _fixtures(self, function: cst.FunctionDef, names: set[str] | None = None) -> dict[str, Shape]:
        """Parameters (or the fixture `names` it asks for) pytest gives the
        instance a fixture makes of a class whose methods give back migrated
        responses, or a migrated response (`fixtures`): that of a fixture of this file (`return Client()`,
        `yield client.sources()`), or that of a conftest the driver found
        (`FIXTURE_KEY` keys of `FileContext.returns`: `@fixture.out` for a
        response, `@fixture.client.sources` for the methods of an instance)."""
        ctx = self.flow.ctx
        elsewhere = conftest_fixtures(ctx.returns)  # an unproven one's uses are marked (`fixtures_given`)
        if "fixture" not in ctx.src.text and not elsewhere:
            return {}
        found: dict[str, Shape] = {}
        for name, fixture in requested(ctx, function, names).items():
            if fixture == ELSEWHERE:
                if elsewhere.get(name):
                    value = ctx.returns.get(FIXTURE_KEY + name)
                    found[name] = value if isinstance(value, Shape) else Shape(INSTANCE, kind=FIXTURE_KEY + name)
            elif isinstance(fixture, cst.FunctionDef):
                scope = self.flow.scope(fixture, ())
                shape = None if scope.running else scope.made() or scope.own_given()
                if shape is not None:
                    found[name] = shape
            elif (own := renamed(ctx, function, name)) is not None:
                # `@pytest.fixture(name="first")`: not followed, but a dict it writes itself is no response
                scope = self.flow.scope(own, ())
                shape = None if scope.running else scope.own_given()
                if shape is not None:
                    found[name] = shape
        return found

    def own_given(self) -> Shape | None:
        """What this function (a fixture) gives when every `return` and
        `yield` of it gives a dict display with literal keys (`return
        {"display_name": "Web"}`): a value the code wrote itself, holding
        the keys they all hold."""
        given = self.given_values()
        owns = [_own(value) if type(value) is cst.Dict else None for value in given or ()]
        if not owns or any(own is None for own in owns):
            return None
        keys = frozenset.intersection(*(own.keys for own in owns if own is not None))
        return Shape(OWN, keys=keys) if keys else None

    def made(self) -> Shape | None:
        """What pytest gives a test that requests this function as a fixture,
        when every `return` and `yield` of it gives the same one: an instance
        (of a class of the file or another module's, not an annotated
        parameter), or a migrated response (or a list or item of one)."""
        given = self.given_values()
        if given is None:
            return None
        shapes = {proven(self.eval(value)) for value in given}
        shape = shapes.pop() if len(shapes) == 1 else None
        if shape is not None and shape.what == INSTANCE:
            return shape if shape.path != ANNOTATED else None
        return shape if given_on(shape) else None

    def given_values(self) -> list[cst.BaseExpression] | None:
        """The values of the `return`s and `yield`s of this function, or None
        when it may give something else too (a bare `return` before any
        `yield`, `yield from`)."""
        given = [node.value for node in self.nodes  # type: ignore[attr-defined]
                 if type(node) in (cst.Return, cst.Yield) and node.value is not None]  # type: ignore[attr-defined]
        if not given or any(type(v) is cst.From for v in given) or any(
                type(node) is cst.Return and node.value is None for node in self.nodes) and not any(  # type: ignore[attr-defined]
                type(node) is cst.Yield for node in self.nodes):
            return None
        return given

    def _yielded(self, yields: list[cst.CSTNode]) -> Shape:
        shape: Shape | None = None
        for node in yields:
            value = node.value  # type: ignore[attr-defined]
            if type(value) is cst.From:
                given = proven(self.eval(value.item))  # type: ignore[attr-defined]
                given = given if given is not None and given.what == LIST else None
                if given is not None and (len(yields) > 1 or any(isinstance(b, self._LOOPS) for b in self._branches(node))):
                    given = replace(gather(given), sent=None)  # type: ignore[arg-type]  # the items of several lists
            else:
                item = proven(self.eval(value)) if value is not None else None
                given = _generated(item)
            if given is None:
                return CONFLICT
            shape = join(shape, given)
        return shape if shape is not None else CONFLICT

    def bind(self, name: str, shape: Shape | None) -> None:
        if name in self.binding:
            return
        self.env[name] = join(self.env.get(name), shape)
        event = self._event
        if event is not None:
            found = self.events.setdefault(name, {})
            previous = found.get(id(event))
            found[id(event)] = (event, shape if previous is None else join(previous[1], shape))

    # -- which binding reaches a use (for names bound to different shapes) ----------

    _STATEMENTS = (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For, cst.WithItem, cst.Expr, cst.NamedExpr)
    _BRANCHES = (cst.If, cst.Else, cst.For, cst.While, cst.Try, cst.ExceptHandler, cst.Finally, cst.With)
    _BRANCH_TYPES = node_types(*_BRANCHES)
    _LOOPS = (cst.For, cst.While)

    def _point(self, node: cst.CSTNode) -> int | None:
        """Where a binding takes effect (after the value, or a loop's iterable)."""
        src = self.flow.ctx.src
        target = node.iter if isinstance(node, cst.For) else node
        span = src.span(target)
        return None if span is None else span[1]

    def _branches(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        found = []
        current = self.flow.ctx.parent(node)
        while current is not None and current is not self.node:
            if type(current) in self._BRANCH_TYPES:
                found.append(current)
            current = self.flow.ctx.parent(current)
        return found

    def reaching(self, name: str, use: cst.Name) -> Shape | None:
        """The shapes of the bindings that can reach `use`: the last one before
        it, the earlier ones when that one is conditional, and later ones in a
        loop around the use."""
        reaching = self._reaching(name, use)
        if reaching is None:
            return CONFLICT
        if not reaching or any(shape is None for shape in reaching):
            return None
        result: Shape | None = None
        for shape in reaching:
            result = join(result, shape)
        return result

    def partly(self, name: str, use: cst.Name) -> Shape | None:
        """A response (or part of one) that one of the bindings reaching `use`
        holds while another holds something else (`data = {"sources": []}` in
        an `except`): the use is not proven, and not free of responses either."""
        reaching = self._reaching(name, use) or []
        found = [s for s in reaching if proven(s) is not None and s.what in PARTS]  # type: ignore[union-attr]
        return found[0] if found and any(s != found[0] and s != NEUTRAL for s in reaching) else None

    def enclosed(self, name: str) -> Shape | None:
        """A response (or part of one) that an enclosing function binds `name`
        to, when this nested function reads it without binding it (a closure:
        `def count(): return len(data["sources"])`)."""
        if name in self.env or name in self.binding or name in self.params:
            return None
        current = self.flow.ctx.parent(self.node)
        while current is not None and not isinstance(current, cst.FunctionDef):
            current = self.flow.ctx.parent(current)
        if current is None:
            return None
        outer = self.flow.scope(current, ())
        shapes = [shape for _, shape in outer.events.get(name, {}).values()]
        found = [s for s in shapes if proven(s) is not None and s.what in PARTS]  # type: ignore[union-attr]
        return found[0] if found else outer.enclosed(name)

    def _reaching(self, name: str, use: cst.Name) -> list[Shape | None] | None:
        events = list(self.events.get(name, {}).values())
        if not events or any(not isinstance(e, self._STATEMENTS) for e, _ in events):
            return None
        span = self.flow.ctx.src.span(use)
        if span is None:
            return None
        position = span[0]
        use_branches = self._branches(use)
        placed = []
        for event, shape in events:
            point = self._point(event)
            if point is None:
                return None
            placed.append((point, event, shape))
        placed.sort(key=lambda item: item[0])
        reaching: list[Shape | None] = []
        for point, event, shape in reversed([p for p in placed if p[0] <= position]):
            reaching.append(shape)
            if all(any(b is u for u in use_branches) for b in self._branches(event)):
                break  # runs whenever the use does: nothing earlier reaches it
        loops = [b for b in use_branches if isinstance(b, self._LOOPS)]
        for point, event, shape in placed:
            if point > position and any(self._inside(event, loop) for loop in loops):
                reaching.append(shape)
        return reaching

    def _inside(self, node: cst.CSTNode, ancestor: cst.CSTNode) -> bool:
        current = self.flow.ctx.parent(node)
        while current is not None:
            if current is ancestor:
                return True
            current = self.flow.ctx.parent(current)
        return False

    def _target(self, target: cst.BaseExpression, shape: Shape | None, value: cst.BaseExpression | None) -> None:
        if type(target) is cst.Name:
            self.bind(target.value, shape)  # type: ignore[attr-defined]
        elif type(target) in (cst.Tuple, cst.List):
            elements = target.elements  # type: ignore[attr-defined]
            if shape is not None and shape.what == ENTRY and len(elements) == 2 and not any(
                    type(e) is cst.StarredElement for e in elements):
                self._target(elements[0].value, None, None)  # the key: what the code made it
                self._target(elements[1].value, _entry_item(shape), None)
                return
            values = value.elements if value is not None and type(value) in (cst.Tuple, cst.List) else None  # type: ignore[attr-defined]
            for i, element in enumerate(elements):
                if values is not None and len(values) == len(elements):
                    self._target(element.value, self.eval(values[i].value), values[i].value)
                else:
                    self._target(element.value, None, None)

    def _bind_events(self, node: cst.CSTNode) -> None:
        kind = type(node)
        self._event = node if kind is not cst.Call else self.flow.ctx.parent(node)
        if kind is cst.Assign:
            shape = self.eval(node.value)  # type: ignore[attr-defined]
            for target in node.targets:  # type: ignore[attr-defined]
                self._target(target.target, shape, node.value)  # type: ignore[attr-defined]
            filled = self._filled(node)  # type: ignore[arg-type]
            if filled is not None:
                self.bind(*filled)
        elif kind is cst.AnnAssign and node.value is not None:  # type: ignore[attr-defined]
            self._target(node.target, self.eval(node.value), node.value)  # type: ignore[attr-defined]
        elif kind is cst.AugAssign:
            target = node.target  # type: ignore[attr-defined]
            if type(target) is cst.Name:
                shape = self.eval(node.value)  # type: ignore[attr-defined]
                ok = type(node.operator) is cst.AddAssign and shape is not None and shape.what == LIST  # type: ignore[attr-defined]
                self.bind(target.value, self._gathered(target, shape) if ok else None)  # type: ignore[arg-type]
        elif kind is cst.For:
            self._target(node.target, self.item_of(node.iter), None)  # type: ignore[attr-defined]
        elif kind is cst.CompFor:
            item = self.item_of(node.iter)  # type: ignore[attr-defined]
            target = node.target  # type: ignore[attr-defined]
            unpacked = _unpacked(target, item)
            for name in names_bound(target):
                key = (id(node), name)
                shape = item if type(target) is cst.Name else unpacked.get(name)
                self.comps[key] = shape if key not in self.comps else join(self.comps[key], shape)
        elif kind is cst.WithItem and node.asname is not None:  # type: ignore[attr-defined]
            self._target(node.asname.name, self.entered(node.item), None)  # type: ignore[attr-defined]
        elif kind is cst.NamedExpr:
            self._target(node.target, self.eval(node.value), node.value)  # type: ignore[attr-defined]
        elif kind in (cst.MatchAs, cst.MatchStar) and node.name is not None:  # type: ignore[attr-defined]
            self.bind(node.name.value, None)  # type: ignore[attr-defined]  # a capture: never proven
        elif kind is cst.MatchMapping and node.rest is not None:  # type: ignore[attr-defined]
            self.bind(node.rest.value, None)  # type: ignore[attr-defined]
        elif kind is cst.Match:
            self.eval(node.subject)  # type: ignore[attr-defined]  # a call there is sent all the same
        elif kind is cst.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is cst.Name and func.value in self.flow.functions:
                self.eval(node)  # type: ignore[arg-type]  # its arguments reach a function of the file
            if type(func) is cst.Attribute and type(func.value) is cst.Name:
                if func.attr.value in ("extend", "append") and len(node.args) == 1:  # type: ignore[attr-defined]
                    shape = self.eval(node.args[0].value)  # type: ignore[attr-defined]
                    if func.attr.value == "append":
                        shape = (
                            Shape(LIST, kind=shape.kind) if shape is not None and shape.what == ITEM and shape.path == LIST
                            else None
                        )
                    elif shape is not None and shape.what != LIST:
                        shape = None
                    shape = self._gathered(func.value, shape) if shape is not None else None
                    if func.value.value in self.env or shape is not None:
                        self.bind(func.value.value, shape)
            self._lambda_keys(node)  # type: ignore[arg-type]

    def _filled(self, node: cst.Assign) -> tuple[str, Shape] | None:
        """`index[key] = item` in the loop `for item in items:` (`items` a
        list of a response), filling a dict the scope binds to `{}` and uses
        otherwise only to look items up: the items by a key, as `{key: item
        for item in items}` is (`_index`). None when not so (the store is
        then what it was: not followed, marked where it is read)."""
        target = node.targets[0].target if len(node.targets) == 1 else None
        value = node.value
        if type(target) is not cst.Subscript or type(target.value) is not cst.Name or type(value) is not cst.Name:
            return None
        loop = self.flow.ctx.parent(node)
        while loop is not None and not isinstance(loop, (cst.For, cst.While, cst.FunctionDef, cst.Lambda)):
            loop = self.flow.ctx.parent(loop)
        if type(loop) is not cst.For or type(loop.target) is not cst.Name or loop.target.value != value.value:
            return None
        name = target.value.value
        if name in self.params or name in self.rebound or not self._fills_only(name, target, loop):
            return None
        items, item = proven(self.eval(loop.iter)), proven(self.eval(value))
        if items is None or items.what != LIST or item is None or item.what != ITEM or item.path != LIST:
            return None
        return name, replace(items, what=INDEX)

    _INDEX_READS = frozenset({"get", "items", "values", "keys"})
    _KEY_USES = frozenset({"len", "sorted", "list", "bool"})
    """Calls that read an index's keys only, changing nothing."""

    def _fills_only(self, name: str, fill: cst.Subscript, loop: cst.For) -> bool:
        """`name` is bound once in this scope, to `{}` before `loop`; stored
        into only by `fill`; otherwise only looked up (`index[k]`, `.get`,
        `.items()`, `.values()`, `.keys()`, `k in index`) or its keys read
        (`for k in index`, `len(index)`), and by no nested function."""
        ctx = self.flow.ctx
        bound = 0
        for use in ctx.index.names.get(name, []):
            scope = ctx.index.scope_of(use)
            parent = ctx.parent(use)
            if type(parent) in (cst.Attribute, cst.Arg) and parent.value is not use:  # type: ignore[union-attr]
                continue  # `x.index`, `f(index=...)`: another name
            if scope is not self.node:
                if self._inside(scope, self.node):
                    return False
                continue
            if type(parent) in (cst.AssignTarget, cst.AnnAssign):
                bound += 1
                if not self._starts_empty(parent, loop):  # type: ignore[arg-type]
                    return False
            elif type(parent) is cst.Subscript and parent.value is use:
                if parent is not fill and self._stored_into(parent):  # type: ignore[arg-type]
                    return False
            elif type(parent) is cst.Attribute:
                if parent.attr.value not in self._INDEX_READS or type(ctx.parent(parent)) is not cst.Call:
                    return False
            elif type(parent) is cst.Arg:
                call = ctx.parent(parent)
                if type(call) is not cst.Call or type(call.func) is not cst.Name or call.func.value not in self._KEY_USES:
                    return False
            elif not (type(parent) is cst.ComparisonTarget and type(parent.operator) in (cst.In, cst.NotIn)
                      or type(parent) in (cst.For, cst.CompFor) and parent.iter is use):
                return False
        return bound == 1

    def _starts_empty(self, parent: cst.AssignTarget | cst.AnnAssign, loop: cst.For) -> bool:
        """`index = {}` (or `index: dict[str, dict] = {}`), one target, before `loop`."""
        statement = self.flow.ctx.parent(parent) if type(parent) is cst.AssignTarget else parent
        if type(statement) not in (cst.Assign, cst.AnnAssign) or type(statement) is cst.Assign \
                and len(statement.targets) != 1:  # type: ignore[union-attr]
            return False
        value = statement.value  # type: ignore[union-attr]
        if type(value) is not cst.Dict or value.elements or self._inside(statement, loop):  # type: ignore[arg-type]
            return False
        here, there = self._point(statement), self._point(loop)  # type: ignore[arg-type]
        return here is not None and there is not None and here < there

    def _stored_into(self, subscript: cst.Subscript) -> bool:
        """`x[k]` is a target (assigned, deleted, unpacked into, looped into), not a read."""
        parent = self.flow.ctx.parent(subscript)
        if type(parent) in (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.Del, cst.Element,
                            cst.StarredElement, cst.AsName):
            return True
        return type(parent) in (cst.For, cst.CompFor) and parent.target is subscript  # type: ignore[union-attr]

    def _gathered(self, holder: cst.Name, added: Shape) -> Shape | None:
        """What `holder` is once the list `added` is added to it (`+=`,
        `.extend()`): gathered with what it held, if anything."""
        held = proven(self.eval(holder))
        return gather(added, *([held] if held is not None else []))

    def _lambda_keys(self, call: cst.Call) -> None:
        """`sorted(items, key=lambda s: ...)`: `s` is an item of `items`."""
        source = sorted_items(call)
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "key" and type(arg.value) is cst.Lambda:
                params = arg.value.params.params
                if len(params) == 1:
                    key = (id(arg.value), params[0].name.value)
                    shape = self.item_of(source) if source is not None else None
                    self.lambdas[key] = shape if key not in self.lambdas else join(self.lambdas[key], shape)

    def _comp_target(self, use: cst.Name, name: str) -> tuple[int, str] | None:
        """The comprehension `for` around `use` that binds `name`, as a key of
        `comps` (the first `for`'s iterable is evaluated outside: its names
        are the enclosing scope's)."""
        parent = self.flow.ctx.parent
        current = parent(use)
        while current is not None and current is not self.node:
            if type(current) in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
                comp = current.for_in  # type: ignore[attr-defined]
                binding = None
                if comp.iter is not use and not self._inside(use, comp.iter):
                    while comp is not None:
                        if name in names_bound(comp.target):
                            binding = comp  # the innermost `for` binding it
                        comp = comp.inner_for_in
                if binding is not None:
                    return (id(binding), name)
            elif type(current) in STATEMENTS:
                return None
            current = parent(current)
        return None

    def _lambda_param(self, use: cst.Name, name: str) -> tuple[int, str] | None:
        """The lambda around `use` whose parameter it names, as a key of `lambdas`."""
        parent = self.flow.ctx.parent
        current = parent(use)
        while current is not None and current is not self.node:
            if type(current) is cst.Lambda:
                if name in param_names(current.params):  # type: ignore[attr-defined]
                    return (id(current), name)
            elif type(current) in STATEMENTS:
                return None
            current = parent(current)
        return None

    def entered(self, item: cst.BaseExpression) -> Shape | None:
        """What `with item as x` binds: what a context manager of the file
        yields when `item` calls it (`Scope.made`: one value on every path),
        else the value of `item` itself."""
        shape = self.eval(item)
        function = self.flow.managers.get(item.func.value) if type(item) is cst.Call \
            and type(item.func) is cst.Name else None  # type: ignore[attr-defined]
        if function is None:
            return shape
        binding = self._binding(function, item)  # type: ignore[arg-type]
        key = (id(function), binding)
        if binding is None or key in self.flow.scopes and self.flow.scopes[key].running:
            return None
        return self.flow.scope(function, binding).made()

    def item_of(self, iterable: cst.BaseExpression) -> Shape | None:
        shape = self.eval(iterable)
        if shape is not None and shape.what == LIST:
            return Shape(ITEM, kind=shape.kind, path=LIST)
        if shape is not None and shape.what == PAGES:
            return Shape(DOC, shape.endpoint)
        if shape is not None and shape.what == ENTRIES:
            return replace(shape, what=ENTRY)
        if shape is not None and shape.what == RAW and shape.kind == CHUNKS:
            return shape  # a part of the body
        if shape is not None and shape.what == LOCAL:
            return shape
        return None

    # -- values ----------------------------------------------------------------

    def eval(self, node: cst.BaseExpression | None) -> Shape | None:
        if node is None:
            return None
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = None  # recursion guard
        found = self._eval(node)
        self.memo[key] = found
        return found

    def _eval(self, node: cst.BaseExpression) -> Shape | None:
        flow = self.flow
        origin = flow.origins.get(id(node))
        if origin is not None:
            return Shape(URL, origin)
        kind = type(node)
        if kind is cst.Name:
            name = node.value  # type: ignore[attr-defined]
            if name == "None":
                return NEUTRAL
            if name in self.rebound:
                return None
            bound = self._lambda_param(node, name)  # type: ignore[arg-type]
            if bound is not None:
                return proven(self.lambdas.get(bound))
            bound = self._comp_target(node, name)  # type: ignore[arg-type]
            if bound is not None:
                return proven(self.comps.get(bound))
            if name in self.env or name in self.binding or self.flow.module is None or self.flow.module is self:
                if self.flow.module is None and name not in self.env and name not in self.binding and name not in self.params:
                    self.flow.unseen.add(name)  # a module constant, perhaps: known in the second round
                found = self.env.get(name)
                if found == CONFLICT and name not in self.binding:
                    return self.reaching(name, node)  # type: ignore[arg-type]
                return found
            if isinstance(self.node, cst.FunctionDef) and name in self.params:
                return None
            module = self.flow.module
            return None if name in module.rebound else module.env.get(name)  # a module constant
        if kind is cst.List and not node.elements:  # type: ignore[attr-defined]
            return NEUTRAL
        if kind is cst.Dict:
            # `{}`: a start value (`resp.json() or {}`), like `[]`
            return _own(node) if node.elements else NEUTRAL  # type: ignore[arg-type,attr-defined]
        if kind is cst.SimpleString and node.evaluated_value in ("", b""):  # type: ignore[attr-defined]
            return NEUTRAL
        if kind is cst.BooleanOperation and type(node.operator) is cst.Or:  # type: ignore[attr-defined]
            left, right = self.eval(node.left), self.eval(node.right)  # type: ignore[attr-defined]
            left, right = self._defaulted(node.left, left, right), self._defaulted(node.right, right, left)  # type: ignore[attr-defined]
            return join(left, right) if left is not None and right is not None else None
        if kind is cst.Await:
            return self.eval(node.expression)  # type: ignore[attr-defined]
        if kind is cst.NamedExpr:
            return self.eval(node.value)  # type: ignore[attr-defined]  # `(body := resp.json())["sources"]`
        if kind is cst.IfExp:
            body, orelse = self.eval(node.body), self.eval(node.orelse)  # type: ignore[attr-defined]
            body, orelse = self._defaulted(node.body, body, orelse), self._defaulted(node.orelse, orelse, body)  # type: ignore[attr-defined]
            return join(body, orelse) if body is not None and orelse is not None else None
        if kind is cst.ListComp or kind is cst.GeneratorExp:
            # [x for x in items if ...], (x for x in items if ...): a filtered list of the same items
            comp = node.for_in  # type: ignore[attr-defined]
            elt = node.elt  # type: ignore[attr-defined]
            if (
                comp.inner_for_in is None and type(elt) is cst.Name and type(comp.target) is cst.Name
                and elt.value == comp.target.value  # type: ignore[attr-defined]
            ):
                shape = proven(self.eval(comp.iter))
                return shape if shape is not None and shape.what == LIST else None
            return None
        if kind is cst.DictComp:
            # {d["name"]: d for d in items if ...}: the items by a key
            return self._index(node.for_in, node.value)  # type: ignore[attr-defined]
        if kind is cst.BinaryOperation and type(node.operator) is cst.Add:  # type: ignore[attr-defined]
            left = proven(self.eval(node.left))  # type: ignore[attr-defined]
            right = proven(self.eval(node.right))  # type: ignore[attr-defined]
            if right is not None and right.what == URL:
                return right
            if left is not None and left.what == URL:
                prefix = _literal_prefix(node.right)  # type: ignore[attr-defined]
                if prefix is not None and prefix.startswith("?"):
                    return left
                if "?" in _literal_suffix(node.left):  # type: ignore[attr-defined]
                    return left  # more of the query string
            if left is not None and left.what == LIST and right is not None:
                return gather(left, right)
            return None
        if kind is cst.BinaryOperation and type(node.operator) is cst.Modulo:  # type: ignore[attr-defined]
            # "%s/%s" % (BASE, path): the same
            values = node.right  # type: ignore[attr-defined]
            template = literal(node.left)  # type: ignore[attr-defined]
            if type(values) is cst.Tuple and values.elements and template is not None and template.endswith("%s"):
                shape = proven(self.eval(values.elements[-1].value))
                return shape if shape is not None and shape.what == URL else None
            return None
        if kind is cst.FormattedString:
            # f"{BASE}/{path}": a base and a migrated path (nothing after it but a query)
            parts = node.parts  # type: ignore[attr-defined]
            last = next(  # the part the query string follows (values in the query included), else the last
                (i for i, p in enumerate(parts) if type(p) is cst.FormattedStringText and p.value.startswith("?")),
                len(parts),
            ) - 1
            if last >= 0 and type(parts[last]) is cst.FormattedStringExpression:
                shape = proven(self.eval(parts[last].expression))
                if shape is not None and shape.what == URL:
                    return shape
            return None
        if kind is cst.Attribute:
            value = proven(self.eval(node.value))  # type: ignore[attr-defined]
            if value is not None and value.what == RESP and node.attr.value in ("text", "content", "data", "raw"):  # type: ignore[attr-defined]
                return Shape(RAW, value.endpoint)
            getter = self._property(node)  # type: ignore[arg-type]
            if getter is not None:
                return self.flow.returns_of(getter, ())  # `view.data`: what the getter gives back
            return self._held(node) or self._given_property(node) or self._taken(  # type: ignore[arg-type]
                node.value, node.attr.value, node)  # type: ignore[attr-defined]
        read = as_read(node)
        if read is not None:
            value = proven(self.eval(read.value))
            if value is not None and value.what == INDEX:
                return self._entry(value, node)
            shape = flow.read_shape(value, read.name)
            if shape is not None or not read.is_get:
                return shape
            # `requests.get("https://…")` reads no key: a call
        if kind is cst.Call:
            return self._call(node)  # type: ignore[arg-type]
        if kind is cst.Subscript:
            value = proven(self.eval(node.value))  # type: ignore[attr-defined]
            elements = node.slice  # type: ignore[attr-defined]
            if value is not None and value.what == LIST and len(elements) == 1:
                index = elements[0].slice
                if type(index) is cst.Index and type(index.value) in (cst.Integer, cst.UnaryOperation):
                    return Shape(ITEM, kind=value.kind, path=LIST)
            if value is not None and value.what == INDEX:
                return self._entry(value, node)
        return None

    def _defaulted(self, side: cst.BaseExpression, shape: Shape | None, other: Shape | None) -> Shape | None:
        """A parameter given an instance when it is not passed one (`client or
        Client()`, `client if client is not None else Client()`): taken for an
        instance of that class, as `if client is None: client = Client()` is."""
        if shape is not None or not default_param(self.flow.ctx, side) or side.value in self.env:  # type: ignore[attr-defined]
            return shape
        instance = proven(other)
        return instance if instance is not None and instance.what == INSTANCE else shape

    def _held(self, node: cst.Attribute) -> Shape | None:
        """`self.client`, bound once by the class's `__init__` to an instance (`held`)."""
        found = held(self.flow.ctx, node)
        if found is None:
            return None
        init, value = found
        scope = self if self.node is init else self.flow.scope(init, ())
        if scope.running and scope is not self:
            return None
        shape = proven(scope.eval(value))
        return shape if shape is not None and shape.what == INSTANCE else None

    def _index(self, comp: cst.CompFor, value: cst.BaseExpression) -> Shape | None:
        """The items of a list by a key: a comprehension's one `for` over a
        list whose value is its item whole (`{k: d for d in items if ...}`)."""
        target = comp.target
        if comp.inner_for_in is not None or comp.asynchronous is not None or type(target) is not cst.Name \
                or type(value) is not cst.Name or value.value != target.value:  # type: ignore[attr-defined]
            return None
        items = proven(self.eval(comp.iter))
        return replace(items, what=INDEX) if items is not None and items.what == LIST else None

    def _entry(self, index: Shape, node: cst.BaseExpression) -> Shape | None:
        """A value of an index looked up by a key (`index["ga"]`, `index[slug]`,
        `index.get(slug)`, the default, if any, `None` or empty): an item."""
        if type(node) is cst.Subscript:
            elements = node.slice  # type: ignore[attr-defined]
            return _entry_item(index) if len(elements) == 1 and type(elements[0].slice) is cst.Index else None
        args = node.args  # type: ignore[attr-defined]
        if not 1 <= len(args) <= 2 or any(a.keyword is not None or a.star for a in args):
            return None
        return _entry_item(index) if len(args) == 1 or self.eval(args[1].value) == NEUTRAL else None

    def _call(self, call: cst.Call) -> Shape | None:
        flow = self.flow
        if self.asked and id(call) in self.asked:
            return self.asked[id(call)]  # `request.getfixturevalue("client")`
        func = call.func
        name = callee_name(call)
        positional = [a for a in call.args if a.keyword is None and not a.star]
        keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
        if isinstance(func, cst.Attribute):
            receiver = proven(self.eval(func.value))
            if receiver is not None:
                attr = func.attr.value
                if receiver.what == RESP and attr == "json" and plain_decoding(call.args):
                    return receiver if receiver.kind == UNSEEN else Shape(DOC, receiver.endpoint, sent=receiver.sent)
                if receiver.what == LOCAL and attr in ("json", "read", "decode"):
                    return receiver
                if receiver.what in (RESP, RAW) and attr in BODY_READS and receiver.endpoint:
                    return Shape(RAW, receiver.endpoint, kind=CHUNKS if receiver.kind == CHUNKS else None)
                if receiver.what in (RESP, RAW) and attr in BODY_CHUNKS and receiver.endpoint:
                    return Shape(RAW, receiver.endpoint, kind=CHUNKS)
                if receiver.what == REQ and attr == "prepare" and not call.args:
                    return receiver  # `requests.Request(...).prepare()`
                if receiver.what == INDEX and attr == "get":
                    return self._entry(receiver, call)  # `index.get(slug)`
                if receiver.what == INDEX and attr in ("values", "items") and not call.args:
                    return replace(receiver, what=LIST if attr == "values" else ENTRIES)
        if isinstance(func, cst.Attribute) and flow.ctx.other_packages and self._other_client(func.value, call):
            return Shape(LOCAL)  # `SLACK.users_info(user=u)`: another API's answer, no Segment response
        if isinstance(func, cst.Attribute) and func.attr.value == "format" and call.args:
            # "{}/{}".format(BASE, path), "{base}/{p}".format(...): the same as f"{BASE}/{path}"
            template = literal(func.value)
            value = _last_field(template, call.args)
            shape = proven(self.eval(value)) if value is not None else None
            if value is not None:
                return shape if shape is not None and shape.what == URL else None
            if template is None:
                # `SOURCES.format(ws)`: a migrated path template filled in, the same URL
                shape = proven(self.eval(func.value))
                if shape is not None and shape.what == URL:
                    return shape
        if isinstance(func, cst.Attribute) and func.attr.value in ("send", "prepare_request") and call.args:
            sent = proven(self.eval(call.args[0].value))  # `session.send(request)`
            if sent is not None and sent.what == REQ:
                return Shape(RESP if func.attr.value == "send" else REQ, sent.endpoint)
        qualified = qualified_name(flow.ctx, func)
        if (name == "urljoin" or qualified.endswith(".urljoin")) and len(positional) == 2:
            joined = proven(self.eval(positional[1].value))  # `urljoin(BASE, path)`: the migrated path
            return joined if joined is not None and joined.what == URL else None
        if name == "open" and isinstance(func, cst.Name) and qualified == "open":
            return Shape(LOCAL)  # the built-in: a file of the program's own
        if isinstance(func, cst.Attribute) and func.attr.value in ("read", "read_text", "readlines"):
            receiver = proven(self.eval(func.value))
            if receiver is not None and receiver.what == LOCAL:
                return receiver
        if (qualified in LOCAL_READERS or qualified in JSON_DECODERS) and positional:
            inner = proven(self.eval(positional[0].value))
            if qualified in JSON_DECODERS and inner is not None and inner.what in (RAW, RESP) and inner.kind != CHUNKS:
                # `object_hook=`, `cls=`: other objects than the dicts reads are followed on
                return Shape(DOC, inner.endpoint) if plain_decoding([a for a in call.args if a is not positional[0]]) else None
            return inner if inner is not None and inner.what == LOCAL else None
        if name in ("sorted", "list", "reversed", "iter") and positional:
            inner = proven(self.eval(positional[0].value))
            return inner if inner is not None and inner.what in (LIST, ENTRIES) else None
        if name == "enumerate" and qualified == "enumerate" and len(positional) == 1 and all(
                a.keyword is None or a.keyword.value == "start" for a in call.args):
            inner = proven(self.eval(positional[0].value))  # `for i, d in enumerate(items)`: (number, item) pairs
            return replace(inner, what=ENTRIES) if inner is not None and inner.what == LIST else None
        if name == "dict" and qualified == "dict" and len(call.args) == 1 and positional:
            pairs = positional[0].value  # `dict((d["name"], d) for d in items)`: the items by a key
            elements = pairs.elt.elements if type(pairs) in (cst.GeneratorExp, cst.ListComp) \
                and type(pairs.elt) is cst.Tuple else ()  # type: ignore[attr-defined]
            if len(elements) == 2 and not any(type(e) is cst.StarredElement for e in elements):
                return self._index(pairs.for_in, elements[1].value)  # type: ignore[attr-defined]
            return None
        picked = self._picked(call, name, qualified)
        if picked is not None:
            return picked
        if qualified == "getattr" and isinstance(func, cst.Name) and len(positional) == len(call.args) in (2, 3) \
                and isinstance(attr := literal(positional[1].value), str):
            return self._taken(positional[0].value, attr, call)  # `getattr(client, "list_sources"[, None])`
        if not isinstance(func, (cst.Name, cst.Attribute)) or isinstance(func, cst.Name) and not (
                func.value in flow.functions or func.value in flow.ctx.index.classes):
            taken = proven(self.eval(func))  # `fetch()`, `getattr(client, "list_sources")()`
            if taken is not None and taken.what == METHOD:
                return self._taken_call(taken, call)
            if type(func) is cst.Name:
                partly = self._taken_partly(func)  # type: ignore[arg-type]
                if partly is not None:
                    return partly
        # a function (or a method) of this file
        target = None
        method = False
        if isinstance(func, cst.Name):
            target = flow.functions.get(func.value)
            if target is None and func.value in flow.ctx.index.classes:
                return Shape(INSTANCE, kind=func.value)  # `Client(...)`: methods are followed
            if target is None and func.value in flow.decorated:
                return self._decorated(flow.decorated[func.value])
        elif isinstance(func, cst.Attribute):
            target = self._method(func)
            method = target is not None
            if target is None:
                decorated = self._decorated_method(func)
                if decorated is not None:
                    return self._decorated(decorated)
        if target is None and not method and flow.ctx.returns:
            given = flow.ctx.returns
            dotted = imported_here(flow.ctx, func)
            if dotted is not None and dotted in given:
                return given[dotted]  # type: ignore[return-value]  # a function of another module
            if dotted is not None and isinstance(func, cst.Name) and any(k.startswith(dotted + ".") for k in given):
                return Shape(INSTANCE, kind=dotted)  # a class of another module (its methods: below)
            if isinstance(func, cst.Attribute):
                receiver = proven(self.eval(func.value))
                if receiver is not None and receiver.what == INSTANCE and "." in (receiver.kind or ""):
                    key = f"{receiver.kind}.{func.attr.value}"
                    if receiver.path == ANNOTATED and key + OVERRIDDEN in given:
                        return None  # the annotated value may be of the subclass, which gives back something else
                    found = given.get(key)
                    return found  # type: ignore[return-value]
        if target is not None:
            binding = self._binding(target, call, method)
            if not method:
                flow.calls_to.setdefault(id(target), {})[id(call)] = binding
            if binding is None:
                return self._helper_call(call)  # the URL goes where this flow cannot follow it
            if binding and any(shape.what == URL for _, shape in binding):
                flow.helper_sites.append((call, self, target, binding))
            return flow.returns_of(target, binding)
        # HTTP calls: the URL argument
        url_arg: cst.Arg | None = None
        bare = name.lstrip("_").lower()
        if qualified in ("urllib.request.Request", "urllib.request.urlopen"):
            url_arg = keyword.get("url") or (positional[0] if positional else None)
            if url_arg is not None:
                shape = proven(self.eval(url_arg.value))
                if shape is not None and shape.what in (URL, REQ):
                    if shape.what == URL:
                        flow.http_calls.append((call, shape.endpoint, self))  # type: ignore[arg-type]
                    return Shape(REQ if qualified.endswith("Request") else RESP, shape.endpoint)
            return None
        if bare in VERBS:
            url_arg = keyword.get("url") or (positional[0] if positional else None)
        elif bare in REQUEST_NAMES or bare == BUILD_REQUEST:
            url_arg = keyword.get("url") or (positional[1] if len(positional) > 1 else None)
        if url_arg is not None:
            shape = proven(self.eval(url_arg.value))
            if shape is None and self._urls_among(url_arg.value):
                flow.unsure_calls.append(call)
            if shape is None and self._foreign(url_arg.value):
                return Shape(LOCAL)  # another API's answer (`f"{VERTEX}/endpoints"`): no Segment response
            if shape is not None and shape.what == URL:
                from migrator.rewrite.mock_doubles import is_double

                if is_double(flow.ctx, call):
                    return None  # `route = respx.get(url)`: a test double, no request
                verb: str | None = bare.upper() if bare in VERBS else None
                if verb is None:
                    given = keyword.get("method") or (positional[0] if positional else None)
                    text = literal(given.value) if given is not None else None
                    verb = text.upper() if text is not None else None
                endpoint = flow.with_method(shape.endpoint, verb)
                if endpoint is None:
                    return None
                flow.http_calls.append((call, endpoint, self))
                # `requests.Request(...)`, `client.build_request(...)`: a request, sent later
                if qualified in BUILT_REQUESTS or bare == BUILD_REQUEST:
                    return Shape(REQ, endpoint)
                return Shape(RESP, endpoint, sent=constants.constant_text(flow.ctx, url_arg.value, call))
        return self._helper_call(call)

    def _picked(self, call: cst.Call, name: str, qualified: str) -> Shape | None:
        """One item of a list: `max(items, key=...)`, `min(...)`, `next(iter(items))`,
        `next(items_iterator, None)`, `random.choice(items)` (the builtins, not
        functions of the file or imported names of those names; a default may only be `None`)."""
        builtin = (isinstance(call.func, cst.Name) and name in PICKING and qualified == name
                   and name not in self.flow.functions)
        if not (builtin or qualified == "random.choice") or any(a.star for a in call.args):
            return None
        positional = [a.value for a in call.args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if name == "next" and builtin:
            positional, defaults = positional[:1], positional[1:]
            allowed: tuple[str, ...] = ()
        else:
            defaults = [keywords["default"]] if "default" in keywords else []
            allowed = ("key", "default") if builtin else ()
        if len(positional) != 1 or any(k not in allowed for k in keywords):
            return None
        if any(self.eval(d) != NEUTRAL for d in defaults):
            return None
        items = proven(self.eval(positional[0]))
        return Shape(ITEM, kind=items.kind, path=LIST) if items is not None and items.what == LIST else None

    def _other_client(self, receiver: cst.BaseExpression, call: cst.Call) -> bool:
        """`receiver.method(...)` (`call`) is a call of another API's client
        (`other_clients`): one made there or bound once to a name
        (`SLACK = WebClient(token=t)`; not a parameter), neither given a URL of
        the Config API nor the call naming one."""
        index = self.flow.ctx.index
        if type(receiver) is cst.Name:
            scope: cst.CSTNode = index.scope_of(receiver)
            while True:
                if isinstance(scope, cst.FunctionDef) and receiver.value in param_names(scope.params):
                    return False  # a client passed in: a caller may pass another
                values = index.assignments.get((scope, receiver.value))
                if values or isinstance(scope, cst.Module):
                    break
                scope = index.scope_of(scope)
            if not values or len(values) != 1:
                return False
            receiver = values[0]
        if type(receiver) is not cst.Call:
            return False
        made = cst.helpers.get_full_name_for_node(receiver.func)  # (as written: `resourcemanager_v3.ProjectsClient`)
        return made is not None and makes_client(made, self.flow.ctx.other_packages) and not any(
            self._names_config(a.value) for a in (*receiver.args, *call.args))

    def _names_config(self, value: cst.BaseExpression, depth: int = 0) -> bool:
        """`value` is a URL of the Config API, or holds a Config host or path,
        also through the names it uses (`SegmentClient(base_url=CONFIG)`)."""
        shape = proven(self.eval(value))
        if shape is not None and shape.what == URL:
            return True
        ctx = self.flow.ctx
        code = ctx.src.module.code_for_node(value)
        if any(needle in code for needle in table_for(ctx.rules).needles):
            return True
        return depth < 3 and any(
            self._names_config(bound, depth + 1) for name in _names_in(value) for bound in resolve(ctx, name))

    def _urls_among(self, url: cst.BaseExpression) -> bool:
        """`url` is a name bound to a migrated Config path by one of the
        bindings that reach it and to something else by another."""
        if type(url) is not cst.Name or self.env.get(url.value) != CONFLICT:  # type: ignore[attr-defined]
            return False
        reaching = self._reaching(url.value, url)  # type: ignore[arg-type, attr-defined]
        return bool(reaching) and any(s is not None and s.what == URL for s in reaching)  # type: ignore[union-attr]

    def _foreign(self, url: cst.BaseExpression, depth: int = 0) -> bool:
        """A URL whose text starts with the host of another API than Segment's
        (a literal, an f-string or `+` starting with one, or a module constant
        holding one)."""
        if depth > 3:
            return False
        kind = type(url)
        if kind is cst.Name:
            return self._foreign_name(url, depth)  # type: ignore[arg-type]
        if kind is cst.FormattedString:
            parts = url.parts  # type: ignore[attr-defined]
            if parts and type(parts[0]) is cst.FormattedStringExpression:
                return self._foreign(parts[0].expression, depth + 1)
        if kind is cst.BinaryOperation and type(url.operator) is cst.Add:  # type: ignore[attr-defined]
            return self._foreign(url.left, depth + 1)  # type: ignore[attr-defined]
        text = _literal_prefix(url)
        if not text or not text.startswith(("http://", "https://")):
            return False
        try:
            host = urlsplit(text).hostname
        except ValueError:  # not a URL after all
            return False
        return bool(host) and "{" not in host and host not in self.flow.segment_hosts

    def _foreign_name(self, name: cst.Name, depth: int) -> bool:
        """A name bound once to another API's URL: by the function using it
        (`url = STRIPE + "/x"`; not a parameter), else by the module."""
        index = self.flow.ctx.index
        scope = index.scope_of(name)
        if isinstance(scope, cst.FunctionDef):
            if name.value in param_names(scope.params):
                return False
            values = index.assignments.get((scope, name.value), [])
            if values:
                return len(values) == 1 and self._foreign(values[0], depth + 1)
        values = index.assignments.get((self.flow.ctx.src.module, name.value), [])  # type: ignore[attr-defined]
        return len(values) == 1 and self._foreign(values[0], depth + 1)

    def _helper_call(self, call: cst.Call) -> Shape | None:
        """A helper called with one literal verb and the URL (`api("GET",
        url)`): what it gives back is a response this flow does not see into.
        So is what a call this flow does not know gives back when it is given
        the URL and its value is used (`get_json(url)["sources"]`,
        `getattr(requests, verb)(url)`): a send whose query cannot be seen."""
        verbs = [v.upper() for a in call.args if (v := literal(a.value)) is not None and v.lower() in VERBS]
        if len(verbs) > 1 or not verbs and not self._unseen_send(call):
            return None
        for arg in call.args:
            if not verbs and arg.keyword is not None and arg.keyword.value != "url":
                continue  # `dict(url=..., source=URL)`: a send takes the URL first, or as `url=`
            values = [arg.value]
            if not verbs and type(arg.value) in (cst.List, cst.Tuple):
                values = [e.value for e in arg.value.elements]  # type: ignore[attr-defined]  # `map(requests.get, [URL])`
            shape = None
            for value in values:
                shape = None if arg.star else proven(self.eval(value))
                if shape is not None and shape.what == URL:
                    break
            if shape is not None and shape.what == URL:
                endpoint = self.flow.with_method(shape.endpoint, verbs[0] if verbs else None)
                if endpoint is None:
                    return None
                self.flow.http_calls.append((call, endpoint, self))
                return Shape(RESP, endpoint, kind=None if verbs else UNSEEN)
        return None

    def _unseen_send(self, call: cst.Call) -> bool:
        """A call whose value is used and that may send a URL it is given:
        not one that shows, measures or takes apart a value, nor a test double."""
        name = callee_name(call)
        return not (
            isinstance(self.flow.ctx.parent(call), cst.Expr)
            or name in SHOWN or name in NOT_SENDING
            or is_double(self.flow.ctx, call)
        )

    def _method(self, func: cst.Attribute) -> cst.FunctionDef | None:
        """`self.m` inside a class, or `obj.m` with `obj = Class(...)`: that
        class's own method `m` (not one it inherits); `super().m` in a class
        with one base, a class of the file: the base's."""
        klass, bound = self._class_of(func)
        found = self._own_method(klass, func.attr.value)
        if found is None or bound and not any(_bound_to_class(d) for d in found.decorators):
            return None
        return found

    def _own_method(self, klass: cst.ClassDef | None, name: str) -> cst.FunctionDef | None:
        """The one method `name` of `klass` (a class of the file), called
        through decorators the flow follows (or `@staticmethod`, `@classmethod`)."""
        if klass is None or not isinstance(klass.body, cst.IndentedBlock):
            return None
        found = [
            s for s in klass.body.body
            if isinstance(s, cst.FunctionDef) and s.name.value == name
            and all(transparent(self.flow.ctx, d) or _bound_to_class(d) for d in s.decorators)
        ]
        return found[0] if len(found) == 1 else None

    def _taken(self, receiver: cst.BaseExpression, attr: str, at: cst.CSTNode) -> Shape | None:
        """A method of an instance taken off it without being called
        (`client.list_sources`, `self.list_sources`, `getattr(client,
        "list_sources")`): `METHOD`, when the flow knows the method."""
        index = self.flow.ctx.index
        if type(receiver) is cst.Name and receiver.value == "self":  # type: ignore[attr-defined]
            klass = index.class_of(at)
            method = self._own_method(klass, attr)
            return Shape(METHOD, kind=klass.name.value, path=attr) if klass is not None and method is not None \
                and not any(_bound_to_class(d) for d in method.decorators) else None
        instance = proven(self.eval(receiver))
        if instance is None or instance.what != INSTANCE or not instance.kind:
            return None
        if "." in instance.kind:  # a class of another module
            key = f"{instance.kind}.{attr}"
            given = self.flow.ctx.returns
            if key not in given or instance.path == ANNOTATED and key + OVERRIDDEN in given:
                return None
        elif self._own_method(index.classes.get(instance.kind), attr) is None:
            return None
        return Shape(METHOD, kind=instance.kind, path=attr)

    def _taken_partly(self, func: cst.Name) -> Shape | None:
        """`TAKEN_PARTLY` when `fetch` in `fetch()` holds a method taken off an
        instance that gives back a migrated response on one path and another
        value on another (`if flag: fetch = offline`), or is bound again in a
        nested function (`global`, `nonlocal`), which the flow does not follow."""
        name = func.value
        module = self.flow.module
        local = name in self.env or name in self.binding or name in self.params
        holder = self if local or module is None else module
        if name in holder.rebound:
            shapes = [shape for _, shape in holder.events.get(name, {}).values()]
            paths = "nested"
        elif local:
            reaching = self._reaching(name, func)
            shapes = reaching if reaching is not None else [s for _, s in self.events.get(name, {}).values()]
            paths = "paths"
        else:
            return None
        for shape in shapes:
            taken = proven(shape)
            if taken is None or taken.what != METHOD:
                continue
            given = proven(self._taken_given(taken))
            if given_on(given) and (paths == "nested" or any(s != shape for s in shapes)):
                keys = frozenset({paths, given.what})  # type: ignore[union-attr]
                return Shape(TAKEN_PARTLY, given.endpoint, kind=name, path=f"{taken.kind}.{taken.path}", keys=keys)  # type: ignore[union-attr]
        return None

    def _taken_given(self, taken: Shape) -> Shape | None:
        """What the method `taken` names gives back, called on its instance."""
        kind, name = taken.kind or "", taken.path or ""
        if "." in kind:
            return self.flow.ctx.returns.get(f"{kind}.{name}")  # type: ignore[return-value]
        method = self._own_method(self.flow.ctx.index.classes.get(kind), name)
        return self.flow.returns_of(method, ()) if method is not None else None

    def _taken_call(self, taken: Shape, call: cst.Call) -> Shape | None:
        """What a call of a method taken off an instance gives back (`fetch()`):
        what the method does, called on the instance."""
        kind, name = taken.kind or "", taken.path or ""
        if "." in kind:
            return self.flow.ctx.returns.get(f"{kind}.{name}")  # type: ignore[return-value]
        method = self._own_method(self.flow.ctx.index.classes.get(kind), name)
        if method is None:
            return None
        return self.flow.returns_of(method, self._binding(method, call, True))

    def _decorated(self, function: cst.FunctionDef) -> Shape | None:
        """`DECORATED` when `function` (under a decorator this flow does not
        know, `decorated_by`) gives back a migrated response itself."""
        decorator = decorated_by(self.flow.ctx, function)
        if decorator is None:
            return None
        shape = proven(self.flow.returns_of(function, ()))
        if not given_on(shape):
            return None
        return Shape(DECORATED, shape.endpoint, kind=function.name.value, path=decorator)  # type: ignore[union-attr]

    def _decorated_method(self, func: cst.Attribute) -> cst.FunctionDef | None:
        """`self.m` or `obj.m` (as `_method` finds its class): its one method
        `m`, under a decorator this flow does not know."""
        klass, bound = self._class_of(func)
        if bound or klass is None or not isinstance(klass.body, cst.IndentedBlock):
            return None
        found = [s for s in klass.body.body if isinstance(s, cst.FunctionDef) and s.name.value == func.attr.value]
        return found[0] if len(found) == 1 and decorated_by(self.flow.ctx, found[0]) is not None else None

    def _property(self, node: cst.Attribute) -> cst.FunctionDef | None:
        """`self.p` or `obj.p` (as `_method` finds its class, on an instance):
        that class's own getter `p` (`@property`, the builtin, or
        `@functools.cached_property`), whose value is what the getter gives back."""
        klass, bound = self._class_of(node)
        if klass is None or bound or not isinstance(klass.body, cst.IndentedBlock):
            return None
        ctx = self.flow.ctx
        getters = [
            s for s in klass.body.body if isinstance(s, cst.FunctionDef) and s.name.value == node.attr.value
            and len(s.decorators) == 1 and qualified_name(ctx, s.decorators[0].decorator) in GETTERS
        ]
        if len(getters) != 1 or "property" in self.flow.functions or "property" in ctx.index.classes:
            return None  # none, or `property` is another name here
        return getters[0]

    def _given_property(self, node: cst.Attribute) -> Shape | None:
        """A property of a class of another module whose getter gives back a
        migrated response (`Flow.exports`), on an instance made here
        (`SourceView("web").data`) or one that module makes (`client.view.data`);
        not on an annotated one (a subclass may define it again)."""
        given = self.flow.ctx.returns
        if not given:
            return None
        dotted = imported_name(self.flow.ctx, node)
        if dotted is not None and dotted + PROPERTY in given:
            return given[dotted + PROPERTY]  # type: ignore[return-value]
        receiver = proven(self.eval(node.value))
        if receiver is None or receiver.what != INSTANCE or "." not in (receiver.kind or "") \
                or receiver.path == ANNOTATED:
            return None
        return given.get(f"{receiver.kind}.{node.attr.value}{PROPERTY}")  # type: ignore[return-value]

    def _class_of(self, func: cst.Attribute) -> tuple[cst.ClassDef | None, bool]:
        """The class of the file whose own attribute `func` names (see
        `_method`), and whether it is named on the class itself (not an instance)."""
        receiver = func.value
        klass: cst.ClassDef | None = None
        index = self.flow.ctx.index
        bound = False  # called on the class: only a static or class method is that class's own
        if isinstance(receiver, cst.Name) and receiver.value == "self":
            klass = index.class_of(func)
        elif isinstance(receiver, cst.Name) and receiver.value == "cls":
            klass, bound = index.class_of(func), True
        elif isinstance(receiver, cst.Name) and receiver.value in index.classes \
                and receiver.value not in self.env and index.scope_of(index.classes[receiver.value]) is self.flow.ctx.src.module:
            klass, bound = index.classes[receiver.value], True
        elif isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Name) and receiver.func.value == "super":
            own = index.class_of(func)
            bases = [a.value for a in own.bases] if own is not None else []
            if len(bases) == 1 and isinstance(bases[0], cst.Name):
                klass = index.classes.get(bases[0].value)
        else:
            shape = proven(self.eval(receiver))
            if shape is not None and shape.what == INSTANCE:
                klass = self.flow.ctx.index.classes.get(shape.kind or "")
        return klass, bound

    def _binding(
        self, function: cst.FunctionDef, call: cst.Call, method: bool = False
    ) -> tuple[tuple[str, Shape], ...] | None:
        """The shapes of the arguments a call of a function of the file gives
        its parameters, by name. What the call gives before a `*rest`, or by
        keyword, binds its parameter whatever the star arguments hold (Python
        refuses a parameter given twice): `get(url, **extra)` is followed into
        `get`. Star arguments bind nothing proven, nor do arguments landing in
        the function's `*args` or `**kwargs`, or given after a `*rest`
        (positions unknown); None when such an argument is a migrated URL,
        which this flow cannot follow in."""
        params = function.params
        static = any(_bound_to_class(d, "staticmethod") for d in function.decorators)
        positional = [p.name.value for p in (*params.posonly_params, *params.params)][1 if method and not static else 0 :]
        named = {p.name.value for p in (*params.params, *params.kwonly_params)}
        bound: list[tuple[str, Shape]] = []
        index = 0
        spread = False  # after a `*rest`
        for arg in call.args:
            if arg.star:
                spread = spread or arg.star == "*"
                continue
            shape = proven(self.eval(arg.value))
            name: str | None = None
            if arg.keyword is not None:
                name = arg.keyword.value if arg.keyword.value in named else None
            elif not spread and index < len(positional):
                name = positional[index]
                index += 1
            if name is None:
                if shape is not None and shape.what == URL:
                    return None
                continue
            if shape is not None:
                bound.append((name, replace(shape, sent=None)))  # what it reads, whatever the URL
        return tuple(sorted(bound, key=lambda item: item[0]))


@dataclass
class Flow:
    ctx: FileContext
    origins: dict[int, str]
    """ids of migrated URL expressions → endpoint row id."""
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)
    decorated: dict[str, cst.FunctionDef] = field(default_factory=dict)
    """The file's functions under a decorator the flow does not follow through (`decorated_by`), by name."""
    managers: dict[str, cst.FunctionDef] = field(default_factory=dict)
    """The file's context managers (`decorators.manager`), by name: `with f() as x` binds what they yield."""
    scopes: dict[tuple[int, tuple[tuple[str, Shape], ...]], Scope] = field(default_factory=dict)
    http_calls: list[tuple[cst.Call, str, Scope]] = field(default_factory=list)
    unsure_calls: list[cst.Call] = field(default_factory=list)
    """HTTP calls whose URL is a migrated Config path on one path of the code
    and something else on another (`url = A` or `url = B`): their page size
    and the reads of their response are not migrated."""
    asked: list[fixture_values.Asked] | None = None
    """The file's `request.getfixturevalue(...)` calls (`fixture_calls`)."""
    helper_sites: list[tuple[cst.Call, Scope, cst.FunctionDef, tuple[tuple[str, Shape], ...]]] = field(
        default_factory=list
    )
    """Calls of functions of the file that pass them a migrated URL."""
    module: Scope | None = None
    unseen: set[str] = field(default_factory=set)
    """Names read in the first round before the module scope was known: the
    second round may read them as module constants."""
    calls_to: dict[int, dict[int, tuple[tuple[str, Shape], ...] | None]] = field(default_factory=dict)
    """Function of the file → its call sites → the shapes of their arguments."""
    endpoints: dict[str, EndpointRow] = field(default_factory=dict)
    resources: dict[str, ResourceRow] = field(default_factory=dict)
    segment_hosts: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        rules = self.ctx.rules
        self.endpoints = {e.id: e for e in rules.endpoints}
        self.resources = rules.resources
        self.segment_hosts = frozenset(
            urlsplit(url).hostname or "" for row in rules.hosts for url in (row.config, *row.public.values())
        )
        """Hosts of the Config and Public APIs (a call to another host answers no Segment response)."""
        module = self.ctx.src.module
        names: dict[str, int] = {}
        for statement in module.body:
            if isinstance(statement, cst.FunctionDef):
                names[statement.name.value] = names.get(statement.name.value, 0) + 1
                if all(transparent(self.ctx, d) for d in statement.decorators):
                    self.functions[statement.name.value] = statement
                elif manager(self.ctx, statement):
                    self.managers[statement.name.value] = statement
                elif decorated_by(self.ctx, statement) is not None:
                    self.decorated[statement.name.value] = statement
        for name, count in names.items():
            if count > 1:
                self.functions.pop(name, None)
                self.managers.pop(name, None)
                self.decorated.pop(name, None)
        for name, function in list(self.managers.items()):
            if any(n is not function.name and bindings.binds(self.ctx, n) for n in self.ctx.index.names.get(name, ())):
                del self.managers[name]  # bound to something else too (`listed = other`, a parameter)

    def run(self) -> list[Scope]:
        """Analyse the module and every function (base scopes, reads may be rewritten)."""
        base: list[Scope] = []
        for round in range(2):  # a second round reads module constants the first could not
            if round and not any(self._constant(name) for name in self.unseen):
                break  # it would find what the first found
            self.scopes = {}
            self.http_calls = []
            self.helper_sites = []
            self.calls_to = {}
            # module constants are read from the previous round's module scope
            self.module = self.scope(self.ctx.src.module, ())
            base = [self.module]
            relevant = self._relevant()
            for node in self.ctx.index.parents:
                if type(node) is cst.FunctionDef and id(node) in relevant:
                    base.append(self.scope(node, ()))
        promoted = self._promoted()
        return [self.scope(s.node, promoted[id(s.node)]) if id(s.node) in promoted else s for s in base]

    def _constant(self, name: str) -> bool:
        """The module scope gives `name` a shape (as the second round would read it)."""
        module = self.module
        return module is not None and name not in module.rebound and module.env.get(name) is not None

    def fixture_calls(self) -> list[fixture_values.Asked]:
        """The file's `request.getfixturevalue(...)` calls (`fixture_values.asked`), found once."""
        if self.asked is None:
            self.asked = fixture_values.asked(self.ctx)
        return self.asked

    def _relevant(self) -> set[int]:
        """Functions whose analysis can find something (ids): those holding a
        migrated call, a Config field name, a module name bound to a response
        or a parameter a conftest's fixture gives a followed instance, the
        functions they name (callees may be given responses) and those that
        name them (callers may get one back), to a fixpoint. The others hold
        no value from a Config call: analysing them would find nothing."""
        index = self.ctx.index
        parents = index.parents
        defs: dict[str, list[cst.FunctionDef]] = {}
        for node in parents:
            if type(node) is cst.FunctionDef:
                defs.setdefault(node.name.value, []).append(node)  # type: ignore[attr-defined]

        def enclosing(node: cst.CSTNode) -> list[int]:
            found = []
            current = parents.get(node)
            while current is not None:
                if type(current) is cst.FunctionDef:
                    found.append(id(current))
                current = parents.get(current)
            return found

        relevant: set[int] = set()
        origins = self.origins
        for node in parents:
            if id(node) in origins:
                relevant.update(enclosing(node))
        asked = [a for a in self.fixture_calls() if a.name and a.pytest]
        named: dict[str, list[cst.CSTNode]] = {}  # `request.getfixturevalue("client")` names the fixture `client`
        for call in asked:
            named.setdefault(call.name or "", []).append(call.call)
        from migrator.rewrite.known_names import config_fields, config_list_keys, segmented_fields

        rules = self.ctx.rules
        fields = config_fields(rules)  # read off unproven values, they are marked
        # and so are names taken apart (`x["name"].split("/")[-1]`); in a linked file, any read of them and of list keys
        segmented = segmented_fields(rules)
        if self.ctx.linked is not None:
            fields = {**fields, **config_list_keys(rules), **dict.fromkeys(segmented, "")}
        for root in index.roots:
            if type(root) is cst.SimpleString:
                raw = root.raw_value  # type: ignore[attr-defined]
                if raw in fields or raw in segmented and _taken_apart(parents, root):
                    relevant.update(enclosing(root))
        if self.ctx.returns:
            for local, spec in bindings.imported(self.ctx).items():
                if any(q == spec or q.startswith(spec + ".") for q in self.ctx.returns):
                    for use in index.names.get(local, ()):
                        relevant.update(enclosing(use))
            for function, names in bindings.function_imports(self.ctx).items():
                for local, spec in names.items():  # `def make(): from app.client import Client`
                    if any(q == spec or q.startswith(spec + ".") for q in self.ctx.returns):
                        relevant.add(function)
            known = {n for n, sure in conftest_fixtures(self.ctx.returns).items() if sure}
            if known:  # tests (and fixtures) a conftest's fixture gives an instance to (`Scope._fixtures`)
                for node in parents:
                    if type(node) is cst.FunctionDef and any(
                            f == ELSEWHERE and n in known for n, f in requested(self.ctx, node).items()):
                        relevant.add(id(node))
                for call in asked:
                    if call.name in known and requested(self.ctx, call.function, {call.name}).get(call.name) == ELSEWHERE:
                        relevant.add(id(call.function))
        module = self.module
        for name, shape in (module.env.items() if module is not None else ()):
            if shape is not None and shape != NEUTRAL:
                for use in index.names.get(name, ()):
                    relevant.update(enclosing(use))
        for uses in index.self_attributes.values():
            for use in uses:  # `self.client.sources()`, `self.client` held (`held`)
                if held(self.ctx, use) is not None:
                    relevant.update(enclosing(use))
        methods = {  # a class whose method is relevant: where it is named, an instance may be made or handed on
            name: [s for s in klass.body.body if type(s) is cst.FunctionDef]
            for name, klass in index.classes.items() if isinstance(klass.body, cst.IndentedBlock)
        }
        from migrator.rewrite.responses_registry import registries

        held_in = registries(self.ctx)  # `COMMANDS[name]()` calls the functions put in it
        done: set[str] = set()
        looked_up: set[str] = set()
        while True:
            grown = False
            for holder, names in held_in.items():
                if holder not in looked_up and any(id(f) in relevant for n in names for f in defs.get(n, ())):
                    for owner in (o for use in index.names.get(holder, ()) for o in enclosing(use)):
                        grown |= owner not in relevant
                        relevant.add(owner)
                    looked_up.add(holder)
            for name, own in methods.items():
                if name not in done and any(id(f) in relevant for f in own):
                    for owner in (o for use in index.names.get(name, ()) for o in enclosing(use)):
                        grown |= owner not in relevant
                        relevant.add(owner)
                    done.add(name)
            for name, functions in defs.items():
                if name in done:
                    continue
                uses = [*index.names.get(name, ()), *named.get(name, ())]
                if any(id(f) in relevant for f in functions):
                    for use in uses:  # callers
                        for owner in enclosing(use):
                            if owner not in relevant:
                                relevant.add(owner)
                                grown = True
                    done.add(name)
                if any(any(o in relevant for o in enclosing(use)) for use in uses):  # callees
                    for f in functions:
                        if id(f) not in relevant:
                            relevant.add(id(f))
                            grown = True
            if not grown:
                return relevant

    def reads_as(self, binding: tuple[tuple[str, Shape], ...]) -> tuple[object, ...]:
        """What reads of these arguments would become: documents of endpoints
        with the same response resource and form read alike."""
        out: list[object] = []
        for name, shape in binding:
            if shape.what == DOC:
                row = self.endpoints.get(shape.endpoint or "")
                out.append((name, DOC, row.response if row else None, row.list_response if row else None))
            else:
                out.append((name, shape))
        return tuple(out)

    def _promoted(self) -> dict[int, tuple[tuple[str, Shape], ...]]:
        """Functions of a script (or private ones) that only this file calls, every
        time with the same proven arguments: their reads are rewritten as if
        the arguments were local (`describe(resp.json())`)."""
        from migrator.rewrite.calls import is_script

        script = is_script(self.ctx)
        found: dict[int, tuple[tuple[str, Shape], ...]] = {}
        index = self.ctx.index
        for name, function in self.functions.items():
            if not (script or name.startswith("_")):
                continue
            sites = self.calls_to.get(id(function), {})
            if not sites or any(not b for b in sites.values()):
                continue
            if len({self.reads_as(b) for b in sites.values()}) != 1:  # type: ignore[arg-type]
                continue
            binding = next(iter(sites.values()))
            assert binding is not None
            uses = [n for n in index.names.get(name, []) if n is not function.name]
            calls = [self.ctx.parent(n) for n in uses]
            if len(uses) != len(sites) or not all(
                isinstance(c, cst.Call) and c.func is n and id(c) in sites for c, n in zip(calls, uses)
            ):
                continue
            found[id(function)] = binding
        return found

    def scope(self, node: cst.CSTNode, binding: tuple[tuple[str, Shape], ...]) -> Scope:
        key = (id(node), binding)
        found = self.scopes.get(key)
        if found is None:
            found = Scope(self, node, binding)
            self.scopes[key] = found
            found.run()
        return found

    def exports(self) -> dict[str, Shape]:
        """What the module's functions give back, called with nothing
        proven, when it is a response this file migrated (or a list or item
        of one): for the modules that call them (`FileContext.returns`)."""
        found: dict[str, Shape] = {}
        factories: dict[str, str] = {}  # functions giving an instance of a class whose methods give responses
        named = dict(self.functions)
        for klass in self.ctx.index.classes.values():
            # methods, called on an instance (`SegmentClient().list_sources()`)
            if self.ctx.index.scope_of(klass) is self.ctx.src.module and isinstance(klass.body, cst.IndentedBlock):
                methods = [s for s in klass.body.body if isinstance(s, cst.FunctionDef)]
                for method in methods:
                    name = method.name.value
                    if sum(m.name.value == name for m in methods) == 1 and all(
                        transparent(self.ctx, d) or _bound_to_class(d) for d in method.decorators
                    ):
                        named[f"{klass.name.value}.{name}"] = method
                    getters = [m for m in methods if m.name.value == name and len(m.decorators) == 1
                               and qualified_name(self.ctx, m.decorators[0].decorator) in GETTERS]
                    if getters == [method]:
                        named[f"{klass.name.value}.{name}{PROPERTY}"] = method  # read as `instance.name`
        module = self.ctx.src.module
        for name, function in named.items():
            if (id(function), ()) not in self.scopes:
                continue  # not analysed: it holds no migrated call, nor calls one that does (`_relevant`)
            head = name.split(".")[0]
            index = self.ctx.index
            at_top = []  # bindings of the module's own (a method of that name is another thing)
            for n in index.names.get(head, []):
                holder = index.parents.get(n)
                where = holder if type(holder) in (cst.FunctionDef, cst.ClassDef) else n
                if index.scope_of(where) is module and index.class_of(where) is None:
                    at_top.append(n)
            if sum(bindings.binds(self.ctx, n) for n in at_top) != 1 or self.ctx.index.assignments.get((module, head)):
                continue  # bound again (`list_sources = _fake`): what callers get is not that function
            shape = proven(self.returns_of(function, ()))
            if given_on(shape):
                found[name] = shape
            elif "." not in name and shape is not None and shape.what == INSTANCE and shape.kind \
                    and shape.path != ANNOTATED and not shape.kind.startswith(FIXTURE_KEY):
                factories[name] = shape.kind  # `def default_client(): return Client()`
        for name in self._overridden(found):
            del found[name]  # an instance of a subclass gives back something else (`def f(c: Client)`)
        found.update(self.inherited())
        for name, klass in factories.items():
            # its methods, called on what it gives (`default_client().sources()`), keyed as a class's
            made = dict(found) if "." not in klass \
                else {k: v for k, v in self.ctx.returns.items() if not k.endswith(OVERRIDDEN)}
            found.update((name + key[len(klass):], shape) for key, shape in made.items()  # type: ignore[misc]
                         if key.startswith(klass + ".") and key.count(".") == klass.count(".") + 1)
        for name, function in self.functions.items():
            scope = self.scopes.get((id(function), ()))
            if scope is not None and name not in factories and self.gives_methods(scope, found):
                found[f"{name}.{UNPROVEN}"] = CONFLICT  # its callers' reads are not followed, and are marked
        for local, spec in bindings.imported(self.ctx).items() if self.ctx.returns else ():
            # imported only to be given on (`from .api import sources` in a package's `__init__.py`)
            if len(self.ctx.index.names.get(local, ())) != 1:
                continue
            found.update((local + key[len(spec):], shape) for key, shape in self.ctx.returns.items()
                         if key == spec or key.startswith(spec + "."))
        given = self.ctx.returns
        for instance, klass in self._instances().items():
            if "." in klass:  # `client = Client()`, a class of another module: its methods, patched as `service.client`
                found.update((instance + key[len(klass):], shape) for key, shape in given.items()
                             if key.startswith(klass + ".") and not key.endswith(OVERRIDDEN))
                continue
            # `segment = Segment()`: its methods, called as `client.segment.get_source(...)`
            found.update((f"{instance}.{name.split('.', 1)[1]}", shape) for name, shape in list(found.items())
                         if name.split(".", 1)[0] == klass)
        return found

    def gives_methods(self, scope: Scope, exported: dict[str, Shape]) -> list[tuple[cst.CSTNode, str]]:
        """The `return`s of `scope.mixed_made` whose class has methods that
        give back migrated responses (the file's, `exported`, or another
        module's)."""
        given = self.ctx.returns
        return [(node, kind) for node, kind in scope.mixed_made
                if any(k.startswith(kind + ".") for k in (given if "." in kind else exported))]

    def inherited(self) -> dict[str, Shape]:
        """Methods a class of the module, bound once, inherits from its one
        base, a class of another module whose methods give back migrated
        responses, and does not define again (`class Admin(Client): pass`:
        `Admin.destination`)."""
        given, index, module = self.ctx.returns, self.ctx.index, self.ctx.src.module
        found: dict[str, Shape] = {}
        for name, klass in index.classes.items() if given else ():
            bases = [a for a in klass.bases if a.keyword is None and not a.star]
            if index.scope_of(klass) is not module or len(klass.bases) != 1 or len(bases) != 1 \
                    or not isinstance(klass.body, cst.IndentedBlock) or not self._bound_once(name):
                continue
            spec = imported_name(self.ctx, bases[0].value)
            own = {s.name.value for s in klass.body.body if isinstance(s, cst.FunctionDef)}
            own.update(attr for (owner, attr) in index.attributes if owner is klass)
            for key, shape in given.items() if spec is not None else ():
                method = key[len(spec) + 1:] if key.startswith(f"{spec}.") else ""  # type: ignore[arg-type]
                if method and "." not in method and not method.endswith(OVERRIDDEN) and method not in own:
                    found[f"{name}.{method}"] = shape  # type: ignore[assignment]
        return found

    def _bound_once(self, name: str) -> bool:
        """`name` is bound once in the module, by its `class` statement."""
        index = self.ctx.index
        return sum(bindings.binds(self.ctx, n) for n in index.names.get(name, [])) == 1 \
            and not index.assignments.get((self.ctx.src.module, name))

    def _overridden(self, found: dict[str, Shape]) -> list[str]:
        """Methods (`Client.get_source`) a subclass of the module defines again
        without giving back the same migrated response."""
        out: list[str] = []
        for klass in self.ctx.index.classes.values():
            if self.ctx.index.scope_of(klass) is not self.ctx.src.module:
                continue
            bases = {a.value.value for a in klass.bases if isinstance(a.value, cst.Name)}
            body = klass.body.body if isinstance(klass.body, cst.IndentedBlock) else ()
            for method in (s for s in body if isinstance(s, cst.FunctionDef)):
                for base in bases:
                    key = f"{base}.{method.name.value}"
                    if key in found and found.get(f"{klass.name.value}.{method.name.value}") != found[key]:
                        out.append(key)
        return out

    def _instances(self) -> dict[str, str]:
        """Module names bound once, to an instance of a class of the module
        (`segment = Segment(TOKEN)`: `Segment`) or of a class it imports whose
        methods give back migrated responses (`client = Client()`:
        `app.client.Client`), and nothing else: never rebound, declared
        `global` or given attributes (`segment.get_source = ...`)."""
        index, module, given = self.ctx.index, self.ctx.src.module, self.ctx.returns
        found: dict[str, str] = {}
        for statement in module.body:
            if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
                continue
            assign = statement.body[0]
            if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
                continue
            target, value = assign.targets[0].target, assign.value
            if not (isinstance(target, cst.Name) and isinstance(value, cst.Call) and isinstance(value.func, cst.Name)):
                continue
            klass = index.classes.get(value.func.value)
            local = klass is not None and index.scope_of(klass) is module
            made = value.func.value if local else imported_name(self.ctx, value.func)
            if made is None or not local and ("." not in made or made in given
                                              or not any(k.startswith(made + ".") for k in given)):
                continue  # no class of the module, nor one of another whose methods give back responses
            name = target.value
            uses = index.names.get(name, [])
            if sum(bindings.binds(self.ctx, n) for n in uses) != 1 or len(index.assignments.get((module, name), ())) != 1:
                continue
            if any(isinstance(p := index.parents.get(n), cst.Attribute) and p in index.targets for n in uses):
                continue
            found[name] = made
        return found

    def returns_of(self, function: cst.FunctionDef, binding: tuple[tuple[str, Shape], ...] | None) -> Shape | None:
        if binding is None:
            return None
        key = (id(function), binding)
        if key in self.scopes and self.scopes[key].running:
            return None  # being analysed (recursion)
        return self.scope(function, binding).returns

    # -- what a read gives -------------------------------------------------------

    def with_method(self, endpoint: str | None, method: str | None) -> str | None:
        """The row of the same Config path for the method of the call (a URL
        migrated for GET and also sent with PATCH)."""
        row = self.endpoints.get(endpoint or "")
        if row is None:
            return None
        verb, path = row.config.split(" ", 1)
        if method is None or method == verb:
            return row.id
        for other in self.endpoints.values():
            if other.config == f"{method} {path}":
                return other.id
        return None

    def resource_of(self, endpoint: str | None) -> ResourceRow | None:
        row = self.endpoints.get(endpoint or "")
        if row is None or row.response is None:
            return None
        return self.resources.get(row.response)

    def read_shape(self, value: Shape | None, key: str) -> Shape | None:
        if value is None:
            return None
        rules = self.ctx.rules
        if value.what == DOC:
            row = self.endpoints.get(value.endpoint or "")
            resource = self.resource_of(value.endpoint)
            if row is None or resource is None:
                return None
            if row.list_response:
                if key == resource.config_list_key:
                    return Shape(LIST, kind=resource.kind, sent=value.sent)
                if key == rules.envelope.next_page_token:
                    return Shape(TOKEN)
                return None
            return self._field_shape(resource, key)
        if value.what == LOCAL:
            return value  # a part of the program's own data
        if value.what == ITEM:
            resource = self.resources.get(value.kind or "")
            return self._field_shape(resource, key) if resource is not None else None
        if value.what == SUB:
            resource = self.resources.get(value.kind or "")
            return self._field_shape(resource, f"{value.path}.{key}") if resource is not None else None
        return None

    def _field_shape(self, resource: ResourceRow, key: str) -> Shape | None:
        if key not in resource.fields and any(f.startswith(key + ".") for f in resource.fields):
            return Shape(SUB, kind=resource.kind, path=key)
        return None
