"""Apply a resource row's field map to one Config object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migrator.ruleset.models import FieldMap, ResourceRow
from migrator.ruleset.templates import parse_name, template
from migrator.translate.context import Context, Report, join, mistyped, mistyped_items, same, show, takes
from migrator.translate.values import MISSING, reshape


@dataclass(frozen=True, slots=True)
class _Output:
    field: FieldMap
    to: tuple[str, ...]
    plain: bool
    """A plain copy: no parsing, lookup, enum or reshaping."""
    name: str
    """`to` as written in reports (`metadata.slug`)."""
    types: tuple[str, ...]
    """`field.types`, and the types of its items when it takes an array (else none to check)."""
    item_types: tuple[str, ...] | None
    accepts: frozenset[type]
    """Python types whose values `types` surely takes (`takes` decides for the others)."""
    deferred: bool
    """Made after the walk (`fallback`, `overrides`)."""
    dropped: str | None
    """The reason of a plain drop (`drop`, no `repeats` to check first): reported as it is."""
    key: str | None
    """The one key of a plain copy to a top-level key whose items need no check: set in the walk."""
    parsed: str | None
    """The `parse` pattern of an output that is only its name's id or segment
    (no check, enum, unset or reshaping): `convert` without its other steps."""


def _output(field: FieldMap, to: str) -> _Output:
    types = field.types
    items = field.item_types if "array" in types and field.item_types else None
    accepts = frozenset(t for name in types for t in _PYTHON_TYPES.get(name, ()))
    deferred = field.fallback or field.overrides
    dropped = (field.reason or "") if field.drop and field.repeats is None else None
    parsed = field.parse if (
        not field.drop and field.transform in ("copy", "segment") and field.each is None and field.check is None
        and not field.enum and not field.unset and (field.id is not None or field.transform == "segment")
    ) else None
    plain = _is_plain(field)
    key = to if plain and items is None and "." not in to else None
    return _Output(field, tuple(to.split(".")), plain, to, types, items, accepts, deferred, dropped, key, parsed)


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "null": (type(None),), "boolean": (bool,), "integer": (int,), "number": (int, float), "string": (str,),
    "array": (list,), "object": (dict,),
}


@dataclass(frozen=True, slots=True)
class _Plan:
    """A row's field map compiled for one direction."""

    outputs: dict[str, tuple[_Output, ...]]
    prefixes: frozenset[str]
    """Dotted keys with fields below them (`attributes` of `attributes.name`)."""
    single: dict[str, _Output]
    """The keys of one output made in the walk (the usual field): nothing to say twice."""


_PLANS: dict[tuple[int, str], tuple[ResourceRow, _Plan]] = {}


def _plan(row: ResourceRow, direction: str) -> _Plan:
    cached = _PLANS.get((id(row), direction))
    if cached is not None and cached[0] is row:
        return cached[1]
    outputs = {
        key: tuple(
            _output(o, o.to or "")
            for o in (field, *field.also)
            if o.when in ("both", direction)
        )
        for key, field in row.fields.items()
    }
    prefixes = frozenset(key.rsplit(".", n)[0] for key in row.fields for n in range(1, key.count(".") + 1))
    single = {key: made[0] for key, made in outputs.items() if len(made) == 1 and not made[0].deferred}
    plan = _Plan(outputs, prefixes, single)
    _PLANS[(id(row), direction)] = (row, plan)
    return plan


def _is_plain(field: FieldMap) -> bool:
    return (not field.drop and field.transform == "copy" and field.parse is None and field.id is None
            and not field.enum and field.each is None and field.check is None and not field.unset)


@dataclass(slots=True)
class _Target:
    """The object being built and, for each output path, the input it came from."""

    out: dict[str, Any]
    origins: dict[tuple[str, ...], str]
    owner: dict[str, Any]
    """The Config object being mapped (a reshape may compare a value with its siblings)."""
    fallbacks: list[tuple[_Output, Any, str]]
    """`fallback` outputs, with their value and input path: made after the walk
    when no other input gave their key (else, when they also `override`, checked
    against the value given)."""
    overrides: list[tuple[_Output, Any, str]]
    """`overrides` outputs, with their value and input path: made after the walk."""
    unresolved: set[tuple[str, ...]]
    """Output paths whose id another input named and the id map does not hold
    (a `parent` that starts the `name`): a fallback would look it up again."""


