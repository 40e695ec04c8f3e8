"""Which markers of a rewrite without an id map and lookup module such a
rewrite fixes: their comments say so (`markers.IDS_ADVICE`), and `migrator
audit` tags them `fixable-with-ids`.

A file with a marker that lacks an id, or of a path kept on the Config API
(`rewrite.partial-path`), is rewritten a second time as `migrator rewrite
--ids FILE --lookup-module NAME` would, with an id map holding every slug
(`EveryId`): a marker of a person's that this run no longer writes at its
place (its line and column) is one an id map fixes. So is a marker the rewrite says an id map
fixes itself (`Marker.with_ids`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from migrator.idmap import IdMap, Resolution
from migrator.markers import quoted
from migrator.rewrite.result import Change, Marker
from migrator.ruleset.models import IdKind
from migrator.rewrite.path_messages import PARTIAL

Place = tuple[str, int, int]
"""A marker's (rule, line, column)."""


class EveryId(IdMap):
    """An id map holding an id for every key: what `migrator rewrite --ids
    FILE --lookup-module ...` does wherever ids are all a change lacks (no
    workspace: a call is never another workspace's, though code naming
    several workspaces is marked as without a map, `path_outcome.no_workspace`)."""

    holds_every_id: ClassVar[bool] = True
    """It holds every Config id kept in a Public path too (`ids_checked.held`)."""

    def resolve(self, kind: IdKind, key: str) -> Resolution:
        return Resolution(key, (f"{kind}:{key}",))


def id_row(rule: str, rows: Mapping[str, Any]) -> bool:
    """The rule's row is one `--ids` fixes (`needs-ids`)."""
    return getattr(rows.get(rule), "safety", None) == "needs-ids"


def lacks_ids(marker: Marker, rows: Mapping[str, Any]) -> bool:
    """The marker's row is one `--ids` fixes, or the rewrite says an id map resolves it."""
    return marker.with_ids or id_row(marker.rule, rows)


def ids_fix(marker: Marker, rows: Mapping[str, Any]) -> bool:
    """An id map fixes the marker as it is: it lacks ids (`lacks_ids`), is
    of a row of the table, and is not kept by hand (`Marker.by_hand`)."""
    return marker.rule in rows and not marker.by_hand and lacks_ids(marker, rows)


def asks(markers: Iterable[Marker], rows: Mapping[str, Any]) -> bool:
    """Whether a run with every id may drop some of `markers`: one lacks an
    id or keeps a path on the Config API."""
    return any(m.rule == PARTIAL or lacks_ids(m, rows) for m in markers)


def fixed(markers: Iterable[Marker], again: Iterable[Marker], rows: Mapping[str, Any]) -> set[Place]:
    """(rule, line, column) of the markers of a person's (not of an id row,
    or `by_hand` for what is kept with them: not a slug marker no id map
    resolves by its kind) that the run with every id (`again`) does not
    write: gone from its place, and no new marker on its line in its stead.
    Markers of one rule on a line are told apart by their columns (the reads
    of `print(s["catalog_name"], s["write_keys"])`); one the run with every
    id writes where this run wrote none may be in the stead of any of its
    rule on the line, unless it is about other names than theirs (`_other`)."""
    markers = list(markers)
    manual = [m for m in markers if (m.by_hand and not m.slug_by_hand) or not lacks_ids(m, rows)]
    places = {_place(m) for m in markers}
    again = list(again)
    again_places = {_place(m) for m in again}
    left: dict[int, set[str]] = {}
    for m in again:
        left.setdefault(m.line, set()).add(m.rule)
    before: dict[int, set[str]] = {}
    for m in markers:
        before.setdefault(m.line, set()).add(m.rule)
    elsewhere = [m for m in again if _place(m) not in places]
    """The markers of the run with every id at no place of this run's."""
    return {_place(m) for m in manual
            if _place(m) not in again_places and left.get(m.line, set()) <= before[m.line]
            and all(_other(m, n) for n in elsewhere if (n.rule, n.line) == (m.rule, m.line))}


def _other(marker: Marker, new: Marker) -> bool:
    """`new` is about other names than `marker` (what it names first, `` `display_name` looks like… ``)."""
    first = quoted(marker.reason)[:1]
    return bool(first) and first[0] not in quoted(new.reason)


def _place(marker: Marker) -> Place:
    return marker.rule, marker.line, marker.column


def advises_itself(rule: str, with_ids: bool, by_hand: bool, rows: Mapping[str, Any]) -> bool:
    """Whether a marker's comment says an id map fixes it: the rewrite says
    an id map resolves it (`with_ids`, not kept by hand), and it is not of an
    id row (`needs-ids`), whose message says it itself. Those only a second
    run with every id shows an id map fixes (`fixed`) are told by the audit,
    which makes that run: a rewrite does not (it would cost the rewrite of
    such files two more runs)."""
    return with_ids and not by_hand and not id_row(rule, rows)


def new_changes(changes: Iterable[Change], again: Iterable[Change]) -> tuple[Change, ...]:
    """The changes the run with every id makes that this one does not (a
    request body translated once its path moves)."""
    made = {(c.rule, c.line, c.column) for c in changes}
    return tuple(c for c in again if c.before and (c.rule, c.line, c.column) not in made)


def new_markers(markers: Iterable[Marker], again: Iterable[Marker]) -> tuple[Marker, ...]:
    """The markers the run with every id writes on lines this one marks
    nothing on (the secret values of settings read once their call moves):
    a person's, which the audit reports with the changes that run makes.
    (Where this run marks a line, its marker stands for what that run
    writes there: a request kept, a slug left.)"""
    marked = {m.line for m in markers}
    return tuple(m for m in again if m.line not in marked)
