"""A Config call (endpoint + request body) → the Public call that does the same."""

from __future__ import annotations

import re
from typing import Any, get_args
from urllib.parse import parse_qsl, quote

from pydantic import ValidationError

from migrator.ruleset import EndpointMatch
from migrator.ruleset.models import EndpointRow, FieldMap, Followup, IdKind, ResourceRow
from migrator.ruleset.ruleset import dotted_get
from migrator.ruleset.templates import template
from migrator.translate.already import NONE, is_call, kept_public, public_body, public_part
from migrator.translate.context import Context, TranslateError, join, same, show
from migrator.translate.fields import convert, map_resource, set_path
from migrator.translate.public_models import find_call, find_public
from migrator.translate.values import MISSING

ID_KINDS = frozenset(get_args(IdKind))
"""The kinds of object whose Public ids come from the id map."""


def translate_request(body: Any, ctx: Context, match: EndpointMatch) -> dict[str, Any]:
    row = match.row
    if row.public is None:
        raise TranslateError(f"{row.config} has no Public API counterpart: {row.instead}", row.id)
    if ctx.passthrough and is_call(body):
        _own_call(body, row, ctx)
        ctx.unchanged = True
        return body
    origins: dict[str, str] = {}
    partly: dict[str, tuple[str, str]] = {}
    omitted: list[str] = []
    shown = public_body(body, row, ctx.rules) if ctx.passthrough else []
    kept = public_part(body, row, ctx.rules) if ctx.passthrough and not shown else []
    if shown:
        keys = ", ".join(f"'{key}'" for key in shown)
        ctx.report("note", "", row.id, f"the body is already a Public one ({keys}: no Config field): not "
                                      f"translated again")
        translated = dict(body)
    elif kept:
        config = {key: value for key, value in body.items() if key not in kept}
        translated = _body(config, row, ctx, match, origins, partly, omitted, given=frozenset(kept))
        _keep({key: body[key] for key in kept}, translated, row, ctx, origins)
    else:
        translated = _body(body, row, ctx, match, origins, partly, omitted)
    moved: list[tuple[str, dict[str, Any]]] = []
    for followup in row.followups:
        part = {key: translated.pop(key) for key in followup.fields if key in translated}
        named = [partly[key] for key in followup.fields if key in partly]
        if part and named:
            part = _partial(followup, part, named, row, ctx)
            if part:
                moved.append((followup.partial or "", part))
        elif part:
            moved.append((followup.call, part))
    if ctx.refuse_empty and row.request is not None and not translated and not moved and not omitted \
            and _masked(body, row, ctx):
        # Why nothing is left: the mask's own reports, and those of the masked values (a mistyped `config`).
        said = [r.message if r.rule == ctx.rules.update_mask.id else f"'{r.path}' {r.kind}: {r.message}"
                for r in ctx.reports if r.kind != "ignored"]
        raise TranslateError(f"the update mask leaves nothing to send (an empty {row.public.split('?', 1)[0]} "
                             f"would change nothing){': ' + '; '.join(said) if said else ''}", row.id)
    calls = []
    filled: dict[str, str | None] = {}  # a placeholder of several calls is looked up (and reported) once
    if translated or row.request is None or not moved:
        calls.append(_call(row.public, _accepted(row.public, translated, row, ctx, origins) if row.request else None,
                           row, ctx, match, filled, query=True))
    calls.extend(_call(call, _accepted(call, part, row, ctx, origins), row, ctx, match, filled, query=False)
                 for call, part in moved)
    if ctx.checks and row.request is not None:
        for call in calls:
            _required(call, row, ctx)
    _one_of_a_list(row, ctx)
    other = ctx.other_workspace(match.params.get("workspace"))
    if other is not None and other[0] not in ctx.foreign:
        # No id lookup said it: the Public call goes to the workspace of the token, not to this one.
        ctx.report("conflict", "url", row.id, f"{other[1]}: the Public call acts on the token's workspace")
    first, *rest = calls
    if rest:
        first["then"] = rest
    ctx.unchanged = bool(shown) and not rest and first.get("body") == body  # no key the call does not take
    return first


