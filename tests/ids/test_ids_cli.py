"""`migrator ids` end to end: the fake Public API on loopback, the file, the messages."""

from __future__ import annotations

import functools
import io
import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from migrator.cli import cli, ids_cmd
from migrator.idmap import IdMap, WorkspaceIds, load_idmap, parse_idmap
from migrator.ids import PublicApi

from .fake_public_api import FakePublicApi, Fault, sample_idmap_json

ROOT = Path(__file__).resolve().parents[2]
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _no_proxy_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*PROXY_VARS, ids_cmd.TOKEN_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake() -> Iterator[FakePublicApi]:
    with FakePublicApi.sample() as api:
        yield api


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(ids_cmd.command, list(args), env=env, catch_exceptions=False)


def run_cli(*args: str) -> Result:
    """`migrator ids ARGS` through the command line's group, which reports Ctrl-C."""
    return CliRunner().invoke(cli, ["ids", *args], catch_exceptions=False)


def without_date(path: Path) -> dict[str, object]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    parse_idmap(raw, str(path))
    datetime.fromisoformat(raw.pop("fetched_at"))
    return raw


def test_writes_the_complete_map(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert without_date(out) == sample_idmap_json(fake.url)
    assert fake.token not in out.read_text()
    assert fake.token not in result.output
    # not a terminal: no progress, no summary; only the notes about a dropped destination and key
    assert result.stderr == (
        'migrator ids: note: destinations: 1 item left out (1 whose "sourceId" names no source in the map: '
        '"src_gone")\n'
        'migrator ids: note: destination catalog previous names: "legacy-tool" names 2 objects '
        "(oldOneMetaId, oldTwoMetaId); left out\n"
    )
    assert result.stdout == ""
    assert out.read_text().endswith("\n")
    assert [p.name for p in tmp_path.iterdir()] == ["ids.json"]  # no temp file left


def test_token_from_the_environment(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url + "/", "-o", str(out), env={ids_cmd.TOKEN_ENV: fake.token})
    assert result.exit_code == 0, result.output
    assert load_idmap(out).api_url == fake.url


def test_a_fresh_map_is_reused_and_its_age_reported(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    before = out.read_bytes()
    count = len(fake.requests)
    result = run("--api-url", fake.url, "-o", str(out))  # no token needed to reuse
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == count
    assert out.read_bytes() == before
    assert result.stderr.startswith(f"migrator ids: reusing {out} (workspace acme, fetched ")
    assert result.stderr.endswith(" ago, max age 1d); --refresh fetches again\n")


def test_refresh_fetches_again(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    count = len(fake.requests)
    fake.roles.append({"id": "r_3", "name": "Viewer", "description": ""})
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out), "--refresh")
    assert result.exit_code == 0, result.output
    assert len(fake.requests) == 2 * count
    assert load_idmap(out).roles["Viewer"] == "r_3"


def _old_map(path: Path, age: timedelta, api_url: str) -> None:
    fetched = datetime.now(timezone.utc) - age
    idmap = IdMap(fetched_at=fetched, api_url=api_url, workspace=WorkspaceIds(id="w", slug="old"))
    path.write_text(idmap.to_json())


def test_a_stale_map_is_fetched_again(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    _old_map(out, timedelta(hours=3), fake.url)
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out), "--max-age", "2h")
    assert result.exit_code == 0, result.output
    assert f"migrator ids: {out} is 3h old (max age 2h); fetching again\n" in result.stderr
    assert without_date(out) == sample_idmap_json(fake.url)


