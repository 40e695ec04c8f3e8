"""Ids of resources the code itself created (part of `rewrite.slug-ids`).

A script creates a destination and then addresses it by its Config path:

    body = {"destination": {"name": destination_name("mixpanel"), ...}}
    resp = requests.post(f"{BASE}/workspaces/{WS}/sources/{SOURCE}/destinations", json=body)
    created = resp.json()
    requests.get(f"{BASE}/workspaces/{WS}/sources/{SOURCE}/destinations/mixpanel")

The id map cannot hold that destination's id (it did not exist when the map
was fetched), but the create call answered with it. The Public path's id is
then read from that answer, in the Public response shape the rules table
gives (envelope key, resource key, the field the Config `name` becomes):

    requests.get(f"{BASE}/destinations/{created['data']['destination']['id']}")

Only when, in the function of the later call: a name is bound once, before
it and not in a block the call is outside of, to the `.json()` of a
`requests`/`httpx` call of a Config create endpoint (see
`responses_created.answered`), not changed in place; the create's `json=`
body (a literal, or a name bound once to one) names the resource with a
constant text (`constants.constant_text`) equal to the Config name the later
path spells, every value of that path being known as well; and exactly one
such create is found. The later path is linked to the create's URL: they
are migrated together or not at all.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import joins
from migrator.rewrite.context import FileContext
from migrator.rewrite.responses_created import BINDERS, Answered, answer_of, answered, single_value
from migrator.rewrite.slug_keys import Value, constant_of, texts_of
from migrator.rewrite.strings import Chain, Hole
from migrator.rewrite.table import table_for
from migrator.ruleset.models import IdRef, ResourceRow
from migrator.ruleset.templates import Template


def config_name(
    ctx: FileContext, config_path: str, ref: IdRef, values: dict[str, Value], site: cst.CSTNode
) -> str | None:
    """The Config name of the object whose id `ref` names, as the path spells
    it (`/v1beta/workspaces/{workspace}/sources/{source}/destinations/{destination}/filters`
    up to the key's last placeholder, without the version, filled with the
    path's values), when every value is known."""
    segments = config_path.lstrip("/").split("/")[1:]
    last = "{" + Template(ref.key).params[-1] + "}"
    if last not in segments:
        return None
    template = Template("/".join(segments[: segments.index(last) + 1]))
    filled: dict[str, str] = {}
    for param in template.params:
        texts = texts_of(ctx, values[param], site) if param in values else None
        if texts is None or len(texts) != 1:
            return None
        filled[param] = texts[0]
    return template.fill(filled)


def created_id(ctx: FileContext, chain: Chain, ref: IdRef, name: str, hole: Hole) -> str | None:
    """The expression reading the id of the resource named `name` from the
    answer of the one create call of the function that made it (linking the
    path to that call's URL), or None."""
    use = chain.root
    scope = ctx.index.scope_of(use)
    if not isinstance(scope, cst.FunctionDef):
        return None
    table = table_for(ctx.rules)
    found: dict[int, list[tuple[str, Answered, str]]] = {}
    """Create call → (expression of its answer, the answer, the id field)."""
    for bound in _call_names(ctx, scope):
        reading = f"{bound}"
        answer = answered(ctx, table, cst.Name(bound), use)
        if answer is None:  # `resp = requests.post(...)`, read as `resp.json()`
            value = single_value(ctx, cst.Name(bound), use)
            answer = answer_of(ctx, table, value) if isinstance(value, cst.Call) else None
            reading = f"{bound}.json()"
        if answer is None or answer.method != "POST" or answer.row.request != answer.resource.kind:
            continue
        id_field = id_field_of(answer.resource, ref)
        if id_field is None or _named(ctx, answer.call, answer.row.wrapper, use) != name:
            continue
        found.setdefault(id(answer.call), []).append((reading, answer, id_field))
    if len(found) != 1:
        return None
    (readings,) = found.values()
    # the name holding the `.json()` rather than the response it was read from
    reading, answer, id_field = min(readings, key=lambda r: r[0].endswith(".json()"))
    url, resource = answer.url, answer.resource
    keys = [ctx.rules.envelope.data_key, *([resource.public_key] if resource.public_key else []),
            *id_field.split(".")]
    quote = _quote(chain, hole)
    tie(ctx, use, url)
    return reading + "".join(f"[{quote}{k}{quote}]" for k in keys)


def _call_names(ctx: FileContext, scope: cst.FunctionDef) -> list[str]:
    """Names the function assigns once, to a call (`x = requests.post(...)`,
    `x = resp.json()`): where a create's answer can be (remembered per file)."""
    cache: dict[int, list[str]] = ctx.state.setdefault(__name__, {})  # type: ignore[assignment]
    if id(scope) not in cache:
        by_scope: dict[int, list[str]] = {}
        for (where, bound), values in ctx.index.assignments.items():
            if isinstance(where, cst.FunctionDef) and len(values) == 1 and isinstance(values[0], cst.Call):
                by_scope.setdefault(id(where), []).append(bound)
        for function in {id(w) for w, _ in ctx.index.assignments if isinstance(w, cst.FunctionDef)} | {id(scope)}:
            cache[function] = by_scope.get(function, [])
    return cache[id(scope)]


def id_hint(ctx: FileContext, ref: IdRef) -> str | None:
    """Where a create's Public answer holds the id `ref` names (`data.destination.id`)."""
    for resource in ctx.rules.resources.values():
        id_field = id_field_of(resource, ref)
        if id_field is not None:
            return ".".join(
                [ctx.rules.envelope.data_key, *([resource.public_key] if resource.public_key else []), id_field]
            )
    return None


def id_field_of(resource: ResourceRow, ref: IdRef) -> str | None:
    """The Public field the resource's Config `name` becomes when it gives the id `ref` names."""
    name = resource.fields.get("name")
    if name is None or resource.name_pattern is None:
        return None
    last = Template(ref.key).params[-1:]
    if not last or not resource.name_pattern.endswith("/{" + last[0] + "}"):
        return None  # the name of something else (a filter's name holds its source's too)
    for entry in (name, *name.also):
        if (
            entry.id is not None and entry.id.lookup == ref.lookup and entry.id.key == ref.key
            and entry.when != "request" and entry.to and entry.transform == "copy"
            and entry.parse == resource.name_pattern
        ):
            return entry.to
    return None


def _named(ctx: FileContext, call: cst.Call, wrapper: str | None, use: cst.CSTNode) -> str | None:
    """The constant Config `name` the `json=` body of a create call gives."""
    if isinstance(call.func, cst.Name):
        return None  # a helper of the file: what it does with `json=` is its own
    body = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "json"), None)
    if isinstance(body, cst.Name):
        if _used_elsewhere(ctx, body):
            return None
        body = single_value(ctx, body, call)
    if wrapper is not None:
        body = _item(body, wrapper)
    value = _item(body, "name")
    return constant_of(ctx, value, value) if value is not None else None


