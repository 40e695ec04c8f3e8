"""Queries tests pin for a call the migration sends with a fixed query (the
endpoint row's `fixed_query`: a tracking-plan list's `type=LIVE`), and the
`params` a patched function was called with, read in every way `mock` gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json").read_text())
)
QUERY = "# migrator[rewrite.mocks]: the query this test pins must match what the migrated call to `{endpoint}` sends ({reason})"
PLANS = "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans"


def rewrite(code: str):
    return rewrite_bytes(code.encode(), RULES, IDS)


# -- end to end: the rewritten tests pass against the rewritten client -------------------

CLIENT = '''import httpx
import requests

API = "https://platform.segmentapis.com/v1beta"


def plans():
    r = requests.get(f"{API}/workspaces/acme/tracking-plans", params={"page_size": 2})
    r.raise_for_status()
    return r.json()["tracking_plans"]


def plans_httpx():
    r = httpx.get(f"{API}/workspaces/acme/tracking-plans", params={"page_size": 2})
    r.raise_for_status()
    return r.json()["tracking_plans"]
'''
TESTS = f'''from unittest import mock

import responses
from responses import matchers

import client

PAGE = {{"tracking_plans": [], "next_page_token": ""}}


def test_patched():
    with mock.patch("client.requests.get") as get:
        get.return_value.json.return_value = {{"tracking_plans": [], "next_page_token": ""}}
        assert client.plans() == []
    get.assert_called_once_with("{PLANS}", params={{"page_size": 2}})
    assert get.call_args.kwargs["params"] == {{"page_size": 2}}
    assert {{"page_size": 2}} == get.call_args[1]["params"]
    assert get.call_args.kwargs.get("params") == {{"page_size": 2}}
    assert get.call_args_list[0].kwargs["params"] == {{"page_size": 2}}
    assert get.call_args_list[-1][1]["params"] == {{"page_size": 2}}


@responses.activate
def test_responses_matcher():
    responses.add(
        responses.GET,
        "{PLANS}",
        json=PAGE,
        match=[matchers.query_param_matcher({{"page_size": "2"}})],
    )
    assert client.plans() == []
    assert responses.calls[0].request.params == {{"page_size": "2"}}


@responses.activate
def test_responses_url():
    responses.add(responses.GET, "{PLANS}?page_size=2", json=PAGE)
    assert client.plans() == []
    assert responses.calls[0].request.url == "{PLANS}?page_size=2"
'''
RESPX_TESTS = f'''import respx

import client


@respx.mock
def test_respx():
    route = respx.get("{PLANS}", params={{"page_size": "2"}}).respond(200, json={{"tracking_plans": []}})
    assert client.plans_httpx() == []
    assert route.called
'''
PUBLIC = "https://api.segmentapis.com/tracking-plans"


def _pytest(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "test_client.py"],
        cwd=directory, capture_output=True, text=True, timeout=300,
    )


def _passes(folder: Path, client: bytes, tests: bytes, count: int) -> None:
    folder.mkdir()
    (folder / "client.py").write_bytes(client)
    (folder / "test_client.py").write_bytes(tests)
    run = _pytest(folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{count} passed" in run.stdout


def test_queries_pinned_for_a_call_with_a_fixed_query_get_it_and_pass_against_the_migrated_client(tmp_path: Path):
    pytest.importorskip("responses")
    new_client, new_tests = rewrite(CLIENT), rewrite(TESTS)
    assert not new_client.markers and not new_tests.markers
    assert new_tests.code.decode().splitlines()[14:20] == [
        f'    get.assert_called_once_with("{PUBLIC}", params={{"pagination.count": 2, "type": "LIVE"}})',
        '    assert get.call_args.kwargs["params"] == {"pagination.count": 2, "type": "LIVE"}',
        '    assert {"pagination.count": 2, "type": "LIVE"} == get.call_args[1]["params"]',
        '    assert get.call_args.kwargs.get("params") == {"pagination.count": 2, "type": "LIVE"}',
        '    assert get.call_args_list[0].kwargs["params"] == {"pagination.count": 2, "type": "LIVE"}',
        '    assert get.call_args_list[-1][1]["params"] == {"pagination.count": 2, "type": "LIVE"}',
    ]
    text = new_tests.code.decode()
    assert 'match=[matchers.query_param_matcher({"pagination.count": "2", "type": "LIVE"})],' in text
    assert 'assert responses.calls[0].request.params == {"pagination.count": "2", "type": "LIVE"}' in text
    assert f'responses.add(responses.GET, "{PUBLIC}?pagination.count=2&type=LIVE", json=PAGE)' in text
    assert f'assert responses.calls[0].request.url == "{PUBLIC}?pagination.count=2&type=LIVE"' in text
    _passes(tmp_path / "legacy", CLIENT.encode(), TESTS.encode(), 3)
    _passes(tmp_path / "migrated", new_client.code, new_tests.code, 3)


def test_a_respx_query_pattern_gets_the_fixed_query():
    new_tests = rewrite(RESPX_TESTS)
    assert not new_tests.markers
    assert new_tests.code.decode().splitlines()[7] == (
        f'    route = respx.get("{PUBLIC}", params={{"pagination.count": "2", "type": "LIVE"}})'
        '.respond(200, json={"data": {"trackingPlans": []}})'
    )


def test_the_rewritten_respx_test_passes_against_the_migrated_client(tmp_path: Path):
    pytest.importorskip("respx")
    _passes(tmp_path / "legacy", CLIENT.encode(), RESPX_TESTS.encode(), 1)
    _passes(tmp_path / "migrated", rewrite(CLIENT).code, rewrite(RESPX_TESTS).code, 1)


# -- what cannot be shown is marked ---------------------------------------------------------

def test_a_fixed_query_that_cannot_be_added_is_marked():
    code = f'''import requests_mock
from unittest import mock

import client


def test_requests_mock(requests_mock):
    requests_mock.get("{PLANS}", json={{"tracking_plans": []}})
    client.plans()
    assert requests_mock.last_request.qs == {{"page_size": ["2"]}}


def test_other_type():
    with mock.patch("client.requests.get") as get:
        client.plans()
    get.assert_called_once_with("{PLANS}", params={{"page_size": 2, "type": "ENGAGE"}})


def test_no_params():
    with mock.patch("client.requests.get") as get:
        client.plans()
    get.assert_called_once_with("{PLANS}")
'''
    result = rewrite(code)
    lines = result.code.decode().splitlines()
    marker = QUERY.replace("{endpoint}", "GET /tracking-plans")
    assert lines[9:11] == [
        "    " + marker.format(reason=(
            "the migrated call also sends `type=LIVE`, which `qs` holds lowercased unless the mocker is "
            "case-sensitive: add it to the query this test expects"
        )),
        '    assert requests_mock.last_request.qs == {"page_size": ["2"]}',
    ]
    assert lines[16:18] == [
        "    " + marker.format(reason="the migrated call sends `type=LIVE`: check the `type` this query expects"),
        '    get.assert_called_once_with("https://api.segmentapis.com/tracking-plans", '
        'params={"page_size": 2, "type": "ENGAGE"})',
    ]
    assert lines[23:25] == [
        "    " + marker.format(reason=(
            "the migrated call sends `params` with `pagination.count` and `type=LIVE`: "
            "add them to the call this test expects"
        )),
        '    get.assert_called_once_with("https://api.segmentapis.com/tracking-plans")',
    ]
    assert len(result.markers) == 3


# -- the params a patched function was called with, read in other ways ------------------------

CALLED = '''from unittest import mock

import client


def test_sources():
    with mock.patch("client.requests.get") as get:
        get.return_value.json.return_value = {{"sources": [], "next_page_token": ""}}
        assert client.sources() == []
    get.{assert_}("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", params={{"page_size": 2}})
    assert get.call_args.kwargs.get("params") == {{"page_size": 2}}
    assert get.call_args[1].get("params") == {{"page_size": 2}}
    assert get.call_args_list[-1][1]["params"] == {{"page_size": 2}}
    assert get.call_args_list[0].kwargs["params"] == {{"page_size": 2}}
    assert get.call_args_list[0].kwargs.get("params")["page_size"] == 2
    assert get.call_args.args[1] == {{"page_size": 2}}
'''
SOURCES = QUERY.replace("{endpoint}", "GET /sources")
READ = "    " + SOURCES.format(reason="it sends `pagination.count` where it sent `page_size`")
POSITION = "    " + SOURCES.format(reason=(
    "an argument given by position after the URL is read here, which this rewrite does not follow: "
    "check it against the query the migrated call sends"
))


def test_params_read_through_get_or_call_args_list_follow_the_rename_where_the_asserts_show_the_call():
    result = rewrite(CALLED.format(assert_="assert_called_once_with"))
    assert result.code.decode().splitlines()[9:] == [
        '    get.assert_called_once_with("https://api.segmentapis.com/sources", params={"pagination.count": 2})',
        '    assert get.call_args.kwargs.get("params") == {"pagination.count": 2}',
        '    assert get.call_args[1].get("params") == {"pagination.count": 2}',
        '    assert get.call_args_list[-1][1]["params"] == {"pagination.count": 2}',
        '    assert get.call_args_list[0].kwargs["params"] == {"pagination.count": 2}',
        READ,
        '    assert get.call_args_list[0].kwargs.get("params")["page_size"] == 2',
        POSITION,
        '    assert get.call_args.args[1] == {"page_size": 2}',
    ]
    assert len(result.markers) == 2


def test_the_first_call_read_where_the_asserts_show_only_the_last_is_marked():
    result = rewrite(CALLED.format(assert_="assert_called_with"))
    unproven = "    " + QUERY.format(endpoint="its endpoint", reason=(
        "the asserts of this function do not show that the call read here is the one they name"
    ))
    assert result.code.decode().splitlines()[9:] == [
        '    get.assert_called_with("https://api.segmentapis.com/sources", params={"pagination.count": 2})',
        '    assert get.call_args.kwargs.get("params") == {"pagination.count": 2}',
        '    assert get.call_args[1].get("params") == {"pagination.count": 2}',
        '    assert get.call_args_list[-1][1]["params"] == {"pagination.count": 2}',
        unproven,
        '    assert get.call_args_list[0].kwargs["params"] == {"page_size": 2}',
        unproven,
        '    assert get.call_args_list[0].kwargs.get("params")["page_size"] == 2',
        POSITION,
        '    assert get.call_args.args[1] == {"page_size": 2}',
    ]


def test_a_query_given_by_position_in_the_assert_is_marked():
    code = CALLED.format(assert_="assert_called_once_with").replace(', params={"page_size": 2})', ', {"page_size": 2})')
    result = rewrite(code.split("    assert get.call_args.kwargs")[0])
    assert result.code.decode().splitlines()[9:] == [
        "    " + SOURCES.format(reason=(
            "the migrated call sends `params` with `pagination.count`; an argument after the URL is given by "
            "position: check it"
        )),
        '    get.assert_called_once_with("https://api.segmentapis.com/sources", {"page_size": 2})',
    ]


def test_the_method_and_url_read_by_position_are_not_marked_and_an_argument_after_them_is():
    code = '''from unittest import mock

import requests

import client


def test_sources():
    with mock.patch.object(requests.Session, "request") as request:
        client.sources()
    request.assert_called_once_with("GET", "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", params={"page_size": 2})
    assert request.call_args[0][0] == "GET"
    assert request.call_args[0][2] == {"page_size": 2}
'''
    result = rewrite(code)
    assert result.code.decode().splitlines()[10:] == [
        '    request.assert_called_once_with("GET", "https://api.segmentapis.com/sources", params={"pagination.count": 2})',
        '    assert request.call_args[0][0] == "GET"',
        POSITION,
        '    assert request.call_args[0][2] == {"page_size": 2}',
    ]
    assert len(result.markers) == 1
