"""How a chain reads as a URL (`[base][/][v1beta/]path[?query]`) and what
the base URL expressions in front of paths hold (the Config host, the
Public host, another API's, or something that cannot be seen)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext
from migrator.rewrite.strings import Chain, Hole, is_hole_char
from migrator.rewrite.table import HostForm, Table, table_for
from migrator.rewrite.two_ways import two_ways


@dataclass
class Reading:
    """A chain read as a URL or path."""

    host: HostForm | None = None
    prefix_end: int = 0
    """Index in the template where the part kept as is (leading holes) ends."""
    had_version: bool = False
    lead_slash: bool = False
    path: str = ""
    query: str | None = None
    trailing_slash: bool = False
    base_kind: str = "unknown"
    """config | public | unknown: what the leading holes (if any) hold."""
    strip: str = ""
    """Path text a base in front of this chain holds (see `_compose`): the
    Public path must start with it, and only the rest is written here."""
    rebase_host: HostForm | None = None
    """Set when the base holds a Config resource path that becomes its own
    Public path (see `rebase`): a Public path that does not start with
    `strip` is then written whole, with this host in place of the base."""


def read(chain: Chain, table: Table) -> Reading | None:
    """Split a chain's template into host/base, path and query; None when it
    is already a Public URL or has nothing that could be a path."""
    text = chain.template()
    reading = Reading()
    rest = text
    for public in table.public_hosts():
        if text.startswith(public):
            return None
    for host in table.hosts:
        if text.startswith(host.origin) and text[len(host.origin) : len(host.origin) + 1] in ("", "/", "?"):
            reading.host = host
            rest = text[len(host.origin) :]
            if rest.startswith(host.version) and rest[len(host.version) : len(host.version) + 1] in ("", "/", "?"):
                reading.had_version = True
                rest = rest[len(host.version) :]
            break
    else:
        holes = 0
        while holes < len(text) and is_hole_char(text[holes]):
            holes += 1
        reading.prefix_end = holes
        rest = text[holes:]
    if rest.startswith("/"):
        reading.lead_slash = True
        rest = rest[1:]
    version = table.version
    if reading.host is None and version and (rest == version or rest.startswith(version + "/")):
        reading.had_version = True
        rest = rest[len(version) + 1 :]
    path, sep, query = rest.partition("?")
    reading.query = query if sep else None
    if path.endswith("/"):
        reading.trailing_slash = True
        path = path[:-1]
    reading.path = path
    return reading


def classify(ctx: FileContext, expr: cst.BaseExpression | None, depth: int = 0) -> str:
    """config | public | other | unknown: what a base URL expression holds."""
    from migrator.rewrite.strings import build_chain

    if expr is None or depth > 3 or two_ways(ctx, expr) is not None:
        return "unknown"  # a name also imported: which base it holds cannot be told (`two_ways`)
    table = table_for(ctx.rules)
    values = clients.resolve(ctx, expr) if isinstance(expr, (cst.Name, cst.Attribute)) else [expr]
    kinds: set[str] = set()
    for value in values:
        chain = build_chain(ctx.src, value) if not isinstance(value, (cst.Name, cst.Attribute)) else None
        if chain is None:
            if isinstance(value, (cst.Name, cst.Attribute)):
                kinds.add(classify(ctx, value, depth + 1))
            else:
                kinds.add("unknown")
            continue
        text = chain.template()
        if any(text.startswith(h.origin) for h in table.hosts):
            kinds.add("config")
        elif any(text.startswith(p) for p in table.public_hosts()):
            kinds.add("public")
        elif text and is_hole_char(text[0]):
            kinds.add(classify(ctx, _hole_expr(ctx, chain, chain.hole(text[0])), depth + 1))
        elif text.startswith(("http://", "https://")):
            kinds.add("other")  # another API's URL
        else:
            kinds.add("unknown")
    return kinds.pop() if len(kinds) == 1 else "unknown"


def base_roots(ctx: FileContext, expr: cst.BaseExpression | None, depth: int = 0) -> list[cst.CSTNode]:
    """The Config base chains (their root nodes) a base URL expression may
    hold, through names and leading holes; empty unless all of them are."""
    from migrator.rewrite.strings import build_chain

    if expr is None or depth > 3 or two_ways(ctx, expr) is not None:
        return []
    table = table_for(ctx.rules)
    values = clients.resolve(ctx, expr) if isinstance(expr, (cst.Name, cst.Attribute)) else [expr]
    found: list[cst.CSTNode] = []
    for value in values:
        if isinstance(value, (cst.Name, cst.Attribute)):
            inner = base_roots(ctx, value, depth + 1)
            if not inner:
                return []
            found.extend(inner)
            continue
        chain = build_chain(ctx.src, value)
        if chain is None:
            return []
        text = chain.template()
        if any(text.startswith(h.origin) for h in table.hosts):
            found.append(chain.root)
        elif text and is_hole_char(text[0]):
            inner = base_roots(ctx, chain.hole(text[0]).node, depth + 1)
            if not inner:
                return []
            found.append(chain.root)
            found.extend(inner)
        else:
            return []
    return found


def base_slash(ctx: FileContext, node: cst.CSTNode) -> bool | None:
    """Does a base chain end with `/` (`".../v1beta/"`)? None when it ends
    with a value, or is no chain."""
    from migrator.rewrite.strings import build_chain

    chain = build_chain(ctx.src, node) if isinstance(node, cst.BaseExpression) else None
    text = chain.template() if chain is not None else ""
    if not text or is_hole_char(text[-1]):
        return None
    return text.endswith("/")


def _assigned_name(ctx: FileContext, node: cst.CSTNode) -> cst.Name | None:
    """The module constant a value is assigned to (`CATALOG = "..."`)."""
    parent = ctx.parent(node)
    if not isinstance(parent, cst.Assign) or parent.value is not node or len(parent.targets) != 1:
        return None
    target = parent.targets[0].target
    if not isinstance(target, cst.Name) or not isinstance(ctx.index.scope_of(parent), cst.Module):
        return None
    if ctx.index.class_of(parent) is not None or len(ctx.index.assignments.get((ctx.index.scope_of(parent), target.value), [])) != 1:
        return None
    return target


def prefix_name(ctx: FileContext, node: cst.CSTNode) -> cst.Name | cst.Attribute | None:
    """The name a base URL is assigned to, when it holds that value alone: a
    module constant (`_assigned_name`), a local name a function binds once
    (`base = f".../workspaces/{ws}"`; its uses show any other binding, `for
    base in ...`, `base += ...`: `clients.flow`), or an attribute a method
    binds once (`self.base = ...`) in a class no class of the file derives
    from (a subclass's reads of it are not among its uses)."""
    found = _assigned_name(ctx, node)
    if found is not None:
        return found
    parent = ctx.parent(node)
    if not isinstance(parent, cst.Assign) or parent.value is not node or len(parent.targets) != 1:
        return None
    target = parent.targets[0].target
    function = ctx.index.scope_of(parent)
    if not isinstance(function, cst.FunctionDef):
        return None
    if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
        klass = ctx.index.class_of(function)
        if klass is None or clients._subclasses(ctx, klass) or ctx.index.scope_of(klass) is not ctx.src.module:
            return None
        attr = target.attr.value
        if attr in ctx.held_attributes:
            return None  # another module of the run reads it (`c.base + ...`): its uses are not all here
        if any(type(n) is cst.Attribute and n.attr.value == attr  # type: ignore[attr-defined]
               and not (type(n.value) is cst.Name and n.value.value in ("self", "cls"))  # type: ignore[attr-defined]
               for n in ctx.index.parents):
            return None  # read off an object elsewhere (`client.base + ...`): uses not all seen
        return target if len(ctx.index.attributes.get((klass, attr), [])) == 1 else None
    if not isinstance(target, cst.Name):
        return None
    if ctx.index.class_of(parent) is not ctx.index.class_of(function):
        return None  # a class body inside the function
    if len(ctx.index.assignments.get((function, target.value), [])) != 1:  # (`global` ones are the module's)
        return None
    return target


def module_constant(ctx: FileContext, node: cst.CSTNode) -> str | None:
    """`NAME` when `node` is the value of a module-level `NAME = …` (one
    name, not in a class)."""
    parent = ctx.parent(node)
    if not isinstance(parent, (cst.Assign, cst.AnnAssign)) or parent.value is not node:
        return None
    if not isinstance(ctx.index.scope_of(parent), cst.Module) or ctx.index.class_of(parent) is not None:
        return None
    targets = [t.target for t in parent.targets] if isinstance(parent, cst.Assign) else [parent.target]
    if len(targets) != 1 or not isinstance(targets[0], cst.Name):
        return None
    return targets[0].value


def unread_constant(ctx: FileContext, node: cst.CSTNode) -> bool:
    """The value of a module constant that nothing in this file reads."""
    name = module_constant(ctx, node)
    return name is not None and all(n in ctx.index.targets for n in ctx.index.names.get(name, []))


def _module_bases(ctx: FileContext) -> list[cst.CSTNode]:
    """Module constants holding a bare Config base URL (the hosts kind's)."""
    from migrator.rewrite.strings import build_chain

    table = table_for(ctx.rules)
    found: list[cst.CSTNode] = []
    for (scope, _), values in ctx.index.assignments.items():
        if not isinstance(scope, cst.Module) or len(values) != 1:
            continue
        value = values[0]
        if not isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            continue
        chain = build_chain(ctx.src, value)
        reading = read(chain, table) if chain is not None else None
        if reading is not None and reading.host is not None and not reading.path and reading.query is None:
            found.append(value)
    return found


def hidden_bases(ctx: FileContext, expr: cst.BaseExpression | None, depth: int = 0) -> list[cst.CSTNode]:
    """Config base literals inside a base expression that is not itself a
    string (`os.environ.get("SEGMENT_API", "https://platform…/v1beta")`): they
    must stay with the paths joined to it, which cannot be proven."""
    from migrator.rewrite.context import walk
    from migrator.rewrite.strings import build_chain

    if expr is None or depth > 3:
        return []
    table = table_for(ctx.rules)
    values = clients.resolve(ctx, expr) if isinstance(expr, (cst.Name, cst.Attribute)) else [expr]
    roots = {id(r) for r in ctx.index.roots}
    found: list[cst.CSTNode] = []
    for value in values:
        if isinstance(value, (cst.Name, cst.Attribute)):
            found.extend(hidden_bases(ctx, value, depth + 1))
            continue
        for node, _ in walk(value):
            if id(node) in roots and isinstance(node, cst.BaseExpression):
                chain = build_chain(ctx.src, node)
                if chain is not None and any(chain.template().startswith(h.origin) for h in table.hosts):
                    found.append(node)
    return found


def _hole_expr(ctx: FileContext, chain: Chain, hole: Hole) -> cst.BaseExpression | None:
    """The expression node behind a hole (for name resolution)."""
    return hole.node


def whole_paths(ctx: FileContext) -> dict[int, str]:
    """Chain roots migrated together with the path in front of them → their
    whole Config path (`paths._compose`, `workspace_template`), for the
    request-body kind (`paths.read_joined`)."""
    found = ctx.state.setdefault(__name__ + ".whole", {})
    return found  # type: ignore[return-value]
