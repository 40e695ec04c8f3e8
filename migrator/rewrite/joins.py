"""A base URL and the paths joined to it move together, or not at all.

`API = "https://platform.segmentapis.com/v1beta"` is migrated by the hosts
kind, `API + "/workspaces/acme/sources"` by the paths kind. If one of the
paths joined to `API` cannot be migrated (it is marked), migrating `API`
would send that marked path to the Public host with a Config path: the
marked code must keep calling the Config API until a person migrates it.
So the paths kind links every path to the base chains it is joined to
(through names, `+`, f-strings, `urljoin`, httpx `base_url=`), and at the
end of the file each group of linked chains is migrated only if every
member was; otherwise the migrated members are put back and marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from migrator.rewrite import kept_marker, line_refs
from migrator.rewrite.context import FileContext, PendingMarker, Recorded
from migrator.rewrite.edits import Edit, apply
from migrator.rewrite.mock_apart import Apart
from migrator.rewrite.strings import Chain
from migrator.rewrite.path_messages import PARTIAL



@dataclass
class Migrated:
    chain: Chain
    edits: list[Edit]
    recorded: list[Recorded]
    response_rules: set[str] = field(default_factory=set)
    markers: list[PendingMarker] = field(default_factory=list)
    """Markers about the migrated call (method, body), void if it is put back."""
    notes: list[str] = field(default_factory=list)
    """Notes of the run's report about it (a Config id kept for review), void too."""
    origin: str | None = None
    """The endpoint row of a URL that needed no edit of its own (its path is
    the same in both APIs, its base moves): no change says it is migrated."""


@dataclass
class State:
    migrated: dict[int, Migrated] = field(default_factory=dict)
    """Chain root id → what was accepted for it."""
    nodes: dict[int, cst.CSTNode] = field(default_factory=dict)
    links: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    """(member, base roots it is joined to)."""
    unproven: list[cst.CSTNode] = field(default_factory=list)
    """Paths joined to a base the file does not show (any Config base of the
    file may be it: they stay on the Config API with them)."""
    unshown: dict[int, tuple[PendingMarker, str]] = field(default_factory=dict)
    """Those of them marked as joined to a base the file does not show → that
    marker and the Public call (said again if the file holds Config bases)."""
    ok: dict[int, bool] = field(default_factory=dict)
    """Members linked with their outcome; other nodes are ok when migrated."""
    apart: dict[int, Apart] = field(default_factory=dict)
    """Test doubles kept that need not hold their base back (`mock_apart`)."""


def state(ctx: FileContext) -> State:
    found = ctx.state.get(__name__)
    if not isinstance(found, State):
        found = State()
        ctx.state[__name__] = found
    return found


def accept(ctx: FileContext, chain: Chain, edits: list[Edit], rules: list[str]) -> Migrated | None:
    """`ctx.accept`, remembering what was accepted so that it can be put back."""
    before = len(ctx.changes)
    if not ctx.accept(chain, edits, rules):
        return None
    record = Migrated(chain, list(edits), list(ctx.changes[before:]))
    found = state(ctx)
    found.migrated[id(chain.root)] = record
    found.nodes[id(chain.root)] = chain.root
    return record


def unchanged(ctx: FileContext, chain: Chain, rule: str) -> Migrated:
    """A migrated call whose URL text stays as it is (`CATALOG + "destinations"`):
    remembered like an accepted one, so that what it answers is followed and
    it is put back with its base."""
    record = Migrated(chain, [], [], origin=rule)
    found = state(ctx)
    found.migrated[id(chain.root)] = record
    found.nodes[id(chain.root)] = chain.root
    return record


def origins(ctx: FileContext) -> dict[int, str]:
    """Chain root ids → endpoint row of the migrated URLs that needed no edit (`unchanged`)."""
    return {key: rule for key, record in state(ctx).migrated.items() if (rule := record.origin) is not None}


