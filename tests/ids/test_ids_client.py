"""PublicApi against httpx.MockTransport: headers, paging, waits, retries, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from migrator.ids.client import (
    TOKEN_HELP,
    AuthError,
    NotFoundError,
    PublicApi,
    PublicApiError,
    RetryPolicy,
)

TOKEN = "sgp_SECRET_token_123"
BASE = "https://api.test"
RESET = "Wed, 21 Oct 2026 07:28:30 GMT"
RESET_EPOCH = 1792567710.0  # the same instant


Handler = Callable[[httpx.Request], httpx.Response]


class Clock:
    def __init__(self, now: float = RESET_EPOCH - 7) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make(handler: Handler, clock: Clock | None = None, **kwargs: Any) -> tuple[PublicApi, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    clock = clock or Clock()
    api = PublicApi(
        httpx.Client(transport=httpx.MockTransport(record)),
        token=TOKEN,
        base_url=BASE + "/",
        sleep=clock.sleep,
        clock=clock.time,
        jitter=lambda: 0.0,
        **kwargs,
    )
    return api, seen


def ok(data: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.Response(200, json={"data": data}, headers=headers)


def errors(status: int, message: str, **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"errors": [{"type": "error", "message": message, **extra}]})


def sequence(*responses: httpx.Response | Exception) -> Handler:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    return handler


def test_sends_token_versioned_media_type_and_returns_data() -> None:
    api, seen = make(sequence(ok({"workspace": {"id": "w"}})))
    assert api.get("/") == {"workspace": {"id": "w"}}
    request = seen[0]
    assert str(request.url) == "https://api.test/"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/vnd.segment.v1+json"


def test_version_can_be_chosen_per_call() -> None:
    api, seen = make(sequence(ok({})))
    api.get("/destinations/d/delivery-metrics", version="v1beta")
    assert seen[0].headers["Accept"] == "application/vnd.segment.v1beta+json"


def test_pages_follow_next_with_deep_object_query() -> None:
    pages = {
        None: ok({"sources": [{"id": "1"}, {"id": "2"}], "pagination": {"current": "MA==", "next": "Mg=="}}),
        "Mg==": ok({"sources": [{"id": "3"}], "pagination": {"current": "Mg==", "next": None}}),
    }
    api, seen = make(lambda r: pages[r.url.params.get("pagination.cursor")], page_size=2)
    assert [[s["id"] for s in page] for page in api.pages("/sources", "sources")] == [["1", "2"], ["3"]]
    assert [r.url.query for r in seen] == [
        b"pagination.count=2",
        b"pagination.count=2&pagination.cursor=Mg%3D%3D",
    ]


def test_extra_params_are_kept_on_every_page() -> None:
    pages = [
        ok({"functions": [], "pagination": {"current": "a", "next": "b"}}),
        ok({"functions": [], "pagination": {"current": "b"}}),
    ]
    api, seen = make(sequence(*pages))
    list(api.pages("/functions", "functions", {"resourceType": "SOURCE"}))
    assert [r.url.params["resourceType"] for r in seen] == ["SOURCE", "SOURCE"]


def test_a_repeated_cursor_stops_with_an_error() -> None:
    api, _ = make(lambda r: ok({"sources": [], "pagination": {"current": "x", "next": "again"}}))
    with pytest.raises(PublicApiError, match="pagination cursor twice"):
        list(api.pages("/sources", "sources"))


@pytest.mark.parametrize("cursor", [5, {"offset": 200}, ["c"]])
def test_a_cursor_that_is_not_a_string_is_an_unexpected_response_not_a_repeat(cursor: Any) -> None:
    api, seen = make(lambda r: ok({"sources": [{"id": "s1"}], "pagination": {"next": cursor}}))
    with pytest.raises(PublicApiError) as caught:
        list(api.pages("/sources", "sources"))
    assert str(caught.value) == "GET /sources: unexpected response, data.pagination.next is not a string cursor"
    assert len(seen) == 1


def test_empty_pages_with_new_cursors_without_end_stop_with_an_error() -> None:
    calls = iter(range(10_000))
    api, seen = make(lambda r: ok({"sources": [], "pagination": {"next": f"c{next(calls)}"}}))
    with pytest.raises(PublicApiError, match="returned 20 empty pages in a row"):
        list(api.pages("/sources", "sources"))
    assert len(seen) == 20


def test_empty_pages_between_full_ones_are_followed() -> None:
    pages = [([] if i % 20 else [{"id": str(i)}], f"c{i}") for i in range(60)] + [([{"id": "end"}], None)]
    answers = iter(ok({"sources": items, "pagination": {"next": nxt}}) for items, nxt in pages)
    api, _ = make(lambda r: next(answers))
    assert [item["id"] for page in api.pages("/sources", "sources") for item in page] == ["0", "20", "40", "end"]


def test_a_missing_list_is_an_error() -> None:
    api, _ = make(sequence(ok({"items": []})))
    with pytest.raises(PublicApiError, match=r"no list at data\.sources"):
        list(api.pages("/sources", "sources"))


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (httpx.Response(200, text="<html>proxy</html>", headers={"Content-Type": "text/html; charset=utf-8"}),
         'GET /: unexpected response (HTTP 200), the body is not JSON ("text/html")'),
        (httpx.Response(200, text='{"data": {"sources": [ {"id": "a"', headers={"Content-Type": "application/json"}),
         'GET /: unexpected response (HTTP 200), the body is not JSON ("application/json")'),
        (httpx.Response(200, content=b"<html>"), "GET /: unexpected response (HTTP 200), the body is not JSON"),
        (httpx.Response(204), "GET /: unexpected response (HTTP 204), the body is empty"),
        (httpx.Response(200, text="null"), "GET /: unexpected response, no JSON object at data"),
        (httpx.Response(200, json=[1]), "GET /: unexpected response, no JSON object at data"),
    ],
)
def test_a_success_whose_body_is_not_json_says_so(answer: httpx.Response, message: str) -> None:
    api, _ = make(sequence(answer))
    with pytest.raises(PublicApiError) as raised:
        api.get("/")
    assert str(raised.value) == message


def test_429_waits_ms_before_next() -> None:
    clock = Clock()
    limited = errors(429, "Too many requests", data={"remainingPoints": 0, "msBeforeNext": 1500})
    api, seen = make(sequence(limited, ok({"x": 1})), clock)
    assert api.get("/") == {"x": 1}
    assert clock.sleeps == [1.5]
    assert len(seen) == 2


def test_429_waits_until_the_reset_header() -> None:
    clock = Clock(RESET_EPOCH - 7)
    limited = httpx.Response(429, headers={"X-RateLimit-Reset": RESET}, json={"errors": []})
    api, _ = make(sequence(limited, ok({})), clock)
    api.get("/")
    assert clock.sleeps == [7.0]


def test_429_without_hints_backs_off() -> None:
    clock = Clock()
    api, _ = make(sequence(httpx.Response(429), httpx.Response(429), ok({})), clock)
    api.get("/")
    assert clock.sleeps == [0.25, 0.5]


@pytest.mark.parametrize("retry_after", ["20", RESET])
def test_429_and_503_wait_as_long_as_retry_after_says(retry_after: str) -> None:
    # A gateway in front of the API may send only the standard header: backing
    # off 0.25 s, 0.5 s, ... would use up every attempt before the wait is over.
    clock = Clock(RESET_EPOCH - 20)
    limited = httpx.Response(429, headers={"Retry-After": retry_after})
    api, _ = make(sequence(limited, ok({})), clock)
    api.get("/")
    unavailable = httpx.Response(503, headers={"Retry-After": retry_after})
    clock.now = RESET_EPOCH - 20
    api2, _ = make(sequence(unavailable, ok({})), clock)
    api2.get("/")
    assert clock.sleeps == [20.0, 20.0]


def test_a_retry_after_longer_than_the_longest_wait_fails_clearly() -> None:
    api, _ = make(sequence(httpx.Response(503, headers={"Retry-After": "3600"})))
    with pytest.raises(PublicApiError, match=r"^GET /sources: server error \(HTTP 503\) and asked to wait 3600 s"):
        api.get("/sources")


def test_an_unreadable_retry_after_backs_off() -> None:
    clock = Clock()
    api, _ = make(sequence(httpx.Response(429, headers={"Retry-After": "soon"}), ok({})), clock)
    api.get("/")
    assert clock.sleeps == [0.25]


def test_429_asking_for_too_long_a_wait_fails_clearly() -> None:
    limited = errors(429, "Too many requests", data={"msBeforeNext": 3_600_000})
    api, _ = make(sequence(limited))
    with pytest.raises(PublicApiError, match="asked to wait 3600 s"):
        api.get("/sources")


@pytest.mark.parametrize("ms", ["1e300", "Infinity", "1" + "0" * 400, "86400001"])
def test_a_wait_of_more_than_a_day_is_said_in_words_and_stops(ms: str) -> None:
    # `msBeforeNext: 1e300` printed a wait of 301 digits
    body = '{"errors": [{"message": "slow", "data": {"msBeforeNext": %s}}]}' % ms
    clock = Clock()
    api, seen = make(sequence(httpx.Response(429, content=body.encode())), clock)
    with pytest.raises(PublicApiError) as info:
        api.get("/sources")
    assert str(info.value) == (
        "GET /sources: rate limited (HTTP 429) and asked to wait more than a day, more than 300 s; try again later"
    )
    assert (clock.sleeps, len(seen), info.value.status) == ([], 1, 429)


def test_a_wait_of_a_day_is_still_said_in_seconds() -> None:
    api, _ = make(sequence(errors(429, "slow", data={"msBeforeNext": 86_400_000})))
    with pytest.raises(PublicApiError, match=r"asked to wait 86400 s, more than 300 s"):
        api.get("/sources")


def test_a_ms_before_next_that_is_not_a_number_backs_off() -> None:
    # Python's JSON reader takes NaN: waiting NaN seconds raised ValueError from time.sleep
    clock = Clock()
    limited = httpx.Response(429, content=b'{"errors": [{"data": {"msBeforeNext": NaN}}]}')
    api, _ = make(sequence(limited, ok({})), clock)
    api.get("/")
    assert clock.sleeps == [0.25]


def test_an_exhausted_window_delays_the_next_request() -> None:
    clock = Clock(RESET_EPOCH - 4)
    used_up = ok({}, **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": RESET})
    api, _ = make(sequence(used_up, ok({})), clock)
    api.get("/")
    assert clock.sleeps == []
    api.get("/")
    assert clock.sleeps == [4.0]


def test_an_exhausted_window_with_too_long_a_wait_stops_instead_of_waiting() -> None:
    # It slept the 300 s maximum silently, then went on before the reset.
    clock = Clock(RESET_EPOCH - 3600)
    used_up = ok({}, **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": RESET})
    api, seen = make(sequence(used_up, ok({})), clock)
    api.get("/")
    with pytest.raises(PublicApiError) as info:
        api.get("/sources")
    assert str(info.value) == (
        "GET /sources: rate limit used up (X-RateLimit-Remaining: 0) and asked to wait 3600 s, "
        "more than 300 s; try again later"
    )
    assert (clock.sleeps, len(seen)) == ([], 1)


def test_waits_the_api_asks_for_are_told() -> None:
    clock = Clock(RESET_EPOCH - 4)
    told: list[float] = []
    used_up = ok({}, **{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": RESET})
    limited = errors(429, "Too many requests", data={"msBeforeNext": 1500})
    api, _ = make(sequence(used_up, limited, ok({})), clock, on_wait=told.append)
    api.get("/")
    api.get("/")
    assert told == clock.sleeps == [4.0, 1.5]


def test_5xx_is_retried_with_capped_exponential_backoff() -> None:
    clock = Clock()
    retry = RetryPolicy(attempts=7, base=1.0, cap=8.0)
    api, seen = make(sequence(*[httpx.Response(503)] * 6, ok({"y": 2})), clock, retry=retry)
    assert api.get("/") == {"y": 2}
    assert len(seen) == 7
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]  # half fixed (jitter 0), capped at 8


def test_backoff_jitter_stays_within_the_ceiling() -> None:
    clock = Clock()
    retry = RetryPolicy(attempts=12)
    api = PublicApi(
        httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503))),
        token=TOKEN, retry=retry, sleep=clock.sleep, clock=clock.time, jitter=lambda: 0.999,
    )
    with pytest.raises(PublicApiError):
        api.get("/")
    assert all(0 < d <= retry.cap for d in clock.sleeps)
    assert clock.sleeps[0] == pytest.approx(0.5 * 0.9995)
    assert clock.sleeps[-1] == pytest.approx(30.0 * 0.9995)


def test_5xx_gives_up_after_the_last_attempt() -> None:
    clock = Clock()
    api, seen = make(lambda r: httpx.Response(502), clock, retry=RetryPolicy(attempts=3))
    with pytest.raises(PublicApiError) as info:
        api.get("/sources")
    assert str(info.value) == "GET /sources: server error (HTTP 502); gave up after 3 attempts"
    assert len(seen) == 3
    assert len(clock.sleeps) == 2


def test_5xx_gives_up_naming_the_server_message_redacted_and_cut() -> None:
    # The last 5xx's errors[0].message was left out of the final error.
    clock = Clock()
    said = f"database\n unavailable for {TOKEN} " + "x" * 400
    api, _ = make(lambda r: errors(503, said), clock, retry=RetryPolicy(attempts=2))
    with pytest.raises(PublicApiError) as info:
        api.get("/sources")
    shown = "database unavailable for [redacted] " + "x" * (300 - len("database unavailable for [redacted] "))
    assert str(info.value) == f"GET /sources: server error (HTTP 503: {shown}); gave up after 2 attempts"


def test_a_5xx_asking_for_too_long_a_wait_names_the_server_message() -> None:
    answer = httpx.Response(503, headers={"Retry-After": "3600"}, json={"errors": [{"message": "maintenance"}]})
    api, _ = make(sequence(answer))
    with pytest.raises(PublicApiError) as info:
        api.get("/sources")
    assert str(info.value) == (
        "GET /sources: server error (HTTP 503: maintenance) and asked to wait 3600 s, more than 300 s; "
        "try again later"
    )


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (httpx.ReadTimeout("slow"), "timed out (read timeout)"),
        (httpx.ConnectTimeout("slow"), "timed out (connect timeout)"),
        (httpx.ConnectError("refused"), "cannot connect to https://api.test (ConnectError: refused)"),
    ],
)
def test_network_errors_are_retried_then_reported(exc: Exception, words: str) -> None:
    api, _ = make(sequence(exc, ok({"z": 3})))
    assert api.get("/") == {"z": 3}
    api, seen = make(lambda r: (_ for _ in ()).throw(exc), retry=RetryPolicy(attempts=2))
    with pytest.raises(PublicApiError, match=words.replace("(", r"\(").replace(")", r"\)")):
        api.get("/")
    assert len(seen) == 2


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_explains_config_vs_public_tokens(status: int) -> None:
    # a server that echoes the token back must not leak it through us
    api, seen = make(sequence(errors(status, f"invalid token {TOKEN}")))
    with pytest.raises(AuthError) as info:
        api.get("/")
    message = str(info.value)
    assert TOKEN not in message
    assert "[redacted]" in message
    assert f"HTTP {status}" in message
    assert TOKEN_HELP in message
    assert "Config API tokens do not work on the Public API" in message
    assert "Settings → Workspace settings → Access Management → Tokens" in message
    assert info.value.status == status
    assert len(seen) == 1  # not retried


@pytest.mark.parametrize("start", range(280, 301))
def test_a_token_at_the_cut_of_a_long_message_leaks_no_part(start: int) -> None:
    # The message was cut to 300 characters before the token was redacted: a
    # token across the cut showed its first characters.
    api, _ = make(sequence(errors(401, "x" * start + TOKEN + " tail")))
    with pytest.raises(AuthError) as info:
        api.get("/")
    shown = str(info.value).split("(HTTP 401: ")[1].split(")")[0]
    assert TOKEN[:6] not in shown
    assert shown.startswith("x" * min(start, 290))
    assert len(shown) <= 300 + len("[redacted]")


def test_a_start_of_the_token_left_at_the_cut_is_redacted() -> None:
    # the server's text holds no whole token, but the cut would show 10 of its characters
    api, _ = make(sequence(errors(422, "x" * 290 + TOKEN[:12] + "-other")))
    with pytest.raises(PublicApiError) as info:
        api.get("/")
    assert str(info.value) == "GET /: HTTP 422: " + "x" * 290 + "[redacted]"


def test_404_names_the_base_url() -> None:
    api, _ = make(sequence(errors(404, "Resource not found")))
    with pytest.raises(NotFoundError) as info:
        api.get("/nope")
    assert str(info.value) == (
        "GET /nope: not found at https://api.test (HTTP 404: Resource not found); "
        "check --api-url or --region"
    )


def test_a_redirect_is_not_followed_and_says_where_it_went() -> None:
    moved = httpx.Response(301, headers={"Location": "https://api.segmentapis.com/sources"})
    api, seen = make(sequence(moved))
    with pytest.raises(PublicApiError) as info:
        api.get("/sources")
    assert str(info.value) == (
        "GET /sources: https://api.test answered with a redirect (HTTP 301 to https://api.segmentapis.com/sources), "
        "which is not followed: check --api-url (https://, the right host)"
    )
    assert (info.value.status, len(seen)) == (301, 1)


def test_other_4xx_carries_the_server_message() -> None:
    api, _ = make(sequence(errors(422, "pagination.count must be\n between 1 and 200")))
    with pytest.raises(PublicApiError) as info:
        api.get("/sources")
    assert str(info.value) == "GET /sources: HTTP 422: pagination.count must be between 1 and 200"


def test_token_is_not_in_repr_and_bad_tokens_are_refused_without_echo() -> None:
    api, _ = make(sequence())
    assert TOKEN not in repr(api)
    assert TOKEN not in repr(vars(api).get("base_url"))
    for bad in ["", "   ", "two words", "tökén"]:
        with pytest.raises(ValueError) as info:
            PublicApi(httpx.Client(), token=bad)
        assert bad.strip() == "" or bad not in str(info.value)


def test_token_whitespace_is_stripped() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok({})

    api = PublicApi(httpx.Client(transport=httpx.MockTransport(handler)), token=f"  {TOKEN}\n", base_url=BASE)
    api.get("/")
    assert seen[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_request_count_includes_retries() -> None:
    api, _ = make(sequence(httpx.Response(500), ok({}), ok({})))
    api.get("/")
    api.get("/")
    assert api.requests == 3


def test_error_body_that_is_not_json_still_gives_one_line() -> None:
    api, _ = make(sequence(httpx.Response(400, text="bad\nrequest")))
    with pytest.raises(PublicApiError) as info:
        api.get("/")
    assert str(info.value) == "GET /: HTTP 400"
    assert json.dumps(str(info.value)).count("\\n") == 0