def map_resource(
    obj: dict[str, Any], row: ResourceRow, ctx: Context, path: str, origins: dict[str, str] | None = None
) -> dict[str, Any]:
    """The Public object of `obj`; `origins`, when given, receives the input
    path each top-level output key came from."""
    if ctx.checks and ctx.direction == "response" and parent_apart(obj):
        obj = {key: value for key, value in obj.items() if key != "parent"}  # reported by `check_parents`
    target = _Target({}, {}, obj, [], [], set())
    _walk(obj, "", row, _plan(row, ctx.direction), ctx, path, target)
    for output, value, here in target.fallbacks:
        before = len(ctx.reports)
        if not _given(target.out, output.to) and output.to not in target.unresolved:
            _make(output, value, row, ctx, here, target)
        elif output.field.overrides:
            _override(output, value, row, ctx, here, target)
        if len(ctx.reports) > before:
            # What is wrong with the value was said when its other outputs were made (a name that does not parse).
            ctx.new_since(before)
    for output, value, here in target.overrides:
        _override(output, value, row, ctx, here, target)
    if origins is not None:
        for to, here in target.origins.items():
            origins.setdefault(to[0], here)
    return target.out


def parent_apart(obj: dict[str, Any]) -> bool:
    """Whether a resource's `parent` is not the start of its `name`: the two
    name different objects, and the Public fields are made from the name."""
    name, parent = obj.get("name"), obj.get("parent")
    return isinstance(name, str) and isinstance(parent, str) and bool(parent) and "/" in name \
        and not name.startswith(parent + "/")


def _walk(
    obj: dict[str, Any], prefix: str, row: ResourceRow, plan: _Plan, ctx: Context, path: str, target: _Target
) -> None:
    single, out, origins = plan.single, target.out, target.origins
    fast = ctx.checks  # else `_set` keeps no origins
    for key, value in obj.items():
        dotted = prefix + key if prefix else key
        here = f"{path}.{key}" if path else key  # join(path, key)
        output = single.get(dotted)
        if output is not None:
            to = output.key
            if to is not None and fast and (not output.types or type(value) in output.accepts or not ctx.types):
                # `_make` of a plain copy of a value of the right type (`_set` with one key)
                if to in out and not same(out[to], value):
                    _conflict(target, output.to, value, ctx, here, row)
                else:
                    out[to] = value
                    origins.setdefault(output.to, here)
            elif output.dropped is not None:
                ctx.report("dropped", here, row.id, output.dropped)
            else:
                _make(output, value, row, ctx, here, target)
            continue
        outputs = plan.outputs.get(dotted)
        if outputs is not None:
            _apply(outputs, value, row, ctx, here, target)
        elif dotted in plan.prefixes and isinstance(value, dict):
            _walk(value, dotted + ".", row, plan, ctx, here, target)
        else:
            ctx.report("unknown", here, row.id, f"'{dotted}' is not in the {row.kind} field map; left out")


def _apply(
    outputs: tuple[_Output, ...], value: Any, row: ResourceRow, ctx: Context, here: str, target: _Target,
) -> None:
    if not outputs:
        ctx.report("unknown", here, row.id, f"not expected in a {ctx.direction} {row.kind}; left out")
    seen: set[Report] = set()
    for output in outputs:
        if output.deferred:
            (target.fallbacks if output.field.fallback else target.overrides).append((output, value, here))
            continue
        before = len(ctx.reports)
        _make(output, value, row, ctx, here, target)
        if len(ctx.reports) <= before:
            continue  # nothing said
        # One value feeding several outputs (`catalog_name` → `metadata.slug`, `metadata.id`)
        # is reported once for what is wrong with it, not once per output.
        made = ctx.reports[before:]
        if seen:
            ctx.keep_since(before, [r for r in made if r not in seen])
        seen.update(made)


