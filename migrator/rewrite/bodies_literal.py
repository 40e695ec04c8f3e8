"""The body of one call as a dict literal (for `bodies`): found in the call or
bound to a name in the same function, its later mutations, and the code
that replaces it (including a split into two calls)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from migrator.rewrite import clients, line_refs
from migrator.rewrite.bodies_sites import BODY_KEYWORDS, Site, literal_str
from migrator.rewrite.bodies_values import Holes, Reader, Style, Unsupported, _pure, contains_hole_or_opaque, render
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit, apply
from migrator.rewrite.table import Endpoint
from migrator.ruleset.templates import template


def body_literal(ctx: FileContext, site: Site) -> cst.Dict:
    node = _serialized(ctx, site.body)
    if isinstance(node, cst.Dict):
        return node
    if isinstance(node, cst.Name):
        return _bound_dict(ctx, site, node)
    raise Unsupported("the body is not a dict literal or a name bound to one in this function")


def _serialized(ctx: FileContext, node: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """The value inside `json.dumps(value)` and `json.dumps(value).encode(...)`
    (bodies of `data=` and of `urllib.request`), else `node` itself."""
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "encode"
        and isinstance(node.func.value, cst.Call)
        and clients.qualified_name(ctx, node.func.value.func) == "json.dumps"
    ):
        if len(node.args) > 1 or any(a.star or (a.keyword is not None and a.keyword.value != "encoding") for a in node.args):
            raise Unsupported("`.encode` is called in a way this rewrite does not read")
        node = node.func.value
    if isinstance(node, cst.Call) and clients.qualified_name(ctx, node.func) == "json.dumps":
        if not node.args or node.args[0].keyword is not None or node.args[0].star:
            raise Unsupported("`json.dumps` is called in a way this rewrite does not read")
        return node.args[0].value
    return node


def _bound_dict(ctx: FileContext, site: Site, name: cst.Name) -> cst.Dict:
    index = ctx.index
    scope = index.scope_of(site.call)
    values = index.assignments.get((scope, name.value), [])
    if not values and isinstance(scope, cst.FunctionDef) and name.value in {
        p.name.value for p in (*scope.params.params, *scope.params.kwonly_params)
    }:
        raise Unsupported(f"`{name.value}` is built outside this function (a parameter)")
    bound = _serialized(ctx, values[0]) if len(values) == 1 else None
    if not isinstance(bound, cst.Dict):
        raise Unsupported(f"`{name.value}` is not bound once to a dict literal in this function")
    serialized = bound is not values[0]
    value = bound
    # Uses in a nested scope (a lambda, a nested def, a class body) count
    # too: what they do to the body cannot be placed before or after the call.
    uses = [
        n for n in index.names.get(name.value, [])
        if n is not name and n not in index.targets and not _attr_name(ctx, n)
        and ctx.within(n, scope) and not _shadowed(ctx, n, scope, name.value)
    ]
    if isinstance(scope, cst.Module):
        uses = [n for n in index.names.get(name.value, []) if n is not name and n not in index.targets
                and not _attr_name(ctx, n)]
    body_span = ctx.src.span(site.call)
    value_span = ctx.src.span(value)
    if body_span is None or value_span is None or value_span[0] > body_span[0]:
        raise Unsupported(f"`{name.value}` is not bound before the call")
    mutations: list[Mutation] = []
    for use in uses:
        mutation = None if serialized else _mutation(ctx, use, value, site)
        if mutation is None:
            raise Unsupported(f"`{name.value}` is also used or changed elsewhere ({line_refs.of(ctx, use)})")
        mutations.append(mutation)
    _MUTATIONS[id(value)] = (value, mutations)
    return value


def mask_literals(ctx: FileContext, site: Site, body: cst.Dict, key: str) -> dict[int, cst.BaseExpression]:
    """The names the update mask of `body` is held in (`"update_mask": mask`,
    `{"paths": paths}`), each with the literal it is bound to (`_local_literal`):
    the Public body has no mask, so they are read, never written back."""
    found: dict[int, cst.BaseExpression] = {}
    mask = next((e.value for e in body.elements if isinstance(e, cst.DictElement)
                 and literal_str(e.key) == key), None)
    if isinstance(mask, cst.Name):
        literal = _local_literal(ctx, site, mask)
        if literal is not None:
            found[id(mask)] = literal
            mask = literal
    if isinstance(mask, cst.Dict):
        for element in mask.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.value, cst.Name):
                literal = _local_literal(ctx, site, element.value)
                if literal is not None:
                    found[id(element.value)] = literal
    return found


def _local_literal(ctx: FileContext, site: Site, name: cst.Name) -> cst.List | cst.Dict | None:
    """The list or dict literal a local of the call's function is bound to,
    once, before the call, when `name` is its one use (nothing can change it)."""
    index = ctx.index
    scope = index.scope_of(site.call)
    values = index.assignments.get((scope, name.value), [])
    if not isinstance(scope, cst.FunctionDef) or len(values) != 1 or not isinstance(values[0], (cst.List, cst.Dict)):
        return None
    mentions = [n for n in index.names.get(name.value, []) if ctx.within(n, scope) and not _attr_name(ctx, n)]
    if len(mentions) != 2 or name not in mentions:  # the binding and this use
        return None
    bound, call = ctx.src.span(values[0]), ctx.src.span(site.call)
    if bound is None or call is None or bound[0] > call[0]:
        return None
    return values[0]


def _shadowed(ctx: FileContext, use: cst.Name, scope: cst.CSTNode, name: str) -> bool:
    """`use` is inside a function or lambda nested in `scope` that has its own
    parameter `name` (`lambda body: ...`): another variable."""
    inner = ctx.index.scope_of(use)
    while inner is not scope and isinstance(inner, (cst.FunctionDef, cst.Lambda)):
        if name in clients.param_names(inner.params):
            return True
        inner = ctx.index.scope_of(inner)
    return False


@dataclass
class Mutation:
    """`body["a"]["b"] = <literal>` between the literal and the call: folded
    into the literal, and its line removed."""

    keys: list[str]
    value: cst.BaseExpression
    line: tuple[int, int]
    """Text span of the whole line (with its line break)."""


_MUTATIONS: dict[int, tuple[cst.Dict, list[Mutation]]] = {}
"""Changes found for a literal (the literal is kept, so its id stays its own)."""


def forget() -> None:
    """Drop the mutations found for the last file."""
    _MUTATIONS.clear()


def mutations_of(node: cst.Dict) -> list[Mutation]:
    found = _MUTATIONS.get(id(node))
    return found[1] if found is not None and found[0] is node else []


def _mutation(ctx: FileContext, use: cst.Name, value: cst.Dict, site: Site) -> Mutation | None:
    keys: list[str] = []
    node: cst.CSTNode = use
    parent = ctx.parent(node)
    while isinstance(parent, cst.Subscript) and parent.value is node:
        if len(parent.slice) != 1 or not isinstance(parent.slice[0].slice, cst.Index):
            return None
        key = literal_str(parent.slice[0].slice.value)
        if key is None:
            return None
        keys.append(key)
        node = parent
        parent = ctx.parent(node)
    target = ctx.parent(node)
    assign = ctx.parent(target) if isinstance(target, cst.AssignTarget) else None
    line = ctx.parent(assign) if isinstance(assign, cst.Assign) else None
    if not keys or not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    if len(assign.targets) != 1 or line.trailing_whitespace.comment is not None:  # type: ignore[union-attr]
        return None
    # the literal, the change and the call: statements of one block, in this order
    block = ctx.parent(line)
    first = ctx.statement_of(value)
    last = ctx.statement_of(site.call)
    if ctx.parent(first) is not block or ctx.parent(last) is not block:
        return None
    spans = [ctx.src.span(n) for n in (first, line, last)]
    if any(sp is None for sp in spans) or not (spans[0][0] < spans[1][0] < spans[2][0]):  # type: ignore[index]
        return None
    start, end = spans[1]  # type: ignore[misc]
    line_start = ctx.src.text.rfind("\n", 0, start) + 1
    if ctx.src.text[line_start:start].strip():
        return None
    line_end = ctx.src.text.find("\n", end)
    if line_end < 0 or ctx.src.text[end:line_end].strip("\r \t"):
        return None
    return Mutation(keys, assign.value, (line_start, line_end + 1))  # type: ignore[union-attr]


def _attr_name(ctx: FileContext, name: cst.Name) -> bool:
    parent = ctx.parent(name)
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return True
    if isinstance(parent, cst.Arg) and parent.keyword is name:
        return True
    return isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Param, cst.ImportAlias))


def rename_verb(ctx: FileContext, site: Site, method: str) -> Edit:
    verb = site.verb
    if isinstance(verb, cst.Name):
        span = ctx.src.span(verb)
        if span is None:
            raise Unsupported("the method of the call cannot be changed here")
        old = verb.value
        return Edit(span[0], span[1], method.lower() if old.islower() else method)
    if isinstance(verb, cst.SimpleString):
        span = ctx.src.span(verb)
        old = literal_str(verb)
        if span is None or old is None or verb.prefix.lower() not in ("", "u"):
            raise Unsupported("the method of the call cannot be changed here")
        new = method.lower() if old.islower() else method
        text = ctx.src.text[span[0] : span[1]]
        quote_start = len(verb.prefix) + len(verb.quote)
        if text[quote_start : -len(verb.quote)] != old:  # escapes in the literal
            raise Unsupported("the method of the call cannot be changed here")
        return Edit(span[0] + quote_start, span[1] - len(verb.quote), new)
    raise Unsupported(f"the call must use {method}, and its method cannot be changed here")


def with_newlines(ctx: FileContext, text: str) -> str:
    return text.replace("\n", "\r\n") if "\r\n" in ctx.src.module.default_newline else text


def literal_style(
    ctx: FileContext, node: cst.CSTNode, reader: Reader, holes: Holes, what: str
) -> tuple[int, int, str, Style]:
    """Span, text and style of a literal about to be rewritten: its quotes,
    one line or one item a line, its indent. `what` names it in errors."""
    start, end = ctx.src.span(node) or (0, 0)
    old = ctx.src.text[start:end]
    if has_comment(old):
        raise Unsupported(f"the {what} holds comments that would be lost")
    line_start = ctx.src.text.rfind("\n", 0, start) + 1
    line = ctx.src.text[line_start:start]
    quotes = reader.quotes
    style = Style(
        quote="'" if quotes["'"] > quotes['"'] else '"',
        multiline="\n" in old,
        indent=line[: len(line) - len(line.lstrip(" \t\f"))],
        unit=ctx.src.module.default_indent,
        width=max([88, *(len(x) for x in (line + old).splitlines())]),
        leaves=reader.leaves,
        holes=holes,
    )
    return start, end, old, style


def public_main_url(endpoint: Endpoint, params: dict[str, str]) -> str:
    """The Public URL template of the row as translate writes it (ids as `{lookup}`)."""
    path = endpoint.public_path or ""
    values = {
        name: "{" + endpoint.row.ids[name].lookup + "}" if name in endpoint.row.ids else params.get(name, "{" + name + "}")
        for name in template(path).params
    }
    return template(path).fill(values)


RESPONSE_OK = {"requests": "ok", "httpx": "is_success"}
"""How each client says a response succeeded (the next call runs only then)."""


def split_call(
    ctx: FileContext, site: Site, calls: list[dict[str, Any]], suffixes: list[str], style: Style
) -> list[Edit]:
    """One Config call that is several Public calls (tracking plan rules):
    `resp = requests.patch(url, ...)`, then `if resp.ok: resp = requests.put(url + "/rules", ...)`,
    so the response left in `resp` is the first failure or the last success."""
    call = site.call
    func = call.func
    if not isinstance(func, cst.Attribute) or not isinstance(site.verb, cst.Name):
        raise Unsupported("the Public API needs more than one call here, and this call cannot be repeated")
    library = _library(ctx, func.value)
    if library is None:
        raise Unsupported("the Public API needs more than one call here, and the HTTP client cannot be told")
    assign = ctx.parent(call)
    line = ctx.parent(assign) if isinstance(assign, cst.Assign) else None
    if (
        not isinstance(line, cst.SimpleStatementLine)
        or len(line.body) != 1
        or len(assign.targets) != 1  # type: ignore[union-attr]
        or not isinstance(assign.targets[0].target, cst.Name)  # type: ignore[union-attr]
        or line.trailing_whitespace.comment is not None
    ):
        raise Unsupported("the Public API needs more than one call here: write it as `resp = client.put(...)`")
    target = assign.targets[0].target.value  # type: ignore[union-attr]
    url_arg = next((a for a in call.args if a.value is site.url), None)
    body_arg = next((a for a in call.args if a.keyword is not None and a.keyword.value in BODY_KEYWORDS), None)
    if url_arg is None or body_arg is None or not _pure(site.url):  # type: ignore[arg-type]
        raise Unsupported("the Public API needs more than one call here, and the URL cannot be used twice")
    others = [a for a in call.args if a is not url_arg and a is not body_arg]
    if any(a.star or a.keyword is None or not _pure(a.value) for a in others):
        raise Unsupported("the Public API needs more than one call here, and the call's arguments cannot be repeated")
    def code(node: cst.CSTNode) -> str | None:
        """The node's text with the edits already taken (the migrated URL)."""
        span = ctx.src.span(node)
        if span is None:
            return None
        inside = [e for e in ctx.edits if span[0] <= e.start and e.end <= span[1]]
        if any(e.start < span[1] and e.end > span[0] and e not in inside for e in ctx.edits):
            raise Unsupported("the Public API needs more than one call here, and the URL cannot be used twice")
        return apply(ctx.src.text[span[0] : span[1]], inside, span[0])

    url_text = code(site.url) or ""
    receiver = code(func.value) or ""
    wrap = site.body
    dumps = code(wrap.func) if isinstance(wrap, cst.Call) else None
    edits: list[Edit] = []
    first = calls[0]
    if first["method"] != (site.method or ""):
        edits.append(rename_verb(ctx, site, first["method"]))
    if suffixes[0]:
        span = ctx.src.span(site.url)  # type: ignore[arg-type]
        assert span is not None
        edits.append(Edit(span[1], span[1], f" + {_quote_suffix(suffixes[0], style)}"))
    statement = ctx.src.span(line)
    assert statement is not None
    newline = ctx.src.module.default_newline
    indent = style.indent if ctx.src.text[ctx.src.text.rfind("\n", 0, statement[0]) + 1 : statement[0]].strip() else (
        ctx.src.text[ctx.src.text.rfind("\n", 0, statement[0]) + 1 : statement[0]]
    )
    inner = indent + style.unit
    more: list[str] = []
    for call_, suffix in zip(calls[1:], suffixes[1:]):
        body_style = Style(style.quote, style.multiline, inner, style.unit, style.width, style.leaves, style.holes)
        body = render(call_.get("body"), body_style) if call_.get("body") is not None else None
        args = [url_text + (f" + {_quote_suffix(suffix, style)}" if suffix else "")]
        if body is not None:
            args.append(f"{body_arg.keyword.value}={dumps + '(' + body + ')' if dumps else body}")  # type: ignore[union-attr]
        args.extend(code(a) or "" for a in others)
        text = f"{receiver}.{call_['method'].lower()}({', '.join(a.rstrip(', ') for a in args)})"
        more.append(f"{newline}{indent}if {target}.{RESPONSE_OK[library]}:{newline}{inner}{target} = {text}")
    end = ctx.src.span(assign)
    assert end is not None
    if more:
        edits.append(Edit(end[1], end[1], with_newlines(ctx, "".join(more)) if newline == "\n" else "".join(more)))
    return edits


