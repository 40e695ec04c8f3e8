"""Config response bodies → Public response bodies."""

from __future__ import annotations

from typing import Any

from migrator.ruleset import EndpointMatch
from migrator.ruleset.models import ResourceRow
from migrator.ruleset.templates import parse_name, template
from migrator.translate.already import NONE, config_inside, config_keys, kept_public, public_beside, public_fields
from migrator.translate.context import Context, Report, TranslateError, join, mistyped, same, show, takes
from migrator.translate.fields import map_resource, parent_apart
from migrator.translate.public_models import find_public


def is_public(doc: Any, ctx: Context) -> bool:
    """A Public envelope: `{"data": ...}` or `{"errors": [...]}` and nothing
    else (what it holds may still be Config: `_in_envelope`)."""
    keys = {ctx.rules.envelope.data_key, ctx.rules.error.public_key}
    return isinstance(doc, dict) and bool(doc) and set(doc) <= keys


def translate_response(doc: Any, ctx: Context, match: EndpointMatch | None) -> tuple[Any, str]:
    """The Public body and the resource kind it holds."""
    if is_public(doc, ctx):
        return _in_envelope(doc, ctx, match) or (doc, "public")
    if not isinstance(doc, dict):
        raise TranslateError("expected a JSON object")
    if _is_error(doc, ctx):
        return _error(doc, ctx), "error"
    if match is not None:
        row = match.row
        if row.public is None:
            raise TranslateError(f"{row.config} has no Public API counterpart: {row.instead}", row.id)
        if row.response is None:
            _answers_a_status(row.public, row.config, row.id)
            return _status(doc, ctx, row.id), "status"
        resource = ctx.rules.resources[row.response]
        if row.list_response:
            key = resource.config_list_key or ""
            items = doc.get(key)
            for i, item in enumerate(items if isinstance(items, list) else []):
                _not_public(item, [resource], ctx, join(key, i))
                _same_kind(item, resource, ctx, join(key, i), _BY_ENDPOINT)
                _same_parents(item, resource, ctx, join(key, i), match.params)
            return _list(doc, resource, key, ctx), resource.kind
        _not_public(doc, [resource], ctx, "")
        _same_kind(doc, resource, ctx, "", _BY_ENDPOINT)
        _same_parents(doc, resource, ctx, "", match.params)
        return _one(doc, resource, ctx)
    listed = _detect_list(doc, ctx)
    if listed is not None:
        resource, key = listed
        resources = [resource]
        for i, item in enumerate(doc[key]):
            here = join(key, i)
            _not_public(item, resources, ctx, here)
            _same_kind(item, resource, ctx, here, _BY_LIST)
        return _list(doc, resource, key, ctx), resource.kind
    name = doc.get("name")
    if not (isinstance(name, str) and any(pattern.match(name) for pattern, _ in ctx.rules.named_resources)):
        # Of no kind known: what shows a Public one is a key no Config resource has (`writeKeys`).
        _not_public(doc, list(ctx.rules.resources.values()), ctx, "", config_keys(ctx.rules))
    resource = _detect_single(doc, ctx)
    if resource.no_counterpart:
        raise TranslateError(f"{resource.kind} documents have no Public API counterpart: {resource.no_counterpart}", resource.id)
    return _one(doc, resource, ctx)


def check_parents(doc: Any, kind: str, ctx: Context, at: str = "") -> None:
    """Report a resource (or list item) whose `parent` is not the start of its
    `name` (`workspaces/a/sources/ios` beside `workspaces/a/sources/js/...`):
    the two name different objects; the Public fields are made from the name
    (`map_resource` leaves the parent out). (`migrator translate` only.)
    `at`: where `doc` is in the input."""
    resource = next((r for r in ctx.rules.resources.values() if r.kind == kind), None)
    if resource is None or not isinstance(doc, dict):
        return
    apart = [(at, doc)] if parent_apart(doc) else []
    apart += [(join(at, join(key, i)), item) for key, items in doc.items() if isinstance(items, list)
              for i, item in enumerate(items) if isinstance(item, dict) and "parent" in item and parent_apart(item)]
    for path, item in apart:
        ctx.report("conflict", join(path, "parent"), resource.id,
                   f"'{item['parent']}' is not the parent of the name '{item['name']}': the two name different "
                   f"objects; the Public fields are made from the name, this parent left out; check which is right")


