"""Structural transforms: values whose shape changes, not just their name.

The parameters (name patterns, enum maps) come from the row; only the walk
over the structure lives here.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from migrator.ruleset.models import FieldMap, ResourceRow
from migrator.ruleset.templates import parse_name
from migrator.translate import jsontext
from migrator.translate.context import Context, join, mistyped, mistyped_items, same, show

MISSING: Any = object()
_parse_name = parse_name.__wrapped__
BOM = "\ufeff"


def reshape(field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str, owner: dict[str, Any]) -> Any:
    """`owner` is the Config object holding `value`."""
    if field.transform == "config-settings":
        return _config_settings(field, value, row, ctx, path, owner)
    if field.transform == "filter-fields":
        return _filter_fields(field, value, row, ctx, path)
    if field.transform == "tracking-plan-rules":
        return _tracking_plan_rules(field, value, row, ctx, path)
    if field.transform == "json-string":
        return _json_string(value, row, ctx, path)
    return value


def _config_settings(
    field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str, owner: dict[str, Any]
) -> Any:
    """`[{"name": ".../config/<key>", "value": v, ...}]` → `{"<key>": v}`.

    The other parameters of a setting's name name the resource that holds it:
    a setting named for another resource than its owner's `name` is left out."""
    if not isinstance(value, list):
        ctx.report("unknown", path, row.id, "expected a list of settings; left out")
        return MISSING
    settings: dict[str, Any] = {}
    seen: dict[str, str] = {}
    extra: set[str] = set()
    segment = field.segment or "key"
    owner_name = owner.get("name")
    pattern = field.parse or ""
    for i, item in enumerate(value):
        here = f"{path}[{i}]"  # join(path, i)
        name = item.get("name") if isinstance(item, dict) else None
        # Not cached: each setting's name is another, and would push out the names that repeat.
        params = _parse_name(pattern, name, any_bare=True) if isinstance(name, str) else None
        if params is None or "value" not in item:
            ctx.report("unknown", here, row.id, "not a setting with a name and a value; left out")
            continue
        holder = [v for k, v in params.items() if k != segment]
        if ctx.checks and isinstance(owner_name, str) and holder and holder != [owner_name]:
            ctx.report("conflict", join(here, "name"), row.id,
                       f"a setting of {holder[0]!s}, not of {owner_name}; left out")
            continue
        other = _other_call_holder(holder, row, ctx) if ctx.checks and owner_name is None else None
        if other is not None:
            ctx.report("conflict", join(here, "name"), row.id, f"a setting of {holder[0]!s}, {other}; left out")
            continue
        key = params[segment]
        if ctx.checks and key in settings and not same(settings[key], item["value"]):
            ctx.report("conflict", here, row.id,
                       f"setting '{key}' again, with {show(item['value'])}; {seen[key]} already gave "
                       f"{show(settings[key])}: the first kept, this one left out")
            continue
        settings[key] = item["value"]
        seen.setdefault(key, here)
        if len(item) > 2:
            extra.update(key for key in item if key != "name" and key != "value")
    for key in sorted(extra):
        if key in field.described:
            ctx.report("dropped", f"{path}[].{key}", row.id,
                       "settings hold values only; the Public catalog describes each setting")
        else:
            ctx.report("unknown", f"{path}[].{key}", row.id,
                       f"'{key}' of a setting is not in the table ({', '.join(field.described)} are); left out")
    return settings


def _other_call_holder(holder: list[str], row: ResourceRow, ctx: Context) -> str | None:
    """Why a setting named for `holder` is not of the object the Config call's
    path names (a body without a `name`), or None when it is (or cannot tell)."""
    if not ctx.call or len(holder) != 1 or row.name_pattern is None:
        return None
    params = parse_name(row.name_pattern, holder[0])
    if params is None:
        return f"which is not a {row.kind} ('{row.name_pattern}')"
    for param, given in params.items():
        called = ctx.call.get(param)
        if called is not None and given != called:
            return f"but the call is for {param} '{called}'"
    return None


def _filter_fields(field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str) -> Any:
    """`{"properties": {"fields": [...]}}` → `{"properties": [...]}`. A key
    beside a list is reported; a list that cannot be read is kept as is and
    reported: left out, an allow list would allow nothing. Items of another
    type than the row's `items` are kept and reported."""
    if not isinstance(value, dict):
        ctx.report("unknown", path, row.id, f"expected an object of field lists, got {show(value)}; {_KEPT}")
        return value
    out: dict[str, Any] = {}
    for key, inner in value.items():
        here = join(path, key)
        name = f"{field.to}.{key}"
        if isinstance(inner, dict) and isinstance(inner.get("fields"), list):
            out[key] = inner["fields"]
            mistyped_items(ctx, inner["fields"], field.item_types, name, join(here, "fields"), row.id)
            for extra in inner:
                if extra != "fields":
                    ctx.report("unknown", join(here, extra), row.id,
                               f"a field list holds only 'fields', not '{extra}'; left out")
        elif isinstance(inner, list):
            out[key] = inner
            mistyped_items(ctx, inner, field.item_types, name, here, row.id)
        else:
            out[key] = inner
            ctx.report("unknown", here, row.id, f"expected {{\"fields\": [...]}}, got {show(inner)}; {_KEPT}")
    return out


