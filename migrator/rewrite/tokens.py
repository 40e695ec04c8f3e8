"""Auth headers stay as they are; the token must change (rewrite row
`rewrite.public-token`).

The `Authorization: Bearer <token>` header has the same form in both APIs,
so no code changes. But Config API tokens do not work on the Public API:
once per file that was migrated, the result carries a note saying so.
"""

from __future__ import annotations

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
        if ctx.changes:
            ctx.note(table_for(ctx.rules).message(ROW, DEFAULT))


KIND = TokensKind()
