"""HTTP clients: where a string ends up, and with which HTTP method.

Recognised: `requests` (module functions, `Session`, `requests.request(verb,
url)`), `httpx` (functions, `Client`, `AsyncClient`, `base_url=`),
`urllib.request` (`Request`, `urlopen`), `urllib.parse.urljoin`, and
generic helpers called with a literal verb (`self._call("GET", path)`) or
named after one (`self._get(path)`).

The analysis follows a value through `+`, f-strings, `.format`, `%`,
`urljoin` and assignments to local names, module constants and `self`
attributes. It answers two questions: is this string used as a URL, and
with which methods. "Unknown" is always a possible answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from migrator.rewrite import bare_keys, url_wrappers
from migrator.rewrite.context import FileContext
from migrator.rewrite.decorators import transparent
from migrator.rewrite.format_slots import slot

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
CLIENT_FACTORIES = ("Session", "Client", "AsyncClient")
REQUEST_NAMES = ("request", "send_request", "api_request", "call", "api_call")
"""Calls taking the method, then the URL (`session.request("GET", url)`, a helper `api_call("GET", path)`)."""
CLIENT_REQUESTS = ("stream", "build_request")
"""httpx client methods taking the method, then the URL, which a `base_url=` is joined to."""


@dataclass
class Flow:
    url: bool = False
    """Some use is provably a URL."""
    methods: set[str] = field(default_factory=set)
    unknown: bool = False
    """The method of some use cannot be seen (so `methods` may be incomplete)."""
    opaque: bool = False
    """Some use could not be followed at all (it may append to the value)."""
    clients: list[cst.BaseExpression] = field(default_factory=list)
    """Receivers of the HTTP calls (for base_url lookups)."""
    bases: list[cst.BaseExpression] = field(default_factory=list)
    """Bases this value was joined to: `urljoin(BASE, value)`, `BASE + value`,
    `f"{BASE}/{value}"` (names and attributes only)."""
    prefix: bool = False
    """Some use puts more text after this value (it is not a whole URL)."""
    searched: bool = False
    """Some use looks for this value in other text (`url.startswith(BASE)`,
    `BASE in url`, `.replace(BASE, ...)`): code that tells URLs apart."""
    compared: bool = False
    """Some use compares this value whole (`==`, `!=`: a test pinning a URL)."""

    def merge(self, other: Flow) -> None:
        self.searched |= other.searched
        self.compared |= other.compared
        self.url |= other.url
        self.methods |= other.methods
        self.unknown |= other.unknown
        self.opaque |= other.opaque
        self.clients.extend(other.clients)
        self.bases.extend(other.bases)
        self.prefix |= other.prefix

    @property
    def method(self) -> str | None:
        """The one method, when every use is known and they agree."""
        if self.unknown or len(self.methods) != 1:
            return None
        return next(iter(self.methods))


def flow(
    ctx: FileContext,
    node: cst.CSTNode,
    depth: int = 0,
    seen: set[int] | None = None,
    entered: tuple[cst.Call, ...] = (),
) -> Flow:
    """Where the value of `node` goes; `entered`, the calls of this file's
    functions it came in through (innermost last): what such a function
    returns of it goes back to that call only."""
    seen = set() if seen is None else seen
    result = Flow()
    if depth > 6 or id(node) in seen:
        result.unknown = result.opaque = True
        return result
    seen.add(id(node))
    parent = ctx.parent(node)
    if parent is None:
        result.unknown = result.opaque = True
        return result
    same = url_wrappers.wrapper(ctx, node)
    if same is not None:
        return _climb(ctx, same, depth, seen, entered)  # `str(url)`, `await self._url(...)`: the same URL
    if isinstance(parent, cst.Arg):
        call = ctx.parent(parent)
        if isinstance(call, cst.Call):
            if isinstance(call.func, cst.Attribute) and call.func.attr.value == "format":
                # a value inserted into a template: something may follow it, unless its field ends the
                # template; a name filling the field it starts with is its base (`"{}/{}".format(BASE, path)`)
                found = slot(call, parent)
                joined = _climb(ctx, call, depth, seen, entered, prefix=found is None or found.follows)
                if found is not None and found.head is not None:
                    joined.bases.append(found.head)
                return joined
            return _call_flow(ctx, call, parent, depth, seen, entered)
    if isinstance(parent, cst.FormattedStringExpression):
        fstring = ctx.parent(parent)
        parts = list(fstring.parts) if isinstance(fstring, cst.FormattedString) else []
        follows = bool(parts) and parts[-1] is not parent
        head = parts[0] if parts else None
        if (
            isinstance(head, cst.FormattedStringExpression)
            and head is not parent
            and isinstance(head.expression, (cst.Name, cst.Attribute))
        ):
            joined = _climb(ctx, parent, depth, seen, entered, prefix=follows)
            joined.bases.append(head.expression)  # f"{BASE}/{path}"
            if follows:
                after = parts[parts.index(parent) + 1]
                if isinstance(after, cst.FormattedStringText) and after.value.startswith(QUERY):
                    joined.prefix = False
            return joined
        if isinstance(head, cst.FormattedStringText) and head.value.startswith(("http://", "https://")):
            joined = _climb(ctx, parent, depth, seen, entered, prefix=follows)
            joined.bases.append(fstring)  # f"https://host/v1beta/{path}"
            if follows:
                after = parts[parts.index(parent) + 1]
                if isinstance(after, cst.FormattedStringText) and after.value.startswith(QUERY):
                    joined.prefix = False
            return joined
        if follows:
            after = parts[parts.index(parent) + 1]
            if isinstance(after, cst.FormattedStringText) and after.value.startswith(QUERY):
                return _climb(ctx, parent, depth, seen, entered, query=True)
        return _climb(ctx, parent, depth, seen, entered, prefix=follows)
    if isinstance(parent, cst.ConcatenatedString):
        return _climb(ctx, parent, depth, seen, entered, prefix=parent.left is node)
    if isinstance(parent, cst.FormattedString):
        return _climb(ctx, parent, depth, seen, entered)
    if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add):
        if parent.left is node and _starts_query(parent.right):
            return _climb(ctx, parent, depth, seen, entered, query=True)  # `URL + "?" + ...`: no more path
        joined = _climb(ctx, parent, depth, seen, entered, prefix=parent.left is node)
        if parent.right is node:
            head = parent.left
            while isinstance(head, cst.BinaryOperation) and isinstance(head.operator, cst.Add):
                head = head.left
            if isinstance(head, (cst.Name, cst.Attribute)):
                joined.bases.append(head)  # BASE + path
            elif isinstance(head, cst.SimpleString) and str(head.evaluated_value).startswith(("http://", "https://")):
                top: cst.CSTNode = parent
                while isinstance(up := ctx.parent(top), cst.BinaryOperation) and isinstance(up.operator, cst.Add):
                    top = up
                joined.bases.append(top)  # "https://host/v1beta/" + path
        return joined
    if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Modulo):
        return _climb(ctx, parent, depth, seen, entered, prefix=parent.right is node)
    if isinstance(parent, (cst.Tuple, cst.Element)) and _in_percent_values(ctx, parent):
        return _climb(ctx, _in_percent_values(ctx, parent), depth, seen, entered, prefix=True)  # type: ignore[arg-type]
    if isinstance(parent, cst.Element) and isinstance(ctx.parent(parent), (cst.Tuple, cst.List)):
        # an item of a literal list (of tuples) that a `for` loop walks
        looped = _loop_uses(ctx, parent)
        if looped is not None:
            result = Flow()
            for use in looped:
                result.merge(flow(ctx, use, depth + 1, seen, entered))
            if not looped:
                result.unknown = result.opaque = True
            return result
    if isinstance(parent, cst.Attribute) and parent.attr.value == "format":
        call = ctx.parent(parent)
        if isinstance(call, cst.Call):
            return _climb(ctx, call, depth, seen, entered)
    if isinstance(parent, cst.Return) and parent.value is node:
        returned = _returned(ctx, parent, depth, seen, entered)
        if returned is not None:
            return returned
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
        from migrator.rewrite.mock_transport import compared_flow

        compared = compared_flow(ctx, node, parent)  # a transport handler's `if`, its method beside
        if compared is not None:
            return compared
        # `assert url == "https://…"`: compared whole (tests pinning URLs);
        # `BASE in url`: looked for
        result.searched = _in_test(ctx, node, parent)
        result.compared = _equality(ctx, node, parent)
        return result
    if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is node:
        targets = (
            [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
        )
        uses: list[cst.CSTNode] = []
        for target in targets:
            uses.extend(_uses(ctx, target, parent))
        if not uses:
            result.unknown = result.opaque = True
        for use in uses:
            result.merge(flow(ctx, use, depth + 1, seen, entered))
        return result
    result.unknown = result.opaque = True
    return result


def _climb(
    ctx: FileContext,
    node: cst.CSTNode,
    depth: int,
    seen: set[int],
    entered: tuple[cst.Call, ...],
    *,
    prefix: bool = False,
    query: bool = False,
) -> Flow:
    result = flow(ctx, node, depth + 1, seen, entered)
    result.prefix |= prefix
    if query:
        result.prefix = False  # whatever follows a query string is query, not path
    return result


LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
"""Methods of the `logging` module and of its loggers that log a message."""
SHOWN = frozenset({"print", "mount", *LOG_METHODS})
"""Calls that only show a value (or register an adapter for its prefix), when
their own value is dropped."""
QUERY = ("?", "#")
SEARCHED = (
    "this Config API {what} is looked for in other text (`startswith`, `in`, `replace`...), where "
    "code tells Config URLs apart: that code must keep it; where it builds URLs, migrate it by hand"
)
TEXT_SEARCHES = frozenset(
    {"startswith", "endswith", "find", "rfind", "index", "rindex", "count", "replace", "split", "rsplit",
     "partition", "rpartition", "removeprefix", "removesuffix", "lstrip", "rstrip", "strip"}
)
"""String methods that look for their argument in the text they are called on."""


def _in_test(ctx: FileContext, node: cst.CSTNode, parent: cst.CSTNode) -> bool:
    """`node in x` or `x in node` (a membership test, not `==`)."""
    if isinstance(parent, cst.ComparisonTarget):
        return isinstance(parent.operator, (cst.In, cst.NotIn))
    assert isinstance(parent, cst.Comparison)
    return any(isinstance(t.operator, (cst.In, cst.NotIn)) for t in parent.comparisons[:1])


def _equality(ctx: FileContext, node: cst.CSTNode, parent: cst.CSTNode) -> bool:
    """`node == x` or `x != node`: compared whole with one other value."""
    if isinstance(parent, cst.ComparisonTarget):
        comparison = ctx.parent(parent)
        return isinstance(parent.operator, (cst.Equal, cst.NotEqual)) and isinstance(comparison, cst.Comparison) \
            and len(comparison.comparisons) == 1
    assert isinstance(parent, cst.Comparison)
    return len(parent.comparisons) == 1 and isinstance(parent.comparisons[0].operator, (cst.Equal, cst.NotEqual))


def _starts_query(node: cst.BaseExpression) -> bool:
    """A string expression whose text starts a query string (`"?"`, `"?page=" + n`)."""
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        node = node.left
    while isinstance(node, cst.ConcatenatedString):
        node = node.left
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return isinstance(value, str) and value.startswith(QUERY)
    if isinstance(node, cst.FormattedString):
        first = node.parts[0] if node.parts else None
        return isinstance(first, cst.FormattedStringText) and first.value.startswith(QUERY)
    return False


def _in_percent_values(ctx: FileContext, node: cst.CSTNode) -> cst.BinaryOperation | None:
    """The `%` operation whose value tuple holds `node` (an element or the tuple)."""
    current: cst.CSTNode | None = node
    for _ in range(2):
        current = ctx.parent(current) if current is not None else None
        if isinstance(current, cst.BinaryOperation) and isinstance(current.operator, cst.Modulo):
            return current
    return None


def _uses(ctx: FileContext, target: cst.BaseExpression, stmt: cst.CSTNode) -> list[cst.CSTNode]:
    index = ctx.index
    if isinstance(target, cst.Name):
        scope = index.scope_of(stmt)
        klass = index.class_of(stmt)
        if isinstance(scope, cst.Module) and klass is not None:
            # class attribute: read as self.X / cls.X / Class.X
            found: list[cst.CSTNode] = list(index.self_attributes.get((klass, target.value), []))
            for name in index.names.get(klass.name.value, []):
                attribute = ctx.parent(name)
                if isinstance(attribute, cst.Attribute) and attribute.value is name:
                    if attribute.attr.value == target.value:
                        found.append(attribute)
            return found
        return [
            name
            for name in index.names.get(target.value, [])
            if name not in index.targets
            and _visible(ctx, name, scope)
            and not _is_attr_name(ctx, name)
        ]
    if (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and target.value.value in ("self", "cls")
    ):
        klass = index.class_of(stmt)
        if klass is None:
            return []
        return [a for a in index.self_attributes.get((klass, target.attr.value), []) if a is not target]
    return []


def _is_attr_name(ctx: FileContext, name: cst.Name) -> bool:
    parent = ctx.parent(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return True
    if isinstance(parent, (cst.Arg,)) and parent.keyword is name:
        return True
    if isinstance(parent, cst.AsName) and isinstance(ctx.parent(parent), cst.ImportAlias):
        return True  # `from m import X as name` binds it
    if isinstance(parent, cst.Param):
        return parent.name is name  # its default (`base_url=API`) is a use
    return isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.ImportAlias))


def _visible(ctx: FileContext, name: cst.Name, scope: cst.CSTNode) -> bool:
    """A use of a name assigned in `scope` (a function or the module)."""
    use_scope = ctx.index.scope_of(name)
    if isinstance(scope, cst.Module):
        # module constant: any use not shadowed by a local assignment
        current = use_scope
        while not isinstance(current, cst.Module):
            if (current, name.value) in ctx.index.assignments:
                return False
            current = ctx.index.scope_of(current)
        return True
    current = use_scope
    while not isinstance(current, cst.Module):
        if current is scope:
            return True
        current = ctx.index.scope_of(current)
    return False


def _call_flow(
    ctx: FileContext, call: cst.Call, arg: cst.Arg, depth: int, seen: set[int], entered: tuple[cst.Call, ...]
) -> Flow:
    result = Flow()
    name = callee_name(call)
    if name in TEXT_SEARCHES and isinstance(call.func, cst.Attribute):
        result.searched = True
        return result
    if name in SHOWN and isinstance(ctx.parent(call), cst.Expr):
        return result  # `print(url)`, `log.info("%s", url)`: shown, nothing built from it
    qualified = qualified_name(ctx, call.func)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    first = positional[0] if positional else None

    if qualified.endswith("urljoin") or name == "urljoin":
        if len(positional) >= 2 and arg is positional[1]:
            result.bases.append(positional[0].value)
            result.merge(flow(ctx, call, depth + 1, seen, entered))
            result.url = True
            return result
        result.merge(flow(ctx, call, depth + 1, seen, entered))
        result.url = True
        result.prefix = True  # a base: a path is joined to it
        return result

    if qualified in ("urllib.request.Request", "urllib.request.urlopen"):
        if arg is first or arg is keyword.get("url"):
            result.url = True
            method = literal(keyword["method"].value) if "method" in keyword else None
            has_data = len(positional) > 1 or "data" in keyword
            result.methods.add((method or ("POST" if has_data else "GET")).upper())
            return result

    from migrator.rewrite.mock_doubles import registration_flow

    mocked = registration_flow(ctx, call, arg)  # a test double: `responses.add(responses.GET, url)`
    if mocked is not None:
        return mocked

    bare = name.lstrip("_").lower()
    # a function of this file: follow the parameter the value lands in
    inner = _into_function(ctx, call, arg, depth, seen, entered)
    if inner is not None:
        verbs = [
            v for a in call.args if a is not arg and (v := literal(a.value)) is not None and v.lower() in VERBS
        ]
        if bare in VERBS:
            verbs.append(bare)
        if inner.url and inner.unknown and not inner.methods and len(set(verbs)) == 1:
            inner.unknown = False
            inner.methods.add(verbs[0].upper())
        return inner

    key = literal(arg.value) if bare == "get" and arg is first and len(positional) == 2 else None
    if key is not None and "/" not in key and _a_default(positional[1].value):
        return result  # `body.get("workspaces", [])`: a key and its default, not a URL and its query
    if arg is first and bare_keys.is_key(ctx, call, name, literal(arg.value)):
        return result  # `config.get("filters")`: a key of something that is no HTTP client
    if bare in VERBS and (arg is first or arg is keyword.get("url")):
        result.url = True
        result.methods.add(bare.upper())
        if isinstance(call.func, cst.Attribute):
            result.clients.append(call.func.value)
        return result

    if bare in (*REQUEST_NAMES, *CLIENT_REQUESTS):
        method_arg = keyword.get("method") or (positional[0] if positional else None)
        url_arg = keyword.get("url") or (positional[1] if len(positional) > 1 else None)
        if arg is url_arg:
            result.url = True
            verb = literal(method_arg.value) if method_arg is not None else None
            if verb and verb.lower() in VERBS:
                result.methods.add(verb.upper())
            else:
                result.unknown = True
            if isinstance(call.func, cst.Attribute):
                result.clients.append(call.func.value)
            return result

    # a generic helper called with a literal verb: self._call("GET", path)
    verbs = [v for a in call.args if a is not arg and (v := literal(a.value)) is not None and v.lower() in VERBS]
    if len(verbs) == 1:
        result.url = True
        result.methods.add(verbs[0].upper())  # type: ignore[union-attr]
        return result
    result.unknown = result.opaque = True
    return result


def function_of(ctx: FileContext, call: cst.Call) -> tuple[cst.FunctionDef, bool] | None:
    """The function of this file a call calls (a module-level `def`, or a
    method through `self.`), and whether it is a method."""
    func = call.func
    index = ctx.index
    if isinstance(func, cst.Name):
        found = [
            parent
            for name in index.names.get(func.value, [])
            if isinstance(parent := ctx.parent(name), cst.FunctionDef)
            and parent.name is name
            and isinstance(index.scope_of(parent), cst.Module)
            and index.class_of(parent) is None
        ]
        if len(found) == 1 and not index.assignments.get((index.scope_of(found[0]), func.value)):
            return found[0], False
        return None
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        klass = index.class_of(call)
        if klass is None or not isinstance(klass.body, cst.IndentedBlock):
            return None
        methods = [
            s for s in klass.body.body if isinstance(s, cst.FunctionDef) and s.name.value == func.attr.value
        ]
        if len(methods) == 1:
            return methods[0], True
    return None


def _into_function(
    ctx: FileContext, call: cst.Call, arg: cst.Arg, depth: int, seen: set[int], entered: tuple[cst.Call, ...]
) -> Flow | None:
    """Where a value passed to a function of this file goes inside it (the
    uses of the parameter it binds); None when that cannot be told. What the
    function returns of it goes where this call's value goes (`entered`), not
    where its other calls' do."""
    found = function_of(ctx, call)
    if found is None or arg.star or any(a.star for a in call.args):
        return None
    function, method = found
    params = list(function.params.params)
    if not all(transparent(ctx, d) for d in function.decorators):
        return None
    if method:
        if not params:
            return None
        params = params[1:]
    if arg.keyword is not None:
        named = [p for p in (*params, *function.params.kwonly_params) if p.name.value == arg.keyword.value]
        if len(named) != 1:
            return None
        param = named[0]
    else:
        position = [a for a in call.args if a.keyword is None].index(arg)
        if position >= len(params):
            return None
        param = params[position]
    name = param.name.value
    uses = [
        n
        for n in ctx.index.names.get(name, [])
        if n is not param.name
        and n not in ctx.index.targets
        and not _is_attr_name(ctx, n)
        and _inside(ctx, n, function)
    ]
    if not uses or ctx.index.assignments.get((function, name)):
        return None  # reassigned in the function: its values are not only this one
    result = Flow()
    for use in uses:
        # each call site enters the function anew (the seen set guards one path)
        result.merge(flow(ctx, use, depth + 1, set(seen), (*entered, call)))
    return result


