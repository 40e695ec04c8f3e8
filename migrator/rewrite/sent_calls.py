"""Real HTTP calls of a test file (`driver._keep_tests_with_their_code`).

A test's doubles of an endpoint the code under test keeps on the Config API
stay there with it. A call the test itself sends (`requests.get(url)`)
answers nothing: it moves like any call, unless the file registers doubles,
which may be what answers it (then it stays with them, its marker says so).
"""

from __future__ import annotations

import libcst as cst

from migrator.rewrite import clients, mock_doubles
from migrator.rewrite.context import FileContext
from migrator.rewrite.mock_transport import handler_answers


def sent_here(ctx: FileContext, root: cst.CSTNode, flow: clients.Flow) -> bool:
    """`root` is the URL an HTTP call of this file sends (given straight to
    it, compared nowhere), not a double's registration or an assert's."""
    arg = ctx.parent(root)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or mock_doubles.registration(ctx, call) is not None:
        return False
    return flow.url and not (flow.compared or flow.searched or flow.opaque)


def has_doubles(ctx: FileContext) -> bool:
    """The file registers a test double (`mock_doubles`), or an
    `httpx.MockTransport` handler answers requests."""
    return bool(mock_doubles.find_mocks(ctx)) or next(iter(handler_answers(ctx)), None) is not None