def test_a_map_of_another_url_is_fetched_again(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    _old_map(out, timedelta(minutes=1), "https://eu1.api.segmentapis.com")
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "holds ids from https://eu1.api.segmentapis.com" in result.stderr
    assert load_idmap(out).workspace == WorkspaceIds(id="ws_9f8e7d", slug="acme", name="Acme Inc")


@pytest.mark.parametrize("workspace", [{"id": "ws_1", "name": "Acme"}, {"id": "ws_1", "slug": "", "name": "Acme"},
                                       {"id": "ws_1", "slug": 7, "name": "Acme"}])
def test_a_workspace_without_a_slug_is_an_error_and_writes_no_map(
    fake: FakePublicApi, tmp_path: Path, workspace: dict[str, object]
) -> None:
    # A map for workspace "" was written: every Config call was then "for another workspace".
    fake.workspace = workspace
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert (result.exit_code, result.stderr) == (2, (
        "migrator ids: error: GET /: unexpected response, no workspace slug at data.workspace.slug "
        "(a non-empty string)\n"))
    assert (fake.paths(), out.exists()) == (["/"], False)


def test_a_workspace_id_a_url_path_cannot_hold_is_an_error_and_writes_no_map(fake: FakePublicApi, tmp_path: Path) -> None:
    fake.workspace = {"id": "ws/1", "slug": "acme", "name": "Acme"}
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert (result.exit_code, result.stderr) == (2, (
        'migrator ids: error: GET /: unexpected response, data.workspace.id: "ws/1" is not a Public id: an id holds '
        'only letters, digits, "-", ".", "_" and "~" (no space, no "/")\n'))
    assert (fake.paths(), out.exists()) == (["/"], False)


def test_a_map_written_without_a_workspace_slug_is_fetched_again(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    raw = {**sample_idmap_json(fake.url), "fetched_at": datetime.now(timezone.utc).isoformat()}
    raw["workspace"] = {"id": "ws_1", "slug": "", "name": "Acme"}
    out.write_text(json.dumps(raw))
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        f"migrator ids: {out}: invalid id map at workspace.slug: String should have at least 1 character; "
        "fetching a new map\n"
    )
    assert load_idmap(out).workspace == WorkspaceIds(id="ws_9f8e7d", slug="acme", name="Acme Inc")


@pytest.mark.parametrize(("change", "why"), [
    ({"workspace": None}, "invalid id map at workspace: a map names its workspace ({id, slug, name}, from `GET /`)"),
    ({"version": 2}, "id map version 2 is not supported (this migrator reads version 1)"),
])
def test_a_map_without_a_workspace_or_of_another_version_is_fetched_again_without_asking_for_refresh(
    fake: FakePublicApi, tmp_path: Path, change: dict[str, object], why: str
) -> None:
    # It said "run `migrator ids --refresh`; fetching a new map", and fetched: the advice was for nothing.
    out = tmp_path / "ids.json"
    raw = {**sample_idmap_json(fake.url), "fetched_at": datetime.now(timezone.utc).isoformat(), **change}
    out.write_text(json.dumps({k: v for k, v in raw.items() if v is not None}))
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"migrator ids: {out}: {why}; fetching a new map"
    assert fake.paths()[0] == "/"
    assert without_date(out) == sample_idmap_json(fake.url)


def test_permissions_of_an_existing_file_are_kept(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    _old_map(out, timedelta(days=3), fake.url)
    out.chmod(0o600)
    assert run("--api-url", fake.url, "--token", fake.token, "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert load_idmap(out).workspace is not None and load_idmap(out).workspace.slug == "acme"


def test_a_file_that_is_not_an_id_map_is_left_alone(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "package.json"
    out.write_text('{"name": "mine"}')
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out), "--refresh")
    assert result.exit_code == 2
    assert result.stderr == (
        f"migrator ids: error: {out}: exists and is not a migrator id map; not replacing it "
        "(choose another -o FILE or remove it)\n"
    )
    assert out.read_text() == '{"name": "mine"}'
    assert fake.requests == []


def test_a_bad_token_exits_2_with_help_and_no_leak(fake: FakePublicApi, tmp_path: Path) -> None:
    bad = "config_api_SECRET_token"
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", bad, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("migrator ids: error: GET /: the Public API refused the token (HTTP 401")
    assert "Config API tokens do not work on the Public API" in result.stderr
    assert "Settings → Workspace settings → Access Management → Tokens" in result.stderr
    assert bad not in result.output
    assert not out.exists()


def test_a_403_on_the_first_call_blames_the_token_type_or_region(fake: FakePublicApi, tmp_path: Path) -> None:
    fake.fail("/", Fault(403, {}, {"errors": [{"message": "nope"}]}))
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(tmp_path / "ids.json"))
    assert (result.exit_code, result.stderr) == (2, (
        "migrator ids: error: GET /: the Public API refused the token (HTTP 403: nope). Config API tokens do not "
        "work on the Public API; a Public API token is created in the Segment app by a workspace owner (Settings → "
        "Workspace settings → Access Management → Tokens). EU workspaces also need --region eu.\n"))


def test_a_403_on_a_list_after_the_workspace_is_a_permission_of_the_token(
    fake: FakePublicApi, tmp_path: Path
) -> None:
    # GET / accepted the same token: it blamed Config tokens and the region all the same
    fake.fail("/sources", Fault(403, {}, {"errors": [{"message": "nope"}]}))
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(tmp_path / "ids.json"))
    assert (result.exit_code, result.stderr) == (2, (
        "migrator ids: error: GET /sources: the token may not read /sources (HTTP 403: nope). GET / accepted the "
        "same token, so it is a Public API token for this region that lacks a permission: use a token whose role "
        "can read /sources (a token's role, Workspace Owner or Workspace Member, is chosen when it is created in "
        "Settings → Workspace settings → Access Management → Tokens).\n"))
    assert fake.paths() == ["/", "/sources"]
    assert list(tmp_path.iterdir()) == []


def test_a_401_after_the_workspace_accepted_the_token_says_it_was_revoked(
    fake: FakePublicApi, tmp_path: Path
) -> None:
    # GET / accepted the same token: a Config token or the region cannot be the cause
    fake.fail("/sources", Fault(401, {}, {"errors": [{"message": "token revoked"}]}))
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(tmp_path / "ids.json"))
    assert (result.exit_code, result.stderr) == (2, (
        "migrator ids: error: GET /sources: the Public API refused the token (HTTP 401: token revoked). GET / "
        "accepted the same token earlier in this run, so it is a Public API token for this region that was "
        "revoked or expired meanwhile: run again with a token that is still valid (Settings → Workspace settings "
        "→ Access Management → Tokens).\n"))
    assert fake.paths() == ["/", "/sources"]
    assert list(tmp_path.iterdir()) == []


