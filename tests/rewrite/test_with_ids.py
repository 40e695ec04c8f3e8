"""The test of whether an id map fixes a marker, shared by the rewrite and the audit (`rewrite.with_ids`)."""

from __future__ import annotations

from types import SimpleNamespace

from migrator.rewrite.result import Marker
from migrator.rewrite.with_ids import id_row, ids_fix, lacks_ids

ROWS = {"endpoint.sources.get": SimpleNamespace(safety="needs-ids"), "host.base-url": SimpleNamespace(safety="review")}


def test_an_id_row_is_one_whose_safety_is_needs_ids() -> None:
    assert [id_row(rule, ROWS) for rule in ("endpoint.sources.get", "host.base-url", "no.such-row")] == [
        True, False, False,
    ]


def test_an_id_map_fixes_a_marker_of_an_id_row_or_one_the_rewrite_says_ids_resolve_unless_kept_by_hand() -> None:
    def marker(rule: str, **flags: bool) -> Marker:
        return Marker(rule, 1, 0, "why", **flags)

    cases = [
        marker("endpoint.sources.get"),
        marker("endpoint.sources.get", by_hand=True),
        marker("host.base-url"),
        marker("host.base-url", with_ids=True),
        marker("host.base-url", with_ids=True, by_hand=True),
        marker("no.such-row", with_ids=True),  # lacks ids, but of no row of the table: not fixed
    ]
    assert [lacks_ids(m, ROWS) for m in cases] == [True, True, False, True, True, True]
    assert [ids_fix(m, ROWS) for m in cases] == [True, False, False, True, False, False]