def _own_call(call: dict[str, Any], row: EndpointRow, ctx: Context) -> None:
    """Report a Public call given back as it is: with a note, or for review
    when its method and path are not those of the `--endpoint`'s Public call
    (nor of a follow-up call of it)."""
    found = find_call(call["method"], call["url"])
    ours = [find_public(c) for c in (row.public or "", *(f.call for f in row.followups),
                                     *(f.partial for f in row.followups if f.partial))]
    said = "already a Public call (its method and url, as translate --request writes them)"
    if found is not None and found in ours:
        ctx.report("note", "", row.id, f"{said}: left as it is")
        return
    what = found.endpoint if found is not None else f"{call['method']} {call['url'].split('?', 1)[0]}"
    public = (row.public or "").split("?", 1)[0]
    ctx.report("review", "", row.id,
               f"{said}, but {what} is not {public}, the Public call of {row.config}: left as it is; check "
               f"the --endpoint given for it")


def _keep(kept: dict[str, Any], translated: dict[str, Any], row: EndpointRow, ctx: Context,
          origins: dict[str, str]) -> None:
    """Put the Public keys of a body migrated partly by hand (`public_part`)
    beside the translation of its Config keys, as given: a key the call does
    not take is dropped; one the Config keys (or the path) give another value
    is a conflict, the Public value kept."""
    call = find_public(row.public or "")
    takes = {f.alias or name for name, f in call.body.model_fields.items()} if call and call.body else set()
    for key, value in kept.items():
        if key not in takes:
            _not_an_input(key, key, row.public or "", takes, row, ctx)
            continue
        where = f"'{origins[key]}'" if key in origins else "the url"  # else a `body_ids` key, from the path
        kept_public(ctx, key, row.id, value, translated.get(key, NONE), where)
        translated[key] = value


def _one_of_a_list(row: EndpointRow, ctx: Context) -> None:
    """Report for review a Config list call whose Public call answers one
    object (`list_as_single`: listing workspaces, `GET /` answers the token's)
    (`migrator translate`: the rewrite marks such calls itself)."""
    resource = ctx.rules.resources.get(row.response) if row.response and row.list_response else None
    if ctx.call is None or resource is None or not resource.list_as_single:
        return
    ctx.report("review", "url", row.id,
               f"the Public API has no list of {resource.config_list_key or resource.kind} (the Config call listed "
               f"every one the token could read): {row.instead or row.public}")


def _masked(body: Any, row: EndpointRow, ctx: Context) -> bool:
    """Whether the Config body holds an update mask (at its top or in its wrapper)."""
    key = ctx.rules.update_mask.key
    inner = body.get(row.wrapper) if isinstance(body, dict) and row.wrapper else None
    return isinstance(body, dict) and (key in body or isinstance(inner, dict) and key in inner)


def _partial(
    followup: Followup, part: dict[str, Any], named: list[tuple[str, str]], row: EndpointRow, ctx: Context
) -> dict[str, Any]:
    """The body of a follow-up call whose field the update mask names only in
    parts (`tracking_plan.rules.events`): `followup.call` would replace the
    parts not named, so `followup.partial` carries them, or nothing is sent."""
    mask_row = ctx.rules.update_mask
    path, where = join(row.wrapper or "", named[0][0]), named[0][1]
    replaced = followup.call.split("?", 1)[0]
    if followup.partial is None:
        ctx.report("unknown", where, mask_row.id,
                   f"'{path}' masks a part of what {replaced} replaces whole, and the Public API has no call "
                   f"for a part; nothing is sent for it")
        return {}
    ctx.report("note", where, mask_row.id,
               f"'{path}' masks a part of what {replaced} replaces whole: sent with "
               f"{followup.partial.split('?', 1)[0]}, which updates or adds the items given and keeps the others; "
               f"an item the Config API would have removed from the masked part stays (remove it yourself)")
    return part


def _required(call: dict[str, Any], row: EndpointRow, ctx: Context) -> None:
    """Report each body path the Public call requires that the body lacks,
    unless the reason was reported already (an id the map does not hold)."""
    found = find_call(call["method"], call["url"])
    if found is None or not isinstance(call.get("body"), dict):
        return
    for path in found.body_required:
        if path.replace("[]", "") in ctx.unfilled:
            continue
        for where in _lacking(call["body"], path.split("[]."), ""):
            ctx.report("missing", where, row.id,
                       f"'{where}' is required by {found.endpoint} and the Config body gives none: "
                       f"the Public API refuses the call until it is filled in")


