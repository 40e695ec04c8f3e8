"""What a test double pins of the request it answers.

- a body pattern: respx `respx.post(url, json={...})`, responses
  `match=[matchers.json_params_matcher({...})]` — the request body the code
  sends, translated like the code's own body (request mode, the double's
  endpoint row);
- a query pattern: responses `matchers.query_param_matcher({...})`, respx
  `params={...}` — on a paginated call, `page_size` becomes the pagination
  row's `pagination.count`, and the endpoint row's `fixed_query` (a
  tracking-plan list's `type=LIVE`), which the migrated call sends too, is
  added; a page token, or a pattern without the page size the Public call
  now carries, is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

import libcst as cst

from migrator.rewrite import clients
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit
from migrator.rewrite.mock_doubles import PATCHED
from migrator.rewrite.strings import outer_span
from migrator.rewrite.table import Endpoint

if TYPE_CHECKING:
    from migrator.rewrite.mock_doubles import Mock

BODY_MATCHERS = ("json_params_matcher",)
QUERY_MATCHERS = ("query_param_matcher",)


def patterns(ctx: FileContext, mock: Mock) -> tuple[list[cst.BaseExpression], list[cst.BaseExpression]]:
    """(body patterns, query patterns) the double's registration gives."""
    bodies: list[cst.BaseExpression] = []
    queries: list[cst.BaseExpression] = []
    for arg in mock.call.args:
        if arg.keyword is None:
            continue
        key = arg.keyword.value
        if mock.library in ("respx", PATCHED) and key == "json":
            bodies.append(arg.value)
        elif mock.library in ("respx", PATCHED) and key == "params":
            queries.append(arg.value)
        elif mock.library == "responses" and key == "match" and isinstance(arg.value, (cst.List, cst.Tuple)):
            for element in arg.value.elements:
                matcher = element.value
                if not isinstance(matcher, cst.Call) or not matcher.args or matcher.args[0].keyword is not None:
                    continue
                name = clients.qualified_name(ctx, matcher.func).rpartition(".")[2]
                if name in BODY_MATCHERS:
                    bodies.append(matcher.args[0].value)
                elif name in QUERY_MATCHERS:
                    queries.append(matcher.args[0].value)
    return bodies, queries


def query_pattern(
    ctx: FileContext, node: cst.BaseExpression, endpoint: Endpoint, *, lowered: bool = False
) -> tuple[list[Edit], str | None]:
    """The edits renaming the page size key of a query pattern (and adding
    the endpoint's fixed query), or a reason to mark. `lowered`: the pattern
    is requests-mock's `qs`, whose values are lists, lowercased unless the
    mocker is case-sensitive (no fixed value is written there)."""
    if not endpoint.lists:
        return [], None
    rows = ctx.rules.pagination
    if not isinstance(node, cst.Dict):
        return [], f"the query pattern cannot be seen: the Public call sends `{rows.count_param}`"
    keys: dict[str, cst.SimpleString] = {}
    for element in node.elements:
        key = element.key if isinstance(element, cst.DictElement) else None
        value = key.evaluated_value if isinstance(key, cst.SimpleString) else None
        if not isinstance(value, str):
            return [], f"the query pattern cannot be read: the Public call sends `{rows.count_param}`"
        keys[value] = key  # type: ignore[assignment]
    if rows.token_param in keys:
        return [], f"`{rows.token_param}` is not a Public cursor: pin `{rows.cursor_param}` by hand"
    if rows.size_param not in keys:
        if rows.count_param in keys:
            return [], None
        fixed = fixed_query(endpoint)
        sent = f"`{rows.count_param}`" + (f" and `{urlencode(fixed)}`" if fixed else "")
        return [], f"the migrated call sends {sent}: add {'them' if fixed else 'it'} to the query this double expects"
    key = keys[rows.size_param]
    span = ctx.src.span(key)
    if span is None or ctx.src.text[span[0] : span[1]] != f"{key.quote}{rows.size_param}{key.quote}":
        return [], "the page size key cannot be renamed here"
    added = _fixed_entries(ctx, node, endpoint, key.quote, lowered)
    if isinstance(added, str):
        return [], added
    return [Edit(span[0] + len(key.quote), span[1] - len(key.quote), rows.count_param), *added], None


def fixed_query(endpoint: Endpoint) -> dict[str, str]:
    """The query the migrated call sends whatever the Config call gave (the
    endpoint row's `fixed_query`: a tracking-plan list's `type`)."""
    return dict(endpoint.row.fixed_query)


def _fixed_entries(
    ctx: FileContext, node: cst.Dict, endpoint: Endpoint, quote: str, lowered: bool
) -> list[Edit] | str:
    """The edit appending the fixed query parameters a query dict lacks
    (`, "type": "LIVE"`), or a reason to mark: one pinned with another value,
    or any missing from requests-mock's `qs`."""
    fixed = fixed_query(endpoint)
    pinned = {
        e.key.evaluated_value: e.value
        for e in node.elements
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
    }
    sent = urlencode(fixed)
    for name, value in fixed.items():
        if name in pinned and not (isinstance(pinned[name], cst.SimpleString) and pinned[name].evaluated_value == value):
            return f"the migrated call sends `{sent}`: check the `{name}` this query expects"
    missing = {name: value for name, value in fixed.items() if name not in pinned}
    if not missing:
        return []
    if lowered:
        return (
            f"the migrated call also sends `{sent}`, which `qs` holds lowercased unless the mocker is "
            f"case-sensitive: add it to the query this test expects"
        )
    span = outer_span(ctx.src, node.elements[-1].value)
    if span is None:
        return f"the migrated call also sends `{sent}`: add it to the query this test expects"
    entries = ", ".join(f"{quote}{name}{quote}: {quote}{value}{quote}" for name, value in missing.items())
    return [Edit(span[1], span[1], f", {entries}")]