def _inside(ctx: FileContext, node: cst.CSTNode, function: cst.FunctionDef) -> bool:
    current = ctx.index.scope_of(node)
    while not isinstance(current, cst.Module):
        if current is function:
            return True
        current = ctx.index.scope_of(current)
    return False


def param_names(params: cst.Parameters) -> set[str]:
    """Every name a function or lambda binds as a parameter (`*args` and
    `**kwargs` too)."""
    every = [*params.posonly_params, *params.params, *params.kwonly_params, params.star_arg, params.star_kwarg]
    return {p.name.value for p in every if isinstance(p, cst.Param)}


def _a_default(node: cst.BaseExpression) -> bool:
    """A value a query cannot be (a list, a string, a number, a boolean): the
    default of a dict's `get`."""
    if isinstance(node, (cst.List, cst.Tuple, cst.SimpleString, cst.FormattedString, cst.Integer, cst.Float)):
        return True
    return isinstance(node, cst.Name) and node.value in ("True", "False")


def literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def callee_name(call: cst.Call) -> str:
    func = call.func
    kind = type(func)  # (exact types: libcst's nodes are ABCs, slow to test with isinstance())
    if kind is cst.Attribute:
        return func.attr.value  # type: ignore[attr-defined]
    if kind is cst.Name:
        return func.value  # type: ignore[attr-defined]
    return ""