def _not_public(
    doc: Any, resources: list[ResourceRow], ctx: Context, path: str, config: frozenset[str] | None = None
) -> None:
    """Refuse a resource already in Public form (a line of `jq -c '.data.sources[]'`):
    translated as Config, its Public fields would be left out; given back, it
    would be no Public response (those hold it in `{"data": ...}`)."""
    looks = [(r, keys) for r in resources if (keys := public_fields(doc, r, config=config))]
    if not looks:
        return
    fewest = min(len(keys) for _, keys in looks)  # the kinds whose Config fields know more of it
    looks = [(r, keys) for r, keys in looks if len(keys) == fewest]
    where = f" ({path})" if path else ""
    kinds = " or ".join(r.kind for r, _ in looks)
    keys = ", ".join(f"'{k}'" for k in looks[0][1])
    raise TranslateError(
        f"this{where} looks like a Public {kinds} already ({keys}: fields of the Public one, not of the Config "
        f"one): not translated; a Public response holds it in {{\"{ctx.rules.envelope.data_key}\": ...}}",
        looks[0][0].id,
    )


def _in_envelope(doc: dict[str, Any], ctx: Context, match: EndpointMatch | None) -> tuple[Any, str] | None:
    """A Config resource inside the Public envelope (`{"data": {"source":
    {"name": "workspaces/...", "display_name": ...}}}`: the envelope added by
    hand first), translated in place (`{"data": {"source": <Public>}}`, with
    a note); None when the envelope holds no Config fields. Config fields
    anywhere else in it (a list's items, beside other keys, another kind
    than `--endpoint` answers) are an error: nothing in it is passed as Public."""
    data_key = ctx.rules.envelope.data_key
    data = doc.get(data_key)
    if not isinstance(data, dict):
        return None
    found = config_inside(data, ctx.rules)
    if not found:
        return None
    where, key, resource, keys = found[0]
    shown = ", ".join(f"'{k}'" for k in keys)
    expected = ctx.rules.resources.get(match.row.response or "") if match is not None else None
    if match is not None and (expected is not resource or match.row.list_response):
        answers = f"a list of {expected.kind}s" if expected and match.row.list_response else \
            f"a {expected.kind}" if expected else "no resource"
        why = f"--endpoint answers {answers}"
    elif where.endswith("]"):
        why = "a list in the envelope is not translated"
    elif len(found) > 1 or key is not None and set(data) != {key}:
        why = "the envelope holds more than that resource"
    else:
        obj = data[key] if key is not None else data
        path = join(data_key, key) if key is not None else data_key
        _same_kind(obj, resource, ctx, path, "the envelope holds a {kind} there")
        if match is not None:
            _same_parents(obj, resource, ctx, path, match.params)
        ctx.report("note", path, resource.id, f"a Config {resource.kind} ({shown}) inside the Public envelope: "
                                              f"translated, in the envelope")
        kept = public_beside(obj, resource)  # migrated partly by hand: its Public keys kept
        given = {k: obj[k] for k in kept}
        out = _single({k: v for k, v in obj.items() if k not in given}, resource, ctx, path, given)
        check_parents(obj, resource.kind, ctx, path)
        return out, resource.kind
    raise TranslateError(f"{where} holds a Config {resource.kind} ({shown}) inside the Public envelope: not Public, "
                         f"and not translated ({why}); translate the Config body without the envelope", resource.id)


_BY_ENDPOINT = "the endpoint answers a {kind}; check --endpoint"
_BY_LIST = ("the list is one of {kind}s (after its key and first item); a list holds one kind: translate "
            "the others apart")


