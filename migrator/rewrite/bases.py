"""Uses of a migrated base URL that join a path the codemod cannot see.

`BASE + path` and `f"{BASE}{path}"` are read as chains or value joins by the
paths kind. A base also reaches a path through `urljoin(BASE, value)`, an
httpx client made with `base_url=BASE` and called with `client.get(value)`
(or `.request(method, value)`, `.stream(...)`, `.build_request(...)`),
or a template with no text of its own (`"%s%s" % (BASE, value)`,
`"{}{}".format(BASE, value)`). When the value is not a path string this file
shows, the place is marked and linked to the base (see `joins`): the base
then stays on the Config API with it.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import clients, joins, mapping_fills
from migrator.rewrite.context import FileContext
from migrator.rewrite.lookup_name import lookup_at
from migrator.rewrite.path_reading import module_constant, unread_constant
from migrator.rewrite.strings import is_chain_root
from migrator.rewrite.path_messages import PARTIAL

REASON = "Config API base URL joined to a path held in a value this rewrite cannot see: make the value a " \
    "Public API path and move the base URL to the Public API together, by hand"


def check(ctx: FileContext, host_rules: set[str]) -> None:
    """Look at every use of every base the hosts kind migrated."""
    found = joins.state(ctx)
    for record in list(found.migrated.values()):
        if not record.recorded or record.recorded[0].rule not in host_rules:
            continue
        root = record.chain.root
        name = module_constant(ctx, root)
        if joins.in_tail(ctx, root) and name in ctx.shared.kept_imports:
            joins.link(ctx, root, [root], ok=False)  # held where it is defined: its paths stay (`joins`)
            continue
        if name in ctx.shared.held and not joins.in_tail(ctx, root):
            if not ctx.suppressed(root, PARTIAL):
                ctx.mark(PARTIAL, root, ctx.shared.held[name])
            joins.link(ctx, root, [root], ok=False)
            continue
        uses = _uses(ctx, root)
        filled = mapping_fills.check(ctx, root, uses)  # `"{HOST}/...".format(HOST=HOST, **values)`
        if not uses and filled:
            continue  # read through `globals()`: held by the template it fills
        if not uses and (joins.in_tail(ctx, root) or name in ctx.shared.exported):
            continue  # imported and not used here; or each importer moves with it
        if not uses and _exported(ctx, root):
            if not ctx.suppressed(root, PARTIAL):
                ctx.mark(PARTIAL, root, UNIMPORTED if name in ctx.shared.unimported else EXPORTED)
            joins.link(ctx, root, [root], ok=False)
            continue
        for use in uses:
            if id(use) not in filled and not _check_use(ctx, use, root) and _unfollowed(ctx, use, root):
                if not ctx.suppressed(use, PARTIAL):
                    ctx.mark(PARTIAL, use, _unfollowed_reason(ctx, use))
                joins.link(ctx, use, [root], ok=False)


def _exported(ctx: FileContext, root: cst.CSTNode) -> bool:
    """A module constant (public, of a file that is not a script) the file
    itself does not read: it is there for the modules that import it."""
    from migrator.rewrite.calls import is_script

    name = module_constant(ctx, root)
    return name is not None and not name.startswith("_") and unread_constant(ctx, root) and not is_script(ctx)


def _unfollowed(ctx: FileContext, use: cst.CSTNode, base: cst.CSTNode) -> bool:
    """A use of a migrated base that nothing here follows: no chain a kind
    read holds it (`"/".join([BASE, ...])`, `posixpath.join(BASE, ...)`,
    `url = BASE; url += ...`, `BASE.rstrip("/") + ...`, the base written
    straight into a call: `furl("https://…/v1beta").add(path=...)`), and it is
    not just shown or registered (`print(BASE)`, `session.mount(BASE, ...)`:
    see `clients.SHOWN`) or put inside other text (`f"bot ({BASE})"`)."""
    holder = ctx.parent(use)
    if isinstance(holder, (cst.Assign, cst.AnnAssign)) and holder.value is use \
            or isinstance(holder, cst.Param) and holder.default is use:
        return False  # another name for the base: its uses are looked at too
    if use is base and not isinstance(holder, cst.Arg):
        return False  # in a container (`(BASE, OTHER)`, `{"api": BASE}`): as before, not followed further
    read = joins.state(ctx).nodes  # chains migrated or linked to their bases
    # the base given to a call itself is migrated (read): what holds it counts
    node: cst.CSTNode | None = holder if use is base else use
    while node is not None and not isinstance(node, (cst.BaseSmallStatement, cst.BaseCompoundStatement)):
        if id(node) in ctx.claimed or id(node) in read:
            return False
        node = ctx.parent(node)
    if _inside_text(ctx, use) or not clients.flow(ctx, use).opaque:
        return False
    call = ctx.parent(holder) if isinstance(holder, cst.Arg) else None
    if not isinstance(call, cst.Call):
        return True
    lookup = lookup_at(ctx, call)
    if lookup and clients.qualified_name(ctx, call.func).startswith(lookup + "."):
        return False  # a slug looked up by the generated module (as the rewrite wrote it)
    # a class of this file: the paths kind reads the values of its attributes
    return not (isinstance(call.func, cst.Name) and call.func.value in ctx.index.classes)


def _inside_text(ctx: FileContext, use: cst.CSTNode) -> bool:
    """The base after literal text (`f"audit-bot ({BASE})"`, `"see " + BASE`):
    what is built is no URL on it."""
    holder = ctx.parent(use)
    if isinstance(holder, cst.FormattedStringExpression):
        fstring = ctx.parent(holder)
        parts = list(fstring.parts) if isinstance(fstring, cst.FormattedString) else []
        before = parts[: parts.index(holder)] if holder in parts else []
        return any(isinstance(p, cst.FormattedStringText) and p.value.strip() for p in before)
    if isinstance(holder, cst.BinaryOperation) and isinstance(holder.operator, cst.Add) and holder.right is use:
        left = holder.left
        return isinstance(left, cst.SimpleString) and bool(str(left.evaluated_value).strip())
    return False


UNFOLLOWED = (
    "Config API base URL used in a way this rewrite does not follow (a join, a method of the string, "
    "another name built from it): migrate this use, the base URL and the paths built from them together, by hand"
)


REBOUND = (
    "Config API base URL `{name}` declared `{keyword}` here: this function can bind it again, which this "
    "rewrite does not follow: migrate the base URL, the values it is given here and the paths built from it "
    "together, by hand"
)


DELETED = (
    "Config API base URL `{name}` deleted here (`del`), which this rewrite does not follow: migrate the base "
    "URL and the paths built from it together, by hand"
)


def _unfollowed_reason(ctx: FileContext, use: cst.CSTNode) -> str:
    """Why an unfollowed use is marked: a rebinding (`global BASE`,
    `nonlocal base`) and a deletion (`del BASE`) say so."""
    if mapping_fills.substituted_by_name(ctx, use):
        return TEMPLATE
    name = use.value if isinstance(use, cst.Name) else ""
    holder = ctx.parent(use)
    if isinstance(holder, cst.NameItem) and isinstance(statement := ctx.parent(holder), (cst.Global, cst.Nonlocal)):
        return REBOUND.format(name=name, keyword="global" if isinstance(statement, cst.Global) else "nonlocal")
    while isinstance(holder, (cst.Element, cst.Tuple, cst.List)):  # `del BASE, OTHER`, `del (BASE)`
        holder = ctx.parent(holder)
    return DELETED.format(name=name) if isinstance(holder, cst.Del) and name else UNFOLLOWED


TEMPLATE = (
    "Config API base URL filled into a `string.Template`, whose path this rewrite does not read: write this "
    "URL as an f-string or a `.format` template, which it reads, or migrate the template, its values and "
    "the base URL together by hand"
)


EXPORTED = (
    "Config API base URL that this file does not use: the modules that import it join their paths to "
    "it, which this rewrite does not see; migrate it and those paths together, by hand"
)


UNIMPORTED = (
    "Config API base URL that this file does not use, and that no module of this run imports: remove it if "
    "nothing uses it; if a module outside this run imports it, rewrite them in one run, or migrate it and the "
    "paths that module joins to it together, by hand"
)


URL_TYPES = ("yarl.URL", "httpx.URL")
"""URL objects made from a string: they join paths with `/` and `.join()`,
which this rewrite does not read."""


def _url_object(ctx: FileContext, root: cst.CSTNode) -> cst.Call | None:
    """`URL("https://…")` (yarl, httpx) made from the base: its uses are the base's."""
    arg = ctx.parent(root)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or clients.qualified_name(ctx, call.func) not in URL_TYPES:
        return None
    return call if call.args and call.args[0] is arg and arg.keyword is None else None