def qualified_name(ctx: FileContext, node: cst.BaseExpression) -> str:
    """`requests.get`, `httpx.Client`, `urllib.request.urlopen` through imports."""
    parts: list[str] = []
    current = node
    while type(current) is cst.Attribute:
        parts.append(current.attr.value)  # type: ignore[attr-defined]
        current = current.value  # type: ignore[attr-defined]
    if type(current) is not cst.Name:
        return ""
    head = ctx.index.modules.get(current.value, current.value)
    return ".".join([head, *reversed(parts)])


QUERY_KEYWORDS = {"urllib3.": "fields", "http.client.": None}
"""Libraries whose requests take no `params=`: urllib3 takes a GET's query
in `fields=` (it encodes them into the URL); http.client connections take
none (the query is part of the path)."""


def query_keyword(ctx: FileContext, call: cst.Call) -> str | None:
    """The keyword an HTTP call takes its query parameters in: `params`
    (requests, httpx, aiohttp and their sessions, and look-alikes), or what
    `QUERY_KEYWORDS` says when the call or its receiver comes from there."""
    made = [qualified_name(ctx, call.func)]
    func = call.func
    if isinstance(func, cst.Attribute):
        receiver = func.value
        values = [receiver] if isinstance(receiver, cst.Call) else resolve(ctx, receiver)
        if _rebinds_import(ctx, receiver, values):
            made = []  # `from http import client` then `client = httpx.Client(...)`: the client it is now
        made += [qualified_name(ctx, v.func) for v in values if isinstance(v, cst.Call)]
    for name in made:
        for library, keyword in QUERY_KEYWORDS.items():
            if name.startswith(library):
                return keyword
    return "params"


