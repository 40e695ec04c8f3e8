"""A test double that cannot move does not hold back the doubles joined to
the same base (`joins`).

Bases and paths move together so that marked code keeps calling the Config
API. A test double calls nothing: kept on the Config API with the one that
cannot move (`f"{BASE}/workspaces/acme/sources/gone"`, a slug the id map
lacks), the doubles that can would stop answering the code under test once
it calls the Public API. So a double's URL marked by the paths kind offers
to stay apart: its base written out in front of it (the Config base text,
which the base itself no longer holds once it moves), while the base and the
other doubles joined to it move. `joins.settle` takes the offer only when
every member kept in the group is such a double and some member moved.
A later run finds the double on its own, its URL a literal: it says again
what the marker an earlier run left above it says (`again`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from migrator.rewrite import mock_doubles
from migrator.rewrite.context import FileContext
from migrator.rewrite.edits import Edit, PlanError, plan_edits
from migrator.rewrite.mock_transport import handler_answers
from migrator.rewrite.path_messages import APART_BEFORE, PARTIAL
from migrator.rewrite.path_reading import Reading
from migrator.rewrite.strings import Chain, NewCell, build_chain, new_items


@dataclass(frozen=True)
class Apart:
    """The edits writing a double's URL with its Config base in front."""

    edits: list[Edit]
    name: str
    """What names the base in the URL (`BASE`)."""
    outer: tuple[int, int]
    """The URL's span: its edits are one change of it (`joins`)."""
    rows: tuple[str, ...] = ()
    """The endpoint rows the double's URL matched."""


def offer(ctx: FileContext, chain: Chain, reading: Reading, bases: list[cst.CSTNode]) -> Apart | None:
    """The double's URL `chain`, marked and joined (its first value) to the
    literal Config base `bases` holds, written out with that base in front;
    None when it is no such double or the text cannot be written so."""
    if reading.prefix_end != 1 or not bases or not _registered(ctx, chain.root) or not _marked(ctx, chain.root):
        return None
    texts = {_literal(ctx, base) for base in bases}
    text = texts.pop() if len(texts) == 1 else None
    if not text:
        return None
    wanted = [NewCell(c) for c in text] + new_items(chain.template()[1:], chain)
    try:
        edits = plan_edits(ctx.src, chain, wanted)
    except PlanError:
        return None
    return Apart(edits, chain.hole(chain.template()[0]).text, chain.outer) if edits else None


def again(ctx: FileContext, chain: Chain, reading: Reading, message: str) -> bool:
    """Mark a double's literal Config URL, marked by the paths kind, with
    the `message` (`{base}`) an earlier run left above it when it wrote the
    URL out (`offer`), or an earlier version's wording of it: the double is
    still apart, for the same reason (True)."""
    if reading.host is None or not _registered(ctx, chain.root) or not _marked(ctx, chain.root):
        return False
    said = _said_before(ctx, chain.root, message) or _said_before(ctx, chain.root, APART_BEFORE)
    if said is not None:
        ctx.mark(PARTIAL, chain.root, said)
    return said is not None


def _said_before(ctx: FileContext, node: cst.CSTNode, message: str) -> str | None:
    """The marker text of `message` an earlier run left above the statement of `node`."""
    pattern = re.escape(message).replace(re.escape("{base}"), "(?P<base>[^`]+)", 1)
    pattern = pattern.replace(re.escape("{base}"), "(?P=base)")
    for rule, said in ctx.earlier_markers(node):
        if rule == PARTIAL and re.fullmatch(pattern, said):
            return said
    return None


def _registered(ctx: FileContext, root: cst.CSTNode) -> bool:
    """`root` is the URL of a double's registration (not of an assert on a
    patched function), or the URL an `httpx.MockTransport` handler compares
    the request's with."""
    arg = ctx.parent(root)
    call = ctx.parent(arg) if isinstance(arg, cst.Arg) else None
    if isinstance(call, cst.Call):
        mock = mock_doubles.registration(ctx, call)
        return mock is not None and mock.url is root and mock.library != mock_doubles.PATCHED
    return isinstance(arg, cst.ComparisonTarget | cst.Comparison) and any(
        compared.url is root for _, compared in handler_answers(ctx)
    )


def _marked(ctx: FileContext, root: cst.CSTNode) -> bool:
    """The paths kind marked it for what the double itself lacks (a slug
    with no id, no Public counterpart), not `rewrite.partial-path` (the code
    under test keeps calling the Config API for it, say)."""
    span = ctx.src.span(root)
    rules = {m.rule for m in ctx.markers if span is not None and span[0] <= m.offset < span[1]}
    return bool(rules) and PARTIAL not in rules


def _literal(ctx: FileContext, base: cst.CSTNode) -> str | None:
    """The text of a base this file writes as one literal string (no values
    in it; not the copy of another module's constant, `shared_bases`, which
    that module moves or keeps)."""
    span = ctx.src.span(base)
    if span is None or (ctx.tail is not None and ctx.tail.holds(span[0])):
        return None
    chain = build_chain(ctx.src, base) if isinstance(base, cst.BaseExpression) else None
    if chain is None or chain.holes:
        return None
    return chain.template()
