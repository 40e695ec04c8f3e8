"""Documents already in Public form, wholly or in part: what `migrator
translate` passes through unchanged, and what it must not take for Config
input (translated again, its Public fields would be lost)."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from migrator.ruleset import RuleSet
from migrator.ruleset.models import EndpointRow, ResourceRow
from migrator.ruleset.templates import template
from migrator.translate.context import Context, same, show
from migrator.translate.public_models import RESOURCES, RequestDocument, find_public

CALL_KEYS = frozenset(RequestDocument.model_fields)
"""The keys of a Public call as request mode writes it (`method`, `url`, `params`, `headers`, `body`, `then`)."""
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def is_call(doc: Any) -> bool:
    """A Public call `{"method", "url", ...}` (request mode's own output)."""
    return isinstance(doc, dict) and {"method", "url"} <= set(doc) <= CALL_KEYS \
        and doc["method"] in METHODS and isinstance(doc["url"], str) and doc["url"].startswith("/")


def _keys(model: Any) -> frozenset[str]:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return frozenset()
    return frozenset(f.alias or name for name, f in model.model_fields.items())


@cache
def _public_keys(kind: str) -> frozenset[str]:
    """The fields of a Public resource of `kind` (single or list item)."""
    shape = RESOURCES.get(kind)
    return frozenset() if shape is None else _keys(shape.model) | _keys(shape.item)


def _config_keys(resource: ResourceRow) -> frozenset[str]:
    return frozenset(key.split(".", 1)[0] for key in resource.fields)


def _config_name(obj: dict[str, Any], resource: ResourceRow) -> bool:
    """Whether `name` is a Config resource name of `resource` (a Public `name` is a display name)."""
    name = obj.get("name")
    return isinstance(name, str) and resource.name_pattern is not None \
        and template(resource.name_pattern).match(name) is not None


def config_fields(obj: Any, resource: ResourceRow) -> list[str]:
    """The keys of `obj` that only a Config `resource` holds: its Config
    resource `name`, and fields of its field map the Public resource has not
    (`display_name`, `catalog_name`)."""
    if not isinstance(obj, dict):
        return []
    only = _config_keys(resource) - _public_keys(resource.kind)
    return [key for key in obj if key in only or key == "name" and _config_name(obj, resource)]


def public_fields(
    obj: Any, resource: ResourceRow, accepted: frozenset[str] = frozenset(), config: frozenset[str] | None = None
) -> list[str]:
    """The keys of `obj` that show it is a Public `resource` (or input, given
    the `accepted` keys): every key is a Public field, its `name` is no Config
    resource name, and these keys are no Config field (of `resource`, or of
    any in `config`: `writeKeys`, `metadataId`). Empty when `obj` may be
    Config (`{"enabled": true}` is either)."""
    keys = _public_keys(resource.kind) | accepted
    if not isinstance(obj, dict) or not obj or not set(obj) <= keys or _config_name(obj, resource):
        return []
    config = _config_keys(resource) if config is None else config
    return [key for key in obj if key not in config]


def public_part(body: Any, row: EndpointRow, rules: RuleSet) -> list[str]:
    """The Public keys of a request body migrated partly by hand (Public keys
    beside Config ones, without the Config wrapper or update mask): each key
    of the Public call's input or resource that no Config field has
    (`metadataId`), and a `name` that is no Config resource name (a display
    name, as in a Public body); nothing when no key is Public only, or when
    the call's body is no resource (`body_key`, `body_list`)."""
    call = find_public(row.public or "")
    if row.request is None or call is None or call.body is None or not isinstance(body, dict) \
            or row.body_key or row.body_list or row.wrapper in body or rules.update_mask.key in body:
        return []
    return _public_beside(body, rules.resources[row.request], _keys(call.body))


def public_beside(obj: dict[str, Any], resource: ResourceRow) -> list[str]:
    """The Public keys of a Config `resource` (in a response's Public envelope)
    migrated partly by hand: as `public_part`, of the Public resource's fields."""
    return _public_beside(obj, resource, frozenset())


def _public_beside(obj: dict[str, Any], resource: ResourceRow, accepted: frozenset[str]) -> list[str]:
    public, config = _public_keys(resource.kind) | accepted, _config_keys(resource)
    if not any(key in public and key not in config for key in obj):
        return []
    return [key for key in obj if key in public
            and (key not in config or key == "name" and not _config_name(obj, resource))]


def config_keys(rules: RuleSet) -> frozenset[str]:
    """The fields of every Config resource of the table (top-level keys)."""
    return frozenset(key for resource in rules.resources.values() for key in _config_keys(resource))


def public_body(body: Any, row: EndpointRow, rules: RuleSet) -> list[str]:
    """The keys that show a request body is already a Public one (of the
    Public call's input or resource, without the Config wrapper or update
    mask), or nothing."""
    call = find_public(row.public or "")
    if row.request is None or call is None or call.body is None or not isinstance(body, dict):
        return []
    if row.wrapper in body or rules.update_mask.key in body:
        return []
    return public_fields(body, rules.resources[row.request], _keys(call.body))


def config_inside(data: dict[str, Any], rules: RuleSet) -> list[tuple[str, str | None, ResourceRow, list[str]]]:
    """Where the `data` of a Public envelope holds Config fields: (path, the
    key of `data` holding a lone resource, or None, the resource, its Config
    fields); `data` itself is checked against the resources a Public body
    holds there (`source-settings`)."""
    data_key = rules.envelope.data_key
    found: list[tuple[str, str | None, ResourceRow, list[str]]] = []
    for resource in rules.resources.values():
        if resource.nested:
            continue
        key, list_key = resource.public_key, resource.public_list_key
        if key is not None and (keys := config_fields(data.get(key), resource)):
            found.append((f"{data_key}.{key}", key, resource, keys))
        items = data.get(list_key) if list_key is not None else None
        for i, item in enumerate(items if isinstance(items, list) else []):
            if keys := config_fields(item, resource):
                found.append((f"{data_key}.{list_key}[{i}]", None, resource, keys))
                break
        if key is None and list_key is None and (keys := config_fields(data, resource)):
            found.append((data_key, None, resource, keys))
    return found


def kept_public(ctx: Context, path: str, rule: str, given: Any, made: Any, where: str) -> None:
    """Report a Public value a partly migrated document gives, which is kept:
    a `conflict` when the translation made another (`made`, from `where`),
    else a `note`. `made` is `NONE` when the translation made none."""
    if made is not NONE and not same(made, given):
        ctx.report("conflict", path, rule,
                   f"already Public, {show(given)}, but {where} gives {show(made)}: the two disagree; "
                   f"the Public value kept, the other left out; check which is right")
    else:
        ctx.report("note", path, rule, "already Public: kept as given")


NONE = object()
"""`kept_public`'s `made` when the translation made no value there."""
