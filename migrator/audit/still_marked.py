"""What a marker that lacks an id still needs once the id map is given: the
markers the codemod's run with every id (`rewrite.with_ids.EveryId`) writes
in its stead on its line (a body value of the wrong type, `"false"` for a
boolean), which the audit's message names after the marker's own, so that
running `migrator ids` is not the whole to-do."""

from __future__ import annotations

STILL_MARKED = "; once it has the ids, `migrator rewrite --ids FILE` still marks it: "
"""Between a marker's message and what the run with every id writes there."""


def still_marked(message: str, reasons: list[str]) -> str:
    """`message`, then what the run with every id writes in its stead."""
    return message + STILL_MARKED + "; ".join(reasons) if reasons else message


def without_still_marked(message: str) -> str:
    """What the marker says itself (as the comment a rewrite writes holds it)."""
    cut = message.find(STILL_MARKED)
    return message if cut < 0 else message[:cut]
