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

Only when the path is exactly `<Config base>/<x["name"]>`, `x` is bound once
in the function to the `.json()` of a `requests`/`httpx` call whose URL is an
endpoint answering with that one resource (a create `POST`, a `GET`) of a
resource row with a `name_pattern`, and every method
the URL is used with has an endpoint row for that pattern with the same
Public path, whose one placeholder is the id the row's `name` field gives
(`to = "id"`, the same `lookup`). The URL is linked to its base and to the
create call's URL: they are migrated together or not at all.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import clients, joins
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import PlanError, plan_edits
from migrator.rewrite.responses_flow import as_read
from migrator.rewrite.strings import Chain, NewCell, NewHole, NewItem, build_chain, is_hole_char
from migrator.rewrite.table import Endpoint, Table, table_for
from migrator.ruleset.models import EndpointRow, ResourceRow

BINDERS = (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.AsName, cst.NamedExpr,
           cst.Del, cst.Param, cst.NameItem)
"""Parents of a name that (re)bind it."""


def claim(ctx: FileContext, chain: Chain, bases: list[cst.CSTNode]) -> bool:
    """Rewrite `f"{API}/{x['name']}"` to the Public path of the created
    resource `x`; True when the chain was taken (migrated, linked)."""
    table = table_for(ctx.rules)
    template = chain.template()
    if len(template) != 3 or template[1] != "/" or not all(is_hole_char(c) for c in (template[0], template[2])):
        return False
    hole = chain.hole(template[2])
    read = as_read(hole.node) if hole.node is not None and hole.plain else None
    if read is None or read.is_get or not isinstance(read.value, cst.Name):
        return False
    created = _created(ctx, table, read.value, chain.root)
    if created is None:
        return False
    post_url, row, resource = created
    if read.name != _name_key(resource):
        return False
    flow = clients.flow(ctx, chain.root)
    if not flow.url or flow.unknown or flow.prefix or flow.opaque or not flow.methods:
        return False
    targets = [_target(table, resource, method) for method in sorted(flow.methods)]
    if any(t is None for t in targets) or len({t[1] for t in targets if t is not None}) != 1:
        return False
    endpoint, public_path, id_key = targets[0]  # type: ignore[misc]
    envelope = ctx.rules.envelope
    from migrator.rewrite.responses import quote_of

    opener, closer = quote_of(ctx.src.code(read.key) or '"')
    value = ctx.src.code(read.value) or ""
    keys = [envelope.data_key, *([resource.public_key] if resource.public_key else []), *id_key.split(".")]
    replacement = value + "".join(f"[{opener}{k}{closer}]" for k in keys)
    public = public_path.lstrip("/")
    literal = public[: public.index("{")]
    wanted: list[NewItem] = [NewHole(chain.hole(template[0])), NewCell("/")]
    wanted += [NewCell(c) for c in literal]
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
    joins.link(ctx, chain.root, [*bases, post_url], ok=True)
    return True


def _created(
    ctx: FileContext, table: Table, name: cst.Name, use: cst.CSTNode
) -> tuple[cst.BaseExpression, EndpointRow, ResourceRow] | None:
    """`name` is bound once, before `use`, to the `.json()` of a call answering
    with one resource (a create, a get): its URL expression, that call's row
    and the resource row."""
    value = _single_value(ctx, name, use)
    if not (isinstance(value, cst.Call) and not value.args and isinstance(value.func, cst.Attribute)
            and value.func.attr.value == "json"):
        return None
    call = value.func.value
    if isinstance(call, cst.Name):
        call = _single_value(ctx, call, use)
    if not isinstance(call, cst.Call) or clients.callee_name(call).lower() not in clients.VERBS:
        return None
    if not clients.qualified_name(ctx, call.func).startswith(("requests.", "httpx.")):
        return None
    method = clients.callee_name(call).upper()
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keyword = {a.keyword.value: a for a in call.args if a.keyword is not None}
    url_arg = keyword.get("url") or (positional[0] if positional else None)
    url = url_arg.value if url_arg is not None else None
    if url is None or not any(root is url for root in ctx.index.roots):
        return None
    url_chain = build_chain(ctx.src, url)
    if url_chain is None:
        return None
    from migrator.rewrite import paths

    reading = paths.read(url_chain, table)
    if reading is None:
        return None
    rows = [e.row for e, _ in table.match(reading.path) if e.method == method]
    if len(rows) != 1 or rows[0].response is None or rows[0].list_response:
        return None
    resource = ctx.rules.resources.get(rows[0].response)
    if resource is None or not resource.name_pattern or resource.single_is_status:
        return None
    return url, rows[0], resource