def _same_kind(doc: Any, resource: ResourceRow, ctx: Context, path: str, why: str) -> None:
    """Refuse a document or list item whose `name` is of another kind than the
    one the endpoint answers or the list holds (`why` says which; a destination
    given as the response of a source GET, a catalog entry in a list of
    sources): translated as that kind, it would name another object or be
    given made-up fields."""
    name = doc.get("name") if isinstance(doc, dict) else None
    if not isinstance(name, str) or resource.name_pattern is None:
        return
    if template(resource.name_pattern).match(name) is not None:
        return
    named = next((r for pattern, r in ctx.rules.named_resources if pattern.match(name) is not None), None)
    if named is not None:
        where = f" ({path})" if path else ""
        raise TranslateError(
            f"the name {show(name)}{where} is of a {named.kind}, but {why.format(kind=resource.kind)}", resource.id,
        )


def _same_parents(doc: Any, resource: ResourceRow, ctx: Context, path: str, called: dict[str, str]) -> None:
    """Report a document whose `name` (or, without one, `own_id`: a function's
    `id`) names another object (a filter of another destination) than the
    `--endpoint` path, at the first part that differs: its Public fields are
    made from the document, not from the path."""
    if not isinstance(doc, dict) or resource.name_pattern is None:
        return
    key, named = "name", None
    if isinstance(doc.get("name"), str):
        named = parse_name(resource.name_pattern, doc["name"])
    elif resource.own_id is not None and isinstance(doc.get(resource.own_id), str):
        key, last = resource.own_id, template(resource.name_pattern).params[-1]
        named = {last: doc[key]}
    for param, given in (named or {}).items():
        if param in called and called[param] != given:
            ctx.report("conflict", join(path, key), resource.id,
                       f"names {param} '{given}', but --endpoint is for {param} '{called[param]}': the Public "
                       f"fields are made from the {key}; check --endpoint or the document")
            return


def _answers_a_status(public: str, config: str, rule: str) -> None:
    """Refuse when the Public call answers more than a status (the spec says
    what): its body cannot be made from a Config response the fact base does
    not describe, and a bare status would lose it silently."""
    call = find_public(public)
    if call is not None and call.output:
        raise TranslateError(
            f"the response of {config} is not translated: the Public call {public.split('?', 1)[0]} "
            f"answers {call.output}, and the Config response is not documented; read it from the Public API",
            rule,
        )


def _one(doc: dict[str, Any], resource: ResourceRow, ctx: Context) -> tuple[Any, str]:
    if resource.single_is_status:
        return _status(doc, ctx, resource.id), "status"
    return _single(doc, resource, ctx), resource.kind


def _is_error(doc: dict[str, Any], ctx: Context) -> bool:
    """`{error, code}`, with the grpc-gateway's `message` and `details` beside them or not."""
    row = ctx.rules.error
    keys = {row.message_key, row.code_key, row.repeated_message_key, row.details_key}
    return row.message_key in doc and row.code_key in doc and set(doc) <= keys


def _error(doc: dict[str, Any], ctx: Context) -> dict[str, Any]:
    row = ctx.rules.error
    code = doc[row.code_key]
    known = row.codes.get(str(code))
    error: dict[str, Any] = {"type": known.type if known else "unknown", row.public_message_key: doc[row.message_key]}
    mistyped(ctx, error[row.public_message_key], ("string",), "a Public error's message", row.message_key, row.id)
    if known and ctx.types and row.code_type is not None and not takes(code, (row.code_type,)):
        # Looked up by its text all the same (a code of no table entry is reported `unknown` below).
        ctx.report("mistyped", row.code_key, row.id,
                   f"a Config error code takes {row.code_type}, not {show(code)}: read as the code {code}; "
                   f"check the body")
    if known:
        error[row.public_status_key] = known.status
    else:
        ctx.report("unknown", row.code_key, row.id, f"error code {show(code)} is not in the table")
    _error_extras(doc, error[row.public_message_key], ctx)
    return {row.public_key: [error]}


def _error_extras(doc: dict[str, Any], message: Any, ctx: Context) -> None:
    """Report the grpc-gateway keys a Public error has no place for: a
    `message` repeating the error's text (nothing lost) or another one (a
    conflict: the error's kept), and `details` (empty: nothing lost)."""
    row = ctx.rules.error
    key = row.repeated_message_key
    if key is not None and key in doc:
        if same(doc[key], message):
            ctx.report("dropped", key, row.id, f"repeats '{row.message_key}', kept as the Public message")
        else:
            ctx.report("conflict", key, row.id,
                       f"a second message {show(doc[key])} beside '{row.message_key}' {show(message)}: a Public "
                       f"error has one; '{row.message_key}' kept, this one left out")
    key = row.details_key
    if key is not None and key in doc:
        if doc[key] in ([], None):
            ctx.report("dropped", key, row.id, f"{show(doc[key])}: no details to keep")
        else:
            ctx.report("unknown", key, row.id,
                       f"error details {show(doc[key])} have no documented place in a Public error; left out")


