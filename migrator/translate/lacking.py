"""Required Public fields a translated response lacks (`ResourceRow.response_required`:
a catalog entry's `actions`, `options`...): nothing makes them up, so an
output lacking some is reported `missing`, once per document and resource
kind (not per item), naming them all."""

from __future__ import annotations

from typing import Any

from migrator.ruleset.models import ResourceRow
from migrator.translate.context import Context


def report_lacking(output: Any, kind: str, ctx: Context) -> None:
    """Report the required fields the items of `kind` in `output` (a Public
    response) lack, and those of the nested items they hold (`each`)."""
    resource = ctx.rules.resources.get(kind)
    data = output.get(ctx.rules.envelope.data_key) if isinstance(output, dict) else None
    if not ctx.response_defaults or resource is None or not isinstance(data, dict):
        return
    if resource.public_list_key and isinstance(data.get(resource.public_list_key), list):
        items, where = data[resource.public_list_key], resource.config_list_key or ""
    elif resource.public_key:
        items, where = [data.get(resource.public_key)], ""
    else:
        items, where = [data], ""
    found: dict[str, tuple[ResourceRow, str, set[str], list[int]]] = {}
    _walk([i for i in items if isinstance(i, dict)], resource, where, ctx, found)
    for row, path, lacked, (lacking, total) in found.values():
        if lacked:
            ctx.report("missing", path, row.id, _message(row, lacked, lacking, total))


def _walk(
    items: list[dict[str, Any]], resource: ResourceRow, where: str, ctx: Context,
    found: dict[str, tuple[ResourceRow, str, set[str], list[int]]],
) -> None:
    if resource.response_required and items:
        _, _, lacked, counts = found.setdefault(resource.id, (resource, where, set(), [0, 0]))
        for item in items:
            # (not a key whose value a report already said could not be made: an id the map lacks)
            missing = [key for key in resource.response_required if key not in item and key not in ctx.unfilled]
            lacked.update(missing)
            counts[0] += bool(missing)
            counts[1] += 1
    for key, fm in resource.fields.items():
        inner = ctx.rules.resources.get(fm.each or "")
        if inner is None or fm.to is None or fm.drop:
            continue
        held = [value for item in items for value in _values(item.get(fm.to))]
        if held:
            _walk(held, inner, f"{where}[].{key}" if where else key, ctx, found)


def _values(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _message(resource: ResourceRow, lacked: set[str], lacking: int, total: int) -> str:
    keys = [key for key in resource.response_required if key in lacked]
    given = {entry.to.split(".", 1)[0] for fm in resource.fields.values() for entry in (fm, *fm.also)
             if entry.to and not fm.drop}
    never = [key for key in keys if key not in given]
    them = "them" if len(keys) > 1 else "it"
    which = f"this one lacks {them}" if total == 1 else f"{lacking} of these {total} lack {them}"
    text = (f"a Public {resource.kind} requires {', '.join(f'`{k}`' for k in keys)}: {which} (nothing the Config "
            f"data holds was translated to {them}) and none is made up")
    if never:
        text += f" (no Config field gives {', '.join(f'`{k}`' for k in never)})"
    return text + f"; read {them} from the Public API where code needs {them}"
