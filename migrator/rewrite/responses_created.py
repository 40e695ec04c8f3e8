"""A resource's Config name used as its URL path (part of the
`rewrite.responses` kind; called by the paths kind, which would otherwise
mark the URL as a path held in a value).

A Config resource's `name` (`workspaces/acme/sources/blog`) is also its path
under the Config base, so scripts fetch or delete what they just created
with `f"{API}/{source['name']}"`. The Public path of that resource is the
endpoint row's template with the id the create call returned:

    source = requests.post(f"{API}/workspaces/{ws}/sources", json=body).json()
    requests.get(f"{API}/{source['name']}")
    # becomes
    requests.get(f"{API}/sources/{source['data']['source']['id']}")

Likewise for another field holding a Config name and the id of what it
names (`"/v1beta/" + source["catalog_name"]` → `"/catalog/sources/" +
source["data"]["source"]["metadata"]["id"]`).

Only when the path is exactly `<Config base>/<x["field"]>` (or `/v1beta/`
and the field, joined to a Config base), `x` is bound once in the function
to the `.json()` of a call whose Config endpoint answers with one resource
(a create `POST`, a `GET`), sent by `requests`/`httpx`, by a session the
module, or the function itself, binds once (`S = requests.Session()`,
`S.post(...)`) or by a function of
the file that returns such a call's value (its URL may be a template the
calls kind migrated with its calls, `PLANS_URL % WORKSPACE`); and every method the URL is used
with has one endpoint row for the field's `parse` whose Public path has one
placeholder, the id the field gives (`to`, the same `lookup`). The URL is
linked to its base and to the URL of the call that returned `x`: they are
migrated together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrator.rewrite import clients, joins
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import PlanError, plan_edits
from migrator.rewrite.responses_flow import as_read
from migrator.rewrite.strings import Chain, NewCell, NewHole, NewItem, build_chain, is_hole_char
from migrator.rewrite.table import Endpoint, Table, table_for
from migrator.ruleset.models import EndpointRow, FieldMap, ResourceRow

ROW = "rewrite.responses"
BINDERS = (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.AsName, cst.NamedExpr,
           cst.Del, cst.Param, cst.NameItem)
"""Parents of a name that (re)bind it."""
READERS = ("get", "keys", "values", "items", "copy")
"""Methods of a document that leave it as it is."""
LIBRARIES = ("requests.", "httpx.")
"""The libraries whose calls `_sent` reads."""
SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client"})
"""What a module's session is made with (`S = requests.Session()`): its calls send as the library's do."""


def claim(ctx: FileContext, chain: Chain, bases: list[cst.CSTNode]) -> bool:
    """Rewrite `f"{API}/{x['name']}"` (or `"/v1beta/" + x["name"]` joined to
    a Config base) to the Public path of the resource that names; True when
    the chain was taken (migrated, linked)."""
    from migrator.rewrite import paths
    from migrator.rewrite.responses import quote_of

    if ctx.suppressed(chain.root, ROW):
        return False
    table = table_for(ctx.rules)
    reading = paths.read(chain, table)
    template = chain.template()
    if (
        not bases or reading is None or reading.host is not None or not reading.lead_slash
        or reading.query is not None or reading.trailing_slash
        or len(reading.path) != 1 or not is_hole_char(reading.path) or template[-1] != reading.path
        or (reading.prefix_end == 0) != reading.had_version
    ):
        return False
    hole = chain.hole(reading.path)
    read = as_read(hole.node) if hole.node is not None and hole.plain else None
    if read is None or read.is_get or not isinstance(read.value, cst.Name):
        return False
    found = _resource_of(ctx, table, read.value, chain.root)
    if found is None:
        return False
    source_url, resource = found
    fm = resource.fields.get(read.name)
    flow = clients.flow(ctx, chain.root)
    if fm is None or not flow.url or flow.unknown or flow.prefix or flow.opaque or not flow.methods:
        return False
    targets = [_target(table, fm, method) for method in sorted(flow.methods)]
    if any(t is None for t in targets) or len({t[1] for t in targets if t is not None}) != 1:
        return False
    endpoint, public_path, id_key = targets[0]  # type: ignore[misc]
    envelope = ctx.rules.envelope
    opener, closer = quote_of(ctx.src.code(read.key) or '"')
    keys = [envelope.data_key, *([resource.public_key] if resource.public_key else []), *id_key.split(".")]
    replacement = (ctx.src.code(read.value) or "") + "".join(f"[{opener}{k}{closer}]" for k in keys)
    public = public_path.lstrip("/")
    wanted: list[NewItem] = [NewHole(chain.hole(c)) for c in template[: reading.prefix_end]]
    wanted += [NewCell(c) for c in "/" + public[: public.index("{")]]
    wanted.append(NewHole(hole, replacement=replacement))
    try:
        edits = plan_edits(ctx.src, chain, wanted)
    except PlanError:
        return False
    record = joins.accept(ctx, chain, edits, [endpoint.row.id])
    if record is None:
        return False
    responding = {t[0].row.id for t in targets if t is not None and t[0].row.response}
    ctx.response_rules.update(responding)
    record.response_rules.update(responding)
    joins.link(ctx, chain.root, [*bases, source_url], ok=True)
    return True


@dataclass(frozen=True)
class Answered:
    """A call whose `.json()` a name holds, and the one resource it answers with."""

    call: cst.Call
    url: cst.BaseExpression
    method: str
    row: EndpointRow
    resource: ResourceRow


def answered(ctx: FileContext, table: Table, name: cst.Name, use: cst.CSTNode) -> Answered | None:
    """`name` is bound once, before `use` and not in a block `use` is outside
    of, to the `.json()` of a call whose Config endpoint answers with one
    resource (a create, a get), and is not changed in place."""
    value = single_value(ctx, name, use)
    if not (isinstance(value, cst.Call) and not value.args and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "json") or changed_in_place(ctx, name, use):
        return None
    call = value.func.value
    if isinstance(call, cst.Name):
        call = single_value(ctx, call, use)
    return answer_of(ctx, table, call) if isinstance(call, cst.Call) else None


def answer_of(ctx: FileContext, table: Table, call: cst.Call) -> Answered | None:
    """The Config call `call` sends, when its endpoint answers with one resource."""
    sent = _sent(ctx, table, call)
    if sent is None:
        return None
    url, path, method = sent
    rows = [e.row for e, _ in table.match(path) if e.method == method]
    if len(rows) != 1 or rows[0].response is None or rows[0].list_response:
        return None
    resource = ctx.rules.resources.get(rows[0].response)
    if resource is None or resource.single_is_status:
        return None
    return Answered(call, url, method, rows[0], resource)


def _resource_of(
    ctx: FileContext, table: Table, name: cst.Name, use: cst.CSTNode
) -> tuple[cst.BaseExpression, ResourceRow] | None:
    """The URL expression of the call `name` holds the answer of, and the resource row."""
    found = answered(ctx, table, name, use)
    return (found.url, found.resource) if found is not None else None


def _sent(ctx: FileContext, table: Table, call: cst.Call) -> tuple[cst.BaseExpression, str, str] | None:
    """The Config URL a call sends, its path and method: a `requests`/`httpx`
    verb call, or a function of the file that returns such a call's value
    and is given the URL (the method as the paths kind sees it)."""
    from migrator.rewrite import paths

    if isinstance(call.func, cst.Name):
        helper = _helper(ctx, call.func.value)
        if helper is None:
            return None
        candidates = [a.value for a in call.args if not a.star]
    elif _sends(ctx, call.func) and clients.callee_name(call).lower() in clients.VERBS:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
        arg = keyword.get("url") or (positional[0] if positional else None)
        candidates = [arg.value] if arg is not None else []
    else:
        return None
    found: list[tuple[cst.BaseExpression, str]] = []
    filled = _filled_templates(ctx, table, candidates)
    if filled is not None:
        return filled
    for candidate in candidates:
        if id(candidate) not in _root_ids(ctx):
            continue
        url_chain = build_chain(ctx.src, candidate)
        reading = paths.read(url_chain, table) if url_chain is not None else None
        if reading is None or not reading.path:
            continue
        based = reading.prefix_end and paths.classify(
            ctx, url_chain.hole(url_chain.template()[0]).node  # type: ignore[union-attr]
        ) == "config"
        if reading.host is not None or reading.had_version or based:
            found.append((candidate, reading.path))
    if len(found) != 1:
        return None
    url, path = found[0]
    flow = clients.flow(ctx, url)
    if not flow.url or flow.unknown or len(flow.methods) != 1:
        return None
    return url, path, next(iter(flow.methods))


def _sends(ctx: FileContext, func: cst.BaseExpression) -> bool:
    """`requests.post`, `httpx.get`, or a method of a session (`S.post`) the
    module binds once (`_module_session`) or the function binds once (`_function_session`)."""
    if clients.qualified_name(ctx, func).startswith(LIBRARIES):
        return True
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
        return False
    return _module_session(ctx, func.value) or _function_session(ctx, func.value)


def _module_session(ctx: FileContext, name: cst.Name) -> bool:
    """`name` is bound once in the file, at module level, to `requests.Session()`
    or `httpx.Client()` without a `base_url=`: it sends as `requests`/`httpx` do."""
    binders = [n for n in ctx.index.names.get(name.value, []) if isinstance(ctx.parent(n), BINDERS)]
    values = ctx.index.assignments.get((ctx.src.module, name.value), [])
    return len(binders) == 1 and len(values) == 1 and _session(ctx, values[0])


def _function_session(ctx: FileContext, name: cst.Name) -> bool:
    """`name` is bound once in the function it is used in, to a session
    (`_session`), and nowhere else in that function or the functions nested
    in it (no parameter, `global`, `nonlocal`, loop or second assignment)."""
    scope = ctx.index.scope_of(name)
    if not isinstance(scope, cst.FunctionDef):
        return False
    binders = [
        n for n in ctx.index.names.get(name.value, [])
        if isinstance(ctx.parent(n), BINDERS) and _inside(ctx, n, scope)
    ]
    values = ctx.index.assignments.get((scope, name.value), [])
    return len(binders) == 1 and len(values) == 1 and _session(ctx, values[0])


def _inside(ctx: FileContext, node: cst.CSTNode, scope: cst.CSTNode) -> bool:
    current = ctx.parent(node)
    while current is not None and current is not scope:
        current = ctx.parent(current)
    return current is scope


def _session(ctx: FileContext, value: cst.BaseExpression) -> bool:
    """`requests.Session()` (or `requests.session()`, ...) or `httpx.Client()`
    without a `base_url=`."""
    return isinstance(value, cst.Call) and clients.qualified_name(ctx, value.func) in SESSIONS and all(
        a.keyword is None or a.keyword.value != "base_url" for a in value.args
    )


def _root_ids(ctx: FileContext) -> set[int]:
    found = ctx.state.get(__name__ + ".roots")
    if not isinstance(found, set):
        found = {id(root) for root in ctx.index.roots}
        ctx.state[__name__ + ".roots"] = found
    return found


def _filled_templates(
    ctx: FileContext, table: Table, candidates: list[cst.BaseExpression]
) -> tuple[cst.BaseExpression, str, str] | None:
    """`PLANS_URL % WORKSPACE` where the calls kind migrated the template with
    its calls: the template (what is migrated, or put back), the Config path
    the call filled, and the method the call is used with."""
    from migrator.rewrite import calls, paths

    found = [(c, calls.config_chain(ctx, c)) for c in candidates]
    found = [(c, chain) for c, chain in found if chain is not None]
    if len(found) != 1:
        return None
    site, chain = found[0]
    reading = paths.read(chain, table)
    origins = ctx.state.get(calls.STATE + ".origins")
    template_id = origins[id(site)][0] if isinstance(origins, dict) and id(site) in origins else None
    template = joins.state(ctx).nodes.get(template_id) if template_id is not None else None
    flow = clients.flow(ctx, site)
    if reading is None or not reading.path or template is None or not flow.url or flow.unknown or len(flow.methods) != 1:
        return None
    return template, reading.path, next(iter(flow.methods))  # type: ignore[return-value]


def _helper(ctx: FileContext, name: str) -> cst.FunctionDef | None:
    """A module function whose every `return` gives a `requests`/`httpx` call's value."""
    found = [s for s in ctx.src.module.body if isinstance(s, cst.FunctionDef) and s.name.value == name]
    if len(found) != 1:
        return None
    returns = [
        n for n in _walk(found[0].body)
        if isinstance(n, cst.Return)
    ]
    if not returns or any(
        not isinstance(r.value, cst.Call)
        or not _sends(ctx, r.value.func)
        for r in returns
    ):
        return None
    return found[0]


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Nodes of a function body, not entering nested functions or classes."""
    out: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and current is not node:
            continue
        stack.extend(current.children)
    return out


def single_value(ctx: FileContext, name: cst.Name, use: cst.CSTNode) -> cst.BaseExpression | None:
    """The one value `name` is bound to in the function of `use`, before it."""
    scope = ctx.index.scope_of(use)
    if not isinstance(scope, cst.FunctionDef):
        return None
    values = ctx.index.assignments.get((scope, name.value), [])
    if len(values) != 1:
        return None
    statement = _binding_statement(ctx, scope, name.value)
    if statement is None:
        return None
    bound, used = ctx.src.span(values[0]), ctx.src.span(use)
    if not isinstance(statement, cst.Assign) or bound is None or used is None or bound[1] > used[0]:
        return None
    if ctx.index.scope_of(statement) is not scope or not _blocks(ctx, statement, scope) <= _blocks(ctx, use, scope):
        return None
    return values[0]


def names_in(ctx: FileContext, scope: cst.CSTNode, name: str) -> list[cst.Name]:
    """The occurrences of `name` in `scope` (the names index split by scope
    once per file, when first needed)."""
    found = ctx.state.get(__name__ + ".names")
    if not isinstance(found, dict):
        found = {}
        for text, nodes in ctx.index.names.items():
            for node in nodes:
                found.setdefault((id(ctx.index.scope_of(node)), text), []).append(node)
        ctx.state[__name__ + ".names"] = found
    return found.get((id(scope), name), [])


def _binding_statement(ctx: FileContext, scope: cst.FunctionDef, name: str) -> cst.CSTNode | None:
    """The statement of the one place the function binds `name` (remembered per file)."""
    cache: dict[tuple[int, str], cst.CSTNode | None] = ctx.state.setdefault(__name__ + ".bound", {})  # type: ignore[assignment]
    key = (id(scope), name)
    if key not in cache:
        binders = [n for n in names_in(ctx, scope, name) if isinstance(ctx.parent(n), BINDERS)]
        cache[key] = ctx.parent(ctx.parent(binders[0])) if len(binders) == 1 else None  # Name → AssignTarget → Assign
    return cache[key]


def changed_in_place(ctx: FileContext, name: cst.Name, use: cst.CSTNode) -> bool:
    """Some code of the function may change the document in place
    (`x["name"] = ...`, `del x[...]`, `x.update(...)`); remembered per file."""
    scope = ctx.index.scope_of(use)
    cache: dict[tuple[int, str], bool] = ctx.state.setdefault(__name__ + ".changed", {})  # type: ignore[assignment]
    key = (id(scope), name.value)
    if key not in cache:
        cache[key] = _changed_in(ctx, name.value, scope)
    return cache[key]


def _changed_in(ctx: FileContext, name: str, scope: cst.CSTNode) -> bool:
    for node in names_in(ctx, scope, name):
        parent = ctx.parent(node)
        if isinstance(parent, cst.Subscript) and parent.value is node:
            holder = ctx.parent(parent)
            if isinstance(holder, (cst.AssignTarget, cst.Del)) or (
                isinstance(holder, (cst.AugAssign, cst.AnnAssign)) and holder.target is parent
            ):
                return True
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value not in READERS:
            return True
    return False


def _blocks(ctx: FileContext, node: cst.CSTNode, scope: cst.CSTNode) -> set[int]:
    """The blocks (branches, loops, ...) around `node` in its function: a
    binding reaches a later use whenever the use's blocks include its own."""
    found: set[int] = set()
    current = ctx.parent(node)
    while current is not None and current is not scope:
        if isinstance(current, (cst.BaseSuite, cst.BaseCompoundStatement, cst.Else, cst.ExceptHandler, cst.Finally)):
            found.add(id(current))
        current = ctx.parent(current)
    return found


