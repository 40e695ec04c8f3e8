"""A base URL filled into a template together with values from a mapping.

`"{HOST}/{version}/workspaces/{ws}/sources".format(HOST=HOST, **locals())`,
`TEMPLATE.format_map(locals())`, `"%(host)s/%(ver)s/..." % locals()` or
`string.Template("$host/$ver/...").substitute(locals())` (`**locals()`,
`safe_substitute`) after `host = HOST`: the path the template builds is filled from values this
rewrite cannot see (`v1beta` may be one of them), so it cannot be told
whether it is a Config path. The template is marked and linked to the base
(see `joins`): the base stays on the Config API with it.

A base reaches such a template as a value given by name or position next
to `*args`/`**mapping`, or through `locals()`/`vars()` of the scope that
binds a name to it (`globals()` too, for a module constant), when the
template names that value (or its text cannot be read).
"""

from __future__ import annotations

import re
import string

import libcst as cst

from migrator.rewrite import clients, joins
from migrator.rewrite.context import FileContext
from migrator.rewrite.path_messages import PARTIAL

FILLED = (
    "Config API base URL filled into a template whose values come from `{star}`: whether the path it "
    "builds is a Config API path cannot be told here: give the values by name, or migrate this URL and the "
    "base URL together by hand (see `migrator rules`)"
)
SUBSTITUTES = ("substitute", "safe_substitute")
"""`string.Template` methods filling `$name` placeholders from a mapping and keywords."""
_NAMESPACES = ("locals", "vars")
"""Calls that read the names of the scope they are in (without arguments)."""


def check(ctx: FileContext, base: cst.CSTNode, uses: list[cst.CSTNode]) -> set[int]:
    """Mark each template `base` is filled into with mapping values, and
    link it to the base; the ids of the uses and namespace reads (`locals()`)
    that fill one."""
    done: set[int] = set()
    for use in uses:
        fill = _beside_mapping(ctx, use)
        if fill is not None:
            _hold(ctx, base, *fill)
            done.add(id(use))
    for name, scope in _bound_names(ctx, base, uses):
        for call in _namespace_reads(ctx, scope):
            for mapping in _mappings(ctx, call):
                fill = _from_mapping(ctx, mapping, name)
                if fill is not None:
                    _hold(ctx, base, *fill)
                    done.add(id(call))
    return done


def _hold(ctx: FileContext, base: cst.CSTNode, site: cst.CSTNode, star: str) -> None:
    """The base stays with the template; the template is marked, unless the
    paths kind already marked it (a Config path it read: `paths`)."""
    span = ctx.src.span(site)
    marked = span is not None and any(m.rule == PARTIAL and m.offset == span[0] for m in ctx.markers)
    if not marked and not ctx.suppressed(site, PARTIAL):
        ctx.mark(PARTIAL, site, FILLED.format(star=star))
    joins.link(ctx, site, [base], ok=False)


def _beside_mapping(ctx: FileContext, use: cst.CSTNode) -> tuple[cst.Call, str] | None:
    """`"{HOST}/...".format(HOST=HOST, **values)`: the call and its starred
    argument, when the template names the value (or cannot be read)."""
    arg = ctx.parent(use)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(arg, cst.Arg) or arg.star or not isinstance(call, cst.Call):
        return None
    if _substituted(ctx, call) is not None:
        # `Template(...).substitute(values, HOST=HOST)`: the mapping is the positional argument
        mappings = [a for a in call.args if a.star or a.keyword is None]
        if arg.keyword is None or not mappings:
            return None
        template = _substituted(ctx, call)
        if not _names(ctx, template, arg.keyword.value, percent=False, dollar=True):  # type: ignore[arg-type]
            return None
        return call, _star_text(ctx, mappings[0])
    if not _is_method(call, "format"):
        return None
    starred = [a for a in call.args if a.star]
    if not starred:
        return None
    key: str | int = arg.keyword.value if arg.keyword is not None else \
        [a for a in call.args if a.keyword is None and not a.star].index(arg)  # type: ignore[union-attr]
    if not _names(ctx, call.func.value, key, percent=False):  # type: ignore[union-attr]
        return None
    return call, _star_text(ctx, starred[0])  # type: ignore[return-value]


def _mappings(ctx: FileContext, read: cst.Call, depth: int = 0) -> list[cst.BaseExpression]:
    """The mappings a namespace read ends up in: itself, and what is built
    from it (`locals() | extra`, `{**locals(), ...}`, `dict(locals(), ...)`,
    `values = locals()` and the reads of `values`)."""
    found: list[cst.BaseExpression] = [read]
    node: cst.CSTNode = read
    for _ in range(8):
        holder = ctx.parent(node)
        if isinstance(holder, cst.StarredDictElement):
            holder = ctx.parent(holder)
        elif isinstance(holder, cst.Arg) and not holder.star and not holder.keyword:
            call = ctx.parent(holder)
            holder = call if isinstance(call, cst.Call) and clients.callee_name(call) == "dict" else None
        merged = isinstance(holder, cst.BinaryOperation) and isinstance(holder.operator, cst.BitOr)
        if merged or isinstance(holder, (cst.Dict, cst.Call)):
            found.append(holder)  # type: ignore[arg-type]
            node = holder
            continue
        if isinstance(holder, cst.Assign) and holder.value is node and depth < 2:
            for target in holder.targets:
                for use in clients._uses(ctx, target.target, holder):
                    if isinstance(use, cst.BaseExpression):
                        found.extend(_mappings(ctx, use, depth + 1))  # type: ignore[arg-type]
        break
    return found