def _quote_suffix(suffix: str, style: Style) -> str:
    return style.quote + suffix + style.quote


def _library(ctx: FileContext, receiver: cst.BaseExpression) -> str | None:
    """`requests` or `httpx`: the module itself, or a client made by it."""
    name = clients.qualified_name(ctx, receiver)
    if name in RESPONSE_OK:
        return name
    values = clients.resolve(ctx, receiver) if isinstance(receiver, (cst.Name, cst.Attribute)) else []
    found = {
        clients.qualified_name(ctx, v.func).split(".")[0]
        for v in values
        if isinstance(v, cst.Call) and clients.qualified_name(ctx, v.func).split(".")[-1] in ("Session", "Client")
    }
    if len(found) == 1 and next(iter(found)) in RESPONSE_OK and len(values) == 1:
        return next(iter(found))
    return None


def read_dict(reader: Reader, node: cst.Dict) -> Any:
    """The literal's value with the changes made to it before the call."""
    value = reader.value(node)
    for mutation in mutations_of(node):
        item = reader.value(mutation.value)
        if contains_hole_or_opaque(item):
            raise Unsupported("a value set after the body is built is not a literal")
        target = value
        for key in mutation.keys[:-1]:
            target = target.get(key) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            raise Unsupported("a change made to the body after it is built cannot be followed")
        target[mutation.keys[-1]] = item
    return value


def has_comment(text: str) -> bool:
    import io
    import tokenize

    try:
        return any(
            t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO("(" + text + ")").readline)
        )
    except (tokenize.TokenError, SyntaxError):
        return True