def _target(table: Table, fm: FieldMap, method: str) -> tuple[Endpoint, str, str] | None:
    """For a field that holds a Config name (its `parse`) and the id of what
    it names: the endpoint of that name for a method, its Public path and the
    field that fills the path's one placeholder."""
    pattern = fm.parse or ""
    found = [e for e in table.endpoints if e.method == method and pattern and _same_template(e.path, pattern)]
    if len(found) != 1 or found[0].public_path is None or found[0].public_query:
        return None
    endpoint = found[0]
    public = endpoint.public_path
    if public.count("{") != 1 or not public.endswith("}"):
        return None
    ref = endpoint.row.ids.get(public[public.index("{") + 1 : -1])
    if ref is None:
        return None
    for entry in (fm, *fm.also):
        if (
            entry.id is not None and entry.id.lookup == ref.lookup and entry.when != "request" and entry.to
            and entry.transform == "copy" and entry.parse == pattern
        ):
            return endpoint, public, entry.to
    return None


def _same_template(path: str, pattern: str) -> bool:
    """`workspaces/{workspace}/sources/{source}` against a name pattern: the
    same literal segments and placeholders in the same places."""
    a, b = path.strip("/").split("/"), pattern.strip("/").split("/")
    return len(a) == len(b) and all(
        x == y or (x.startswith("{") and y.startswith("{")) for x, y in zip(a, b)
    )