def _override(output: _Output, value: Any, row: ResourceRow, ctx: Context, here: str, target: _Target) -> None:
    """Put the id the map holds for `value` at the output's key, in place of a
    different value another input gave it (reported); nothing when the map
    holds none (the other input stands). A value of another workspace than
    the map's is reported: the map cannot check it."""
    ref, pattern = output.field.id, output.field.parse
    assert ref is not None and pattern is not None
    params = parse_name(pattern, value) if ctx.checks and isinstance(value, str) else None
    if params is None:
        return
    try:
        key = ref.key.format_map(params)
    except KeyError:
        return
    other = ctx.foreign_for(ref, params)
    if other is not None:
        ctx.foreign.add(other[0])
        ctx.report("unresolved", here, row.id, f"no {ref.lookup} id for '{key}': {other[1]}")
        return
    found = ctx.ids.resolve(ref.lookup, key).id
    if found is None:
        return
    ctx.other_names(ref, key, found, here, row.id)
    *parents, last = output.to
    out = target.out
    for part in parents:
        out = out.setdefault(part, {})
    to = ".".join(output.to)
    if last in out and not same(out[last], found):
        ctx.report("conflict", target.origins.get(output.to, here), row.id,
                   f"gives '{to}' the value {show(out[last])}, but the id map holds {show(found)}, the Public id, for "
                   f"the {ref.lookup} '{key}' of '{here}': the map's kept, this one left out")
    out[last] = found
    target.origins.setdefault(output.to, here)


def _given(out: dict[str, Any], to: tuple[str, ...]) -> bool:
    for part in to:
        if not isinstance(out, dict) or part not in out:
            return False
        out = out[part]
    return True


def _make(output: _Output, value: Any, row: ResourceRow, ctx: Context, here: str, target: _Target) -> None:
    """Put the output of `value` in the target (reported when there is none)."""
    if not output.plain:
        if output.field.drop:
            if not _other_call(output.field, value, ctx, here, row):
                ctx.report("dropped", here, row.id, output.field.reason or "")
            return
        reports = ctx.reports
        before = len(reports)
        value = _convert(output, value, row, ctx, here, target.owner)
        if value is MISSING:
            made = reports[before:]
            ctx.unfilled.add(output.name)
            ctx.unfilled_why.setdefault(output.name, []).extend(made)
            if output.field.id is not None:
                for report in made:
                    if report.kind in _UNRESOLVED:
                        target.unresolved.add(output.to)
                        break
            return
    if ctx.types and (output.item_types is not None or output.types and type(value) not in output.accepts):
        _typed(output, value, ctx, here, row)
    _set(target, output.to, value, ctx, here, row)


_UNRESOLVED = ("unresolved", "ambiguous")


def _convert(output: _Output, value: Any, row: ResourceRow, ctx: Context, here: str, owner: dict[str, Any]) -> Any:
    """`convert`, straight to the id or segment of a name that parses when the output is only that."""
    pattern = output.parsed
    if pattern is None or ctx.endpoint or ctx.call or not isinstance(value, str):
        return convert(output.field, value, row, ctx, here, owner)
    params = parse_name(pattern, value)
    if params is None:
        return convert(output.field, value, row, ctx, here, owner)  # reported there
    field = output.field
    if field.id is not None:
        found = ctx.resolve(field.id, params, here, row.id)
        return MISSING if found is None else found
    return params[field.segment]  # type: ignore[index]


def _other_call(field: FieldMap, value: Any, ctx: Context, here: str, row: ResourceRow) -> bool:
    """Report (a conflict) a value that repeats a path parameter (`field.repeats`:
    a connection's tracking plan) and names another object than the
    `--endpoint` path, or, without that parameter there, than the first item
    of the document that gave one: the Public call names it in its path, so
    the value is lost, and items of two plans would make one list. Whether it did."""
    param = field.repeats
    if param is None or not ctx.checks or not isinstance(value, str):
        return False
    called = (ctx.endpoint or {}).get(param)
    if called is not None:
        if value == called:
            return False
        ctx.report("conflict", here, row.id,
                   f"names {param} '{value}', but --endpoint is for {param} '{called}': the Public call names the "
                   f"{param} in its path, so this one is left out; check --endpoint or the document")
        return True
    first, where = ctx.repeated.setdefault(param, (value, here))
    if value == first:
        return False
    ctx.report("conflict", here, row.id,
               f"names {param} '{value}', but '{where}' names {param} '{first}': the Public {row.kind}s of "
               f"one {param} are listed under its path, and these would be merged into one list; translate "
               f"each {param}'s apart, with --endpoint")
    return True


def _typed(output: _Output, value: Any, ctx: Context, here: str, row: ResourceRow) -> None:
    if not ctx.types:
        return
    if output.types and type(value) not in output.accepts and not takes(value, output.types):
        mistyped(ctx, value, output.types, f"the Public field '{output.name}'", here, row.id)
    if output.item_types is not None and isinstance(value, list):
        mistyped_items(ctx, value, output.item_types, output.name, here, row.id)