def link(ctx: FileContext, member: cst.CSTNode, bases: list[cst.CSTNode], *, ok: bool) -> None:
    """`member` (a path chain or a value join) is joined to these base chains;
    `ok`: it is migrated (or right as it is), not left on the Config API."""
    if not bases:
        return
    found = state(ctx)
    found.ok[id(member)] = ok
    found.nodes[id(member)] = member
    for base in bases:
        found.nodes[id(base)] = base
    found.links.append((id(member), tuple(id(b) for b in bases)))


@dataclass(frozen=True)
class Suppressed:
    """The marker of members joined to ones a suppression comment of this
    file keeps on the Config API (`{lines}`, `{suppression}`), and the rows
    whose suppression keeps a member there (hosts, endpoints, partial paths)."""

    message: str
    rows: frozenset[str]


def settle(
    ctx: FileContext, message: str, imported: str, suppressed: str, here: Suppressed, apart: str, moved: str = "",
) -> None:
    """Put back the migrated members of every group that also holds a member
    left on the Config API, and mark them: with `message` (`{lines}`: where
    the members kept are), or with `imported` (`{name}`, `{module}`) when the
    only one kept is the copy of a constant another module holds back (see
    `shared_bases`); `suppressed` (`{suppression}` too) when that module's
    marker of it is suppressed; `here` when each member kept is kept by a
    suppression comment of this file, unmarked. A group whose members kept
    are all test doubles that can stay apart moves without them, each
    written out with its Config base and marked with `apart` (`{base}`: the base's name).
    A test's member put back whose endpoint the code under test calls the
    Public API for now says so too, with `moved` (`kept_marker.joined`)."""
    found = state(ctx)
    if not found.links:
        return
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for member, bases in found.links:
        for base in bases:
            parent[root(member)] = root(base)
    groups: dict[int, list[int]] = {}
    for node_id in list(parent):
        groups.setdefault(root(node_id), []).append(node_id)
    reverted: list[Migrated] = []
    for members in groups.values():
        kept = [m for m in members if not found.ok.get(m, m in found.migrated)]
        if not kept or _move_apart(ctx, found, members, kept, apart):
            continue
        only_ids = _by_hand_together(ctx, [found.nodes[m] for m in kept])
        copies = [found.nodes[m] for m in kept if in_tail(ctx, found.nodes[m])]
        shown = [found.nodes[m] for m in kept if not in_tail(ctx, found.nodes[m]) and ctx.src.span(found.nodes[m])]
        text = message.replace("{lines}", line_refs.lines(ctx, shown))
        if copies and not shown:
            text = _imported_text(ctx, copies, imported, suppressed) or text
        elif shown and (comments := _suppressions(ctx, shown, here.rows)) is not None:
            text = here.message.replace("{lines}", line_refs.lines(ctx, shown)).replace("{suppression}", comments)
        elif only_ids:
            ctx.with_ids.add(text)  # an id map moves the members kept, and these with them
        for member in members:
            record = found.migrated.pop(member, None)
            if record is None:
                continue
            reverted.append(record)
            rows = [c.rule for c in record.recorded] + ([record.origin] if record.origin else [])
            for rule in rows:  # its endpoint stays on the Config API
                if rule.startswith("endpoint."):
                    ctx.kept_rows.setdefault(rule, line_refs.number(ctx, record.chain.root))
            if member not in kept:  # one held back on its own (`bases`) says why itself
                said = kept_marker.joined(ctx, record.chain.root, rows, text, moved) if moved and ctx.kept else text
                ctx.mark(PARTIAL, record.chain.root, said)
    if not reverted:
        return
    gone_edits = {id(e) for r in reverted for e in r.edits}
    gone_changes = {id(c) for r in reverted for c in r.recorded}
    gone_markers = {id(m) for r in reverted for m in r.markers}
    ctx.markers[:] = [m for m in ctx.markers if id(m) not in gone_markers]
    gone_notes = {n for r in reverted for n in r.notes} - {n for r in found.migrated.values() for n in r.notes}
    ctx.notes[:] = [n for n in ctx.notes if n not in gone_notes]
    ctx.edits[:] = [e for e in ctx.edits if id(e) not in gone_edits]
    ctx.changes[:] = [c for c in ctx.changes if id(c) not in gone_changes]
    still = set().union(*(r.response_rules for r in found.migrated.values()))
    for record in reverted:
        ctx.response_rules.difference_update(record.response_rules - still)
    if ctx.needs_lookup_import and ctx.lookup_module:
        call = ctx.lookup_module + "."
        ctx.needs_lookup_import = any(call in e.text for e in ctx.edits)