def test_no_token_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--api-url", "http://127.0.0.1:9", "-o", str(tmp_path / "ids.json"))
    assert result.exit_code == 2
    assert result.stderr == (
        "migrator ids: error: no token: pass --token or set SEGMENT_PUBLIC_API_TOKEN (a Public API token)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-age", "soon"], 'migrator ids: error: --max-age: "soon" is not a duration'),
        (["--api-url", "ftp://x"], 'migrator ids: error: --api-url: "ftp://x" is not an http(s) URL'),
        (["--api-url", "https://x/?a=1"], "migrator ids: error: --api-url: a base URL has no query"),
        (["--token", "two words"], "migrator ids: error: --token: the token contains spaces"),
        (["--api-url", "https://me:pw@x"], "migrator ids: error: --api-url: credentials in the URL"),
    ],
)
def test_bad_options_exit_2_in_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    base = ["--api-url", "http://127.0.0.1:9", "--token", "sgp_token", "-o", str(tmp_path / "ids.json")]
    result = run(*base, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "two words" not in result.stderr


def test_an_output_below_a_file_and_a_huge_max_age_are_one_line_errors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("afile").write_text("")
    base = ["--api-url", "http://127.0.0.1:9", "--token", "sgp_token"]
    below = run(*base, "-o", "afile/ids.json")
    assert (below.exit_code, below.stderr) == (
        2, "migrator ids: error: afile/ids.json: cannot be written: afile is a file, not a directory\n")
    huge = run(*base, "-o", "ids.json", "--max-age", "99999999999d")
    assert (huge.exit_code, huge.stderr) == (
        2, 'migrator ids: error: --max-age: "99999999999d" is too long a duration (at most 999999999d)\n')


def test_unknown_region_is_a_click_usage_error() -> None:
    result = run("--region", "apac")
    assert result.exit_code == 2
    assert "'apac' is not one of 'eu', 'us'" in result.stderr


def test_an_unreachable_api_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused")

    monkeypatch.setattr(ids_cmd, "_http_client", lambda: httpx.Client(transport=httpx.MockTransport(refuse)))
    monkeypatch.setattr("migrator.ids.client.time.sleep", lambda s: None)
    result = run("--token", "sgp_unreachable", "-o", str(tmp_path / "ids.json"))
    assert result.exit_code == 2
    assert result.stderr == (
        "migrator ids: error: GET /: cannot connect to https://api.segmentapis.com "
        "(ConnectError: Connection refused); gave up after 6 attempts\n"
    )


def test_a_trickling_server_fails_in_one_line_after_the_retries(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.fail("/", *[Fault(trickle=0.05) for _ in range(6)])
    quick = functools.partial(PublicApi, deadline=0.3, sleep=lambda seconds: None)
    monkeypatch.setattr(ids_cmd, "PublicApi", quick)
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert (result.exit_code, result.stderr) == (2, (
        "migrator ids: error: GET /: timed out (response not complete within 0.3 s); gave up after 6 attempts\n"))
    assert fake.paths() == ["/"] * 6
    assert not out.exists()


@pytest.mark.parametrize(
    ("region", "host"), [("eu", "eu1.api.segmentapis.com"), ("us", "api.segmentapis.com")]
)
def test_region_picks_the_base_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: str, host: str
) -> None:
    fake = FakePublicApi.sample()
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        assert request.url.scheme == "https"
        query = {k: v for k, v in request.url.params.items()}
        status, _, body = fake.answer(request.url.path, query, {k.lower(): v for k, v in request.headers.items()})
        return httpx.Response(status, json=body)

    monkeypatch.setattr(ids_cmd, "_http_client", lambda: httpx.Client(transport=httpx.MockTransport(handler)))
    out = tmp_path / "ids.json"
    result = run("--region", region, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert set(hosts) == {host}
    assert without_date(out) == sample_idmap_json(f"https://{host}")


def test_api_url_overrides_region() -> None:
    assert ids_cmd.resolve_api_url("eu", None) == "https://eu1.api.segmentapis.com"
    assert ids_cmd.resolve_api_url("us", None) == "https://api.segmentapis.com"
    assert ids_cmd.resolve_api_url("eu", " http://127.0.0.1:8080/api/ ") == "http://127.0.0.1:8080/api"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", '"http://[::1" is not a valid URL (Invalid IPv6 URL)'),
        ("http://127.0.0.1:abc", '"http://127.0.0.1:abc" is not a valid URL '
                                 "(Port could not be cast to integer value as 'abc')"),
        ("http://127.0.0.1:70000", '"http://127.0.0.1:70000" is not a valid URL (Port out of range 0-65535)'),
        ("http://127.0.0.1:0", '"http://127.0.0.1:0" has no valid port (a number from 1 to 65535)'),
        ("http://a b/", '"http://a b/" has a space or a control character in its host'),
        ("", "empty (an unset variable?); give a URL or leave the option out for --region"),
        ("  ", "empty (an unset variable?); give a URL or leave the option out for --region"),
    ],
)
def test_a_malformed_or_empty_api_url_is_a_one_line_error_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, message: str
) -> None:
    def no_request(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"requested {request.url}")

    monkeypatch.setattr(ids_cmd, "_http_client", lambda: httpx.Client(transport=httpx.MockTransport(no_request)))
    result = run("--api-url", url, "--token", "sgp_token", "-o", str(tmp_path / "ids.json"))
    assert (result.exit_code, result.stderr) == (2, f"migrator ids: error: --api-url: {message}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("host", "warned"),
    [("127.0.0.2", False), ("127.255.0.1", False), ("[::1]", False), ("localhost", False),
     ("LOCALHOST", False), ("10.0.0.1", True), ("128.0.0.1", True), ("example.test", True)],
)
def test_plain_http_warns_for_a_host_other_than_the_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, warned: bool
) -> None:
    fake = FakePublicApi.sample()

    def handler(request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params.items())
        status, _, body = fake.answer(request.url.path, query, {k.lower(): v for k, v in request.headers.items()})
        return httpx.Response(status, json=body)

    monkeypatch.setattr(ids_cmd, "_http_client", lambda: httpx.Client(transport=httpx.MockTransport(handler)))
    result = run("--api-url", f"http://{host}:8080", "--token", fake.token, "-o", str(tmp_path / "ids.json"))
    assert result.exit_code == 0, result.output
    shown = host.strip("[]").lower() if host.startswith("[") else host.lower()
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == ([f"migrator ids: warning: sending the token over plain http to {shown}"] if warned else [])