def _uses(ctx: FileContext, root: cst.CSTNode) -> list[cst.CSTNode]:
    made = _url_object(ctx, root)
    if made is not None:
        return _uses(ctx, made)
    parent = ctx.parent(root)
    uses: list[cst.CSTNode] = []
    if isinstance(parent, (cst.Assign, cst.AnnAssign)) and parent.value is root:
        targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
        for target in targets:
            uses.extend(clients._uses(ctx, target, parent))
    elif isinstance(parent, cst.Param) and parent.default is root:
        # `def __init__(self, base="https://…")`: the parameter in the function
        function = ctx.parent(ctx.parent(parent))
        if not isinstance(function, cst.FunctionDef):
            return [root]
        uses.extend(clients._uses(ctx, parent.name, function.body))
    if uses or isinstance(parent, (cst.Assign, cst.AnnAssign, cst.Param)):
        # one hop more: `self.base_url = BASE_URL`, `API = BASE`
        more: list[cst.CSTNode] = []
        for use in uses:
            holder = ctx.parent(use)
            if isinstance(holder, (cst.Assign, cst.AnnAssign)) and holder.value is use \
                    or isinstance(holder, cst.Param) and holder.default is use:
                more.extend(_uses(ctx, use))  # `def __init__(self, base_url=API)`: the parameter's uses too
        return uses + more
    return [root]


