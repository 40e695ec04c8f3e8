"""Reading every page where the Config call answered the whole list
(rewrite row `rewrite.pagination`; endpoint rows with `config_whole_list`).

Some Config list calls had no pages (`GET …/tracking-plans/{plan}/source-connections`
answered `{"connections": [...]}`), but their Public counterparts do. A
migrated call to one of them that sends no cursor would silently read only
the first page. When the code shape allows it, the call goes through a
small helper of the generated lookup module that asks for the next pages
with the same client call and merges their items:

    resp = session.get(url, params={"pagination.count": 200})
    items = resp.json()["data"]["sources"]
    # becomes
    resp = segment_ids.all_pages("sources", session.get, url, params={"pagination.count": 200})
    items = resp["data"]["sources"]

It applies to a `requests`/`httpx` style `get(url, keyword=...)` call whose
response is only decoded (`call.json()`, or a name of the function bound to
the call and used nowhere else than in `name.json()`). Anything else is
marked by the caller.
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit
from migrator.rewrite.lookup_name import lookup_at
from migrator.ruleset import RuleSet
from migrator.ruleset.models import EndpointRow

HELPER = "all_pages"


def whole_list(ctx: FileContext, endpoint_id: str) -> bool:
    """Did the Config call of this endpoint row answer the whole list?"""
    row = ctx.rules.by_id.get(endpoint_id)
    return isinstance(row, EndpointRow) and row.config_whole_list


def follow_edits(ctx: FileContext, function: cst.CSTNode, call: cst.Call, list_key: str,
                 quote: str) -> list[Edit] | None:
    """The edits that make `call` read every page, or None when its
    response is used in a way the helper would not keep."""
    module = lookup_at(ctx, call)
    if module is None or not _plain_get(call):
        return None
    decodes = _decodes(ctx, function, call)
    if decodes is None:
        return None
    src = ctx.src
    func = src.span(call.func)
    if func is None:
        return None
    text = src.text
    lpar = func[1]
    while lpar < len(text) and text[lpar] in " \t":
        lpar += 1
    if lpar >= len(text) or text[lpar] != "(":
        return None
    edits = [
        Edit(func[0], func[0], f"{module}.{HELPER}({quote}{list_key}{quote}, "),
        Edit(func[1], lpar + 1, ", "),
    ]
    for receiver, decode in decodes:
        start = src.span(receiver)
        end = src.span(decode)
        if start is None or end is None:
            return None
        edits.append(Edit(start[1], end[1], ""))
    return edits


def _plain_get(call: cst.Call) -> bool:
    """`get(url, keyword=...)`: `all_pages` can repeat it with other params."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    positional = [a for a in call.args if a.keyword is None]
    return name == "get" and len(positional) == 1 and not any(a.star for a in call.args)


def _decodes(ctx: FileContext, function: cst.CSTNode,
             call: cst.Call) -> list[tuple[cst.CSTNode, cst.Call]] | None:
    """(receiver, `receiver.json()` call) for every use of the response
    (nested functions of `function` included: they may close over it)."""
    parent = ctx.parent(call)
    direct = _decode_of(ctx, call)
    if direct is not None:
        return [(call, direct)]
    if not isinstance(function, cst.FunctionDef):
        return None  # a module-level name may be read anywhere
    if not (isinstance(parent, cst.Assign) and parent.value is call and len(parent.targets) == 1):
        return None
    target = parent.targets[0].target
    if not isinstance(target, cst.Name):
        return None
    found: list[tuple[cst.CSTNode, cst.Call]] = []
    for node in _walk(function):
        if type(node) is not cst.Name or node is target or node.value != target.value:  # type: ignore[attr-defined]
            continue
        up = ctx.parent(node)
        if isinstance(up, cst.Attribute) and up.attr is node:
            continue
        if isinstance(up, cst.Arg) and up.keyword is node:
            continue
        decode = _decode_of(ctx, node)
        if decode is None:
            return None  # rebound, declared global, or used as a response
        found.append((node, decode))
    return found or None


def _walk(node: cst.CSTNode):  # type: ignore[no-untyped-def]
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def _decode_of(ctx: FileContext, node: cst.CSTNode) -> cst.Call | None:
    """`node.json()` with no arguments: that call."""
    attribute = ctx.parent(node)
    if not (isinstance(attribute, cst.Attribute) and attribute.value is node and attribute.attr.value == "json"):
        return None
    decode = ctx.parent(attribute)
    if isinstance(decode, cst.Call) and decode.func is attribute and not decode.args:
        return decode
    return None


# -- the helper of the generated lookup module -------------------------------------------

_HELPER_TEXT = '''

def {name}(list_key: str, get, url: str, **kwargs):
    """The decoded response of `get(url, **kwargs)` with `data.<list_key>` holding
    the items of every page: the next pages are asked for with the same call and
    `{cursor}` set to `data.{pagination}.{next}`, until there is none. A page
    that is not a list page (an error) is returned as it is."""
    params = dict(kwargs.pop("params", None) or {{}})
    body = page = get(url, params=params, **kwargs).json()
    while True:
        data = page.get("{data}") if isinstance(page, dict) else None
        paging = data.get("{pagination}") if isinstance(data, dict) else None
        cursor = paging.get("{next}") if isinstance(paging, dict) else None
        if not cursor:
            return body
        page = get(url, params={{**params, "{cursor}": cursor}}, **kwargs).json()
        items = page.get("{data}", {{}}).get(list_key) if isinstance(page, dict) else None
        if not isinstance(items, list):
            return page
        body["{data}"][list_key].extend(items)
        body["{data}"]["{pagination}"] = page["{data}"].get("{pagination}")
'''


def render_helper(rules: RuleSet) -> str:
    """Source of `all_pages` for the lookup module (names from the envelope
    and pagination rows)."""
    envelope = rules.envelope
    return _HELPER_TEXT.format(
        name=HELPER, data=envelope.data_key, pagination=envelope.public_pagination,
        next=envelope.public_next, cursor=rules.pagination.cursor_param,
    )
