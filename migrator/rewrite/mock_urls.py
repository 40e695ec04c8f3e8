"""Page parameters in the URLs tests pin for paginated calls.

The migrated code sends `pagination.count` where it sent `page_size` (the
pagination kind renames it, and adds it with the row's `default_count` to a
call that gave none). A URL literal a test pins for such a call — a double
registered with a query (`responses.add(responses.GET,
".../sources?page_size=100")`), or a URL compared whole with the request
(`responses.calls[0].request.url == "..."`, `request.url == "..."` in a
transport handler) — gets the same rename, and the endpoint row's fixed
query (`&type=LIVE` for a tracking-plan list), which the migrated call sends
after its other parameters, appended. What cannot follow (a page token,
a size above `max_count`, a URL compared whole without the page size the
Public call now carries, a URL that is not one plain literal) is reported.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit
from migrator.rewrite.mock_patterns import fixed_query
from migrator.rewrite.table import Endpoint


def page_query(
    ctx: FileContext, url: cst.BaseExpression, endpoint: Endpoint, whole: bool
) -> tuple[list[Edit], str | None]:
    """The edits renaming the page size in `url`, and a reason to mark when
    the pinned URL cannot match what the migrated call sends. `whole`: the
    URL is compared whole (its query must match); otherwise an absent query
    matches any."""
    if not endpoint.lists:
        return [], None
    node = url
    if isinstance(url, cst.BinaryOperation) and isinstance(url.operator, cst.Add):
        queried = _query_operand(url)
        if queried is None:
            return [], _unread(ctx, whole)
        if queried is not url.right:
            return [], "the query of this URL cannot be read exactly"  # `API + "/sources?page_size=" + n`
        node = url.right  # `URL + "?page_size=100"`, `API + "/sources?page_size=100"`
    elif isinstance(url, (cst.Name, cst.Attribute)):
        values = clients.resolve(ctx, url)
        node = values[0] if len(values) == 1 else url
    if isinstance(node, cst.FormattedString):
        return _fstring_query(ctx, node, endpoint, whole)
    if not isinstance(node, cst.SimpleString):
        return [], _unread(ctx, whole)
    value = node.evaluated_value
    span = ctx.src.span(node)
    if not isinstance(value, str) or span is None:
        return [], None
    text = ctx.src.text[span[0] : span[1]]
    body_start = len(node.prefix) + len(node.quote)
    if "\\" in text or text[body_start : len(text) - len(node.quote)] != value:
        return [], "the query of this URL cannot be read exactly" if "?" in value else None
    return _query_edits(ctx, value, span[0] + body_start, endpoint, whole)


def _query_operand(url: cst.BinaryOperation) -> cst.BaseExpression | None:
    """The operand of a joined URL whose text starts its query: a literal
    holding `?`, or a string starting one (`"?page=" + n`)."""
    operands: list[cst.BaseExpression] = []
    node: cst.BaseExpression = url
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        operands.append(node.right)
        node = node.left
    operands.append(node)
    for operand in reversed(operands):
        value = operand.evaluated_value if isinstance(operand, cst.SimpleString) else None
        if (isinstance(value, str) and "?" in value) or clients._starts_query(operand):
            return operand
    return None


def _unread(ctx: FileContext, whole: bool) -> str | None:
    """Why a URL whose query cannot be seen is marked: compared whole, it
    may lack the page size the Public call sends."""
    count = ctx.rules.pagination.count_param
    return f"the Public call sends `{count}`; check the query this URL expects" if whole else None


def _fstring_query(
    ctx: FileContext, node: cst.FormattedString, endpoint: Endpoint, whole: bool
) -> tuple[list[Edit], str | None]:
    """`f"{API}/sources?page_size=100"`: a query held whole in the text after
    the last value."""
    last = node.parts[-1] if node.parts else None
    if any(isinstance(p, cst.FormattedStringText) and "?" in p.value for p in node.parts[:-1]):
        return [], "the query of this URL cannot be read exactly"  # values in the query
    if not isinstance(last, cst.FormattedStringText):
        return [], _unread(ctx, whole)
    span = ctx.src.span(last)
    value = last.value
    query_at = value.find("?")
    if span is None:
        return [], None
    if query_at >= 0 and any(c in value[query_at:] for c in "\\{}"):
        return [], "the query of this URL cannot be read exactly"
    return _query_edits(ctx, value, span[0], endpoint, whole)


def _query_edits(
    ctx: FileContext, value: str, start: int, endpoint: Endpoint, whole: bool
) -> tuple[list[Edit], str | None]:
    """The rename of the page size in the URL text `value` (written as is at
    `start` in the source), and the endpoint's fixed query appended (the
    migrated call sends it after its other parameters)."""
    rows = ctx.rules.pagination
    query_at = value.find("?")
    if query_at < 0:
        if whole:
            return [], (
                f"the migrated call sends `{rows.count_param}` (added with {rows.default_count} when no page "
                f"size was given): add it to the query this URL expects"
            )
        return [], None
    params = parse_qsl(value[query_at + 1 :], keep_blank_values=True)
    keys = [k for k, _ in params]
    if rows.token_param in keys:
        return [], f"`{rows.token_param}` is not a Public cursor: pin `{rows.cursor_param}` by hand"
    if rows.size_param not in keys:
        if whole and rows.count_param not in keys:
            return [], f"the migrated call sends `{rows.count_param}`: add it to the query this URL expects"
        return [], None
    refused = refused_size(ctx, dict(params)[rows.size_param])
    if refused is not None:
        return [], refused
    key_at = _key_offset(value, query_at, rows.size_param)
    if key_at is None:
        return [], None
    fixed = fixed_query(endpoint)
    pinned = dict(params)
    if any(name in pinned and pinned[name] != sent for name, sent in fixed.items()):
        return [], f"the migrated call sends `{urlencode(fixed)}`: check the query this URL expects"
    missing = {name: sent for name, sent in fixed.items() if name not in pinned}
    at = start + key_at
    added = [Edit(start + len(value), start + len(value), "&" + urlencode(missing))] if missing else []
    return [Edit(at, at + len(rows.size_param), rows.count_param), *added], None


def refused_size(ctx: FileContext, size: object) -> str | None:
    """Why the Public API would refuse a page size a test pins as query text
    (`"500"`, not a number), or None."""
    rows = ctx.rules.pagination
    if isinstance(size, str) and size.isdigit() and rows.min_count <= int(size) <= rows.max_count:
        return None
    return f"`{rows.count_param}` must be between {rows.min_count} and {rows.max_count}"


def _key_offset(value: str, query_at: int, key: str) -> int | None:
    offset = query_at + 1
    for part in value[query_at + 1 :].split("&"):
        if part.split("=", 1)[0] == key:
            return offset
        offset += len(part) + 1
    return None