def _single_value(ctx: FileContext, name: cst.Name, use: cst.CSTNode) -> cst.BaseExpression | None:
    """The one value `name` is bound to in the function of `use`, before it."""
    scope = ctx.index.scope_of(use)
    if not isinstance(scope, cst.FunctionDef):
        return None
    values = ctx.index.assignments.get((scope, name.value), [])
    binders = [
        n for n in ctx.index.names.get(name.value, [])
        if isinstance(ctx.parent(n), BINDERS) and ctx.index.scope_of(n) is scope
    ]
    if len(values) != 1 or len(binders) != 1:
        return None
    statement = ctx.parent(ctx.parent(binders[0]))  # Name → AssignTarget → Assign
    bound, used = ctx.src.span(values[0]), ctx.src.span(use)
    if not isinstance(statement, cst.Assign) or bound is None or used is None or bound[1] > used[0]:
        return None
    if ctx.index.scope_of(statement) is not scope or _in_loop_or_branch(ctx, statement, scope):
        return None
    return values[0]


def _in_loop_or_branch(ctx: FileContext, node: cst.CSTNode, scope: cst.CSTNode) -> bool:
    current = ctx.parent(node)
    while current is not None and current is not scope:
        if isinstance(current, (cst.If, cst.For, cst.While, cst.Try, cst.With)):
            return True
        current = ctx.parent(current)
    return False


def _name_key(resource: ResourceRow) -> str | None:
    """The Config field that holds the resource name (its `parse` is the name pattern)."""
    for key, fm in resource.fields.items():
        if fm.parse == resource.name_pattern and any(
            e.id is not None and e.when != "request" for e in (fm, *fm.also)
        ):
            return key
    return None


def _target(table: Table, resource: ResourceRow, method: str) -> tuple[Endpoint, str, str] | None:
    """For a method: the endpoint of the resource's own path, its Public path
    and the field (`id`) that fills its one placeholder."""
    pattern = resource.name_pattern or ""
    found = [e for e in table.endpoints if e.method == method and _same_template(e.path, pattern)]
    if len(found) != 1 or found[0].public_path is None or found[0].public_query:
        return None
    endpoint = found[0]
    public = endpoint.public_path
    if public.count("{") != 1 or not public.endswith("}") or not endpoint.row.ids:
        return None
    placeholder = public[public.index("{") + 1 : -1]
    ref = endpoint.row.ids.get(placeholder)
    if ref is None:
        return None
    key = _name_key(resource)
    fm = resource.fields.get(key or "")
    if fm is None:
        return None
    for entry in (fm, *fm.also):
        if entry.id is not None and entry.id.lookup == ref.lookup and entry.when != "request" and entry.to \
                and entry.transform == "copy" and entry.parse == pattern:
            return endpoint, public, entry.to
    return None


def _same_template(path: str, pattern: str) -> bool:
    """`workspaces/{workspace}/sources/{source}` against a name pattern: the
    same literal segments and placeholders in the same places."""
    a, b = path.strip("/").split("/"), pattern.strip("/").split("/")
    return len(a) == len(b) and all(
        x == y or (x.startswith("{") and y.startswith("{")) for x, y in zip(a, b)
    )