def _set(target: _Target, to: tuple[str, ...], value: Any, ctx: Context, here: str, row: ResourceRow) -> None:
    """Put `value` at `to`, unless another input already put a different value
    there (or below or above it): then the first one stays and this is reported."""
    out = target.out
    if len(to) == 1 and ctx.checks:  # the usual key: no objects on the way
        last = to[0]
        if last in out and not same(out[last], value):
            return _conflict(target, to, value, ctx, here, row)
        out[last] = value
        target.origins.setdefault(to, here)
        return
    if not ctx.checks:
        for part in to[:-1]:
            out = out.setdefault(part, {})
        out[to[-1]] = value
        return
    for depth, part in enumerate(to[:-1]):
        inner = out.setdefault(part, {})
        if not isinstance(inner, dict):
            return _conflict(target, to[: depth + 1], value, ctx, here, row)
        out = inner
    last = to[-1]
    if last in out and not same(out[last], value):
        return _conflict(target, to, value, ctx, here, row)
    out[last] = value
    target.origins.setdefault(to, here)


def _conflict(target: _Target, at: tuple[str, ...], value: Any, ctx: Context, here: str, row: ResourceRow) -> None:
    kept = target.out
    for part in at:
        kept = kept[part]
    origin = next((p for t, p in target.origins.items() if t[: len(at)] == at or at[: len(t)] == t), "another field")
    ctx.report("conflict", here, row.id,
               f"gives '{'.'.join(at)}' the value {show(value)}, but '{origin}' already gave it {show(kept)}; "
               f"the first kept, this one left out")


def convert(
    field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str, owner: dict[str, Any] | None = None
) -> Any:
    """One output value of `field`, or MISSING (reported) when there is none.
    `owner` is the Config object holding the value."""
    if field.transform not in ("copy", "segment", "upper") or field.each:
        value = reshape(field, value, row, ctx, path, owner or {})
        if value is MISSING or not field.each:
            return value
        return _each(field.each, value, ctx, path)
    params: dict[str, str] = {}
    if field.unset and any(same(value, unset) for unset in field.unset):
        ctx.report("note", path, row.id, f"{show(value)} means none: left out")
        return MISSING
    if field.parse is not None:
        parsed = parse_name(field.parse, value) if isinstance(value, str) else None
        if parsed is None:
            ctx.report("unknown", path, row.id, f"{show(value)} does not look like '{field.parse}'; left out")
            return MISSING
        params = _parents_from_endpoint(field.parse, parsed, ctx)
        if ctx.call:
            params = _other_parent(field, params, ctx.call, ctx, path, row)
    if field.id is not None:
        found = ctx.resolve(field.id, params, path, row.id)
        return MISSING if found is None else found
    if field.transform == "segment":
        assert field.segment is not None
        value = params[field.segment]
    given = value
    if field.check is not None:
        value = _checked(field, value, params, ctx, path, row, owner or {})
    elif field.transform == "upper" and isinstance(value, str):
        value = value.upper()
    if field.enum:
        value = _enum(field, value, row, ctx, path, given)
    return value


def _parents_from_endpoint(pattern: str, params: dict[str, str], ctx: Context) -> dict[str, str]:
    """The parameters of a bare name (`web`, which binds only the last one),
    with the parents it does not name taken from the `--endpoint` path (the
    workspace of `GET /v1beta/workspaces/acme/sources/web`); `params` otherwise."""
    if not ctx.endpoint:
        return params
    wanted = template(pattern).params
    if len(params) >= len(wanted):
        return params
    parents = {p: ctx.endpoint[p] for p in wanted if p not in params and p in ctx.endpoint}
    return {**parents, **params} if parents else params


def _other_parent(
    field: FieldMap, params: dict[str, str], call: dict[str, str], ctx: Context, path: str, row: ResourceRow
) -> dict[str, str]:
    """Report a request body value named under another workspace or source
    (its parents: the parameters of its name the field does not use) than the
    call's path, once per value: the Public call is made for the path's, so
    the parameters returned hold the call's parents (its ids are looked up there)."""
    if field.transform == "segment":
        used = {field.segment}
    else:
        used = set(template(field.id.key).params) if field.id else set()
    differ: list[str] = []
    for param, given in params.items():
        called = call.get(param)
        if param in used or given == called:
            continue
        if called is None:
            if not differ:
                _wider_call(param, given, call, ctx, path, row)
            break
        differ.append(param)
    if differ and not any(r.kind == "conflict" and r.path == path for r in ctx.reports):
        own = ", ".join(f"'{params[p]}'" for p in sorted(used) if p in params)
        named = " and ".join(f"{p} '{params[p]}'" for p in differ)
        called_for = " and ".join(f"{p} '{call[p]}'" for p in differ)
        which = " and ".join(differ)
        used_as = f"is used (this {which} left out)" if len(differ) == 1 else "are used (these left out)"
        ctx.report("conflict", path, row.id,
                   f"names {named}, but the call is for {called_for}: the call's {which} {used_as}, and {own} of "
                   f"this value is sent for {'it' if len(differ) == 1 else 'them'}; check it is meant")
    return {p: call[p] if p not in used and p in call else given for p, given in params.items()}


