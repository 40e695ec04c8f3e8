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

from migrator.rewrite.context import FileContext

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
CLIENT_FACTORIES = ("Session", "Client", "AsyncClient")


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
    """`urljoin` bases this value was joined to."""
    prefix: bool = False
    """Some use puts more text after this value (it is not a whole URL)."""

    def merge(self, other: Flow) -> None:
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


def flow(ctx: FileContext, node: cst.CSTNode, depth: int = 0, seen: set[int] | None = None) -> Flow:
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
    if isinstance(parent, cst.Arg):
        call = ctx.parent(parent)
        if isinstance(call, cst.Call):
            if isinstance(call.func, cst.Attribute) and call.func.attr.value == "format":
                # a value inserted into a template: something may follow it
                return _climb(ctx, call, depth, seen, prefix=True)
            return _call_flow(ctx, call, parent, depth, seen)
    if isinstance(parent, cst.FormattedStringExpression):
        fstring = ctx.parent(parent)
        parts = list(fstring.parts) if isinstance(fstring, cst.FormattedString) else []
        follows = bool(parts) and parts[-1] is not parent
        return _climb(ctx, parent, depth, seen, prefix=follows)
    if isinstance(parent, cst.ConcatenatedString):
        return _climb(ctx, parent, depth, seen, prefix=parent.left is node)
    if isinstance(parent, cst.FormattedString):
        return _climb(ctx, parent, depth, seen)
    if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add):
        return _climb(ctx, parent, depth, seen, prefix=parent.left is node)
    if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Modulo):
        return _climb(ctx, parent, depth, seen, prefix=parent.right is node)
    if isinstance(parent, (cst.Tuple, cst.Element)) and _in_percent_values(ctx, parent):
        return _climb(ctx, _in_percent_values(ctx, parent), depth, seen, prefix=True)  # type: ignore[arg-type]
    if isinstance(parent, cst.Attribute) and parent.attr.value == "format":
        call = ctx.parent(parent)
        if isinstance(call, cst.Call):
            return _climb(ctx, call, depth, seen)
    if isinstance(parent, (cst.Comparison, cst.ComparisonTarget)):
        # `assert url == "https://…"`: compared whole (tests pinning URLs)
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
            result.merge(flow(ctx, use, depth + 1, seen))
        return result
    result.unknown = result.opaque = True
    return result


def _climb(
    ctx: FileContext, node: cst.CSTNode, depth: int, seen: set[int], *, prefix: bool = False
) -> Flow:
    result = flow(ctx, node, depth + 1, seen)
    result.prefix |= prefix
    return result


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
    return isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param, cst.ImportAlias))


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
    ctx: FileContext, call: cst.Call, arg: cst.Arg, depth: int, seen: set[int]
) -> Flow:
    result = Flow()
    name = callee_name(call)
    qualified = qualified_name(ctx, call.func)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    first = positional[0] if positional else None

    if qualified.endswith("urljoin") or name == "urljoin":
        if len(positional) >= 2 and arg is positional[1]:
            result.bases.append(positional[0].value)
            result.merge(flow(ctx, call, depth + 1, seen))
            result.url = True
            return result
        result.merge(flow(ctx, call, depth + 1, seen))
        result.url = True
        result.prefix = True  # a base: a path is joined to it
        return result

    if qualified in ("urllib.request.Request", "urllib.request.urlopen"):
        if arg is first or arg is keyword.get("url"):
            result.url = True
            method = _literal(keyword["method"].value) if "method" in keyword else None
            has_data = len(positional) > 1 or "data" in keyword
            result.methods.add((method or ("POST" if has_data else "GET")).upper())
            return result

    bare = name.lstrip("_").lower()
    if bare in VERBS and (arg is first or arg is keyword.get("url")):
        result.url = True
        result.methods.add(bare.upper())
        if isinstance(call.func, cst.Attribute):
            result.clients.append(call.func.value)
        return result

    if bare in ("request", "send_request", "api_request", "call", "api_call"):
        method_arg = keyword.get("method") or (positional[0] if positional else None)
        url_arg = keyword.get("url") or (positional[1] if len(positional) > 1 else None)
        if arg is url_arg:
            result.url = True
            verb = _literal(method_arg.value) if method_arg is not None else None
            if verb and verb.lower() in VERBS:
                result.methods.add(verb.upper())
            else:
                result.unknown = True
            if isinstance(call.func, cst.Attribute):
                result.clients.append(call.func.value)
            return result

    # a generic helper called with a literal verb: self._call("GET", path)
    verbs = [
        _literal(a.value)
        for a in call.args
        if a is not arg and _literal(a.value) is not None and _literal(a.value).lower() in VERBS  # type: ignore[union-attr]
    ]
    if len(verbs) == 1:
        result.url = True
        result.methods.add(verbs[0].upper())  # type: ignore[union-attr]
        return result
    result.unknown = result.opaque = True
    return result


def _literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def callee_name(call: cst.Call) -> str:
    func = call.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def qualified_name(ctx: FileContext, node: cst.BaseExpression) -> str:
    """`requests.get`, `httpx.Client`, `urllib.request.urlopen` through imports."""
    parts: list[str] = []
    current = node
    while isinstance(current, cst.Attribute):
        parts.append(current.attr.value)
        current = current.value
    if not isinstance(current, cst.Name):
        return ""
    head = ctx.index.modules.get(current.value, current.value)
    return ".".join([head, *reversed(parts)])


def client_base_urls(ctx: FileContext, receiver: cst.BaseExpression) -> list[cst.BaseExpression]:
    """`base_url=` values of the httpx clients a receiver may be."""
    values = resolve(ctx, receiver)
    found: list[cst.BaseExpression] = []
    for value in values:
        if isinstance(value, cst.Call) and qualified_name(ctx, value.func).split(".")[-1] in CLIENT_FACTORIES:
            for arg in value.args:
                if arg.keyword is not None and arg.keyword.value == "base_url":
                    found.append(arg.value)
    # `with httpx.Client(base_url=...) as client:`
    if isinstance(receiver, cst.Name):
        for name in ctx.index.names.get(receiver.value, []):
            as_name = ctx.parent(name)
            item = ctx.parent(as_name) if as_name is not None else None
            if isinstance(as_name, cst.AsName) and isinstance(item, cst.WithItem):
                call = item.item
                if isinstance(call, cst.Call):
                    for arg in call.args:
                        if arg.keyword is not None and arg.keyword.value == "base_url":
                            found.append(arg.value)
    return found


def resolve(ctx: FileContext, node: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Values a name or `self` attribute may hold (assignments in this file)."""
    index = ctx.index
    if isinstance(node, cst.Name):
        scope: cst.CSTNode = index.scope_of(node)
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
        values = list(index.attributes.get((klass, node.attr.value), []))
        out: list[cst.BaseExpression] = []
        for value in values:
            # self.base_url = base_url  (a parameter with a default)
            if isinstance(value, cst.Name):
                function = index.scope_of(value)
                if isinstance(function, cst.FunctionDef) and (function, value.value) in index.defaults:
                    out.append(index.defaults[(function, value.value)])
                    continue
                if isinstance(function, cst.FunctionDef):
                    continue  # a parameter without default: unknown
            out.append(value)
        return out
    return []