class Tty(io.StringIO):
    """A terminal, for the progress line."""

    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_only() -> None:
    tty = Tty()
    progress = ids_cmd._Progress(tty)  # noqa: SLF001
    progress("sources", 200, False)
    progress("sources", 350, True)
    progress("source_metadata", 10, False)
    progress.interrupt()
    assert tty.getvalue() == "\r\x1b[K  sources: 200\r\x1b[K  sources: 350\n\r\x1b[K  source metadata: 10\n"
    pipe = io.StringIO()
    quiet = ids_cmd._Progress(pipe)  # noqa: SLF001
    quiet("sources", 1, True)
    quiet.interrupt()
    assert pipe.getvalue() == ""


def test_progress_shows_a_wait_the_api_asked_for() -> None:
    tty = Tty()
    progress = ids_cmd._Progress(tty)  # noqa: SLF001
    progress("sources", 200, False)
    progress.wait(41.2)
    progress("sources", 400, True)
    progress.wait(3)
    progress.interrupt()
    assert tty.getvalue() == (
        "\r\x1b[K  sources: 200\r\x1b[K  waiting 42 s, as the API asked\r\x1b[K  sources: 400\n"
        "\r\x1b[K  waiting 3 s, as the API asked\n"
    )
    pipe = io.StringIO()
    ids_cmd._Progress(pipe).wait(5)  # noqa: SLF001
    assert pipe.getvalue() == ""