def _used_elsewhere(ctx: FileContext, name: cst.Name) -> bool:
    """The body's name is read anywhere but in this one `json=` argument of
    its function (something could change the body in between)."""
    scope = ctx.index.scope_of(name)
    uses = [
        n for n in ctx.index.names.get(name.value, [])
        if ctx.index.scope_of(n) is scope and not isinstance(ctx.parent(n), BINDERS)
    ]
    return uses != [name]


def _item(node: cst.BaseExpression | None, key: str) -> cst.BaseExpression | None:
    """The value of `key` in a dict literal that has it once and no `**`."""
    if not isinstance(node, cst.Dict) or any(not isinstance(e, cst.DictElement) for e in node.elements):
        return None
    found = [
        e.value for e in node.elements
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) and e.key.evaluated_value == key
    ]
    return found[0] if len(found) == 1 else None


def _quote(chain: Chain, hole: Hole) -> str:
    """Quote of the keys: inside an f-string the one it does not use, else
    the quote of the path's own literals."""
    if hole.token is not None and hole.token.fstring:
        return "'" if hole.token.quote[0] == '"' else '"'
    quotes = [t.quote[0] for t in chain.tokens]
    return quotes[0] if quotes else '"'


def tie(ctx: FileContext, member: cst.CSTNode, other: cst.CSTNode) -> None:
    """Link a path (or template) to the create's URL without saying whether
    it is migrated (it is when accepted; `joins.settle` decides both together)."""
    found = joins.state(ctx)
    found.nodes[id(member)] = member
    found.nodes[id(other)] = other
    found.links.append((id(member), (id(other),)))