def _rebinds_import(ctx: FileContext, receiver: cst.BaseExpression, values: list[cst.BaseExpression]) -> bool:
    """`receiver` is a name imported as a module and then bound in the same
    scope to calls only, every binding after every import of it (the later
    one wins)."""
    if not isinstance(receiver, cst.Name) or receiver.value not in ctx.index.modules or not values:
        return False
    if not all(isinstance(v, cst.Call) for v in values):
        return False
    imports = [ctx.src.span(n) for n in ctx.index.names.get(receiver.value, [])
               if isinstance(_statement(ctx, n), cst.Import | cst.ImportFrom)]
    bound = [ctx.src.span(v) for v in values]
    if not imports or None in imports or None in bound:
        return False
    return max(i[0] for i in imports if i) < min(b[0] for b in bound if b)


def _statement(ctx: FileContext, node: cst.CSTNode) -> cst.CSTNode | None:
    """The small statement holding `node`."""
    current: cst.CSTNode | None = node
    while current is not None and not isinstance(current, cst.BaseSmallStatement):
        current = ctx.parent(current)
    return current


def client_base_urls(ctx: FileContext, receiver: cst.BaseExpression) -> list[cst.BaseExpression]:
    """`base_url=` values of the httpx clients a receiver may be."""
    found: list[cst.BaseExpression] = []
    for value in resolve(ctx, receiver):
        if isinstance(value, cst.Call) and qualified_name(ctx, value.func).split(".")[-1] in CLIENT_FACTORIES:
            found.extend(a.value for a in value.args if a.keyword is not None and a.keyword.value == "base_url")
    for call in _entered(ctx, receiver):
        found.extend(a.value for a in call.args if a.keyword is not None and a.keyword.value == "base_url")
    return found


