"""Reuse decisions for an existing id-map file, and durations."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from migrator.idmap import EMPTY, IdMap, WorkspaceIds
from migrator.ids.store import NotAnIdMap, existing_map, format_age, parse_duration

URL = "https://api.segmentapis.com"
NOW = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)
DAY = timedelta(hours=24)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("30m", 1800), ("24h", 86400), ("7d", 604800), ("1w", 604800), ("1h30m", 5400), ("0", 0)],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "h", "1y", "-5m", "1.5h", "24 hours"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["99999999999d", "999999999999999999999", "1000000000d"])
def test_parse_duration_rejects_what_no_date_can_hold(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert str(caught.value) == f"{json.dumps(text)} is too long a duration (at most 999999999d)"
    assert parse_duration("999999999d") == timedelta(days=999999999)


@pytest.mark.parametrize(
    ("age", "words"),
    [(timedelta(seconds=5), "5s"), (timedelta(minutes=3, seconds=2), "3m 2s"),
     (timedelta(hours=3, minutes=12), "3h 12m"), (timedelta(days=2, hours=1), "2d 1h"),
     (timedelta(seconds=-3), "0s"), (timedelta(hours=24), "1d"), (timedelta(hours=2), "2h")],
)
def test_format_age(age: timedelta, words: str) -> None:
    assert format_age(age) == words


def _write(path: Path, fetched_at: datetime | None, api_url: str = URL) -> IdMap:
    idmap = IdMap(fetched_at=fetched_at, api_url=api_url, workspace=WorkspaceIds(id="w", slug="acme"))
    path.write_text(idmap.to_json(), encoding="utf-8")
    return idmap


def test_no_file_or_an_empty_one_means_fetch(tmp_path: Path) -> None:
    assert existing_map(tmp_path / "none.json", URL, DAY, NOW).idmap is None
    (tmp_path / "empty.json").write_text("")
    empty = existing_map(tmp_path / "empty.json", URL, DAY, NOW)
    assert (empty.idmap, empty.why_not) == (None, "")


def test_a_fresh_map_from_the_same_url_is_reused(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    idmap = _write(path, NOW - timedelta(hours=3))
    assert existing_map(path, URL, DAY, NOW).idmap == idmap


def test_a_stale_map_is_fetched_again(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    _write(path, NOW - timedelta(days=2, hours=1))
    found = existing_map(path, URL, DAY, NOW)
    assert found.idmap is None
    assert found.why_not == f"{path} is 2d 1h old (max age 1d); fetching again"


def test_a_map_dated_in_the_future_is_fetched_again(tmp_path: Path) -> None:
    # Its age cannot be known: it was reused for ever as "fetched 0s ago".
    path = tmp_path / "ids.json"
    _write(path, NOW + timedelta(days=3))
    found = existing_map(path, URL, DAY, NOW)
    assert found.idmap is None
    assert found.why_not == f"{path} says it was fetched 3d from now (a clock off?); fetching again"


def test_a_few_minutes_of_clock_skew_still_reuse_a_map(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    idmap = _write(path, NOW + timedelta(minutes=4))
    assert existing_map(path, URL, DAY, NOW).idmap == idmap


def test_a_map_from_another_url_is_fetched_again(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    _write(path, NOW, api_url="https://eu1.api.segmentapis.com")
    found = existing_map(path, URL, DAY, NOW)
    assert found.idmap is None
    assert "holds ids from https://eu1.api.segmentapis.com" in found.why_not


def test_an_undated_map_is_fetched_again(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    _write(path, None)
    assert "does not say when" in existing_map(path, URL, DAY, NOW).why_not


def test_an_other_version_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text('{"format": "migrator.ids", "version": 99}')
    found = existing_map(path, URL, DAY, NOW)
    assert found.idmap is None
    assert "version 99 is not supported" in found.why_not


@pytest.mark.parametrize("content", ['{"name": "my package"}', "not json", "[1, 2]"])
def test_a_file_that_is_not_an_id_map_is_never_replaced(tmp_path: Path, content: str) -> None:
    path = tmp_path / "package.json"
    path.write_text(content)
    with pytest.raises(NotAnIdMap, match="is not a migrator id map; not replacing it"):
        existing_map(path, URL, DAY, NOW)


def test_a_map_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # a Windows editor may save the map as UTF-8 with a BOM: `ids` reuses it, `translate --ids` reads it
    from migrator.idmap import load_idmap

    path = tmp_path / "ids.json"
    idmap = _write(path, NOW - timedelta(hours=3))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert existing_map(path, URL, DAY, NOW).idmap == idmap
    assert load_idmap(path) == idmap


@pytest.mark.parametrize(("version", "given"), [("null", "version null"), ('"1"', 'version "1"'), (None, "without a version")])
def test_an_other_version_is_named_in_json(tmp_path: Path, version: str | None, given: str) -> None:
    # It read `version None` and `version '1'` (Python, not the JSON of the file).
    path = tmp_path / "ids.json"
    path.write_text('{"format": "migrator.ids"' + (f', "version": {version}' if version else "") + "}")
    assert existing_map(path, URL, DAY, NOW).why_not == (
        f"{path}: id map {given} is not supported (this migrator reads version 1); fetching a new map"
    )


def test_a_map_without_an_api_url_says_so(tmp_path: Path) -> None:
    path = tmp_path / "ids.json"
    path.write_text('{"format": "migrator.ids", "version": 1, "workspace": {"id": "w1", "slug": "acme"}}')
    assert existing_map(path, URL, DAY, NOW).why_not == (
        f"{path} does not say which API URL it came from; fetching from {URL}"
    )


@pytest.mark.parametrize("text", ["²", "1²h", "٣"])
def test_parse_duration_takes_ascii_digits_only(text: str) -> None:
    # `²`.isdigit() is true: it reached int() and its "invalid literal for int()" message.
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert str(caught.value) == f'"{text}" is not a duration (examples: 90s, 30m, 24h, 7d, 1h30m)'


def test_the_empty_map_is_a_validated_empty_map() -> None:
    """`EMPTY` is made without building the validators (start-up): it is what
    validating nothing makes."""
    made = IdMap.model_validate({})
    assert EMPTY == made == IdMap() and EMPTY.model_dump_json() == made.model_dump_json()
    assert EMPTY.model_fields_set == made.model_fields_set == set() and EMPTY.sources is not made.sources