def _lacking(value: Any, parts: list[str], at: str) -> list[str]:
    """Where `parts` (a body path split at its `[].` list steps) is absent below `value`."""
    head, *rest = parts
    if not isinstance(value, dict):
        return []
    here = f"{at}.{head}" if at else head
    if head not in value:
        return [] if rest else [here]  # `a[].b` requires `b` only in the items of an `a` given
    if not rest:
        return []
    items = value[head]
    if not isinstance(items, list):
        return []
    return [w for i, item in enumerate(items) for w in _lacking(item, rest, f"{here}[{i}]")]


def _call(
    public: str, body: dict[str, Any] | None, row: EndpointRow, ctx: Context, match: EndpointMatch,
    filled: dict[str, str | None], *, query: bool
) -> dict[str, Any]:
    method, target = public.split(" ", 1)
    path, _, query_template = target.partition("?")
    values = _placeholders(target, row, ctx, match, filled)
    segment = _segment if ctx.encode_paths else str
    url = template(path).fill({n: "{" + n + "}" if x is None else segment(x) for n, x in values.items()})
    call: dict[str, Any] = {"method": method, "url": url}
    # A value goes into a query as it is (decoded): the query is encoded when sent.
    params: dict[str, Any] = {
        k: template(v).fill({n: "{" + n + "}" if x is None else x for n, x in values.items()})
        for k, v in parse_qsl(query_template)
    }
    arrays = _arrays(public)
    params = {k: [v] if k in arrays else v for k, v in params.items()}
    if query:
        params.update(_fixed_query(row, ctx))
        params.update(_query(row, ctx, match, arrays))
    if params:
        call["params"] = params
    if row.media_type:
        call["headers"] = {"Accept": row.media_type, "Content-Type": row.media_type}
    if body is not None:
        call["body"] = body
    return call