def _entered(ctx: FileContext, receiver: cst.BaseExpression) -> list[cst.Call]:
    """The calls a name is bound to by `with CALL as name:` in this file."""
    found: list[cst.Call] = []
    if isinstance(receiver, cst.Name):
        for name in ctx.index.names.get(receiver.value, []):
            as_name = ctx.parent(name)
            item = ctx.parent(as_name) if as_name is not None else None
            if isinstance(as_name, cst.AsName) and isinstance(item, cst.WithItem) and isinstance(item.item, cst.Call):
                found.append(item.item)
    return found


def httpx_client(ctx: FileContext, receiver: cst.BaseExpression) -> bool:
    """The receiver is an httpx `Client`/`AsyncClient` made in this file
    (`with httpx.Client(...) as c`, `c = httpx.AsyncClient(...)`), and
    nothing else."""
    made = [*resolve(ctx, receiver), *_entered(ctx, receiver)]
    return bool(made) and all(
        isinstance(v, cst.Call) and qualified_name(ctx, v.func) in ("httpx.Client", "httpx.AsyncClient") for v in made
    )


def resolve(ctx: FileContext, node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Values a name or `self` attribute may hold (assignments in this file)."""
    index = ctx.index
    if isinstance(node, cst.Name):
        scope: cst.CSTNode = index.scope_of(node)
        if isinstance(scope, cst.FunctionDef) and _in_params(ctx, node, scope):
            # a default value (`def __init__(self, base_url=BASE_URL)`): read
            # where the `def` is, a class body included
            klass = index.class_of(scope)
            if klass is not None and index.scope_of(scope) is index.scope_of(klass):
                values = index.attributes.get((klass, node.value))
                if values:
                    return list(values)
            scope = index.scope_of(scope)
        while True:
            values = index.assignments.get((scope, node.value))
            if values:
                return list(values)
            if isinstance(scope, cst.FunctionDef) and (scope, node.value) in index.defaults:
                return [index.defaults[(scope, node.value)]]
            if isinstance(scope, cst.Module):
                return []
            scope = index.scope_of(scope)
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        klass: cst.ClassDef | None
        if node.value.value in ("self", "cls"):
            klass = index.class_of(node)
        else:
            klass = index.classes.get(node.value.value)
        if klass is None:
            return []
        values = [v for k in (klass, *_subclasses(ctx, klass)) for v in index.attributes.get((k, node.attr.value), [])]
        out: list[cst.BaseExpression] = []
        for value in values:
            # self.base_url = base_url  (a parameter with a default)
            if isinstance(value, cst.Name):
                function = index.scope_of(value)
                if isinstance(function, cst.FunctionDef) and (function, value.value) in index.defaults:
                    out.append(index.defaults[(function, value.value)])
                    continue
                if isinstance(function, cst.FunctionDef) and value.value in _parameter_names(function):
                    continue  # a parameter without default: unknown
            out.append(value)  # a name: a constant (`self.base_url = SEGMENT_API`) is read through it
        return out
    return []


def _parameter_names(function: cst.FunctionDef) -> set[str]:
    params = function.params
    found = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            found.add(star.name.value)
    return found


def _subclasses(ctx: FileContext, klass: cst.ClassDef) -> list[cst.ClassDef]:
    """Classes of the file that derive from `klass` (`class Proxy(Client)`),
    at any depth: what they assign to an attribute `self.x` may hold too."""
    found: list[cst.ClassDef] = []
    names = {klass.name.value}
    grown = True
    while grown:
        grown = False
        for other in ctx.index.classes.values():
            if other is klass or any(other is f for f in found):
                continue
            if any(isinstance(b.value, cst.Name) and b.value.value in names for b in other.bases):
                found.append(other)
                names.add(other.name.value)
                grown = True
    return found


def parameter_values(
    ctx: FileContext, node: cst.CSTNode, values: list[cst.BaseExpression]
) -> list[cst.CSTNode] | None:
    """The string expressions `values` hold: names of constants holding
    string expressions (also `.format`ted or `%`-filled), or parameters of
    the function `node` is in, filled by callers in this file with string
    expressions (or names holding one). None when some value is anything else."""
    from migrator.rewrite.strings import is_chain_root

    if not values:
        return None
    constants: list[cst.CSTNode] = []
    params_used: list[cst.Name] = []
    function = ctx.index.scope_of(node)
    names: list[str] = []
    method = False
    if isinstance(function, cst.FunctionDef):
        method = ctx.index.class_of(function) is not None
        names = [p.name.value for p in list(function.params.params)[1 if method else 0 :]]
    for value in values:
        # TEMPLATE.format(...) / TEMPLATE % (...): the template is what matters
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "format":
            value = value.func.value
        elif isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Modulo):
            value = value.left
        if isinstance(value, cst.Name) and value.value in names:
            if ctx.index.assignments.get((function, value.value)):
                return None
            params_used.append(value)
            continue
        if isinstance(value, cst.Name):
            looped = loop_values(ctx, value)
            if looped is not None:
                constants.extend(looped)
                continue
        if isinstance(value, (cst.Name, cst.Attribute)):
            held = resolve(ctx, value)
            if held and all(is_chain_root(h) for h in held):
                constants.extend(held)
                continue
        return None
    if not params_used:
        return constants
    values = params_used
    assert isinstance(function, cst.FunctionDef)
    calls: list[cst.Call] = []
    for name in ctx.index.names.get(function.name.value, []):
        call = ctx.parent(name)
        if isinstance(call, cst.Attribute) and call.attr is name:
            call = ctx.parent(call)
        if name is function.name:
            continue
        if not isinstance(call, cst.Call) or function_of(ctx, call) != (function, method):
            return None  # passed around, decorated elsewhere, ...: callers unknown
        calls.append(call)
    if not calls:
        return None
    found: list[cst.CSTNode] = []
    for call in calls:
        if any(a.star for a in call.args):
            return None
        positional = [a for a in call.args if a.keyword is None]
        for value in values:
            position = names.index(value.value)
            named = [a for a in call.args if a.keyword is not None and a.keyword.value == value.value]
            arg = named[0] if named else positional[position] if position < len(positional) else None
            if arg is None:
                return None
            candidates = resolve(ctx, arg.value) if isinstance(arg.value, cst.Name) else [arg.value]
            if not candidates or not all(is_chain_root(c) for c in candidates):
                return None
            found.extend(candidates)
    return [*constants, *found]


def _in_params(ctx: FileContext, node: cst.CSTNode, function: cst.FunctionDef) -> bool:
    current: cst.CSTNode | None = node
    while current is not None and current is not function:
        if isinstance(current, cst.Parameters):
            return True
        current = ctx.parent(current)
    return False


def _returned(
    ctx: FileContext, ret: cst.Return, depth: int, seen: set[int], entered: tuple[cst.Call, ...]
) -> Flow | None:
    """Where a returned value goes: the call that passed it in, when it came
    through a parameter (`entered`), else the calls of its function in this
    file (None when the function is also used otherwise, or never called)."""
    function = ctx.index.scope_of(ret)
    if not isinstance(function, cst.FunctionDef):
        return None
    method = ctx.index.class_of(function) is not None
    if entered and function_of(ctx, entered[-1]) == (function, method):
        return flow(ctx, entered[-1], depth + 1, set(seen), entered[:-1])
    calls: list[cst.Call] = []
    for name in ctx.index.names.get(function.name.value, []):
        if name is function.name:
            continue
        call = ctx.parent(name)
        if isinstance(call, cst.Attribute) and call.attr is name:
            call = ctx.parent(call)
        if not isinstance(call, cst.Call) or function_of(ctx, call) != (function, method):
            return None
        calls.append(call)
    if not calls:
        return None
    result = Flow()
    for call in calls:
        result.merge(flow(ctx, call, depth + 1, set(seen), entered))
    return result


def _loop_uses(ctx: FileContext, element: cst.Element) -> list[cst.CSTNode] | None:
    """Uses of the loop variable that takes this item's value, when the
    literal holding it is only walked by `for` loops (`for label, path in
    CHECKS:`); None when it goes anywhere else."""
    container = ctx.parent(element)
    assert isinstance(container, (cst.Tuple, cst.List))
    position: int | None = None
    literal: cst.CSTNode = container
    outer = ctx.parent(container)
    if isinstance(outer, cst.Element) and isinstance(ctx.parent(outer), (cst.List, cst.Tuple)):
        position = list(container.elements).index(element)
        literal = ctx.parent(outer)  # type: ignore[assignment]
        if any(
            not isinstance(e.value, (cst.Tuple, cst.List)) or len(e.value.elements) != len(container.elements)
            for e in literal.elements  # type: ignore[attr-defined]
        ):
            return None
    loops = _loops_over(ctx, literal)
    if loops is None:
        return None
    uses: list[cst.CSTNode] = []
    for loop in loops:
        target = loop.target
        if position is not None:
            if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != len(container.elements):
                return None
            target = target.elements[position].value
        if not isinstance(target, cst.Name):
            return None
        for name in ctx.index.names.get(target.value, []):
            if name is target or name in ctx.index.targets or _is_attr_name(ctx, name):
                continue
            if ctx.within(name, loop.body):
                uses.append(name)
            elif _rebound(ctx, name, loop):
                continue  # another loop's own variable of the same name
            elif ctx.within(name, loop) or ctx.index.scope_of(name) is ctx.index.scope_of(loop):
                return None  # read after the loop, or reassigned: not followed
    return uses


def _loops_over(ctx: FileContext, literal: cst.CSTNode) -> list[cst.For] | None:
    parent = ctx.parent(literal)
    if isinstance(parent, cst.For) and parent.iter is literal:
        return [parent]
    if not (isinstance(parent, cst.Assign) and parent.value is literal and len(parent.targets) == 1):
        return None
    target = parent.targets[0].target
    if not isinstance(target, cst.Name):
        return None
    loops: list[cst.For] = []
    for use in _uses(ctx, target, parent):
        holder = ctx.parent(use)
        if isinstance(holder, cst.For) and holder.iter is use:
            loops.append(holder)
        elif isinstance(holder, cst.Arg) and isinstance(call := ctx.parent(holder), cst.Call) \
                and isinstance(call.func, cst.Name) and call.func.value == "len":
            continue
        else:
            return None
    return loops or None


def loop_values(ctx: FileContext, name: cst.Name) -> list[cst.CSTNode] | None:
    """The literal items a loop variable takes (`for label, path in CHECKS:`
    → the `path` items), when they are all string expressions."""
    from migrator.rewrite.strings import is_chain_root

    current: cst.CSTNode | None = ctx.parent(name)
    while current is not None and not isinstance(current, cst.For):
        current = ctx.parent(current)
    while current is not None:
        loop = current
        assert isinstance(loop, cst.For)
        if ctx.within(name, loop.body):
            target = loop.target
            literal: cst.CSTNode | None = loop.iter
            if isinstance(literal, cst.Name):
                values = resolve(ctx, literal)
                literal = values[0] if len(values) == 1 else None
            if not isinstance(literal, (cst.List, cst.Tuple)):
                return None
            items: list[cst.BaseExpression] = []
            if isinstance(target, cst.Name) and target.value == name.value:
                items = [e.value for e in literal.elements]
            elif isinstance(target, (cst.Tuple, cst.List)):
                names = [e.value.value if isinstance(e.value, cst.Name) else None for e in target.elements]
                if name.value not in names:
                    current = ctx.parent(loop)
                    while current is not None and not isinstance(current, cst.For):
                        current = ctx.parent(current)
                    continue
                position = names.index(name.value)
                for e in literal.elements:
                    if not isinstance(e.value, (cst.Tuple, cst.List)) or len(e.value.elements) != len(names):
                        return None
                    items.append(e.value.elements[position].value)
            else:
                return None
            if ctx.index.assignments.get((ctx.index.scope_of(loop), name.value)):
                return None
            return list(items) if items and all(is_chain_root(i) for i in items) else None
        current = ctx.parent(loop)
        while current is not None and not isinstance(current, cst.For):
            current = ctx.parent(current)
    return None


def _rebound(ctx: FileContext, name: cst.Name, loop: cst.For) -> bool:
    """`name` belongs to another `for` loop that binds the same name."""
    current: cst.CSTNode | None = ctx.parent(name)
    while current is not None:
        if isinstance(current, cst.For) and current is not loop and not ctx.within(current, loop):
            bound = [current.target] if isinstance(current.target, cst.Name) else [
                e.value for e in getattr(current.target, "elements", [])
            ]
            if any(isinstance(b, cst.Name) and b.value == name.value for b in bound):
                return True
        current = ctx.parent(current)
    return False
