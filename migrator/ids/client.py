"""The Segment Public API over HTTP: the only place where migrator talks to Segment.

`PublicApi` wraps an `httpx.Client` (so tests hand it a `MockTransport` or a
loopback server) and adds what every call needs: the bearer token, the
versioned media type, cursor pagination, rate-limit waits, retries with
capped exponential backoff and jitter, and one-line errors that never
contain the token.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from migrator import __version__
from migrator.ruleset import load_rules

_RULES = load_rules()
REGIONS: dict[str, str] = dict(_RULES.hosts[0].public)  # region → Public API base URL
US_URL = REGIONS["us"]
EU_URL = REGIONS["eu"]

PAGE_SIZE = _RULES.pagination.max_count  # the largest `pagination.count` accepted
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEADLINE = 60.0
"""Seconds a whole response may take, body included: the read timeout limits
each wait for data only, so a server sending a byte every few seconds would
never time out."""
MESSAGE_LENGTH = 300  # characters of a server's error message that are shown
TOKEN_PREFIX = 6
"""A piece of the token this long at the end of a shortened message is redacted too."""
LONG_WAIT = 86400.0
"""Seconds of wait past which a message says "more than a day" instead of a number."""
EMPTY_PAGES = 20
"""Empty pages in a row, each with a next cursor, after which a list is given up
(a server that never ends one would otherwise be read for ever)."""

TOKEN_HELP = (
    "Config API tokens do not work on the Public API; a Public API token is created "
    "in the Segment app by a workspace owner (Settings → Workspace settings → "
    "Access Management → Tokens). EU workspaces also need --region eu."
)
PERMISSION_HELP = (
    "a token's role, Workspace Owner or Workspace Member, is chosen when it is created "
    "in Settings → Workspace settings → Access Management → Tokens"
)

Params = Mapping[str, str | int]


class PublicApiError(Exception):
    """A request that failed for good; the message is one line, token-free."""

    def __init__(self, message: str, *, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail  # the server's `errors[0].message`, redacted and cut ("" when none)


class AuthError(PublicApiError):
    """401/403: the token is wrong, for another region, or lacks a permission."""


class NotFoundError(PublicApiError):
    """404: a wrong base URL, or a resource (or feature) the workspace lacks."""


class ResponseTimeout(httpx.ReadTimeout):
    """A response not complete within the deadline; retried like a read timeout."""


class _CutShort(Exception):
    """The connection closed (or failed) after the status line, before the
    whole body came; retried like a connection error."""

    def __init__(self, status: int, cause: httpx.TransportError) -> None:
        super().__init__(status, cause)
        self.status = status
        self.cause = cause


class _Undecodable(Exception):
    """A body that its `Content-Encoding` does not decode (a proxy's mistake)."""

    def __init__(self, status: int, encoding: str, cause: httpx.DecodingError) -> None:
        super().__init__(status, encoding, cause)
        self.status = status
        self.encoding = encoding
        self.cause = cause


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries per request, first one included
    base: float = 0.5  # first backoff, seconds
    cap: float = 30.0  # longest backoff between two tries
    max_wait: float = 300.0  # longest rate-limit wait honoured before giving up


class PublicApi:
    """GET requests against one Public API base URL with one token."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        token: str,
        base_url: str = US_URL,
        retry: RetryPolicy = RetryPolicy(),
        page_size: int = PAGE_SIZE,
        deadline: float = DEADLINE,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
        jitter: Callable[[], float] | None = None,
        on_wait: Callable[[float], None] | None = None,
        proxy: str = "",
    ) -> None:
        token = token.strip()
        if not token:
            raise ValueError("the token is empty")
        if not token.isascii() or not token.isprintable() or " " in token:
            raise ValueError("the token contains spaces or characters a token cannot have")
        self._http = http
        self._token = token
        self.base_url = base_url.rstrip("/")
        self.retry = retry
        self.page_size = page_size
        self.deadline = deadline
        self._sleep = sleep or time.sleep
        self._clock = clock or time.time
        self._jitter = jitter or random.random
        self._on_wait = on_wait or (lambda seconds: None)  # told of each wait the API asks for
        self.proxy = proxy  # the proxy requests go through, as shown ("http://proxy:3128 (HTTPS_PROXY)"), or ""
        self._not_before = 0.0  # set when the rate-limit window is used up
        self._accepted: str | None = None  # the first path answered with data: the token is valid here
        self.requests = 0  # HTTP attempts made, retries included

    def __repr__(self) -> str:  # never show the token
        return f"PublicApi(base_url={self.base_url!r})"

    # -- public calls --------------------------------------------------------

    def get(self, path: str, params: Params | None = None, *, version: str = "v1") -> dict[str, Any]:
        """The `data` object of `GET path`."""
        response = self._send(path, params or {}, version)
        return self._data(path, response)

    def pages(
        self, path: str, key: str, params: Params | None = None, *, version: str = "v1"
    ) -> Iterator[list[Any]]:
        """Each page of the list `data.<key>`, following `data.pagination.next`.

        Items are as sent: the map builders leave out, and note, those that are
        not objects or lack a field."""
        cursor: str | None = None
        seen: set[str] = set()
        empty = 0  # pages in a row with no item and a next cursor
        while True:
            query: dict[str, str | int] = dict(params or {})
            query["pagination.count"] = self.page_size
            if cursor:
                query["pagination.cursor"] = cursor
            data = self.get(path, query, version=version)
            items = data.get(key)
            if not isinstance(items, list):
                raise PublicApiError(f"GET {path}: unexpected response, no list at data.{key}")
            yield items
            pagination = data.get("pagination")
            cursor = pagination.get("next") if isinstance(pagination, dict) else None
            if not cursor:
                return
            if not isinstance(cursor, str):
                raise PublicApiError(f"GET {path}: unexpected response, data.pagination.next is not a string cursor")
            if cursor in seen:
                raise PublicApiError(f"GET {path}: the API returned a pagination cursor twice")
            seen.add(cursor)
            empty = 0 if items else empty + 1
            if empty >= EMPTY_PAGES:
                raise PublicApiError(
                    f"GET {path}: the API returned {empty} empty pages in a row, each with a next cursor; stopped"
                )

    # -- transport -----------------------------------------------------------

    def _send(self, path: str, params: Params, version: str) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": f"application/vnd.segment.{version}+json",
            "User-Agent": f"segment-migrator/{__version__}",
        }
        problem = ""
        for attempt in range(1, self.retry.attempts + 1):
            self._wait_for_window(path)
            self.requests += 1
            try:
                response = self._get(self.base_url + path, params, headers)
            except httpx.TimeoutException as exc:
                problem = f"timed out ({_timeout_kind(exc)})"
                delay = self._backoff(attempt)
            except httpx.TransportError as exc:
                through = f" through the proxy {self.proxy}" if self.proxy else ""
                problem = f"cannot connect to {self.base_url}{through} ({type(exc).__name__}: {exc})"
                delay = self._backoff(attempt)
            except _CutShort as cut:
                problem = (f"the connection closed before the body was complete (HTTP {cut.status}; "
                           f"{type(cut.cause).__name__}: {cut.cause})")
                delay = self._backoff(attempt)
            except _Undecodable as bad:
                raise PublicApiError(self._redact(
                    f"GET {path}: unexpected response (HTTP {bad.status}), the body is not "
                    f"{json.dumps(bad.encoding, ensure_ascii=False)} as its Content-Encoding says "
                    f"({type(bad.cause).__name__}: {bad.cause})"
                ), status=bad.status) from None
            else:
                if response.status_code == 429:
                    problem = "rate limited (HTTP 429)"
                    delay = self._rate_limit_delay(response, attempt, path, problem)
                elif response.status_code >= 500:
                    problem = f"server error (HTTP {response.status_code}{self._said(_json(response))})"
                    wait = self._retry_after(response)
                    delay = self._backoff(attempt) if wait is None else self._asked(wait, path, problem, response.status_code)
                else:
                    self._note_window(response)
                    return response
            if attempt < self.retry.attempts:
                self._sleep(delay)
        raise PublicApiError(
            self._redact(f"GET {path}: {problem}; gave up after {self.retry.attempts} attempts")
        )

    def _get(self, url: str, params: Params, headers: dict[str, str]) -> httpx.Response:
        """GET `url` and read its body, all within `self.deadline` seconds."""
        ends_at = time.monotonic() + self.deadline
        request = self._http.build_request("GET", url, params=params, headers=headers)
        response = self._http.send(request, stream=True)
        try:
            response.stream = _Deadline(response.stream, ends_at, self.deadline)
            response.read()
        except httpx.TimeoutException:
            raise
        except httpx.TransportError as exc:  # the status came: the connection did not fail to open
            raise _CutShort(response.status_code, exc) from exc
        except httpx.DecodingError as exc:
            encoding = response.headers.get("Content-Encoding", "").strip()[:80]
            raise _Undecodable(response.status_code, encoding, exc) from exc
        finally:
            response.close()
        return response

    def _data(self, path: str, response: httpx.Response) -> dict[str, Any]:
        status = response.status_code
        body = _json(response)
        if 200 <= status < 300:
            if body is None and (problem := _not_json(response)):
                raise PublicApiError(f"GET {path}: unexpected response (HTTP {status}), {problem}")
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, dict):
                raise PublicApiError(f"GET {path}: unexpected response, no JSON object at data")
            self._accepted = self._accepted or path
            return data
        said = self._said(body)
        if status == 403 and self._accepted is not None:
            # Not a Config token nor a wrong region: the same token was answered before.
            raise AuthError(
                f"GET {path}: the token may not read {path} (HTTP 403{said}). GET {self._accepted} accepted "
                "the same token, so it is a Public API token for this region that lacks a permission: "
                f"use a token whose role can read {path} ({PERMISSION_HELP}).",
                status=status,
            )
        if status == 401 and self._accepted is not None:
            raise AuthError(
                f"GET {path}: the Public API refused the token (HTTP 401{said}). GET {self._accepted} accepted "
                "the same token earlier in this run, so it is a Public API token for this region that was revoked "
                "or expired meanwhile: run again with a token that is still valid "
                "(Settings → Workspace settings → Access Management → Tokens).",
                status=status,
            )
        if status in (401, 403):
            raise AuthError(
                f"GET {path}: the Public API refused the token (HTTP {status}{said}). {TOKEN_HELP}",
                status=status,
            )
        if 300 <= status < 400:
            where = response.headers.get("Location", "").strip()
            raise PublicApiError(
                self._redact(
                    f"GET {path}: {self.base_url} answered with a redirect (HTTP {status}"
                    + (f" to {where}" if where else "")
                    + "), which is not followed: check --api-url (https://, the right host)"
                ),
                status=status,
            )
        if status == 404:
            raise NotFoundError(
                f"GET {path}: not found at {self.base_url} (HTTP 404{said}); "
                "check --api-url or --region",
                status=status,
            )
        raise PublicApiError(f"GET {path}: HTTP {status}{said}", status=status, detail=said.removeprefix(": "))

    def _said(self, body: Any) -> str:
        """`: <errors[0].message>` of an error body, redacted and cut; "" when it has none."""
        detail = self._shorten(_error_message(body))
        return f": {detail}" if detail else ""

    # -- waiting -------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        """Capped exponential backoff with "equal jitter": half fixed, half random."""
        ceiling = min(self.retry.cap, self.retry.base * 2 ** (attempt - 1))
        return ceiling / 2 + self._jitter() * ceiling / 2

    def _rate_limit_delay(self, response: httpx.Response, attempt: int, path: str, problem: str) -> float:
        wait = _ms_before_next(_json(response))
        if wait is None:
            reset = _reset_time(response)
            wait = None if reset is None else max(0.0, reset - self._clock())
        if wait is None:
            wait = self._retry_after(response)
        if wait is None:
            return self._backoff(attempt)
        return self._asked(wait, path, problem, 429)

    def _asked(self, wait: float, path: str, problem: str, status: int | None) -> float:
        """The delay before retrying after the server asked for `wait` seconds."""
        if wait > self.retry.max_wait:
            raise PublicApiError(
                f"GET {path}: {problem} and asked to wait {_shown_wait(wait)}, "
                f"more than {self.retry.max_wait:.0f} s; try again later",
                status=status,
            )
        delay = wait + self._jitter() * 0.5  # spread clients waking at the reset
        self._on_wait(delay)
        return delay

    def _retry_after(self, response: httpx.Response) -> float | None:
        """The standard `Retry-After` header (seconds or an HTTP date), which a
        gateway in front of the API may send instead of the Segment hints."""
        header = response.headers.get("Retry-After", "").strip()
        if header.isdigit():
            return float(header)
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, when.timestamp() - self._clock())

    def _note_window(self, response: httpx.Response) -> None:
        """Remember the reset time when a success used the last request of the window."""
        if response.headers.get("X-RateLimit-Remaining", "").strip() != "0":
            return
        reset = _reset_time(response)
        if reset is not None:
            self._not_before = reset

    def _wait_for_window(self, path: str) -> None:
        """Before `GET path`, wait for the reset of a used-up window (too long a wait stops)."""
        wait = self._not_before - self._clock()
        self._not_before = 0.0
        if wait > 0:
            self._sleep(self._asked(wait, path, "rate limit used up (X-RateLimit-Remaining: 0)", None))

    def _token_forms(self) -> set[str]:
        return {self._token, quote(self._token, safe="")}

    def _redact(self, text: str) -> str:
        for form in self._token_forms():
            text = text.replace(form, "[redacted]")
        return text

    def _shorten(self, text: str) -> str:
        """`text` redacted, then cut to `MESSAGE_LENGTH`: cut first, a token split by
        the cut would show its start. A start of the token left at the cut goes too."""
        text = self._redact(text)
        if len(text) <= MESSAGE_LENGTH:
            return text
        text = text[:MESSAGE_LENGTH]
        for form in self._token_forms():
            for size in range(min(len(form), len(text)), TOKEN_PREFIX - 1, -1):
                if text.endswith(form[:size]):
                    return text[:-size] + "[redacted]"
        return text


class _Deadline(httpx.SyncByteStream):
    """A response body that fails with `ResponseTimeout` once `ends_at` (monotonic) has
    passed, checked as each piece arrives (so at most one read timeout late)."""

    def __init__(self, body: httpx.SyncByteStream, ends_at: float, deadline: float) -> None:
        self._body = body
        self._ends_at = ends_at
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._body:
            if time.monotonic() > self._ends_at:
                raise ResponseTimeout(f"response not complete within {self._deadline:g} s")
            yield chunk

    def close(self) -> None:
        self._body.close()


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):  # RecursionError: nesting too deep to read
        return None


def _not_json(response: httpx.Response) -> str:
    """Why a body `_json` read as None is not a JSON value, with its media
    type (a proxy's HTML page, a body cut short); "" for a JSON `null`."""
    kind = response.headers.get("Content-Type", "").partition(";")[0].strip()[:80]
    said = f" ({json.dumps(kind, ensure_ascii=False)})" if kind else ""
    if not response.content.strip():
        return f"the body is empty{said}"
    try:
        json.loads(response.content)
    except RecursionError:
        return "the body is JSON nested too deeply to read"
    except ValueError:
        undecoded = _undecoded(response)
        if undecoded:
            return (f"the body is {json.dumps(undecoded, ensure_ascii=False)}-encoded (its Content-Encoding), "
                    f"which this installation cannot decode{said}")
        return f"the body is not JSON{said}"
    return ""


_DECODERS = {"br": ("brotli", "brotlicffi"), "zstd": ("zstandard",)}
"""Content encodings httpx decodes only with a package installed beside it."""


def _undecoded(response: httpx.Response) -> str:
    """The body's Content-Encoding when httpx left it encoded (`br` without
    brotli), else ""."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()[:80]
    if encoding in ("", "identity", "gzip", "x-gzip", "deflate"):
        return ""
    import importlib.util

    return "" if any(importlib.util.find_spec(m) for m in _DECODERS.get(encoding, ())) else encoding


def _error_message(body: Any) -> str:
    """`errors[0].message` of a Public API error envelope, on one line."""
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = errors[0].get("message")
            if isinstance(message, str):
                return " ".join(message.split())
    return ""


def _ms_before_next(body: Any) -> float | None:
    try:
        value = body["errors"][0]["data"]["msBeforeNext"]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value < 0:
        return None  # value != value: NaN, which Python's JSON reader takes
    try:
        return value / 1000
    except OverflowError:  # an integer too large for a float: a wait longer than any
        return math.inf


def _shown_wait(seconds: float) -> str:
    """A wait the server asked for, in words: seconds, or "more than a day" for
    longer (a bogus `msBeforeNext: 1e300` would print 301 digits)."""
    return f"{seconds:.0f} s" if seconds <= LONG_WAIT else "more than a day"


def _reset_time(response: httpx.Response) -> float | None:
    """`X-RateLimit-Reset` (an RFC 5322 date) as a POSIX timestamp."""
    header = response.headers.get("X-RateLimit-Reset")
    if not header:
        return None
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000": UTC, zone unstated
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, ResponseTimeout):
        return str(exc)
    kinds = {
        httpx.ConnectTimeout: "connect timeout",
        httpx.ReadTimeout: "read timeout",
        httpx.WriteTimeout: "write timeout",
        httpx.PoolTimeout: "pool timeout",
    }
    return kinds.get(type(exc), "timeout")
