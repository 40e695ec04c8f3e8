"""`migrator ids`: fetch Public API ids into the id-map file that `translate --ids` reads."""

from __future__ import annotations

import ipaddress
import json
import math
import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

import click
import httpx
from click.core import ParameterSource

from migrator.counts import counted
from migrator.files import write_atomic
from migrator.idmap import IdMap
from migrator.ids.client import REGIONS, TIMEOUT, PublicApi, PublicApiError
from migrator.ids.fetch import fetch_idmap
from migrator.ids.proxies import proxy_for, proxy_problem
from migrator.ids.store import Existing, NotAnIdMap, existing_map, format_age, parse_duration

TOKEN_ENV = "SEGMENT_PUBLIC_API_TOKEN"
STDOUT = "-"
"""`-o -`: the map goes to stdout (as for `translate -o -`); `./-` is a file."""

class _Failure(Exception):
    """A one-line error for stderr; exit code 2."""


@click.command("ids")
@click.option(
    "--token", metavar="TOKEN", envvar=TOKEN_ENV, show_envvar=True,
    help="Public API token (prefer the environment variable: a flag shows in `ps`).",
)
@click.option(
    "--region", type=click.Choice(sorted(REGIONS)), default="us", show_default=True,
    help="us: api.segmentapis.com, eu: eu1.api.segmentapis.com.",
)
@click.option("--api-url", metavar="URL", help="Base URL of the Public API; overrides --region.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("segment-ids.json"), show_default=True, help="The id-map file to write (`-`: stdout).",
)
@click.option("--refresh", is_flag=True, help="Fetch again even if FILE is fresh.")
@click.option(
    "--max-age", default="24h", show_default=True, metavar="DURATION",
    help="Reuse FILE when fetched from the same URL within this time (90s, 30m, 24h, 7d).",
)
def command(
    token: str | None, region: str, api_url: str | None, output: Path, refresh: bool, max_age: str
) -> None:
    """Fetch the ids that Config slugs and names map to, from the Public API.

    Writes sources, destinations, catalog metadata, tracking plans, filters,
    functions, users and roles of the token's workspace to FILE (JSON), for
    `translate --ids FILE` and `rewrite --ids FILE`.
    """
    source = click.get_current_context().get_parameter_source("token")
    token_from = TOKEN_ENV if source is ParameterSource.ENVIRONMENT else "--token"
    try:
        _run(token, region, api_url, output, refresh, max_age, token_from)
    except _Failure as exc:
        click.echo(f"migrator ids: error: {exc}", err=True)
        raise click.exceptions.Exit(2) from None


def _run(
    token: str | None, region: str, api_url: str | None, output: Path, refresh: bool, max_age: str,
    token_from: str = "--token",
) -> None:
    url = resolve_api_url(region, api_url)
    try:
        freshness = parse_duration(max_age)
    except ValueError as exc:
        raise _Failure(f"--max-age: {exc}") from None
    to_stdout = str(output) == STDOUT  # as for `translate -o -`: no file, so nothing to reuse
    try:
        existing = Existing(None) if to_stdout else existing_map(output, url, freshness, datetime.now(timezone.utc))
    except NotAnIdMap as exc:
        raise _Failure(str(exc)) from None
    if existing.idmap is not None and not refresh:
        _say(f"reusing {output} ({_describe(existing.idmap, freshness)}); --refresh fetches again")
        return
    if existing.why_not and not refresh:
        _say(existing.why_not)
    if not token or not token.strip():
        raise _Failure(f"no token: pass --token or set {TOKEN_ENV} (a Public API token)")
    host = urlsplit(url).hostname or ""
    if url.startswith("http:") and not is_loopback(host):
        _say(f"warning: sending the token over plain http to {host}")

    progress = _Progress(sys.stderr)
    try:
        client = _http_client()
    except (ImportError, ValueError) as exc:  # httpx sets up the proxies the variables name
        raise _Failure(proxy_problem(os.environ) or f"cannot set up the HTTP client ({exc})") from None
    with client as http:
        try:
            api = PublicApi(http, token=token, base_url=url, on_wait=progress.wait, proxy=proxy_for(url, os.environ))
        except ValueError as exc:
            raise _Failure(_token_problem(token_from, token, exc)) from None
        try:
            result = fetch_idmap(api, progress=progress)
        except PublicApiError as exc:
            progress.interrupt()
            raise _Failure(str(exc)) from None
        except KeyboardInterrupt:  # the command line reports it (migrator.cli)
            progress.interrupt()
            raise
    for note in result.notes:
        _say(f"note: {note}")
    data = result.idmap.to_json().encode("utf-8")
    try:
        if to_stdout:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            write_atomic(output, data)
    except OSError as exc:
        raise _Failure(f"{'stdout' if to_stdout else output}: cannot write: {exc.strerror or exc}") from None
    if progress.enabled:
        where = "the map to stdout" if to_stdout else output
        _say(f"wrote {where}: {_summary(result.idmap)} ({counted(result.requests, 'request')})")


