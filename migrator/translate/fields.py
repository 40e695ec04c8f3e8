"""Apply a resource row's field map to one Config object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migrator.ruleset.models import FieldMap, ResourceRow
from migrator.ruleset.templates import parse_name
from migrator.translate.context import Context, join
from migrator.translate.values import MISSING, reshape


@dataclass(frozen=True, slots=True)
class _Output:
    field: FieldMap
    to: tuple[str, ...]
    plain: bool
    """A plain copy: no parsing, lookup, enum or reshaping."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """A row's field map compiled for one direction."""

    outputs: dict[str, tuple[_Output, ...]]
    prefixes: frozenset[str]
    """Dotted keys with fields below them (`attributes` of `attributes.name`)."""


_PLANS: dict[tuple[int, str], tuple[ResourceRow, _Plan]] = {}


def _plan(row: ResourceRow, direction: str) -> _Plan:
    cached = _PLANS.get((id(row), direction))
    if cached is not None and cached[0] is row:
        return cached[1]
    outputs = {
        key: tuple(
            _Output(o, tuple((o.to or "").split(".")), _is_plain(o))
            for o in (field, *field.also)
            if o.when in ("both", direction)
        )
        for key, field in row.fields.items()
    }
    prefixes = frozenset(key.rsplit(".", n)[0] for key in row.fields for n in range(1, key.count(".") + 1))
    plan = _Plan(outputs, prefixes)
    _PLANS[(id(row), direction)] = (row, plan)
    return plan


def _is_plain(field: FieldMap) -> bool:
    return (not field.drop and field.transform == "copy" and field.parse is None and field.id is None
            and not field.enum and field.each is None)


def map_resource(obj: dict[str, Any], row: ResourceRow, ctx: Context, path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _walk(obj, "", row, _plan(row, ctx.direction), ctx, path, out)
    return out


def _walk(
    obj: dict[str, Any], prefix: str, row: ResourceRow, plan: _Plan, ctx: Context, path: str, out: dict[str, Any]
) -> None:
    for key, value in obj.items():
        dotted = prefix + key if prefix else key
        outputs = plan.outputs.get(dotted)
        if outputs is not None:
            _apply(outputs, value, row, ctx, path, key, out)
        elif dotted in plan.prefixes and isinstance(value, dict):
            _walk(value, dotted + ".", row, plan, ctx, join(path, key), out)
        else:
            ctx.report("unknown", join(path, key), row.id, f"'{dotted}' is not in the {row.kind} field map; left out")


def _apply(
    outputs: tuple[_Output, ...], value: Any, row: ResourceRow, ctx: Context, path: str, key: str,
    out: dict[str, Any],
) -> None:
    if not outputs:
        ctx.report("unknown", join(path, key), row.id, f"not expected in a {ctx.direction} {row.kind}; left out")
    for output in outputs:
        if output.plain:
            _set(out, output.to, value)
        elif output.field.drop:
            ctx.report("dropped", join(path, key), row.id, output.field.reason or "")
        else:
            converted = convert(output.field, value, row, ctx, join(path, key))
            if converted is not MISSING:
                _set(out, output.to, converted)


def _set(out: dict[str, Any], to: tuple[str, ...], value: Any) -> None:
    if len(to) == 1:
        out[to[0]] = value
        return
    for part in to[:-1]:
        out = out.setdefault(part, {})
    out[to[-1]] = value


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