def _segment(value: str) -> str:
    """`value` as one URL path segment: percent-encoded (an id or slug holding
    `/`, `?` or a space cannot make another path), and a segment of dots only
    (`..`, which would climb) with its dots encoded too."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded.strip(".") == "" else encoded


def _accepted(
    public: str, body: dict[str, Any], row: EndpointRow, ctx: Context, origins: dict[str, str]
) -> dict[str, Any]:
    """`body` without the keys the Public call's input schema does not take
    (response-only fields such as `id` or `createdAt`, or fields only an
    update takes): each is reported as dropped."""
    call = find_public(public) if ctx.checks else None
    if call is None or call.body is None:
        return body
    accepted = {f.alias or name for name, f in call.body.model_fields.items()}
    if set(body) <= accepted:
        return body
    kept: dict[str, Any] = {}
    for key, value in body.items():
        if key in accepted:
            kept[key] = value
        else:
            _not_an_input(key, origins.get(key, key), public, accepted, row, ctx)
    return kept


def _not_an_input(key: str, where: str, public: str, accepted: set[str], row: EndpointRow, ctx: Context) -> None:
    ctx.report("dropped", where, row.id, f"'{key}' is not an input of {public.split('?', 1)[0]} (it takes "
                                         f"{', '.join(sorted(accepted))}); left out")


def _placeholders(
    target: str, row: EndpointRow, ctx: Context, match: EndpointMatch, filled: dict[str, str | None]
) -> dict[str, str | None]:
    """The value (decoded) of each placeholder of `target`, None where the
    placeholder stays; `filled` holds those of earlier calls of the same
    translation (looked up and reported once)."""
    values = filled
    for name in template(target).params:
        if name in filled:
            continue
        if name in row.ids:
            values[name] = ctx.resolve(row.ids[name], match.params, "url", row.id)
        elif name in match.params and name in row.assumed and ctx.checks:
            values[name] = _assumed(name, match.params[name], row, ctx)
        elif name in match.params:
            values[name] = match.params[name]
            if ctx.checks and name in ID_KINDS and not _held(name, match.params[name], ctx, match):
                # An object the id map holds Public ids of, addressed by a Config id it does not hold.
                ctx.report("review", "url", row.id,
                           f"{{{name}}} keeps the Config {name} id '{values[name]}': whether Public {name} ids "
                           f"equal Config ids is not documented; check it (`migrator ids` lists the Public ones)")
        else:
            values[name] = None
            ctx.report("unresolved", "url", row.id, f"{{{name}}} has no Config counterpart: fill it in ({row.instead or 'see the rule'})")
    return values


def _held(kind: IdKind, value: str, ctx: Context, match: EndpointMatch) -> bool:
    """Whether the id map holds the Config id `value` as a Public id of `kind`,
    as a response's is checked: among the ids keyed below the object its
    resource's checked field is `within` (a filter's destination), when it
    names one and that object resolves; else among all of them."""
    resource = ctx.rules.resources.get(kind)
    fields = resource.fields.values() if resource is not None else ()
    within = next((f.within for f in fields if f.check == kind and f.within is not None), None)
    if within is None:
        return value in ctx.ids.public_ids(kind)
    scope = ctx.lookup(within, match.params)
    return scope is not None and value in ctx.ids.public_ids(kind, scope)


def _assumed(name: str, value: str, row: EndpointRow, ctx: Context) -> str | None:
    """A path parameter the Public call takes as `row.assumed[name]` says:
    kept for review when it looks so, else None (its placeholder stays: unresolved)."""
    assumed = row.assumed[name]
    if re.fullmatch(assumed.pattern, value) is None:
        ctx.report("unresolved", "url", row.id,
                   f"{{{name}}} '{value}' does not look like {assumed.means}, which the Public call takes: not "
                   f"sent; fill it in")
        return None
    ctx.report("review", "url", row.id,
               f"{{{name}}} '{value}' is taken as {assumed.means}, which the Public call takes: that the Config "
               f"segment holds one is not documented; check it")
    return value


def _arrays(public: str) -> tuple[str, ...]:
    """The query parameters of a Public call that take a list of values."""
    call = find_public(public)
    return call.arrays if call is not None else ()


def _query(row: EndpointRow, ctx: Context, match: EndpointMatch, arrays: tuple[str, ...]) -> dict[str, Any]:
    """The Public query of a Config call's; a parameter the Public call takes
    as an array keeps every value given (`?a=x&a=y` → `[x, y]`)."""
    paging = ctx.rules.pagination
    params: dict[str, Any] = {}
    for key, value in parse_qsl(match.query, keep_blank_values=True):
        if key == paging.size_param and row.paginated:
            name, public, rule = paging.count_param, _count(value, key, ctx), paging.id
        elif key == paging.token_param and row.paginated:
            ctx.report("dropped", key, paging.id, "a Config page token is not a Public cursor; start from the first page")
            continue
        elif key in row.query:
            # A Config spelling the table's enum maps (`Suppress_With_Delete`) is sent as the Public value.
            name, public, rule = row.query[key], ctx.rules.query_enum(row, key).get(value, value), row.id
            _check_query_value(row, name, public, key, ctx)
        else:
            ctx.report("unknown", key, row.id, f"query parameter '{key}' is not in the table; left out")
            continue
        if name in arrays:
            params.setdefault(name, []).append(public)
            continue
        if name in params and params[name] != public:
            ctx.report("conflict", key, rule,
                       f"query parameter '{key}' again, with {show(value)}; '{name}' is already {show(params[name])}: "
                       f"the first kept, this one left out")
            continue
        params[name] = public
    if row.paginated and paging.count_param not in params:
        params[paging.count_param] = paging.default_count
        ctx.report("added", paging.count_param, paging.id, f"list calls require a page size; {paging.default_count} used")
    return params


def _fixed_query(row: EndpointRow, ctx: Context) -> dict[str, str]:
    """The query parameters the Public call is sent with whatever the Config
    call gave (a tracking-plan list's `type`), each reported as added."""
    for name, value in row.fixed_query.items():
        ctx.report("added", name, row.id, f"{show(value)} sent, which the Config call did not need: without it "
                   "the Public list holds more than the Config one did")
    return dict(row.fixed_query)


def _check_query_value(row: EndpointRow, name: str, value: str, key: str, ctx: Context) -> None:
    """Report a query value the Public parameter does not take (a Config enum
    spelling such as `Suppress_With_Delete`): it is kept, but the call would fail."""
    call = find_public(row.public or "") if ctx.checks else None
    adapter = call.params.get(name) if call is not None else None
    if adapter is None:
        return
    try:
        adapter.validate_python(value)
    except ValidationError:
        allowed = adapter.core_schema.get("expected") if adapter.core_schema.get("type") == "literal" else None
        takes = f" (it takes {', '.join(map(str, allowed))})" if allowed else ""
        ctx.report("unknown", key, row.id,
                   f"{show(value)} is not a value of the Public parameter '{name}'{takes}; kept as is")


_INTEGER = re.compile(r"[+-]?[0-9]+")


def _count(value: str, key: str, ctx: Context) -> int:
    """The Public page size of a Config `page_size`: within the Public range,
    and reported when it had to change."""
    paging = ctx.rules.pagination
    text = value.strip()
    try:
        # ASCII digits only: Python's int() also reads "1_0" and other scripts' digits ("５").
        count = int(text) if _INTEGER.fullmatch(text) else None
    except ValueError:  # more digits than Python reads
        count = None
    if count is None:
        ctx.report("unknown", key, paging.id, f"page size {show(value)} is not a number; {paging.default_count} used")
        return paging.default_count
    if count > paging.max_count:
        ctx.report("note", key, paging.id, f"page size {count} capped at {paging.max_count}")
        return paging.max_count
    if count < paging.min_count:
        ctx.report("note", key, paging.id,
                   f"page size {count} is below the Public minimum {paging.min_count}; the default {paging.default_count} used")
        return paging.default_count
    return count


def _body(
    body: Any, row: EndpointRow, ctx: Context, match: EndpointMatch, origins: dict[str, str],
    partly: dict[str, tuple[str, str]], omitted: list[str], given: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """`partly`: output key → the mask path (first) that names only a part of its field, and
    where the mask names it (`update_mask.paths[1]`);
    `omitted`: the mask paths cleared by leaving them out (`FieldMap.omit_clears`);
    `given`: Public keys the body gives beside (no default is added for them)."""
    if row.request is None:
        _no_body(body, row, ctx)
        return {}
    if not isinstance(body, dict):
        raise TranslateError(f"{row.config} expects a JSON object body")
    resource = ctx.rules.resources[row.request]
    mask_key = ctx.rules.update_mask.key
    body = dict(body)
    mask = body.pop(mask_key, None)
    mask_at = mask_key  # where the mask read is: reports on its paths name their entries
    inner, at = body, ""
    if row.wrapper and row.wrapper in body and not isinstance(body[row.wrapper], dict):
        ctx.report("unknown", row.wrapper, row.id,
                   f"'{row.wrapper}' should be an object, not {show(body.pop(row.wrapper))}; left out")
    if row.wrapper and isinstance(body.get(row.wrapper), dict):
        inner, at = dict(body.pop(row.wrapper)), row.wrapper
        if mask_key in inner:
            mask_at = mask_at if mask is not None else join(row.wrapper, mask_key)
            mask = _one_mask(mask, inner.pop(mask_key), row, ctx)
        for key in body:
            ctx.report("unknown", key, row.id, f"'{key}' is outside '{row.wrapper}'; left out")
    if mask is not None:
        inner = _apply_mask(inner, mask, mask_at, row, resource, ctx, partly, omitted)
    elif inner and row.config.split(" ", 1)[0] in ctx.rules.update_mask.methods:
        # Not a mere difference: the Public call changes what the Config one left alone.
        ctx.report("review", mask_key, ctx.rules.update_mask.id,
                   "no update mask: the Config API changed nothing with this data, the Public call applies it; "
                   "check that is meant (or send nothing)")
    out = map_resource(inner, resource, ctx, at, origins)  # reports name the wrapper when the body has one
    if row.body_key:
        out = out.get(row.body_key, {})
        origins.clear()
    for key, ref in row.body_ids.items():
        found = ctx.resolve(ref, match.params, key, row.id)
        if found is not None:
            out[key] = found
        else:
            ctx.unfilled.add(key)
    if mask is None:
        for key, value in row.defaults.items():
            if key not in out and key not in given:
                out[key] = value
                ctx.report("added", key, row.id, f"required by the Public API; {show(value)} used")
        for key, value in row.config_defaults.items() if ctx.config_defaults else ():
            if key not in out and key not in ctx.unfilled and key not in given:
                out[key] = value
                ctx.report("added", key, row.id,
                           f"not given: the Config call used {show(value)}, the Public default is not documented; "
                           f"{show(value)} sent")
    return {row.body_list: [out]} if row.body_list else out


def _one_mask(top: Any, inner: Any, row: EndpointRow, ctx: Context) -> Any:
    """The update mask of a body that holds one in its wrapper, and maybe one
    at its top: the top one, where the Config clients put it (segment-apis.md
    §1.6); another one beside it is a conflict, left out."""
    if top is None:
        return inner
    if not same(top, inner):
        key = ctx.rules.update_mask.key
        ctx.report("conflict", join(row.wrapper or "", key), ctx.rules.update_mask.id,
                   f"a second update mask, {show(inner)}, beside the top-level one, {show(top)}: which one the "
                   f"Config API read is not documented; the top-level one (where its clients put it) kept, this "
                   f"one left out")
    return top


def _no_body(body: Any, row: EndpointRow, ctx: Context) -> None:
    """Report what a body gives to a call that takes none: each key of an
    object (a page size or token there was not read: the Config API read them
    from the query), or the whole body."""
    if body in (None, {}):
        return
    if not isinstance(body, dict):
        ctx.report("unknown", "", row.id, f"this call takes no body in the Public API, not {show(body)}; left out")
        return
    paging = ctx.rules.pagination
    for key in body:
        if row.paginated and key in (paging.size_param, paging.token_param):
            ctx.report("unknown", key, row.id,
                       f"'{key}' in the body is not used (the Config call read it from the query, "
                       f"?{key}=...): this call takes no body in the Public API; left out")
        else:
            ctx.report("unknown", key, row.id, "this call takes no body in the Public API; left out")


def _apply_mask(
    inner: dict[str, Any], mask: Any, mask_at: str, row: EndpointRow, resource: ResourceRow, ctx: Context,
    partly: dict[str, tuple[str, str]], omitted: list[str]
) -> dict[str, Any]:
    """Keep the Config update-mask semantics in a partial body: masked paths are
    sent (without a value: cleared), everything else is not sent. A path below
    a field (`rules.events`) is noted in `partly` (the field's output key → the
    path and its entry), one cleared by leaving it out in `omitted`. What is
    said of a path is said at its entry in the mask (`mask_at`, the mask's
    key: `update_mask.paths[1]`), a path of the input."""
    mask_row = ctx.rules.update_mask
    paths = mask.get("paths") if isinstance(mask, dict) else None
    if isinstance(mask, str):
        raise TranslateError(f"{mask_row.key} is the string {show(mask)} (a field mask's proto3 JSON form), which "
                             f"is not read: give {{\"paths\": [...]}}, a list of field paths")
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise TranslateError(f"{mask_row.key}.paths should be a list of field paths")
    for key in mask:
        if key != "paths":
            ctx.report("unknown", join(mask_row.key, key), mask_row.id,
                       f"an update mask has only 'paths', not '{key}'; left out")
    prefix = f"{row.wrapper}." if row.wrapper else ""
    masked = [p[len(prefix):] if prefix and p.startswith(prefix) else p for p in paths]
    entries: dict[str, str] = {}
    for i, path in enumerate(masked):
        entries.setdefault(path, join(join(mask_at, "paths"), i))
    selected: dict[str, Any] = {}
    for path in masked:
        where = entries[path]
        value = dotted_get(inner, path) if _has(inner, path) else MISSING
        field = resource.fields.get(path)
        if value is MISSING and _twin(inner, path, where, field, row, ctx):
            continue
        if value is MISSING or value is None or field is not None and _unset(field, value) \
                or _clears(path, value, field, row, resource):
            # A JSON null is no value either (nor "" for a forwarding target): the Config API cleared the field.
            how = _how(value)
            if field is None and _removes(path, where, how, row, resource, ctx):
                continue
            if field is not None and field.omit_clears:
                _omitted(field, path, where, how, row, resource, ctx)
                omitted.append(path)
                continue
            if field is None and not any(key.startswith(path + ".") for key in resource.fields):
                _unknown_mask_path(inner, path, where, row, resource, ctx)
                continue
            if field is None or field.empty is None:
                ctx.report("note", where, mask_row.id, f"'{join(row.wrapper or '', path)}' masked {how} and no "
                           f"known empty value; not sent")
                continue
            value = field.empty
            _cleared(field, path, where, how, row, resource, ctx)
        set_path(selected, path, value)
        above = path.split(".", 1)[0]
        if above != path and above in resource.fields:
            partly.setdefault(resource.fields[above].to or above, (path, where))
    _ignored(inner, masked, "", row, resource, ctx)
    _left_out([(p, f) for p, f in resource.fields.items() if f.omit_clears and p not in masked], resource, ctx)
    return selected


def _twin(
    inner: dict[str, Any], path: str, where: str, field: FieldMap | None, row: EndpointRow, ctx: Context
) -> bool:
    """Report a masked path without a value whose lowerCamel spelling the body
    gives (`display_name` masked, `displayName` given), when the Config API may
    have read that spelling (`lower_camel`): it cleared the field or set it to
    that value, which is not documented, so nothing is sent for it."""
    mask_row = ctx.rules.update_mask
    twin = _lower_camel(path)
    if not mask_row.lower_camel or twin == path or not _has(inner, twin):
        return False
    outer, given = join(row.wrapper or "", path), join(row.wrapper or "", twin)
    ctx.report("conflict", where, mask_row.id,
               f"'{outer}' masked without a value, but '{given}' gives {show(dotted_get(inner, twin))}: the Config "
               f"call cleared the field, or read '{given}' as it (the Config API probably also read lowerCamel "
               f"keys; not documented); neither is sent: send '{field.to if field and field.to else path}' yourself")
    return True


def _lower_camel(path: str) -> str:
    """`path` with each part in lowerCamel (`schema.allow_unplanned` → `schema.allowUnplanned`)."""
    return ".".join(head + "".join(w[:1].upper() + w[1:] for w in rest)
                    for head, *rest in (part.split("_") for part in path.split(".")))


def _unset(field: FieldMap, value: Any) -> bool:
    return any(same(value, unset) for unset in field.unset)


def _clears(path: str, value: Any, field: FieldMap | None, row: EndpointRow, resource: ResourceRow) -> bool:
    """Whether a masked value given explicitly is the empty value, which the
    Config call cleared the field to (segment-apis.md §1.6), where the Public
    call cannot send that clear as a value: a `merged` field's empty value
    (`config: []`), or an empty part of a field a follow-up removes parts of
    (`rules.events: []`). Such a value is reported as a path without one is."""
    if field is not None:
        return field.merged and field.empty is not None and same(value, field.empty)
    return isinstance(value, (list, dict)) and not value and _removing(path, row, resource) is not None


def _how(value: Any) -> str:
    """How a masked path gives no value, for messages."""
    if value is MISSING:
        return "without a value"
    if isinstance(value, (list, dict)) and not value:
        return f"with {show(value)}, an empty value"
    return "with a null value" if value is None else f"with {show(value)}, which means none"


def _omitted(
    field: FieldMap, path: str, where: str, how: str, row: EndpointRow, resource: ResourceRow, ctx: Context
) -> None:
    """Report a masked path without a value whose field the Public API clears
    when a body leaves it out (`omit_clears`): nothing is sent for it, and
    whether the PATCH then clears it is for the user to check."""
    key = (field.to or path).rsplit(".", 1)[-1]
    reader = _reader(resource, ctx)
    check = f": after the call, check that {reader} answers no '{field.to}'" if reader else ""
    ctx.report("review", where, ctx.rules.update_mask.id,
               f"'{join(row.wrapper or '', path)}' masked {how}: the Config call cleared it; {field.omit_clears}, "
               f"so '{key}' is not sent; whether this PATCH clears a value set before is not documented "
               f"(a PATCH keeps what it leaves out){check}")


def _left_out(fields: list[tuple[str, FieldMap]], resource: ResourceRow, ctx: Context) -> None:
    """Report the fields the mask does not name whose Public counterparts the
    Public API clears when a body leaves them out (`omit_clears`): the Config
    call kept them; the Public PATCH, which leaves them out, may clear them."""
    if not fields:
        return
    keys = ", ".join(f"'{(f.to or p).rsplit('.', 1)[-1]}'" for p, f in fields)
    why = "; ".join(dict.fromkeys(f.omit_clears or "" for _, f in fields))
    reader = _reader(resource, ctx)
    current = f" (read them from {reader})" if reader else ""
    ctx.report("review", ctx.rules.update_mask.key, resource.id,
               f"not in this PATCH: {keys} ({why}): values set before may be cleared, where the Config call "
               f"kept them; send the ones that are set{current}")


def _reader(resource: ResourceRow, ctx: Context) -> str | None:
    """The Public call that reads a resource of this kind."""
    return next((e.public for e in ctx.rules.endpoints
                 if e.response == resource.kind and e.public and e.public.startswith("GET ")), None)


def _removes(path: str, where: str, how: str, row: EndpointRow, resource: ResourceRow, ctx: Context) -> bool:
    """Report a masked part of a field (`rules.identify`) without a value when
    a follow-up call removes such parts (`DELETE …/rules`): the Config call
    removed them, and the removal needs what the body does not hold."""
    followup = _removing(path, row, resource)
    if followup is None or followup.remove is None:
        return False
    outer = join(row.wrapper or "", path)
    ctx.report("missing", where, ctx.rules.update_mask.id,
               f"'{outer}' masked {how}: the Config call removed what it held; the Public API removes items with "
               f"{followup.remove}, which takes each one's type, key and version (read them with GET "
               f"{followup.remove.split(' ', 1)[1]}): nothing is sent for it")
    return True


def _removing(path: str, row: EndpointRow, resource: ResourceRow) -> Followup | None:
    """The follow-up call that removes parts of the field `path` is a part of (`rules.events`)."""
    above, _, part = path.partition(".")
    field = resource.fields.get(above)
    if not part or field is None:
        return None
    return next((f for f in row.followups if (field.to or above) in f.fields and f.remove), None)


def _cleared(
    field: FieldMap, path: str, where: str, how: str, row: EndpointRow, resource: ResourceRow, ctx: Context
) -> None:
    """Report a masked path without a value, sent as the field's empty value
    (a `merged` field: for review, under the field's row), at its entry `where`."""
    mask_row = ctx.rules.update_mask
    outer = join(row.wrapper or "", path)
    if not field.merged:
        # The Public value sent, which the field's transform may have reshaped (`{}` of rules → `[]`).
        sent = convert(field, field.empty, resource, Context(ctx.rules, ctx.ids, ctx.direction), where)
        if sent is MISSING or same(sent, field.empty):
            ctx.report("cleared", where, mask_row.id, f"'{outer}' masked {how}: cleared to {show(field.empty)}")
        else:
            ctx.report("cleared", where, mask_row.id, f"'{outer}' masked {how}: cleared (the Config empty value "
                       f"{show(field.empty)} is sent as {show(sent)})")
        return
    to = field.to or path
    ctx.report("review", where, resource.id,
               f"'{outer}' masked {how}: the Config call cleared it; the Public call sends an empty '{to}', which may "
               f"not clear it (whether a PATCH replaces or merges '{to}' is not documented): remove each key "
               f"yourself if it must go")


def _ignored(
    value: dict[str, Any], masked: list[str], at: str, row: EndpointRow, resource: ResourceRow, ctx: Context
) -> None:
    """Report each key of `value` outside the mask (one the field map does not
    know as unknown, as without a mask); within a key the mask names only
    parts of (`rules` for `rules.events`), each key outside those parts."""
    for key in value:
        here = join(at, key)
        if any(p == here or here.startswith(p + ".") for p in masked):
            continue
        if any(p.startswith(here + ".") for p in masked):
            if isinstance(value[key], dict):
                _ignored(value[key], masked, here, row, resource, ctx)
            continue
        if not _known(here, resource):
            ctx.report("unknown", join(row.wrapper or "", here), resource.id,
                       f"'{here}' is not in the {resource.kind} field map; left out")
            continue
        ctx.report("ignored", join(row.wrapper or "", here), ctx.rules.update_mask.id,
                   "not in the update mask: the Config API ignored it, so it is not sent")


def _known(path: str, resource: ResourceRow) -> bool:
    """Whether the field map knows `path`: a field, a key with fields below it
    (`attributes` of `attributes.name`), or a part of a field its transform
    reads (a `keyed` field's parts: the sections its `enum` names)."""
    if path in resource.fields or any(key.startswith(path + ".") for key in resource.fields):
        return True
    parts = path.split(".")
    for n in range(len(parts) - 1, 0, -1):
        field = resource.fields.get(".".join(parts[:n]))
        if field is not None:
            return field.keyed is None or n + 1 < len(parts) or parts[n] in field.enum
    return False


def _unknown_mask_path(
    inner: dict[str, Any], path: str, where: str, row: EndpointRow, resource: ResourceRow, ctx: Context
) -> None:
    """A mask path the field map does not have (a typo, or a path below a
    field such as `config.apiKey`): nothing is sent for it, and that is
    reported at its entry `where`."""
    mask_row = ctx.rules.update_mask
    parts = path.split(".")
    above = next((".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1) if ".".join(parts[:n]) in resource.fields),
                 None)
    named = join(row.wrapper or "", path)
    if above is None:
        ctx.report("unknown", where, mask_row.id,
                   f"'{named}' is not a field of a {resource.kind} in the table; nothing is sent for it")
        return
    given = " (its value in the body is not sent)" if _has(inner, above) else ""
    outer = f"{row.wrapper}.{above}" if row.wrapper else above
    ctx.report("unknown", where, mask_row.id,
               f"'{named}' is a path below the field '{above}', which is translated only whole{given}; "
               f"mask '{outer}' to send it")


def _has(value: Any, dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True