def _token_problem(token_from: str, token: str, problem: ValueError) -> str:
    """Why the token is refused, naming where it came from (`--token` or the variable)."""
    hint = ""
    if token.strip()[:7].lower() == "bearer ":
        hint = '; leave out the "Bearer " prefix: give the token alone'
    return f"{token_from}: {problem}{hint}"


def resolve_api_url(region: str, api_url: str | None) -> str:
    """The base URL to call and to record, without a trailing slash; a
    `_Failure` for one that is empty (an unset variable must not mean the
    region's host) or malformed (scheme http(s), a host, a port 1-65535)."""
    raw = (REGIONS[region] if api_url is None else api_url).strip()
    shown = json.dumps(raw, ensure_ascii=False)
    if not raw:
        raise _Failure("--api-url: empty (an unset variable?); give a URL or leave the option out for --region")
    try:
        parts = urlsplit(raw)
        port = parts.port  # raises for a port that is not a number or out of 0-65535
        parsed = httpx.URL(raw)  # what the client will parse
    except (ValueError, httpx.InvalidURL) as exc:
        raise _Failure(f"--api-url: {shown} is not a valid URL ({exc})") from None
    # httpx takes these hosts; sending a request (IDNA) or resolving it (`a..b`) would fail with a traceback
    try:
        parsed.host  # decodes each `xn--` label
    except UnicodeError as exc:
        raise _Failure(f"--api-url: {shown} has no valid host name (an `xn--` label that is not IDNA: {exc})") from None
    try:
        parsed.raw_host.decode("ascii").encode("idna")  # what the resolver is given
    except UnicodeError:
        raise _Failure(f"--api-url: {shown} has no valid host name (a label is empty or longer than "
                       "63 characters)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Failure(f"--api-url: {shown} is not an http(s) URL")
    if any(c.isspace() or not c.isprintable() for c in parts.netloc):
        raise _Failure(f"--api-url: {shown} has a space or a control character in its host")
    if port == 0:
        raise _Failure(f"--api-url: {shown} has no valid port (a number from 1 to 65535)")
    if parts.query or parts.fragment:
        raise _Failure("--api-url: a base URL has no query or fragment")
    if "@" in parts.netloc:  # it would be recorded in the map
        raise _Failure("--api-url: credentials in the URL are not supported (a proxy: HTTPS_PROXY)")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine: `localhost`, 127.0.0.0/8, `::1`."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _http_client() -> httpx.Client:
    """The one HTTP client of a run (tests replace this function)."""
    return httpx.Client(timeout=TIMEOUT, follow_redirects=False)


def _say(message: str) -> None:
    click.echo(f"migrator ids: {message}", err=True)


def _describe(idmap: IdMap, max_age: timedelta) -> str:
    fetched = idmap.fetched_at
    assert fetched is not None  # existing_map only reuses dated maps
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=timezone.utc)
    age = format_age(datetime.now(timezone.utc) - fetched)
    workspace = f"workspace {idmap.workspace.slug}, " if idmap.workspace else ""
    return f"{workspace}fetched {age} ago, max age {format_age(max_age)}"


def _summary(idmap: IdMap) -> str:
    counts = [
        counted(len(idmap.sources), "source"),
        counted(len(idmap.destinations), "destination key"),
        counted(len(idmap.tracking_plans), "tracking-plan key"),
        counted(len(idmap.filters), "filter key"),
        counted(len(idmap.functions), "function key"),
        counted(len(idmap.users), "user"),
        counted(len(idmap.roles), "role"),
    ]
    workspace = f"workspace {idmap.workspace.slug}, " if idmap.workspace else ""
    return workspace + ", ".join(counts)


class _Progress:
    """Items fetched per kind, on one updating line; silent unless `stream` is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = _isatty(stream)
        self._open = False

    def __call__(self, kind: str, count: int, done: bool) -> None:
        if not self.enabled:
            return
        end = "\n" if done else ""
        self.stream.write(f"\r\033[K  {kind.replace('_', ' ')}: {count}{end}")
        self.stream.flush()
        self._open = not done

    def wait(self, seconds: float) -> None:
        """Say that the API asked for a wait (a rate limit, Retry-After); the next count replaces the line."""
        if not self.enabled:
            return
        self.stream.write(f"\r\033[K  waiting {math.ceil(seconds)} s, as the API asked")
        self.stream.flush()
        self._open = True

    def interrupt(self) -> None:
        """End a half-drawn line before an error message."""
        if self.enabled and self._open:
            self.stream.write("\n")
            self._open = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
