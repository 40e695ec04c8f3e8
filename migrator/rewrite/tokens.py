"""Auth headers stay as they are; the token must change (rewrite row
`rewrite.public-token`).

The `Authorization: Bearer <token>` header has the same form in both APIs,
so no code changes. But Config API tokens do not work on the Public API:
once per file that was migrated, the result carries a note saying so,
unless every change of the file is inside a test double (a registration of
`responses`, `requests_mock` or `respx`, an assert on a patched HTTP
function, an `httpx.MockTransport` handler): such a file sends no request.
"""

from __future__ import annotations

from migrator.rewrite import mock_doubles, mock_transport
from migrator.rewrite.context import FileContext
from migrator.rewrite.strings import Chain
from migrator.rewrite.table import table_for

ROW = "rewrite.public-token"
DEFAULT = (
    "calls in this file now go to the Public API: the token they send must be a Public API "
    "token (one per workspace, created by a workspace owner in the Segment app); Config API "
    "tokens are refused"
)


class TokensKind:
    row = ROW

    def chain(self, ctx: FileContext, chain: Chain) -> bool:
        return False

    def finish(self, ctx: FileContext) -> None:
        if ctx.changes and not _doubles_only(ctx):
            ctx.note(table_for(ctx.rules).message(ROW, DEFAULT))


def _doubles_only(ctx: FileContext) -> bool:
    """Every change of the file lies inside a test double, which answers
    requests and sends none (a URL held in a constant lies outside)."""
    spans: list[tuple[int, int]] = []
    for mock in mock_doubles.find_mocks(ctx):
        for node in (mock.call, mock.answer):
            span = ctx.src.span(node) if node is not None else None
            if span is not None:
                spans.append(span)
    for handler in mock_transport.handlers(ctx):
        span = ctx.src.span(handler)
        if span is not None:
            spans.append(span)
    return all(any(s <= c.start and c.end <= e for s, e in spans) for c in ctx.changes)


KIND = TokensKind()
