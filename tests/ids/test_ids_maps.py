"""The pure map builders: keys, previous names, ambiguity."""

from __future__ import annotations

import pytest

from migrator.ids import maps


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Google Universal Analytics", "google-universal-analytics"),
        ("Amplitude (Actions)", "amplitude-actions"),
        ("Mixpanel", "mixpanel"),
        ("google-analytics", "google-analytics"),
        ("  Émarsys  CRM ", "emarsys-crm"),
        ("Node.js", "node-js"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert maps.slugify(name) == slug


def test_single_drops_keys_with_two_ids_and_notes_them() -> None:
    notes: list[str] = []
    result = maps.single([("a", "1"), ("b", "2"), ("b", "3"), ("a", "1"), ("", "4"), ("c", "")], "users", notes)
    assert result == {"a": "1"}
    assert notes == ['users: "b" names 2 objects (2, 3); left out']


def test_multi_keeps_every_id_sorted_and_distinct() -> None:
    assert maps.multi([("k", "2"), ("k", "1"), ("k", "2"), ("j", "3")]) == {"j": ["3"], "k": ["1", "2"]}


def _dest(id_: str, source_id: str, slug: str, previous: list[str] | None = None) -> dict[str, object]:
    return {"id": id_, "sourceId": source_id, "metadata": {"slug": slug, "previousNames": previous or []}}


def test_destinations_key_by_source_slug_and_metadata_slug() -> None:
    destinations = [
        _dest("d1", "s1", "google-analytics", ["Google Analytics", "Google Universal Analytics"]),
        _dest("d2", "s1", "google-analytics"),
        _dest("d3", "s2", "amplitude"),
        _dest("d4", "gone", "amplitude"),
    ]
    notes: list[str] = []
    assert maps.destination_map(destinations, {"s1": "js", "s2": "ios"}, notes=notes) == {
        "ios/amplitude": ["d3"],
        "js/google-analytics": ["d1", "d2"],
        "js/google-universal-analytics": ["d1"],
    }
    # a destination of a source not listed is left out, with a note (it was left out silently)
    assert notes == ['destinations: 1 item left out (1 whose "sourceId" names no source in the map: "gone")']


def test_a_previous_name_never_shadows_a_current_slug_on_the_same_source() -> None:
    destinations = [_dest("new", "s1", "actions-amplitude", ["Amplitude"]), _dest("old", "s1", "amplitude")]
    assert maps.destination_map(destinations, {"s1": "js"}, notes=[]) == {
        "js/actions-amplitude": ["new"],
        "js/amplitude": ["old"],
    }


def test_a_previous_name_never_shadows_a_current_catalog_slug() -> None:
    destinations = [_dest("d_amp", "s", "amplitude", ["Mixpanel", "Amplitude Legacy"])]
    catalog = [{"id": "m_amp", "slug": "amplitude"}, {"id": "m_mix", "slug": "mixpanel"}]
    assert maps.destination_map(destinations, {"s": "js"}, catalog, notes=[]) == {
        "js/amplitude": ["d_amp"],
        "js/amplitude-legacy": ["d_amp"],
    }
    # nor the current slug of a destination on another source
    other = [*destinations, _dest("d_mix", "t", "mixpanel")]
    assert maps.destination_map(other, {"s": "js", "t": "ios"}, notes=[]) == {
        "ios/mixpanel": ["d_mix"],
        "js/amplitude": ["d_amp"],
        "js/amplitude-legacy": ["d_amp"],
    }


RENAMED = [
    {"id": "ga", "slug": "google-analytics", "previousNames": ["Google Analytics", "Google Universal Analytics"]},
    {"id": "amp", "slug": "amplitude", "previousNames": []},
    {"id": "ampA", "slug": "actions-amplitude", "previousNames": ["Amplitude"]},
    {"id": "x", "slug": "x-new", "previousNames": ["Legacy"]},
    {"id": "y", "slug": "y-new", "previousNames": ["Legacy"]},
]
"""A destination catalog with previous names: one a current slug (`amplitude`), one shared (`legacy`)."""


def test_destination_metadata_previous_names() -> None:
    notes: list[str] = []
    catalog = RENAMED
    assert maps.destination_metadata_map(catalog, notes) == {
        "actions-amplitude": "ampA",
        "amplitude": "amp",
        "google-analytics": "ga",
        "google-universal-analytics": "ga",
        "x-new": "x",
        "y-new": "y",
    }
    assert notes == ['destination catalog previous names: "legacy" names 2 objects (x, y); left out']


def test_tracking_plans_answer_to_slug_name_and_id() -> None:
    plans = [{"id": "tp_1", "slug": "rs_1", "name": "Web"}, {"id": "tp_2", "name": "Web", "slug": None}]
    notes: list[str] = []
    assert maps.tracking_plan_map(plans, notes) == {
        "Web": ["tp_1", "tp_2"],
        "rs_1": ["tp_1"],
        "tp_1": ["tp_1"],
        "tp_2": ["tp_2"],
    }
    assert notes == []


def test_filters_key_by_destination_and_title() -> None:
    pairs = [("d1", {"id": "f1", "title": "Drop"}), ("d1", {"id": "f2", "title": "Drop"}), ("d2", {"id": "f3"})]
    notes: list[str] = []
    assert maps.filter_map(pairs, notes) == {"d1/Drop": ["f1", "f2"]}
    assert notes == ['filters: 1 item left out (1 without a string "id" or "title")']


def test_functions_users_roles() -> None:
    notes: list[str] = []
    assert maps.function_map([{"id": "f1", "displayName": "Relay"}, {"displayName": "No id"}], notes) == {
        "Relay": ["f1"],
        "f1": ["f1"],
    }
    assert maps.user_map([{"id": "u1", "email": "a@x.test"}], notes) == {"a@x.test": "u1"}
    assert maps.role_map([{"id": "r1", "name": "Owner"}, {"id": "r2", "name": "Owner"}], notes) == {}
    assert notes == [
        'functions: 1 item left out (1 without a string "id")',
        'roles: "Owner" names 2 objects (r1, r2); left out',
    ]


def test_notes_quote_keys_as_json_whatever_they_hold() -> None:
    # `'b'` but `"o'neil"`: Python's repr switched quotes.
    notes: list[str] = []
    maps.single([("o'neil", "1"), ("o'neil", "2"), ('say "hi"', "3"), ('say "hi"', "4")], "users", notes)
    assert notes == [
        "users: \"o'neil\" names 2 objects (1, 2); left out",
        'users: "say \\"hi\\"" names 2 objects (3, 4); left out',
    ]


def test_items_that_are_not_objects_or_lack_a_field_are_left_out_with_a_note() -> None:
    # They were dropped without a word: `"sources": {}` and exit 0.
    notes: list[str] = []
    sources = [{"id": "a"}, {"slug": "b"}, {"id": 5, "slug": "c"}, "str", {"id": "s1", "slug": "ok"}]
    assert maps.source_map(sources, notes) == {"ok": "s1"}
    destinations = [_dest("d1", "s1", ""), {"id": "d2", "sourceId": "s1", "metadata": None}, ["d3"]]
    assert maps.destination_map(destinations, {"s1": "ok"}, notes=notes) == {}
    assert maps.user_map([{"id": "u1", "email": ""}, None], notes) == {}
    assert maps.source_metadata_map([{"id": "m", "slug": "javascript"}], notes) == {"javascript": "m"}
    assert notes == [
        'sources: 4 items left out (1 not a JSON object, 3 without a string "id" or "slug")',
        'destinations: 3 items left out (1 not a JSON object, 2 without a string "id", "sourceId" or "metadata.slug")',
        'users: 2 items left out (1 not a JSON object, 1 without a string "id" or "email")',
    ]


def test_a_duplicate_source_slug_note_says_its_destinations_go_too() -> None:
    notes: list[str] = []
    sources = [{"id": "src_1", "slug": "s1"}, {"id": "src_dup", "slug": "s1"}, {"id": "src_2", "slug": "s2"}]
    assert maps.source_map(sources, notes) == {"s2": "src_2"}
    assert notes == [
        'sources: "s1" names 2 objects (src_1, src_dup); left out, and so are the destinations on them'
    ]


def test_the_note_on_destinations_of_unknown_sources_quotes_and_caps_the_source_ids() -> None:
    notes: list[str] = []
    orphans = [_dest(f"d{i}", f"s{i % 6}", "amplitude") for i in range(7)] + [_dest("d9", "a\nb", "amplitude")]
    assert maps.destination_map([*orphans, _dest("ok", "known", "amplitude")], {"known": "js"}, notes=notes) == {
        "js/amplitude": ["ok"]
    }
    assert notes == [
        'destinations: 8 items left out (8 whose "sourceId" names no source in the map: '
        '"a\\nb", "s0", "s1", "s2", "s3" and 2 more)'
    ]


def test_items_whose_id_a_url_path_cannot_hold_are_left_out() -> None:
    # The map loader refuses such ids (`--ids`): a map written with one could not be used.
    notes: list[str] = []
    sources = [{"id": "src_1", "slug": "web"}, {"id": "x/../y", "slug": "ios"}, {"id": "..", "slug": "a"},
               {"id": " s\n", "slug": "b"}, {"id": "", "slug": "c"}]
    assert maps.source_map(sources, notes) == {"web": "src_1"}
    assert notes == ['sources: 4 items left out (1 without a string "id" or "slug", 3 whose "id" has a character '
                     'other than letters, digits, "-", ".", "_" and "~", or is dots only (it cannot go in a URL path))']


def test_the_previous_names_kept_name_their_current_slug() -> None:
    """Only those `destination_metadata` holds: not a current slug
    (`amplitude`), nor one shared by two entries (`legacy`)."""
    catalog = RENAMED
    metadata = maps.destination_metadata_map(catalog, [])
    assert maps.previous_name_map(catalog, metadata) == {"google-universal-analytics": "google-analytics"}