def _from_mapping(ctx: FileContext, mapping: cst.BaseExpression, name: str) -> tuple[cst.CSTNode, str] | None:
    """The template a mapping built from a namespace read (`locals()`)
    fills, and how, when it names `name` (or its text cannot be read)."""
    holder = ctx.parent(mapping)
    if isinstance(holder, cst.BinaryOperation) and isinstance(holder.operator, cst.Modulo) and holder.right is mapping:
        if _names(ctx, holder.left, name, percent=True):
            return holder, "% " + (ctx.src.code(mapping) or "")
        return None
    method = ctx.parent(holder) if isinstance(holder, cst.Arg) else None
    if not isinstance(holder, cst.Arg) or holder.keyword is not None or not isinstance(method, cst.Call):
        return None
    template = _substituted(ctx, method)
    if template is not None and (holder.star == "**" or (not holder.star and method.args[0] is holder)):
        how = _star_text(ctx, holder) if holder.star else f"{method.func.attr.value}({ctx.src.code(mapping) or ''})"  # type: ignore[attr-defined]
        return (method, how) if _names(ctx, template, name, percent=False, dollar=True) else None
    if holder.star == "**" and _is_method(method, "format"):
        how = _star_text(ctx, holder)
    elif not holder.star and _is_method(method, "format_map") and len(method.args) == 1:
        how = f"format_map({ctx.src.code(mapping) or ''})"
    else:
        return None
    return (method, how) if _names(ctx, method.func.value, name, percent=False) else None  # type: ignore[attr-defined]


def substituted_by_name(ctx: FileContext, use: cst.CSTNode) -> bool:
    """`string.Template(T).substitute(host=HOST, ...)`: `use` is a value given by name."""
    arg = ctx.parent(use)
    if not isinstance(arg, cst.Arg) or arg.keyword is None:
        return False
    call = ctx.parent(arg)
    return isinstance(call, cst.Call) and _substituted(ctx, call) is not None


def _substituted(ctx: FileContext, call: cst.Call) -> cst.BaseExpression | None:
    """`string.Template(T).substitute(...)` (or `safe_substitute`, the
    template held in a name): `T`, the template's text expression."""
    if not (isinstance(call.func, cst.Attribute) and call.func.attr.value in SUBSTITUTES):
        return None
    made: cst.BaseExpression = call.func.value
    if isinstance(made, cst.Name):
        values = clients.resolve(ctx, made)
        made = values[0] if len(values) == 1 else made
    if not isinstance(made, cst.Call) or clients.qualified_name(ctx, made.func) != "string.Template":
        return None
    args = [a for a in made.args if not a.star and a.keyword is None]
    return args[0].value if len(args) == 1 else cst.Name("_")  # an unreadable template: it may name anything


def _is_method(call: cst.CSTNode | None, name: str) -> bool:
    return isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == name


def _star_text(ctx: FileContext, arg: cst.Arg) -> str:
    return str(arg.star) + (ctx.src.code(arg.value) or "")


def _bound_names(
    ctx: FileContext, base: cst.CSTNode, uses: list[cst.CSTNode]
) -> list[tuple[str, cst.CSTNode]]:
    """Names bound to the base (`HOST = "https://…"`, `host = HOST`), with the
    scope (module or function) that binds each; not class attributes."""
    found: list[tuple[str, cst.CSTNode]] = []
    for value in (base, *uses):
        holder = ctx.parent(value)
        if not isinstance(holder, cst.Assign) or holder.value is not value:
            continue
        scope = ctx.index.scope_of(holder)
        if isinstance(scope, cst.Module) and ctx.index.class_of(holder) is not None:
            continue  # a class attribute: no namespace read holds it
        found.extend((t.target.value, scope) for t in holder.targets if isinstance(t.target, cst.Name))
    return found


def _namespace_reads(ctx: FileContext, scope: cst.CSTNode) -> list[cst.Call]:
    """`locals()`/`vars()` called in `scope` itself; `globals()` anywhere for
    the module."""
    names = [*_NAMESPACES, "globals"] if isinstance(scope, cst.Module) else list(_NAMESPACES)
    found: list[cst.Call] = []
    for name in names:
        for node in ctx.index.names.get(name, []):
            call = ctx.parent(node)
            if not (isinstance(call, cst.Call) and call.func is node and not call.args):
                continue
            if name == "globals" or ctx.index.scope_of(call) is scope:
                found.append(call)
    return found


def _names(
    ctx: FileContext, template: cst.BaseExpression, key: str | int, *, percent: bool, dollar: bool = False,
) -> bool:
    """Whether the template has a placeholder for `key` (True when its text
    cannot be read); `dollar`: a `string.Template` (`$key`, `${key}`)."""
    text = _text(ctx, template)
    if text is None:
        return True
    if dollar:
        found = [m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(text)]
        return key in found
    if percent:
        return isinstance(key, str) and key in re.findall(r"%\(([^)]*)\)", text.replace("%%", ""))
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError:
        return True
    heads = [re.split(r"[.\[]", f, maxsplit=1)[0] for f in fields]
    if isinstance(key, int):
        return any(h == "" or h.isdigit() for h in heads)
    return key in heads


def _text(ctx: FileContext, template: cst.BaseExpression) -> str | None:
    """A template's text: a string literal, or the one string a name holds."""
    if isinstance(template, (cst.Name, cst.Attribute)):
        values = clients.resolve(ctx, template)
        template = values[0] if len(values) == 1 else template
    if isinstance(template, (cst.SimpleString, cst.ConcatenatedString)):
        value = template.evaluated_value
        return value if isinstance(value, str) else None
    return None
