"""Apply a resource row's field map to one Config object."""

from __future__ import annotations

from typing import Any

from migrator.ruleset.models import FieldMap, ResourceRow
from migrator.ruleset.templates import parse_name
from migrator.translate.context import Context, join
from migrator.translate.values import MISSING, reshape


def map_resource(obj: dict[str, Any], row: ResourceRow, ctx: Context, path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _walk(obj, "", row, ctx, path, out)
    return out


def _walk(
    obj: dict[str, Any], prefix: str, row: ResourceRow, ctx: Context, path: str, out: dict[str, Any]
) -> None:
    for key, value in obj.items():
        dotted = prefix + key
        here = join(path, key)
        field = row.fields.get(dotted)
        if field is not None:
            _apply(field, value, row, ctx, here, out)
        elif isinstance(value, dict) and any(name.startswith(dotted + ".") for name in row.fields):
            _walk(value, dotted + ".", row, ctx, here, out)
        else:
            ctx.report("unknown", here, row.id, f"'{dotted}' is not in the {row.kind} field map; left out")


def _apply(
    field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str, out: dict[str, Any]
) -> None:
    outputs = [o for o in (field, *field.also) if o.when in ("both", ctx.direction)]
    if not outputs:
        ctx.report("unknown", path, row.id, f"not expected in a {ctx.direction} {row.kind}; left out")
    for output in outputs:
        if output.drop:
            ctx.report("dropped", path, row.id, output.reason or "")
            continue
        converted = convert(output, value, row, ctx, path)
        if converted is not MISSING:
            assert output.to is not None
            set_path(out, output.to, converted)


def convert(field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str) -> Any:
    """One output value of `field`, or MISSING (reported) when there is none."""
    if field.transform not in ("copy", "segment", "upper") or field.each:
        value = reshape(field, value, row, ctx, path)
        if value is MISSING or not field.each:
            return value
        return _each(field.each, value, ctx, path)
    params: dict[str, str] = {}
    if field.parse is not None:
        parsed = parse_name(field.parse, value) if isinstance(value, str) else None
        if parsed is None:
            ctx.report("unknown", path, row.id, f"{value!r} does not look like '{field.parse}'; left out")
            return MISSING
        params = parsed
    if field.id is not None:
        found = ctx.resolve(field.id, params, path, row.id)
        return MISSING if found is None else found
    if field.transform == "segment":
        assert field.segment is not None
        value = params[field.segment]
    elif field.transform == "upper" and isinstance(value, str):
        value = value.upper()
    if field.enum:
        value = _enum(field, value, row, ctx, path)
    return value


def _enum(field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str) -> Any:
    if isinstance(value, str) and value in field.enum:
        return field.enum[value]
    if value not in field.enum.values():
        ctx.report("unknown", path, row.id, f"value {value!r} has no Public counterpart; kept as is")
    return value


def _each(kind: str, value: Any, ctx: Context, path: str) -> Any:
    row = ctx.rules.resources[kind]
    if isinstance(value, list):
        return [
            map_resource(item, row, ctx, join(path, i)) if isinstance(item, dict) else item
            for i, item in enumerate(value)
        ]
    if isinstance(value, dict):
        return map_resource(value, row, ctx, path)
    return value


def set_path(out: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        out = out.setdefault(part, {})
    out[last] = value