def _move_apart(ctx: FileContext, found: State, members: list[int], kept: list[int], message: str) -> bool:
    """Write out the Config base of each double kept (`mock_apart`) when
    every member kept is one and some member moved: the rest of the group
    moves without them (True)."""
    if not any(m in found.migrated for m in members) or not all(m in found.apart for m in kept):
        return False
    edits = [e for m in kept for e in found.apart[m].edits]
    if any(ctx.edits.overlaps(e) for e in edits):
        return False
    for member in kept:
        offer = found.apart[member]
        ctx.edits.extend(offer.edits)
        # one change of the whole URL, not one per piece of text its edits splice
        start, end = offer.outer
        before = ctx.src.text[start:end]
        ctx.changes.append(Recorded(PARTIAL, start, end, before, apply(before, offer.edits, start)))
        ctx.mark(PARTIAL, found.nodes[member], message.replace("{base}", offer.name))
        ctx.apart_rows.update(offer.rows)
    return True


def _suppressions(ctx: FileContext, kept: list[cst.CSTNode], rows: frozenset[str]) -> str | None:
    """`a suppression comment (`migrator: ignore` at line 11)`: what keeps
    the members kept on the Config API when each is unmarked and a
    suppression comment covering one of `rows` stands on it or above it; else None."""
    found: dict[int, str] = {}
    for node in kept:
        span = ctx.src.span(node)
        if span is None or any(span[0] <= m.offset < span[1] for m in ctx.markers):
            return None
        comment = ctx.suppression(node, rows)
        if comment is None:
            return None
        found[comment[0]] = comment[1]
    listed = ", ".join(f"`{text}` at line {line_refs.ref(ctx.src.line_starts[n - 1])}"
                       for n, text in sorted(found.items()))
    return ("a suppression comment" if len(found) == 1 else "suppression comments") + f" ({listed})"


def _by_hand_together(ctx: FileContext, kept: list[cst.CSTNode]) -> bool:
    """An id map fixes none of the members kept together when one of them
    is kept for a reason it does not fix: their id markers say so too
    (`ctx.by_hand`), since the group stays on the Config API with it.
    True when every member is kept only for ids an id map gives."""
    def needs_ids(marker: PendingMarker) -> bool:
        row = ctx.rules.by_id.get(marker.rule)
        return getattr(row, "safety", None) == "needs-ids" and marker.reason not in ctx.by_hand

    marks = []
    for node in kept:
        span = ctx.src.span(node)
        marks += [m for m in ctx.markers if span is not None and span[0] <= m.offset < span[1]]
    if any(not needs_ids(m) for m in marks):
        ctx.by_hand.update(m.reason for m in marks if needs_ids(m))
        return False
    return bool(marks)


def in_tail(ctx: FileContext, node: cst.CSTNode) -> bool:
    """A copy of a constant another module defines (`shared_bases`)."""
    span = ctx.src.span(node)
    return ctx.tail is not None and span is not None and ctx.tail.holds(span[0])


def _imported_text(ctx: FileContext, copies: list[cst.CSTNode], template: str, suppressed: str) -> str | None:
    """The marker of paths kept with the copy of a constant another module
    holds back (the copy is on no line of the file)."""
    for node in copies:
        span = ctx.src.span(node)
        name = ctx.tail.name_at(span[0]) if ctx.tail is not None and span is not None else None
        if name is not None and name in ctx.shared.kept_imports:
            suppression = ctx.shared.kept_suppressed.get(name)
            text = template if suppression is None else suppressed.replace("{suppression}", suppression)
            return text.replace("{name}", name).replace("{module}", ctx.shared.kept_imports[name])
    return None