def _wider_call(param: str, given: str, call: dict[str, str], ctx: Context, path: str, row: ResourceRow) -> None:
    """Report a request body value named under an object the call's path
    names none of (a source's cloud-source `collection` in a workspace
    regulation): the call acts on more than that object."""
    if any(r.kind == "conflict" and r.path == path for r in ctx.reports):
        return
    scope = ", ".join(f"{p} '{v}'" for p, v in call.items())
    ctx.report("conflict", path, row.id,
               f"names {param} '{given}', but the call names no {param} (it is for {scope}): it would act on "
               f"more than {param} '{given}'; check --endpoint (a call under {param} '{given}' may be meant)")


def _checked(
    field: FieldMap, value: Any, params: dict[str, str], ctx: Context, path: str, row: ResourceRow,
    owner: dict[str, Any],
) -> Any:
    """A Config id kept as the Public id of `field.check`, reported for review
    unless the id map holds it (below the `within` object, when the field
    names one); the id the map keys by that object and the owner's `by`
    value (a filter's destination and title) is used in its place. A Public
    id another Config object of the run already got there is a conflict: left out."""
    assert field.check is not None
    if field.within is None:
        ctx.confirm_id(field.check, value, path, row.id)
        return value
    scope = ctx.lookup(field.within, params)
    by = owner.get(field.by) if field.by else None
    found, candidates = None, ()
    if ctx.checks and scope is not None and isinstance(by, str):
        resolution = ctx.ids.resolve(field.check, f"{scope}/{by}")
        found, candidates = resolution.id, resolution.ids if resolution.ambiguous else ()
    public = value if found is None else found
    if ctx.checks and scope is not None and isinstance(public, str) and isinstance(value, str):
        first = ctx.given.claim(field.check, scope, public, value)
        if first is not None:
            how = "its Config id" if found is None else f"the id map's for {field.by} {show(by)}"
            ctx.report("conflict", path, row.id,
                       f"the Public {field.check} id '{public}' ({how}) already went to the Config {field.check} "
                       f"'{first}' on {field.within.lookup} '{scope}' in this run: two {field.check}s would "
                       f"address one Public {field.check}; the first kept, this one's id left out")
            return MISSING
    if candidates and value not in candidates:
        # The map names several Public objects for it: none picked (docs/ids.md, Ambiguity).
        ctx.report("ambiguous", path, row.id,
                   f"the id map holds {len(candidates)} {field.check}s of {field.by} {show(by)} on "
                   f"{field.within.lookup} '{scope}' ({', '.join(candidates)}), none of them the Config id "
                   f"'{value}': that id is kept; pick one")
    elif found is None:
        ctx.confirm_id(field.check, value, path, row.id, scope or "")
    elif found != value:
        ctx.report("note", path, row.id,
                   f"the id map holds '{found}' for the {field.check} of {field.by} {show(by)} on "
                   f"{field.within.lookup} '{scope}': that Public id is used, not the Config id '{value}'")
    return public


def _enum(field: FieldMap, value: Any, row: ResourceRow, ctx: Context, path: str, given: Any) -> Any:
    """`value`, the Config value `given` as transformed, as the field's enum maps it."""
    if isinstance(value, str) and value in field.enum:
        return field.enum[value]
    if value not in field.enum.values():
        kept = "kept as is" if value == given else f"kept as {show(value)}"
        ctx.report("unknown", path, row.id, f"value {show(given)} has no Public counterpart; {kept}")
    return value


def _each(kind: str, value: Any, ctx: Context, path: str) -> Any:
    row = ctx.rules.resources[kind]
    if isinstance(value, list):
        for i, item in enumerate(value):
            mistyped(ctx, item, ("object",), f"a Public {kind}", join(path, i), row.id)
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