def _status(doc: dict[str, Any], ctx: Context, rule: str) -> dict[str, Any]:
    envelope = ctx.rules.envelope
    for key in doc:
        ctx.report("dropped", key, rule, "this call returns only a status in the Public API")
    return {envelope.data_key: envelope.status_body}


def _single(
    doc: dict[str, Any], resource: ResourceRow, ctx: Context, path: str = "", given: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`given`: Public keys beside the Config ones (`public_beside`), kept."""
    origins: dict[str, str] = {}
    before = len(ctx.reports)
    out = map_resource(doc, resource, ctx, path, origins)
    if given:
        _given_not_unfilled(given, before, ctx)
    for key, value in (given or {}).items():
        kept_public(ctx, join(path, key), resource.id, value, out.get(key, NONE), f"'{origins.get(key, path)}'")
        out[key] = value
    body = _filled(out, resource, ctx, path)
    data = {resource.public_key: body} if resource.public_key else body
    return {ctx.rules.envelope.data_key: data}


def _given_not_unfilled(given: dict[str, Any], before: int, ctx: Context) -> None:
    """Leave out the reports made since `before` that said why an output key
    the document gives as Public (`id`, beside a `name` the id map does not
    hold) could not be made: it is there all the same."""
    keys: dict[Report, set[str]] = {}
    for to, reports in ctx.unfilled_why.items():
        for report in reports:
            keys.setdefault(report, set()).add(to.split(".", 1)[0])
    moot = {report for report, tos in keys.items() if tos <= given.keys()}
    if moot:
        ctx.keep_since(before, [r for r in ctx.reports[before:] if r not in moot])


def _list(doc: dict[str, Any], resource: ResourceRow, key: str, ctx: Context) -> dict[str, Any]:
    envelope = ctx.rules.envelope
    items = doc.get(key, [])
    if not isinstance(items, list):
        raise TranslateError(f"'{key}' should be a list")
    if resource.list_as_single:
        if len(items) != 1 or not isinstance(items[0], dict):
            raise TranslateError(
                f"the Public API returns one {resource.kind}, not a list of {len(items)}", resource.id
            )
        ctx.report("note", key, resource.id, f"the Public API has no list of {key}: one {resource.kind} kept")
        result = _single(items[0], resource, ctx, join(key, 0))
    else:
        data: dict[str, Any] = {resource.public_list_key or key: _list_items(items, resource, key, ctx)}
        result = {envelope.data_key: data}
    for other in doc:
        if other == key:
            continue
        if other != envelope.next_page_token:
            ctx.report("unknown", other, envelope.id, f"'{other}' is not part of a {resource.kind} list; left out")
            continue
        token = _page_token(doc[other], other, ctx)
        if resource.list_as_single:
            if token:
                ctx.report("unknown", other, envelope.id,
                           f"more {key} existed on further Config pages; the Public API returns only the "
                           f"{resource.kind} of the token; left out")
        else:
            data[envelope.public_pagination] = {envelope.public_next: token}
            if token:
                ctx.report("note", other, envelope.id,
                           "a Config page token is not a Public cursor: page again from the start")
    if not resource.list_as_single and ctx.response_defaults:
        # No token is no more pages; a Public list always holds `pagination` (PaginationOutput).
        data.setdefault(envelope.public_pagination, {envelope.public_next: None})
    return result


def _page_token(value: Any, key: str, ctx: Context) -> str | None:
    """The page token, or None for no more pages (`""`, null). A value of
    another type (`false`, `0`, `5`) says neither: reported, None."""
    if value is not None and not isinstance(value, str):
        ctx.report("unknown", key, ctx.rules.envelope.id,
                   f"a page token is a string, not {show(value)}: whether more pages exist is not known; left out")
        return None
    return value or None


def _list_items(items: list[Any], resource: ResourceRow, key: str, ctx: Context) -> list[Any]:
    """The Public items of a Config list page; an item that is not an object is
    left out, reported. An item whose Public form is one value it lacks (an
    invite with a null email: the Public list holds emails) is left out,
    reported `missing`."""
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            ctx.report("unknown", join(key, i), resource.id,
                       f"expected a {resource.kind} object, got {show(item)}; left out")
            continue
        translated = _list_item(item, resource, ctx, join(key, i))
        if translated is not None:
            out.append(translated)
    return out


def _list_item(item: dict[str, Any], resource: ResourceRow, ctx: Context, path: str) -> Any:
    source = resource.list_item_source
    if source is not None and item.get(source) is None:
        ctx.report("missing", join(path, source), resource.id,
                   f"a Public list of {resource.kind}s holds their `{resource.public_list_item}` values, "
                   f"and this {resource.kind} has none; left out")
        return None
    out = _filled(map_resource(item, resource, ctx, path), resource, ctx, path)
    for key in resource.list_omit:
        if out.pop(key, None) is not None:
            ctx.report("dropped", join(path, key), resource.id,
                       "list items do not carry it in the Public API; the single GET returns it")
    return out.get(resource.public_list_item) if resource.public_list_item else out


def _filled(out: dict[str, Any], resource: ResourceRow, ctx: Context, path: str) -> dict[str, Any]:
    """`out` with the Public fields the Config resource never had (`response_defaults`)."""
    for key, value, message in _defaults(resource) if ctx.response_defaults else ():
        if key not in out:
            out[key] = value
            ctx.report("added", join(path, key), resource.id, message)
    return out


_DEFAULTS: dict[int, tuple[ResourceRow, tuple[tuple[str, Any, str], ...]]] = {}


def _defaults(resource: ResourceRow) -> tuple[tuple[str, Any, str], ...]:
    """(key, value, report message) of each of `response_defaults`: table data, made once per row."""
    cached = _DEFAULTS.get(id(resource))
    if cached is not None and cached[0] is resource:
        return cached[1]
    made = tuple(
        (key, value, f"a Public {resource.kind} requires it and a Config one never had it; {show(value)} used")
        for key, value in resource.response_defaults.items()
    )
    _DEFAULTS[id(resource)] = (resource, made)
    return made


def _detect_list(doc: dict[str, Any], ctx: Context) -> tuple[ResourceRow, str] | None:
    token = ctx.rules.envelope.next_page_token
    for key, value in doc.items():
        if not isinstance(value, list) or key not in ctx.rules.list_keys:
            continue
        others = [doc[k] for k in doc if k not in (key, token)]
        if others and ("name" in doc or any(isinstance(v, (list, dict)) for v in others)):
            continue  # a resource holding a list, not a list page with extra counters
        candidates = ctx.rules.list_keys[key]
        if len(candidates) == 1:
            return candidates[0], key
        first = value[0] if value else None
        for resource in candidates:
            if isinstance(first, dict) and _name_matches(resource, first):
                return resource, key
        kinds = " or ".join(r.kind for r in candidates)
        raise TranslateError(f"a list of '{key}' could be {kinds}; give --endpoint", ctx.rules.envelope.id)
    return None


def _detect_single(doc: dict[str, Any], ctx: Context) -> ResourceRow:
    name = doc.get("name")
    if isinstance(name, str):
        for pattern, resource in ctx.rules.named_resources:
            if pattern.match(name) is not None:
                return resource
    for resource in ctx.rules.resources.values():
        if resource.signature and all(key in doc for key in resource.signature):
            return resource
    hint = f" (name {show(doc['name'])})" if isinstance(doc.get("name"), str) else ""
    raise TranslateError(f"unknown kind of document{hint}; give --endpoint \"METHOD /v1beta/...\"")


def _name_matches(resource: ResourceRow, doc: dict[str, Any]) -> bool:
    name = doc.get("name")
    return isinstance(name, str) and template(resource.name_pattern or "").match(name) is not None