def _check_use(ctx: FileContext, use: cst.CSTNode, base: cst.CSTNode) -> bool:
    """Check a use this module knows (a join of the base to a value); False
    for any other use."""
    parent = ctx.parent(use)
    if isinstance(parent, cst.FormattedStringExpression):
        return _fstring_join(ctx, parent, base)
    if not isinstance(parent, (cst.Arg, cst.Element)):
        return False
    holder = ctx.parent(parent)
    if isinstance(parent, cst.Element):  # "%s%s" % (BASE, value)
        op = ctx.parent(holder) if isinstance(holder, cst.Tuple) else None
        if isinstance(op, cst.BinaryOperation) and isinstance(op.operator, cst.Modulo) \
                and isinstance(holder, cst.Tuple) and op.right is holder and _no_text(op.left):
            others = [e.value for e in holder.elements if e is not parent]
            _values(ctx, op, others, base)
            return True
        return False
    if not isinstance(holder, cst.Call):
        return False
    call = holder
    positional = [a for a in call.args if a.keyword is None and not a.star]
    name = clients.qualified_name(ctx, call.func)
    if (name.endswith("urljoin") or clients.callee_name(call) == "urljoin") and positional and parent is positional[0]:
        if len(positional) > 1:
            _values(ctx, call, [positional[1].value], base)
        return True
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "format" and _no_text(call.func.value):
        others = [a.value for a in call.args if a is not parent]
        _values(ctx, call, others, base)
        return True
    if parent.keyword is not None and parent.keyword.value == "base_url" \
            and name.split(".")[-1] in clients.CLIENT_FACTORIES:
        for request in _client_calls(ctx, call):
            args = [a for a in request.args if a.keyword is None and not a.star]
            taken = 0 if clients.callee_name(request).lower() in clients.VERBS else 1  # after the method
            url = args[taken].value if len(args) > taken else next(
                (a.value for a in request.args if a.keyword is not None and a.keyword.value == "url"), None)
            if url is not None:
                _values(ctx, request, [url], base)
        return True
    return False


def _values(ctx: FileContext, site: cst.CSTNode, values: list[cst.BaseExpression], base: cst.CSTNode) -> None:
    if all(is_chain_root(v) for v in values):
        return  # string paths: the paths kind reads (and links) them
    shown = clients.parameter_values(ctx, site, [v for v in values if not is_chain_root(v)])
    if shown is not None:
        joins.link(ctx, site, [base, *shown], ok=True)
        return
    if not ctx.suppressed(site, PARTIAL):
        ctx.mark(PARTIAL, site, REASON)
    joins.link(ctx, site, [base], ok=False)


def _fstring_join(ctx: FileContext, part: cst.FormattedStringExpression, base: cst.CSTNode) -> bool:
    """`f"{BASE}{value}"` sent as the whole URL: an f-string of the base and
    values with no text of its own, as `"%s%s" % (BASE, value)` is (with
    text it is a chain the paths kind reads)."""
    fstring = ctx.parent(part)
    if not isinstance(fstring, cst.FormattedString) or fstring.parts[0] is not part:
        return False
    sent = clients.flow(ctx, fstring)
    if not sent.url or sent.prefix:
        return False  # more path follows (`FORMATTED = f"{HOST}{PREFIX}"`, a base built from parts)
    others = list(fstring.parts[1:])
    if not others or not all(
        isinstance(p, cst.FormattedStringExpression) and p.format_spec is None and p.conversion is None for p in others
    ):
        return False
    _values(ctx, fstring, [p.expression for p in others], base)  # type: ignore[union-attr]
    return True


def _no_text(template: cst.BaseExpression) -> bool:
    """A template with nothing but placeholders."""
    if not isinstance(template, cst.SimpleString):
        return False
    value = template.evaluated_value
    if not isinstance(value, str):
        return False
    for placeholder in ("{}", "%s"):
        value = value.replace(placeholder, "")
    return value == ""  # with literal text it is a chain: the paths kind reads it


def _client_calls(ctx: FileContext, factory: cst.Call) -> list[cst.Call]:
    """`client.get(...)`-style calls on the client a factory call made."""
    holder = ctx.parent(factory)
    names: list[cst.CSTNode] = []
    if isinstance(holder, cst.Assign) and holder.value is factory:
        for target in holder.targets:
            names.extend(clients._uses(ctx, target.target, holder))
    elif isinstance(holder, cst.WithItem) and holder.item is factory and holder.asname is not None:
        target = holder.asname.name
        if isinstance(target, cst.Name):
            names.extend(
                n for n in ctx.index.names.get(target.value, [])
                if n is not target and ctx.within(n, ctx.parent(holder))  # type: ignore[arg-type]
            )
    found: list[cst.Call] = []
    for name in names:
        attribute = ctx.parent(name)
        call = ctx.parent(attribute) if attribute is not None else None
        if isinstance(attribute, cst.Attribute) and attribute.value is name and isinstance(call, cst.Call) \
                and call.func is attribute \
                and attribute.attr.value.lower() in (*clients.VERBS, "request", *clients.CLIENT_REQUESTS):
            found.append(call)
    return found