_KEPT = ("kept as is (left out, the action would keep or drop other fields than the Config one did); "
         "it is not a Public field list: fix it by hand")


def _tracking_plan_rules(field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str) -> Any:
    """Config `rules` sections → a Public rule list; the section → type map is `enum`."""
    if not isinstance(value, dict):
        ctx.report("unknown", path, row.id, "expected an object of rule sections; left out")
        return MISSING
    rules: list[dict[str, Any]] = []
    events: dict[tuple[Any, Any], str] = {}  # (key, version) identities → where first given
    for section, content in value.items():
        here = join(path, section)
        rule_type = field.enum.get(section)
        if rule_type is None:
            ctx.report("unknown", here, row.id, f"rule section '{section}' has no Public type; left out")
        elif section == field.keyed:
            if isinstance(content, list):
                rules += filter(None, (_event_rule(rule_type, event, row, ctx, join(here, i), events)
                                       for i, event in enumerate(content)))
            elif content is not None:
                ctx.report("unknown", here, row.id, f"expected a list of event rules, got {show(content)}; left out")
        elif isinstance(content, dict) and content:
            rules.append({"type": rule_type, "jsonSchema": content, "version": 1})
        elif isinstance(content, dict):
            ctx.report("dropped", here, row.id,
                       f"an empty schema is the Config empty value (what a masked clear left): no {rule_type} rule "
                       f"is made for it")
        elif content is not None:
            ctx.report("unknown", here, row.id, f"expected a JSON Schema object, got {show(content)}; left out")
    return rules


def _event_rule(
    rule_type: str, event: Any, row: ResourceRow, ctx: Context, path: str, seen: dict[tuple[Any, Any], str]
) -> dict[str, Any] | None:
    """One event → a rule keyed by its name; `seen` holds the (name, version)
    pairs of the events before it: the same pair again is a conflict (left out)."""
    if not isinstance(event, dict):
        ctx.report("unknown", path, row.id, f"expected an event rule object, got {show(event)}; left out")
        return None
    name, version = event.get("name"), event.get("version", 1)
    named = name not in (None, "")  # an empty name keys nothing either
    pair = (_identity(name), _identity(version))
    if named and pair in seen:
        ctx.report("conflict", path, row.id,
                   f"event {show(name)} version {show(version)} again; {seen[pair]} already gave it: "
                   f"the first kept, this one left out")
        return None
    seen[pair] = path
    rule: dict[str, Any] = {"type": rule_type}
    if named:
        rule["key"] = name
        if not isinstance(name, str):
            mistyped(ctx, name, ("string",), "a rule's key", join(path, "name"), row.id)
    else:
        ctx.report("missing", join(path, "name"), row.id,
                   f"a {rule_type} rule is keyed by its event name and this event has "
                   f"{'none' if name is None else 'an empty one'}: the rule is kept without a key; fill it in")
    if "rules" in event:
        rule["jsonSchema"] = event["rules"]
    else:
        rule["jsonSchema"] = {}
        ctx.report("added", join(path, "rules"), row.id, "the Public API requires a rule's jsonSchema; {} used")
    if not isinstance(rule["jsonSchema"], dict):
        mistyped(ctx, rule["jsonSchema"], ("object",), "a rule's jsonSchema", join(path, "rules"), row.id)
    if "version" in event:
        rule["version"] = event["version"]
        if type(event["version"]) is not int:  # `takes` decides the others (a float, a bool, a read `Number`)
            mistyped(ctx, event["version"], ("number",), "a rule's version", join(path, "version"), row.id)
    else:
        rule["version"] = 1
        ctx.report("added", join(path, "version"), row.id, "the Public API requires a rule version; 1 used")
    if event.get("description"):
        ctx.report(
            "dropped", join(path, "description"), row.id,
            "Public rules have no description; keep it in the JSON Schema if you need it",
        )
    for key in sorted(event.keys() - _EVENT_KEYS):
        ctx.report("unknown", join(path, key), row.id, f"'{key}' of an event rule is not in the table; left out")
    return rule


_EVENT_KEYS = frozenset({"name", "rules", "version", "description"})


def _identity(value: Any) -> Any:
    """What makes two JSON values one: a number's value (`1`, `1.0` and
    `1e0` are one version; exact, not rounded to a float), else its whole text
    (`true` is not `1`)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(value.text if isinstance(value, jsontext.Number) else value)
    if isinstance(value, str):  # the usual name: its JSON text without the number-keeping encoder
        return json.dumps(value, ensure_ascii=False)
    return jsontext.dumps(value, pretty=False)


def _json_string(value: Any, row: ResourceRow, ctx: Context, path: str) -> Any:
    """The JSON value of a string, read as exactly as a document is (numbers
    keep their text, repeated keys are reported)."""
    if not isinstance(value, str):
        return value
    try:
        parsed = jsontext.loads(value)
    except (json.JSONDecodeError, jsontext.JsonTextError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            why = (f"{jsontext.problem(exc)} at character {exc.pos + 1}" if not value.startswith(BOM)
                   else "it starts with a byte order mark, U+FEFF")
        else:
            why = str(exc)
        ctx.report("unknown", path, row.id, f"a string whose text is not JSON ({why}); left out")
        return MISSING
    for where, key, hidden in jsontext.duplicates(parsed):
        ctx.repeated_key(join(path, where) if where else path, key, hidden, " in the JSON string")
    return parsed
