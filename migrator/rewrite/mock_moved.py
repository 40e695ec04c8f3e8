"""Patches of an HTTP function the code under test no longer calls.

Where the code's call moved to another method (a tracking plan's
`requests.put(...)` is `requests.patch(...)` now), a test that replaces the
old function where that code looks it up (`@mock.patch("tp5.requests.put")`,
`mock.patch.object(tp5.requests, "put")`, `mocker.patch(...)`,
`monkeypatch.setattr(tp5.requests, "put", fake)`), or everywhere
(`mock.patch("requests.put")`), no longer catches the call: it goes out to
the Public API. The driver tells each file that imports such a module which
targets moved (`FileContext.moved_patches`); every patch of one is marked,
as are patches of the library function in the file whose calls moved
(`mock.patch("requests.put")` in a test beside the code).
Not renamed: what the test asserts of the fake (the URL, the body) changed
with the call, and a fake of the new function must say so.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from migrator.rewrite import line_refs
from migrator.rewrite.context import FileContext
from migrator.rewrite.responses_imported import patch_targets

ROW = "rewrite.mocks"
MESSAGE = (
    "the code under test ({where}) now calls `{new}`, so this fake of `{old}` no longer catches the call, "
    "which goes out to the Public API: patch `{new}` instead and check what the test asserts of it"
)


def mark_moved_patches(ctx: FileContext, moved: Mapping[str, tuple[str, str]]) -> None:
    """Mark each patch of a target in `moved` (target → what the code calls
    now, and where)."""
    for call in [n for n in ctx.index.parents if isinstance(n, cst.Call)]:
        for target in patch_targets(ctx, call)[0]:
            if target in moved and not ctx.suppressed(call, ROW):
                new, where = moved[target]
                ctx.mark(ROW, call, MESSAGE.format(where=where, new=new, old=target))


def mark_own_moved_patches(ctx: FileContext) -> None:
    """Patches, in the file whose calls moved, of the library functions those
    calls used (`requests.put`); targets an imported module's moves already
    name are left to them."""
    own = {
        library: (f"{library.rpartition('.')[0]}.{method.lower()}", f"line {line_refs.ref(ctx.moved_at[local])}")
        for local, (library, method, _) in ctx.moved_calls.items()
        if library and library not in ctx.moved_patches and local in ctx.moved_at
    }
    if own:
        mark_moved_patches(ctx, own)