def test_a_used_up_rate_limit_window_with_a_long_reset_stops(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("migrator.ids.client.time.sleep", slept.append)  # no server thread sleeps here
    reset = formatdate(time.time() + 3600, usegmt=True)
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    fake.fail("/", Fault(status=200, headers=headers, body={"data": {"workspace": fake.workspace}}))
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 2
    assert re.fullmatch(
        r"migrator ids: error: GET /sources: rate limit used up \(X-RateLimit-Remaining: 0\) and asked "
        r"to wait 3[56]\d\d s, more than 300 s; try again later\n",
        result.stderr,
    ), result.stderr
    assert (slept, fake.paths(), out.exists()) == ([], ["/"], False)


def test_a_huge_rate_limit_wait_stops_the_command_in_one_short_line(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("migrator.ids.client.time.sleep", slept.append)
    limited = {"errors": [{"message": "slow", "data": {"msBeforeNext": 1e300}}]}
    fake.fail("/sources", Fault(status=429, body=limited))
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert (result.exit_code, result.stderr) == (2, (
        "migrator ids: error: GET /sources: rate limited (HTTP 429) and asked to wait more than a day, "
        "more than 300 s; try again later\n"))
    assert (slept, fake.paths(), out.exists()) == ([], ["/", "/sources"], False)


def test_the_summary_on_a_terminal_counts_in_words(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "1 destination keys", "1 users": the plural whatever the count
    fake.sources = fake.sources[:1]
    fake.roles = fake.roles[:1]
    fake.destinations = [d for d in fake.destinations if d["id"] == "d_ga1"]
    monkeypatch.setattr(ids_cmd, "_isatty", lambda stream: True)
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(
        f"migrator ids: wrote {out}: workspace acme, 1 source, 2 destination keys, 5 tracking-plan keys, "
        f"1 filter key, 5 function keys, 1 user, 1 role ({len(fake.requests)} requests)\n"
    )


def test_python_m_migrator_ids_end_to_end(fake: FakePublicApi, tmp_path: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import migrator.cli"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"the migrator command group does not import yet: {probe.stderr.strip().splitlines()[-1]}")
    out = tmp_path / "ids.json"
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != ids_cmd.TOKEN_ENV}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "migrator", "ids", "--api-url", fake.url, "--token", fake.token, "-o", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert without_date(out) == sample_idmap_json(fake.url)
    assert fake.token not in done.stdout + done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "migrator", "ids", "--api-url", fake.url, "--token", "nope", "-o", str(out), "--refresh"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert "Config API tokens do not work on the Public API" in bad.stderr


def test_an_interrupted_fetch_exits_130_in_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # click said "Aborted!" and exited 1, the code of findings in other commands
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ids_cmd, "fetch_idmap", interrupted)
    result = run_cli("--api-url", "http://127.0.0.1:9", "--token", "sgp_token", "-o", str(tmp_path / "ids.json"))
    assert (result.exit_code, result.stderr) == (130, "migrator ids: interrupted\n")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_one(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    out = tmp_path / "ids.json"
    _old_map(out, timedelta(days=3), fake.url)
    before = out.read_bytes()
    monkeypatch.setattr("migrator.files.os.replace", interrupted)
    result = run_cli("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 130
    assert result.stderr.endswith(" left out\nmigrator ids: interrupted\n")
    assert [p.name for p in tmp_path.iterdir()] == ["ids.json"]
    assert out.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_an_output_that_is_no_regular_file_is_refused_before_any_request(fake: FakePublicApi, tmp_path: Path) -> None:
    # A named pipe was read for a map and waited for ever; `-o /dev/null` was fetched
    # and a file renamed over the device (as root).
    pipe = tmp_path / "ids.pipe"
    os.mkfifo(pipe)
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != ids_cmd.TOKEN_ENV}
    env["PYTHONPATH"] = str(ROOT)
    for output in (pipe, Path(os.devnull)):
        done = subprocess.run(
            [sys.executable, "-m", "migrator", "ids", "--api-url", fake.url, "--token", fake.token, "-o", str(output)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=20, check=False,
        )
        assert (done.returncode, done.stderr) == (2, (
            f"migrator ids: error: {output}: is not a regular file (a device or a named pipe); "
            "give the id-map file to write\n"))
    assert stat.S_ISFIFO(pipe.stat().st_mode) and stat.S_ISCHR(Path(os.devnull).stat().st_mode)
    assert fake.requests == []


def test_a_422_on_an_optional_list_writes_the_map_with_a_note(fake: FakePublicApi, tmp_path: Path) -> None:
    out = tmp_path / "ids.json"
    fake.fail("/functions", Fault(0), Fault(422, {}, {"errors": [{"message": "resourceType INSERT_DESTINATION not enabled"}]}))
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "ifnd_3" not in json.loads(out.read_text())["functions"]
    assert result.stderr.splitlines()[0] == (
        'migrator ids: note: functions of type INSERT_DESTINATION: skipped, HTTP 422: '
        '"resourceType INSERT_DESTINATION not enabled"'
    )


def test_a_body_cut_short_is_retried_and_named_so_not_a_failure_to_connect(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("migrator.ids.client.time.sleep", lambda s: None)
    fake.fail("/sources", Fault(cut=True))
    out = tmp_path / "ids.json"
    once = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert once.exit_code == 0 and "error" not in once.stderr
    assert without_date(out) == sample_idmap_json(fake.url)
    fake.fail("/sources", *[Fault(cut=True) for _ in range(6)])
    always = run("--api-url", fake.url, "--token", fake.token, "-o", str(tmp_path / "again.json"))
    assert (always.exit_code, always.stderr) == (2, (
        "migrator ids: error: GET /sources: the connection closed before the body was complete (HTTP 200; "
        "RemoteProtocolError: peer closed connection without sending complete message body (received 22 bytes, "
        "expected 100)); gave up after 6 attempts\n"))


def test_a_body_its_content_encoding_does_not_decode_is_a_one_line_error(fake: FakePublicApi, tmp_path: Path) -> None:
    fake.fail("/sources", Fault(status=200, headers={"Content-Encoding": "gzip"}, body=b'{"data": {"sources": []}}'))
    out = tmp_path / "ids.json"
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(out))
    assert (result.exit_code, result.stderr) == (2, (
        'migrator ids: error: GET /sources: unexpected response (HTTP 200), the body is not "gzip" as its '
        "Content-Encoding says (DecodingError: Error -3 while decompressing data: incorrect header check)\n"))
    assert not out.exists()


def test_a_body_in_an_encoding_httpx_cannot_decode_here_says_so(fake: FakePublicApi, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`br` without brotli installed: httpx leaves the body as it came (rt8 #10)."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name.startswith("brotli") else real(name, *a))
    fake.fail("/sources", Fault(status=200, headers={"Content-Encoding": "br"}, body=b"\x1b\x17\x00\xf8\xa5@"))
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(tmp_path / "ids.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("migrator ids: error: GET /sources: unexpected response (HTTP 200), "
                                    'the body is "br"-encoded (its Content-Encoding), which this installation '
                                    "cannot decode (") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://api..segmentapis.com", '"https://api..segmentapis.com" has no valid host name (a label is empty or '
                                         "longer than 63 characters)"),
        ("http://xn--zz", '"http://xn--zz" has no valid host name (an `xn--` label that is not IDNA: Invalid A-label)'),
        ("https://xn--zz.segmentapis.com", '"https://xn--zz.segmentapis.com" has no valid host name (an `xn--` label '
                                           "that is not IDNA: Invalid A-label)"),
    ],
)
def test_an_api_url_whose_host_cannot_be_sent_is_a_one_line_error(tmp_path: Path, url: str, message: str) -> None:
    # httpx takes these URLs; the request (IDNA) or the resolver (an empty label) failed with a traceback
    result = run("--api-url", url, "--token", "sgp_token", "-o", str(tmp_path / "ids.json"))
    assert (result.exit_code, result.stderr) == (2, f"migrator ids: error: --api-url: {message}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ALL_PROXY", "socks5://127.0.0.1:1080", 'ALL_PROXY: a SOCKS proxy (socks5://) needs the socksio package, '
         'which is not installed: pip install "httpx[socks]", or unset ALL_PROXY'),
        ("HTTPS_PROXY", "socks5h://u:p@127.0.0.1:1080", 'HTTPS_PROXY: a SOCKS proxy (socks5h://) needs the socksio '
         'package, which is not installed: pip install "httpx[socks]", or unset HTTPS_PROXY'),
        ("https_proxy", "ftp://127.0.0.1:1080", 'https_proxy: a proxy URL of scheme "ftp" is not supported (http://, '
         "https://, socks5://): fix or unset https_proxy"),
    ],
)
def test_a_proxy_variable_httpx_cannot_use_is_a_one_line_error_naming_it(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setitem(sys.modules, "socksio", None)  # not installed, whatever the environment holds
    monkeypatch.setenv(name, value)
    result = run("--api-url", fake.url, "--token", fake.token, "-o", str(tmp_path / "ids.json"))
    assert (result.exit_code, result.stderr) == (2, f"migrator ids: error: {message}\n")
    assert fake.requests == [] and list(tmp_path.iterdir()) == []


def test_a_refused_proxy_connection_names_the_proxy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as closed:  # a loopback port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"user:secret@127.0.0.1:{port}")
    monkeypatch.setattr("migrator.ids.client.time.sleep", lambda s: None)
    result = run("--token", "sgp_token", "-o", str(tmp_path / "ids.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "migrator ids: error: GET /: cannot connect to https://api.segmentapis.com through the proxy "
        f"http://127.0.0.1:{port} (HTTPS_PROXY) (ConnectError: ")
    assert result.stderr.endswith("; gave up after 6 attempts\n") and "secret" not in result.stderr


@pytest.mark.parametrize(
    ("token", "env", "message"),
    [
        ("Bearer sgp_abc", True, 'SEGMENT_PUBLIC_API_TOKEN: the token contains spaces or characters a token cannot '
         'have; leave out the "Bearer " prefix: give the token alone'),
        ("sgp ab", True, "SEGMENT_PUBLIC_API_TOKEN: the token contains spaces or characters a token cannot have"),
        ("bearer sgp_abc", False, '--token: the token contains spaces or characters a token cannot have; leave out '
         'the "Bearer " prefix: give the token alone'),
    ],
)
def test_a_bad_token_names_where_it_came_from(tmp_path: Path, token: str, env: bool, message: str) -> None:
    args = ("--api-url", "http://127.0.0.1:9", "-o", str(tmp_path / "ids.json"))
    result = run(*args, env={ids_cmd.TOKEN_ENV: token}) if env else run(*args, "--token", token)
    assert (result.exit_code, result.stderr) == (2, f"migrator ids: error: {message}\n")


def test_output_dash_writes_the_map_to_stdout(
    fake: FakePublicApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("not a map")  # never read, nor replaced
    result = run("--api-url", fake.url, "--token", fake.token, "-o", "-")
    assert result.exit_code == 0, result.output
    raw = json.loads(result.stdout)
    datetime.fromisoformat(raw.pop("fetched_at"))
    assert raw == sample_idmap_json(fake.url)
    assert (tmp_path / "-").read_text() == "not a map" and len(list(tmp_path.iterdir())) == 1
