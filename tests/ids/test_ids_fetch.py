"""fetch_idmap against the fake Public API on loopback: real HTTP, fake time."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import translate
from migrator.ids import AuthError, PublicApi, PublicApiError, RetryPolicy, fetch_idmap

from .fake_public_api import (
    SAMPLE_LEFT_OUT, SAMPLE_LEFT_OUT_WHY, SAMPLE_NOTES, FakePublicApi, Fault, destination, sample_idmap_json,
)

RESET = "Wed, 21 Oct 2026 07:28:30 GMT"
RESET_EPOCH = 1792567710.0
FETCHED = datetime(2026, 11, 27, 10, 0, 0, tzinfo=timezone.utc)
LIMITED = {"errors": [{"type": "RequestError", "message": "Too many requests",
                       "data": {"remainingPoints": 0, "msBeforeNext": 2500, "consumedPoints": 21}}]}


class Clock:
    def __init__(self, now: float = RESET_EPOCH - 7) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> Iterator[FakePublicApi]:
    with FakePublicApi.sample() as api:
        yield api


def client(
    fake: FakePublicApi,
    clock: Clock | None = None,
    *,
    token: str | None = None,
    read_timeout: float = 5.0,
    retry: RetryPolicy = RetryPolicy(),
    **extra: Any,
) -> PublicApi:
    http = httpx.Client(timeout=httpx.Timeout(read_timeout, connect=2.0), trust_env=False)
    clock = clock or Clock()
    return PublicApi(
        http, token=token or fake.token, base_url=fake.url, retry=retry,
        sleep=clock.sleep, clock=clock.time, jitter=lambda: 0.0, **extra,
    )


def fetch(api: PublicApi, **kwargs: Any) -> Any:
    return fetch_idmap(api, now=lambda: FETCHED, **kwargs)


def expected(fake: FakePublicApi) -> IdMap:
    return IdMap.model_validate({**sample_idmap_json(fake.url), "fetched_at": FETCHED})


def test_sample_workspace_gives_the_exact_map(fake: FakePublicApi) -> None:
    result = fetch(client(fake))
    assert result.idmap == expected(fake)
    assert result.notes == SAMPLE_NOTES
    assert fake.paths() == [
        "/", "/sources", "/destinations", "/catalog/sources", "/catalog/destinations", "/tracking-plans",
        "/destination/d_amp1/filters", "/destination/d_ga1/filters", "/destination/d_ga2/filters",
        "/destination/d_kin1/filters", "/destination/d_orphan/filters",
        "/functions", "/functions", "/functions", "/users", "/roles",
    ]
    assert result.requests == len(fake.requests) == 16
    assert [r.query.get("resourceType") for r in fake.requests if r.path == "/functions"] == [
        "DESTINATION", "INSERT_DESTINATION", "SOURCE",
    ]
    for request in fake.requests:
        assert request.headers["authorization"] == f"Bearer {fake.token}"
        assert request.headers["accept"] == "application/vnd.segment.v1+json"
        assert request.path == "/" or request.query["pagination.count"] == "200"


def test_a_previous_name_that_is_a_current_catalog_slug_is_not_a_destination_key(fake: FakePublicApi) -> None:
    actions = next(m for m in fake.destinations_catalog if m["slug"] == "actions-amplitude")
    fake.destinations.append(destination("d_ampA", "src_js1", actions))  # once "Amplitude": catalog has amplitude
    result = fetch(client(fake))
    assert {k: v for k, v in result.idmap.destinations.items() if "amplitude" in k} == {
        "ios/amplitude": ["d_amp1"],
        "js/actions-amplitude": ["d_ampA"],
        "js/amplitude-actions": ["d_ampA"],
    }


def test_pagination_over_many_pages(fake: FakePublicApi) -> None:
    fake.max_page = 7  # the server returns fewer items than asked for
    fake.add_sources(500)
    seen: list[tuple[str, int, bool]] = []
    result = fetch(client(fake), progress=lambda kind, n, done: seen.append((kind, n, done)))
    assert len(result.idmap.sources) == 503
    assert result.idmap.sources["src-00499"] == "src_00499"
    pages = [r for r in fake.requests if r.path == "/sources"]
    assert len(pages) == math.ceil(503 / 7)
    assert "pagination.cursor" not in pages[0].query
    assert all("pagination.cursor" in r.query for r in pages[1:])
    counts = [n for kind, n, done in seen if kind == "sources"]
    assert counts == sorted(counts) and counts[-1] == 503
    assert ("sources", 503, True) in seen
    assert result.idmap.destinations == expected(fake).destinations


def test_a_429_with_reset_header_waits_then_succeeds(fake: FakePublicApi) -> None:
    fake.fail("/sources", Fault(429, {"X-RateLimit-Reset": RESET}, {"errors": [{"message": "Too many requests"}]}))
    clock = Clock(RESET_EPOCH - 7)
    result = fetch(client(fake, clock))
    assert clock.sleeps == [7.0]
    assert fake.paths().count("/sources") == 2
    assert result.idmap == expected(fake)


def test_a_429_with_ms_before_next_waits_then_succeeds(fake: FakePublicApi) -> None:
    fake.fail("/catalog/destinations", Fault(429, {}, LIMITED))
    clock = Clock()
    assert fetch(client(fake, clock)).idmap == expected(fake)
    assert clock.sleeps == [2.5]


def test_a_503_then_success(fake: FakePublicApi) -> None:
    fake.fail("/destinations", Fault(503, {}, {"errors": [{"message": "unavailable"}]}), Fault(503))
    clock = Clock()
    assert fetch(client(fake, clock)).idmap == expected(fake)
    assert clock.sleeps == [0.25, 0.5]
    assert fake.paths().count("/destinations") == 3


def test_a_read_timeout_then_success(fake: FakePublicApi) -> None:
    fake.fail("/catalog/sources", Fault(delay=1.0))
    clock = Clock()
    assert fetch(client(fake, clock, read_timeout=0.2)).idmap == expected(fake)
    assert clock.sleeps == [0.25]
    assert fake.paths().count("/catalog/sources") == 2


def test_read_timeouts_until_the_last_attempt_fail_clearly(fake: FakePublicApi) -> None:
    fake.fail("/catalog/sources", Fault(delay=1.0), Fault(delay=1.0))
    api = client(fake, read_timeout=0.2, retry=RetryPolicy(attempts=2))
    with pytest.raises(PublicApiError) as info:
        fetch(api)
    assert str(info.value) == "GET /catalog/sources: timed out (read timeout); gave up after 2 attempts"


def test_a_trickling_response_times_out_at_the_deadline_and_is_retried(fake: FakePublicApi) -> None:
    # One byte every 0.05 s never trips the 5 s read timeout (it limits each wait
    # for data only): without a deadline for the whole response this never ends.
    fake.fail("/catalog/sources", Fault(trickle=0.05), Fault(trickle=0.05))
    api = client(fake, retry=RetryPolicy(attempts=2), deadline=0.5)
    with pytest.raises(PublicApiError) as info:
        fetch(api)
    assert str(info.value) == (
        "GET /catalog/sources: timed out (response not complete within 0.5 s); gave up after 2 attempts"
    )
    assert fake.paths().count("/catalog/sources") == 2


def test_a_trickle_then_a_normal_answer_succeeds(fake: FakePublicApi) -> None:
    fake.fail("/", Fault(trickle=0.05))
    clock = Clock()
    assert fetch(client(fake, clock, deadline=0.3)).idmap == expected(fake)
    assert clock.sleeps == [0.25]


def test_a_bad_token_gets_the_helpful_message_and_never_leaks(fake: FakePublicApi) -> None:
    bad = "sgp_WRONG_secret_value"
    with pytest.raises(AuthError) as info:
        fetch(client(fake, token=bad))
    message = str(info.value)
    assert message.startswith("GET /: the Public API refused the token (HTTP 401: Unauthorized).")
    assert "Config API tokens do not work on the Public API" in message
    assert "workspace owner" in message
    assert bad not in message and bad not in repr(info.value)
    assert len(fake.requests) == 1


def test_a_large_workspace_within_a_bounded_number_of_requests(fake: FakePublicApi) -> None:
    fake.add_sources(10_000)
    result = fetch(client(fake))
    assert len(result.idmap.sources) == 10_003
    source_pages = math.ceil(10_003 / 200)
    destinations = len(fake.destinations)
    # workspace + source pages + one page each for destinations, two catalogs, tracking plans,
    # users and roles + one filters call per destination + three function types
    assert len(fake.requests) == 1 + source_pages + 6 + destinations + 3 == 66
    assert result.requests == 66


def test_kinds_a_workspace_lacks_are_skipped_with_a_note(fake: FakePublicApi) -> None:
    fake.fail("/tracking-plans", Fault(403, {}, {"errors": [{"message": "Protocols is not enabled"}]}))
    fake.fail("/functions", Fault(404))
    fake.fail("/destination/d_ga1/filters", Fault(404))
    result = fetch(client(fake))
    assert result.idmap.tracking_plans == {}
    assert "d_ga1/Drop test events" not in result.idmap.filters
    assert "sfnc_1" not in result.idmap.functions and "sfnc_2" in result.idmap.functions
    assert result.notes == [
        "tracking plans: skipped, HTTP 403 (feature not enabled or token lacks access)",
        'filters of 1 destination: skipped, HTTP 404 (deleted meanwhile?): "d_ga1"',
        "functions of type DESTINATION: skipped, HTTP 404 (feature not enabled or token lacks access)",
        *SAMPLE_NOTES,
    ]
    assert result.idmap.sources == expected(fake).sources
    # the map says what it lacks and why, and survives a round trip through its file
    assert result.idmap.skipped == {
        "tracking_plans": "tracking plans: HTTP 403 (feature not enabled or token lacks access)",
        "filters": 'filters of 1 destination: HTTP 404 (deleted meanwhile?): "d_ga1"',
        "functions": "functions of type DESTINATION: HTTP 404 (feature not enabled or token lacks access)",
        SAMPLE_LEFT_OUT: SAMPLE_LEFT_OUT_WHY,
    }
    assert IdMap.model_validate_json(result.idmap.to_json()) == result.idmap
    # translate then says so, where "run `migrator ids`" would only read the same refusal again
    plan = translate({"name": "workspaces/acme/tracking-plans/rs_1"}, load_rules(), result.idmap)
    assert [r.message for r in plan.reports if r.kind == "unresolved"] == [
        "no tracking-plan id for 'rs_1': the id map could not read them all "
        "(tracking plans: HTTP 403 (feature not enabled or token lacks access))",
    ]
    # a map read in full mentions only the keys it left out on purpose
    assert json.loads(expected(fake).to_json())["skipped"] == {SAMPLE_LEFT_OUT: SAMPLE_LEFT_OUT_WHY}


def test_list_items_left_out_are_noted_per_kind(fake: FakePublicApi) -> None:
    fake.sources = [{"id": "a"}, {"slug": "b"}, {"id": 5, "slug": "c"}, "str"]  # type: ignore[list-item]
    fake.roles.append({"name": "No id"})
    result = fetch(client(fake))
    assert (result.idmap.sources, result.idmap.destinations) == ({}, {})
    assert result.idmap.roles == expected(fake).roles
    assert result.notes == [
        'sources: 4 items left out (1 not a JSON object, 3 without a string "id" or "slug")',
        'destinations: 5 items left out (5 whose "sourceId" names no source in the map: '
        '"src_gone", "src_ios1", "src_js1", "src_node1")',
        *SAMPLE_NOTES[1:],
        'roles: 1 item left out (1 without a string "id" or "name")',
    ]


def test_a_401_on_a_later_kind_still_fails(fake: FakePublicApi) -> None:
    fake.fail("/users", Fault(401, {}, {"errors": [{"message": "Unauthorized"}]}))
    with pytest.raises(AuthError, match="HTTP 401"):
        fetch(client(fake))


def test_a_404_on_a_core_kind_fails(fake: FakePublicApi) -> None:
    fake.fail("/sources", Fault(404, {}, {"errors": [{"message": "Resource not found"}]}))
    with pytest.raises(PublicApiError, match=r"GET /sources: not found at http://127\.0\.0\.1:\d+ \(HTTP 404"):
        fetch(client(fake))


def test_the_fake_rejects_what_the_real_api_rejects(fake: FakePublicApi) -> None:
    api = client(fake)
    with pytest.raises(PublicApiError, match="HTTP 422: pagination.count is required"):
        api.get("/sources")
    with pytest.raises(PublicApiError, match="HTTP 422: resourceType is required"):
        list(api.pages("/functions", "functions"))


def test_debug_logs_of_a_whole_fetch_never_hold_the_token(
    fake: FakePublicApi, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("/sources", Fault(503), Fault(401, {}, {"errors": [{"message": f"bad {fake.token}"}]}))
    with caplog.at_level("DEBUG"), pytest.raises(AuthError) as info:
        fetch(client(fake))
    assert caplog.records  # httpx and httpcore did log
    assert fake.token not in caplog.text
    assert fake.token not in str(info.value)


def test_tracking_plans_are_listed_live_only(fake: FakePublicApi) -> None:
    # The Public list holds every type of plan unless asked for one; a LIVE plan named like a
    # template or a library would be ambiguous with it. The query comes from the table's list row.
    fake.tracking_plans += [
        {"id": "tp_4", "slug": "checkout", "name": "Checkout", "type": "LIVE"},
        {"id": "tp_5", "slug": "checkout-library", "name": "Checkout", "type": "RULE_LIBRARY"},
    ]
    result = fetch(client(fake))
    assert [r.query for r in fake.requests if r.path == "/tracking-plans"] == [
        {"type": "LIVE", "pagination.count": "200"},
    ]
    assert result.idmap.tracking_plans == {
        **expected(fake).tracking_plans, "Checkout": ["tp_4"], "checkout": ["tp_4"], "tp_4": ["tp_4"],
    }
    assert result.notes == SAMPLE_NOTES


def test_plans_of_another_type_a_server_lists_all_the_same_are_left_out(fake: FakePublicApi) -> None:
    fake.plan_types = False  # answers every type whatever it is asked
    fake.tracking_plans.append({"id": "tp_6", "name": "Web Plan", "type": "PROPERTY_LIBRARY"})
    result = fetch(client(fake))
    assert result.idmap.tracking_plans == expected(fake).tracking_plans
    assert result.notes == [*SAMPLE_NOTES, 'tracking plans: 2 items left out (2 whose "type" is not "LIVE")']


def test_another_4xx_on_an_optional_list_leaves_that_map_empty_with_the_servers_message(
    fake: FakePublicApi,
) -> None:
    # the spec lists 422 for these lists: a function type the workspace has not enabled
    not_enabled = {"errors": [{"message": "resourceType INSERT_DESTINATION not enabled"}]}
    fake.fail("/functions", Fault(0), Fault(422, {}, not_enabled))
    fake.fail("/users", Fault(400, {}, {}))
    fake.fail("/destination/d_ga2/filters", Fault(422, {}, {"errors": [{"message": "no filters here"}]}))
    result = fetch(client(fake))
    assert result.idmap.functions == {k: v for k, v in expected(fake).functions.items() if v != ["ifnd_3"]} | {
        "Webhook relay": ["sfnc_1"],
    }
    assert result.idmap.users == {}
    assert result.idmap.sources == expected(fake).sources
    assert result.notes == [
        'filters of 1 destination: skipped, HTTP 422: "no filters here": "d_ga2"',
        'functions of type INSERT_DESTINATION: skipped, HTTP 422: "resourceType INSERT_DESTINATION not enabled"',
        "users: skipped, HTTP 400",
        *SAMPLE_NOTES,
    ]


def test_a_4xx_on_a_required_list_or_a_429_on_an_optional_one_still_fails(fake: FakePublicApi) -> None:
    fake.fail("/destinations", Fault(422, {}, {"errors": [{"message": "bad"}]}))
    with pytest.raises(PublicApiError, match="GET /destinations: HTTP 422: bad"):
        fetch(client(fake))
    fake.faults.clear()
    fake.fail("/roles", Fault(429, {}, {"errors": [{"data": {"msBeforeNext": 3_600_000}}]}))
    with pytest.raises(PublicApiError, match="GET /roles: rate limited"):
        fetch(client(fake))


def test_filters_answering_404_for_every_destination_make_one_note(fake: FakePublicApi) -> None:
    fake.destinations += [destination(f"d_x{i:02d}", "src_js1", fake.destinations[0]["metadata"]) for i in range(7)]
    for dest in fake.destinations:
        fake.fail(f"/destination/{dest['id']}/filters", Fault(404))
    result = fetch(client(fake))
    assert result.idmap.filters == {}
    assert result.notes == [
        "filters of all 12 destinations: skipped, HTTP 404 (the filters route may be off for the workspace): "
        '"d_amp1", "d_ga1", "d_ga2", "d_kin1", "d_orphan" and 7 more',
        *SAMPLE_NOTES,
    ]


def test_a_403_on_one_destinations_filters_leaves_out_only_those(fake: FakePublicApi) -> None:
    # The whole filters map was emptied, with a note naming no destination.
    fake.fail("/destination/d_amp1/filters", Fault(403, {}, {"errors": [{"message": "Forbidden"}]}))
    result = fetch(client(fake))
    # the map says which filters it lacks and why (a translate run names it, not "run `migrator ids`")
    assert result.idmap == expected(fake).model_copy(update={
        "filters": {"d_ga1/Drop test events": ["df_1"]},
        "skipped": {"filters": 'filters of 1 destination: HTTP 403 (feature not enabled or token lacks access): "d_amp1"',
                    SAMPLE_LEFT_OUT: SAMPLE_LEFT_OUT_WHY},
    })
    assert result.notes == [
        'filters of 1 destination: skipped, HTTP 403 (feature not enabled or token lacks access): "d_amp1"',
        *SAMPLE_NOTES,
    ]


def test_a_401_on_a_destinations_filters_still_fails(fake: FakePublicApi) -> None:
    fake.fail("/destination/d_amp1/filters", Fault(401, {}, {"errors": [{"message": "Unauthorized"}]}))
    with pytest.raises(AuthError, match="HTTP 401"):
        fetch(client(fake))


def test_filters_of_the_only_destination_answering_404_name_both_causes(fake: FakePublicApi) -> None:
    fake.destinations = fake.destinations[:1]
    fake.fail("/destination/d_ga1/filters", Fault(404))
    result = fetch(client(fake))
    assert result.notes[0] == (
        "filters of the 1 destination: skipped, HTTP 404 (the filters route may be off for the workspace, "
        'or it was deleted meanwhile): "d_ga1"'
    )


def test_keys_left_out_on_purpose_are_recorded_under_skipped_and_translate_says_why(fake: FakePublicApi) -> None:
    amplitude = next(m for m in fake.destinations_catalog if m["slug"] == "amplitude")
    fake.sources.append({"id": "src_js2", "slug": "js", "name": "JS again"})  # a duplicate slug
    fake.sources_catalog.append({"id": "a/b", "slug": "evilcat", "name": "Evil"})  # no URL path holds "a/b"
    fake.destinations.append(destination("d_amp9", "src_ios1", {**amplitude, "slug": "kafka"}) | {"id": "x y"})
    fake.roles.append({"id": "r_3", "name": "Source Admin"})
    fake.users.append({"id": "../u", "email": "eve@acme.test"})
    result = fetch(client(fake))
    assert "js" not in result.idmap.sources and "evilcat" not in result.idmap.source_metadata
    assert result.idmap.skipped == {
        SAMPLE_LEFT_OUT: SAMPLE_LEFT_OUT_WHY,
        "destinations/ios/kafka": 'its Public id "x y" cannot go in a URL path',
        "destinations/js/google-analytics":
            "its source 'js' is left out: it names 2 objects in the Public API (src_js1, src_js2)",
        "roles/Source Admin": "it names 2 objects in the Public API (r_2, r_3)",
        "source_metadata/evilcat": 'its Public id "a/b" cannot go in a URL path',
        "sources/js": "it names 2 objects in the Public API (src_js1, src_js2)",
        "users/eve@acme.test": 'its Public id "../u" cannot go in a URL path',
    }
    assert IdMap.model_validate_json(result.idmap.to_json()) == result.idmap
    # translate says why, where "run `migrator ids`" would leave them out again
    # (a key naming several objects is ambiguous, as a list in a map would be)
    said = [
        (r.kind, r.message)
        for doc in ({"name": "catalog/sources/evilcat", "display_name": "E"},
                    {"name": "workspaces/acme/sources/js", "parent": "workspaces/acme"},
                    {"name": "workspaces/acme/sources/js/destinations/google-analytics"},
                    {"name": "catalog/sources/unheard-of", "display_name": "U"})
        for r in translate(doc, load_rules(), result.idmap).reports if r.kind in ("unresolved", "ambiguous")
    ]
    several = "no source id for 'js': the id map leaves it out (it names 2 objects in the Public API (src_js1, src_js2))"
    assert said == [
        ("unresolved", "no source-metadata id for 'evilcat': the id map leaves it out "
         '(its Public id "a/b" cannot go in a URL path)'),
        ("ambiguous", several),
        ("unresolved", "no destination id for 'js/google-analytics': the id map leaves it out "
         "(its source 'js' is left out: it names 2 objects in the Public API (src_js1, src_js2))"),
        ("ambiguous", several),
        ("unresolved", "no source-metadata id for 'unheard-of' (run `migrator ids`)"),
    ]


def test_a_map_written_before_keys_were_recorded_as_left_out_still_loads() -> None:
    old = {**sample_idmap_json("https://api.segmentapis.com"), "fetched_at": "2026-11-27T10:00:00Z"}
    del old["skipped"]
    idmap = IdMap.model_validate(old)
    assert idmap.skipped is None and idmap.left_out("source", "js") is None
    said = translate({"name": "catalog/sources/evilcat", "display_name": "E"}, load_rules(), idmap).reports
    assert [r.message for r in said if r.kind == "unresolved"] == [
        "no source-metadata id for 'evilcat' (run `migrator ids`)"]
