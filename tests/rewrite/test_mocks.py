"""Tests of migrated code: test doubles (`responses`, `requests_mock`, `respx`)
and request bodies pinned in asserts migrate with the code they test."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from migrator.idmap import IdMap
from migrator.rewrite import driver, rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "rewrite"
E2E = ROOT / "mocks-e2e"
IDS = IdMap.model_validate(
    json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json").read_text())
)


def rewrite(code: str, ids: IdMap | None = IDS):
    return rewrite_bytes(code.encode(), RULES, ids)


def _pytest(directory: Path, test_file: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", test_file],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )


# -- end to end: the rewritten tests pass against the rewritten client -------------------


def test_rewritten_tests_pass_against_the_rewritten_client(tmp_path: Path) -> None:
    pytest.importorskip("responses")
    client = (E2E / "segment_sources.py").read_text()
    tests = (E2E / "sources_tests.py").read_text()

    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "segment_sources.py").write_text(client)
    (legacy / "test_sources.py").write_text(tests)
    before = _pytest(legacy, "test_sources.py")
    assert before.returncode == 0, before.stdout + before.stderr  # the legacy pair is a working test suite

    new_client = rewrite(client)
    new_tests = rewrite(tests)
    assert not new_client.markers and not new_tests.markers
    assert b"platform.segmentapis.com" not in new_client.code + new_tests.code
    assert {c.rule for c in new_tests.changes} >= {"rewrite.mocks"}

    migrated = tmp_path / "migrated"
    migrated.mkdir()
    (migrated / "segment_sources.py").write_bytes(new_client.code)
    (migrated / "test_sources.py").write_bytes(new_tests.code)
    after = _pytest(migrated, "test_sources.py")
    assert after.returncode == 0, after.stdout + after.stderr
    assert "4 passed" in after.stdout

    # The old tests fail against the migrated client: the doubles had to move with it.
    (migrated / "test_sources.py").write_text(tests)
    stale = _pytest(migrated, "test_sources.py")
    assert stale.returncode != 0
    assert "4 failed" in stale.stdout


SESSION_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


class Client:
    def __init__(self):
        self.s = requests.Session()

    def source_name(self, slug):
        return self.s.get(f"{API}/workspaces/acme/sources/{slug}").json()["display_name"]
'''
SESSION_TEST = b'''from unittest import mock

import client


@mock.patch("client.requests.Session")
def test_session(session_cls):
    get = session_cls.return_value.get
    get.return_value.json.return_value = {"name": "workspaces/acme/sources/web", "display_name": "Web"}
    assert client.Client().source_name("web") == "Web"
    get.assert_called_once_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")
'''


def test_doubles_of_a_patched_session_move_with_the_client(tmp_path: Path) -> None:
    """`session_cls.return_value.get` of a patched `requests.Session` is the
    patched `get` (its canned response stayed Config, unmarked, and its URL
    was marked as a path whose uses cannot be seen: the test failed)."""
    from migrator.rewrite import driver

    (tmp_path / "client.py").write_bytes(SESSION_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_bytes(SESSION_TEST)
    ids = IdMap.model_validate({
        "workspace": {"id": "ws_1", "slug": "acme"}, "sources": {"web": "src_web"}})
    driver.run([tmp_path], force=True, jobs=1, ids=ids, lookup_module="segment_ids")
    assert (tmp_path / "client.py").read_bytes() == (
        SESSION_CLIENT.replace(b"import requests", b"import segment_ids\nimport requests")
        .replace(b"https://platform.segmentapis.com/v1beta", b"https://api.segmentapis.com")
        .replace(b'f"{API}/workspaces/acme/sources/{slug}").json()["display_name"]',
                 b'f"{API}/sources/{segment_ids.source_id(slug)}").json()["data"]["source"]["name"]')
    )
    assert (tmp_path / "tests" / "test_client.py").read_bytes() == (
        SESSION_TEST.replace(b'{"name": "workspaces/acme/sources/web", "display_name": "Web"}',
                             b'{"data": {"source": {"slug": "web", "id": "src_web", "name": "Web", "workspaceId": "ws_1"}}}')
        .replace(b"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web",
                 b"https://api.segmentapis.com/sources/src_web")
    )
    after = _pytest(tmp_path, "tests/test_client.py")
    assert after.returncode == 0, after.stdout + after.stderr


SESSION_DOUBLES = '''"""The methods of a client instance a patched class makes (`requests.Session`, `httpx.Client`)."""

from unittest import mock

from app import client


@mock.patch("app.client.requests.Session")
def test_source_name(session_cls):
    get = session_cls.return_value.get
    get.return_value.json.return_value = {"name": "workspaces/acme/sources/web", "display_name": "Web"}
    assert client.Client().source_name("web") == "Web"
    get.assert_called_once_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")


def test_with_pytest_mock(mocker):
    session_cls = mocker.patch("app.client.httpx.Client")
    get = session_cls.return_value.get
    get.return_value.json.return_value = {"name": "workspaces/acme/sources/ios", "display_name": "iOS"}
    assert client.label("ios") == "iOS"
    get.assert_called_once_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/ios")


def test_chained():
    with mock.patch("app.client.requests.Session") as session_cls:
        session_cls.return_value.get.return_value.json.return_value = {"name": "workspaces/acme/sources/web", "display_name": "Web"}
        assert client.Client().source_name("web") == "Web"
        session_cls.return_value.get.assert_called_once_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")


def test_not_a_client():
    fetch = mock.Mock()
    fetch.return_value.json.return_value = {"name": "workspaces/acme/sources/web", "display_name": "Web"}
    with mock.patch.object(client.Client, "fetch", fetch):
        client.Client().refresh("web")
    fetch.assert_called_once_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")


@mock.patch("app.client.Loader")
def test_another_class(loader_cls):
    get = loader_cls.return_value.get
    get.return_value.json.return_value = {"name": "workspaces/acme/sources/web", "display_name": "Web"}
    client.Client().source_name("web")
    get.assert_called_once_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")
'''


def test_methods_of_a_patched_client_class_are_patched_functions() -> None:
    """`get = session_cls.return_value.get` (or that chain itself) of a
    patched `requests.Session`/`httpx.Client`: its URL assert and canned
    response move like a patched `requests.get`'s; a mock asserted with a URL
    that is no patched HTTP function, or a method of another patched class,
    has its Config payload marked (it was left unmarked)."""
    ids = IdMap.model_validate({"workspace": {"id": "ws_1", "slug": "acme"},
                                "sources": {"web": "src_web", "ios": "src_ios"}})
    once = rewrite(SESSION_DOUBLES, ids)
    marker = (
        "    # migrator[rewrite.mocks]: the test double returns what looks like a Config API response "
        "(`display_name`): if it stands for a call this file migrated, write the Public response instead "
        "(`data` envelope, Public field names)\n"
    )
    unseen = (
        "    # migrator[rewrite.partial-path]: Config API path built from parts this rewrite cannot see whole, or "
        "not in the table: rebuild it as a Public API path by hand (see `migrator rules`) (its uses cannot all "
        "be seen, and a longer path built from it would need a different Public path)\n"
    )
    web = '{"name": "workspaces/acme/sources/web", "display_name": "Web"}'
    parts = SESSION_DOUBLES.split("\n\n\n")
    parts[1:4] = [
        parts[1].replace(web, '{"data": {"source": {"slug": "web", "id": "src_web", "name": "Web", "workspaceId": "ws_1"}}}')
        .replace("platform.segmentapis.com/v1beta/workspaces/acme/sources/web", "api.segmentapis.com/sources/src_web"),
        parts[2].replace('{"name": "workspaces/acme/sources/ios", "display_name": "iOS"}',
                         '{"data": {"source": {"slug": "ios", "id": "src_ios", "name": "iOS", "workspaceId": "ws_1"}}}')
        .replace("platform.segmentapis.com/v1beta/workspaces/acme/sources/ios", "api.segmentapis.com/sources/src_ios"),
        parts[3].replace(web, '{"data": {"source": {"slug": "web", "id": "src_web", "name": "Web", "workspaceId": "ws_1"}}}')
        .replace("platform.segmentapis.com/v1beta/workspaces/acme/sources/web", "api.segmentapis.com/sources/src_web"),
    ]
    for i in (4, 5):
        parts[i] = (parts[i].replace("    fetch.return_value", marker + "    fetch.return_value")
                    .replace("    get.return_value", marker + "    get.return_value")
                    .replace("    fetch.assert", unseen + "    fetch.assert").replace("    get.assert", unseen + "    get.assert"))
    assert once.code.decode() == "\n\n\n".join(parts)
    assert rewrite(once.code.decode(), ids).code == once.code


# -- payloads ----------------------------------------------------------------------------------


def test_list_payload_becomes_the_public_page():
    code = '''import responses

@responses.activate
def test_names():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={"sources": [{"name": "workspaces/acme/sources/web", "display_name": "Web"}], "next_page_token": ""})
'''
    result = rewrite(code)
    tree = cst.parse_module(result.code.decode())
    payload = _json_arg(tree)
    assert payload == {
        "data": {
            "sources": [{"slug": "web", "id": "qQEHquLrjRDN9j1ByrChyn", "name": "Web", "workspaceId": "9aQ1Lj62S4bomZKLF4DPqW"}],
            "pagination": {"next": None},
        }
    }
    assert '"https://api.segmentapis.com/sources"' in result.code.decode()
    assert not result.markers


def test_error_payload_becomes_the_public_error_envelope():
    code = '''def test_missing(requests_mock):
    requests_mock.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web", json={"error": "not found", "code": 5}, status_code=404)
'''
    result = rewrite(code)
    payload = _json_arg(cst.parse_module(result.code.decode()))
    assert set(payload) == {"errors"}
    assert payload["errors"][0]["message"] == "not found"


def test_payload_without_the_id_map_is_marked_not_guessed():
    code = '''import respx
import httpx

@respx.mock
def test_source():
    respx.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").mock(return_value=httpx.Response(200, json={"sources": [{"name": "workspaces/acme/sources/web"}]}))
'''
    result = rewrite(code, ids=None)
    assert '"https://api.segmentapis.com/sources"' in result.code.decode()  # the URL needs no id
    reasons = [m.reason for m in result.markers if m.rule == "rewrite.mocks"]
    assert len(reasons) == 1 and "no source id for 'web'" in reasons[0]
    assert 'json={"sources": [{"name": "workspaces/acme/sources/web"}]}' in result.code.decode()


def test_dropped_field_and_computed_payload_are_marked():
    code = '''import responses

@responses.activate
def test_source(payload):
    responses.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web", json={"name": "workspaces/acme/sources/web", "create_time": "2020-01-01T00:00:00Z"})
    responses.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json=payload)
'''
    result = rewrite(code)
    reasons = [m.reason for m in result.markers if m.rule == "rewrite.mocks"]
    assert len(reasons) == 2
    assert "create_time" in reasons[0]
    assert "the payload `payload` is not a dict literal" in reasons[1]


def test_mock_of_another_api_is_left_alone():
    code = '''import responses

@responses.activate
def test_forecast():
    responses.add(responses.GET, "https://api.example.com/v1beta/workspaces/acme/sources", json={"sources": []})
'''
    result = rewrite(code)
    assert result.code == code.encode()
    assert not result.changes and not result.markers


def test_response_payload_of_a_post_double_is_not_taken_for_a_request_body():
    code = '''def test_create(requests_mock):
    requests_mock.post("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={"name": "workspaces/acme/sources/web", "display_name": "Web"})
'''
    result = rewrite(code)
    assert not [m for m in result.markers if m.rule == "rewrite.request-body"]
    payload = _json_arg(cst.parse_module(result.code.decode()))
    assert payload == {"data": {"source": {"slug": "web", "id": "qQEHquLrjRDN9j1ByrChyn", "name": "Web", "workspaceId": "9aQ1Lj62S4bomZKLF4DPqW"}}}


# -- asserts on recorded request bodies --------------------------------------------------------


def test_body_asserted_on_a_route_is_the_public_body():
    code = '''import json
import httpx
import respx

@respx.mock
def test_create():
    route = respx.post("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").respond(201)
    assert json.loads(route.calls.last.request.content) == {"source": {"name": "workspaces/acme/sources/blog", "catalog_name": "catalog/sources/javascript"}}
'''
    result = rewrite(code)
    tree = cst.parse_module(result.code.decode())
    asserted = [n for n in _walk(tree) if isinstance(n, cst.Comparison)][0].comparisons[0].comparator
    assert _literal(asserted) == {"slug": "blog", "metadataId": "IqDTy1TpoU", "enabled": True}


def test_body_assert_with_two_possible_endpoints_is_marked():
    code = '''import json
import responses

@responses.activate
def test_both():
    responses.add(responses.POST, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", status=200)
    responses.add(responses.PATCH, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web", status=200)
    assert json.loads(responses.calls[1].request.body) == {"source": {"name": "workspaces/acme/sources/web"}}
'''
    result = rewrite(code)
    assert any("several endpoints" in m.reason for m in result.markers if m.rule == "rewrite.mocks")
    assert '{"source": {"name": "workspaces/acme/sources/web"}}' in result.code.decode()


# -- helpers -------------------------------------------------------------------------------------


def _walk(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _walk(child)


def _literal(node: cst.BaseExpression):
    import ast

    return ast.literal_eval(cst.Module(body=[]).code_for_node(node))


def _json_arg(tree: cst.Module):
    found = [
        a.value
        for n in _walk(tree)
        if isinstance(n, cst.Call)
        for a in n.args
        if a.keyword is not None and a.keyword.value == "json"
    ]
    assert len(found) == 1
    return _literal(found[0])


def test_run_time_values_are_kept_where_the_field_is_copied_and_marked_where_it_is_translated():
    code = '''import responses

@responses.activate
def test_names(name, slug):
    responses.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={"sources": [{"display_name": name}]})
    responses.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web", json={"name": f"workspaces/acme/sources/{slug}"})
'''
    result = rewrite(code)
    text = result.code.decode()
    assert 'json={"data": {"sources": [{"name": name}]}}' in text
    reasons = [m.reason for m in result.markers if m.rule == "rewrite.mocks"]
    assert len(reasons) == 1 and "`name` is computed at run time and its value must be translated" in reasons[0]
    assert 'json={"name": f"workspaces/acme/sources/{slug}"}' in text


def test_expected_body_held_in_a_name_is_translated_at_its_definition_and_a_built_one_is_marked():
    code = '''import json
import responses

@responses.activate
def test_named():
    responses.add(responses.POST, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", status=200)
    expected = {"source": {"name": "workspaces/acme/sources/blog", "catalog_name": "catalog/sources/javascript"}}
    report.create()
    assert json.loads(responses.calls[0].request.body) == expected


@responses.activate
def test_built():
    responses.add(responses.POST, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", status=200)
    report.create()
    assert json.loads(responses.calls[0].request.body) == build()
'''
    result = rewrite(code)
    text = result.code.decode()
    assert '    expected = {"slug": "blog", "metadataId": "IqDTy1TpoU", "enabled": True}\n' in text
    reasons = [m.reason for m in result.markers if m.rule == "rewrite.mocks"]
    assert len(reasons) == 1 and "the expected body is not a dict literal" in reasons[0]


def test_page_size_in_a_recorded_url_follows_the_pagination_rename():
    code = '''import responses

@responses.activate
def test_url():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={"sources": []})
    report.names()
    assert responses.calls[0].request.url == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources?page_size=100"
'''
    result = rewrite(code)
    assert '== "https://api.segmentapis.com/sources?pagination.count=100"' in result.code.decode()
    assert not result.markers


COMPARED_CLIENT = """import requests

API = "https://platform.segmentapis.com/v1beta"


def get_source(slug):
    r = requests.get(f"{API}/workspaces/acme/sources/{slug}")
    r.raise_for_status()
    return r.json()
"""
COMPARED_TEST = """import responses

from client import get_source

{base}


@responses.activate
def test_get_source():
    responses.add(responses.GET, f"{{BASE}}/sources/web", json={{"name": "workspaces/acme/sources/web", "display_name": "Web"}})
    assert get_source("web")["display_name"] == "Web"
    assert responses.calls[0].request.url == f"{{BASE}}/sources/web"
"""


@pytest.mark.parametrize("base, public", [
    ('BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"', 'BASE = "https://api.segmentapis.com"'),
    ('API = "https://platform.segmentapis.com/v1beta"\nBASE = f"{API}/workspaces/acme"',
     'API = "https://api.segmentapis.com"\nBASE = f"{API}"'),
])
def test_a_recorded_url_compared_on_a_workspace_base_moves_with_the_double(
    tmp_path: Path, base: str, public: str,
) -> None:
    """`responses.calls[0].request.url == f"{BASE}/sources/web"`: the compared
    URL is read whole with its base, as the double's is; it held the base and
    the double back (marked, `its use on line 12 cannot move with it`), and the
    test failed against the migrated client. The rewritten test passes."""
    (tmp_path / "client.py").write_text(COMPARED_CLIENT)
    test = COMPARED_TEST.format(base=base)
    (tmp_path / "test_client.py").write_text(test)
    driver.run([tmp_path], force=True, jobs=1, ids=IDS, lookup_module="segment_ids")
    assert (tmp_path / "test_client.py").read_text() == test.replace(base, public).replace(
        '{BASE}/sources/web"', '{BASE}/sources/qQEHquLrjRDN9j1ByrChyn"'
    ).replace(
        'json={"name": "workspaces/acme/sources/web", "display_name": "Web"}',
        'json={"data": {"source": {"slug": "web", "id": "qQEHquLrjRDN9j1ByrChyn", "name": "Web", "workspaceId": "'
        + IDS.workspace.id + '"}}}',
    ).replace('get_source("web")["display_name"]', 'get_source("web")["data"]["source"]["name"]')
    if importlib.util.find_spec("responses") is not None:
        after = _pytest(tmp_path, "test_client.py")
        assert after.returncode == 0, after.stdout + after.stderr


def test_a_part_of_a_recorded_url_naming_config_segments_is_marked():
    # the double moves to `/destinations/<id>`: a suffix or substring of the
    # Config URL tested on the recorded request was left unmarked and failed;
    # a part the Public URL has too, and a query key, get no such marker
    code = '''import responses

@responses.activate
def test_url():
    responses.add(responses.PATCH, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/amplitude", json={})
    client.disable("web", "amplitude")
    assert responses.calls[0].request.url.endswith("/sources/web/destinations/amplitude")
    assert "/workspaces/acme/sources/web" in responses.calls[0].request.url
    assert "/destinations/" in responses.calls[0].request.url
'''
    marker = (
        "    # migrator[rewrite.mocks]: this tests a part of the Config URL the double answered (`{text}`), but the code "
        "under test now calls `PATCH /destinations/{{destinationId}}` (and the double answers it): "
        "test the Public URL instead\n"
    )
    result = rewrite(code)
    assert result.code.decode() == (
        code.replace("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/amplitude\", json={}",
                     'https://api.segmentapis.com/destinations/6334b2ff2c4f2f0b8d5d0c3a", json={"data": {"destination": {}}}')
        .replace("    assert responses.calls[0].request.url.endswith",
                 marker.format(text="/sources/web/destinations/amplitude") + "    assert responses.calls[0].request.url.endswith")
        .replace('    assert "/workspaces', marker.format(text="/workspaces/acme/sources/web") + '    assert "/workspaces')
    )
    assert [m.line for m in result.markers] == [7, 8]


def test_body_asserts_through_a_requests_mock_of_a_fixture_are_translated_or_marked():
    # `rsps` is a pytest fixture yielding a `RequestsMock` (in a conftest):
    # its doubles migrated, but the asserts on its history were neither
    # translated nor marked, as they are on `with responses.RequestsMock() as rsps`
    code = '''import json, responses
API = "https://platform.segmentapis.com/v1beta"
def test_whole(rsps):
    rsps.add(responses.PATCH, f"{API}/workspaces/acme/sources/web/destinations/amplitude", json={})
    client.disable("web", "amplitude")
    assert json.loads(rsps.calls[0].request.body) == {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}
def test_key(rsps):
    rsps.add(responses.PATCH, f"{API}/workspaces/acme/sources/web/destinations/amplitude", json={})
    client.disable("web", "amplitude")
    assert json.loads(rsps.calls[0].request.body)["destination"] == {"enabled": False}
'''
    result = rewrite(code)
    assert result.code.decode() == (
        code.replace('API = "https://platform.segmentapis.com/v1beta"', 'API = "https://api.segmentapis.com"')
        .replace('f"{API}/workspaces/acme/sources/web/destinations/amplitude", json={}',
                 'f"{API}/destinations/6334b2ff2c4f2f0b8d5d0c3a", json={"data": {"destination": {}}}')
        .replace('== {"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}',
                 '== {"enabled": False}')
        .replace("    assert json.loads(rsps.calls[0].request.body)[",
                 "    # migrator[rewrite.mocks]: this reads the Config request body of a call the code under test makes "
                 "(it becomes the body of `PATCH /destinations/{destinationId}`): check it against the Public request "
                 "body instead\n    assert json.loads(rsps.calls[0].request.body)[")
    )
    assert [m.line for m in result.markers] == [10]


def test_an_assert_on_a_patched_session_request_is_checked_like_one_on_a_patched_get():
    # the method is the assert's first argument: before, only the URL moved,
    # `page_size` stayed and the canned Config answer was left as it was
    code = '''from unittest import mock
import requests, client
API = "https://platform.segmentapis.com/v1beta"
@mock.patch.object(requests.Session, "request")
def test_request(request):
    request.return_value.json.return_value = {"sources": [], "next_page_token": ""}
    assert client.sources_session(requests.Session()) == []
    request.assert_called_once_with("GET", f"{API}/workspaces/acme/sources", params={"page_size": 50}, allow_redirects=True)
'''
    result = rewrite(code)
    assert result.code.decode() == (
        code.replace('API = "https://platform.segmentapis.com/v1beta"', 'API = "https://api.segmentapis.com"')
        .replace('{"sources": [], "next_page_token": ""}', '{"data": {"sources": [], "pagination": {"next": None}}}')
        .replace('f"{API}/workspaces/acme/sources", params={"page_size": 50}',
                 'f"{API}/sources", params={"pagination.count": 50}')
    )
    assert not result.markers


def test_a_double_matching_config_urls_with_a_pattern_is_marked():
    # the pattern keeps matching Config URLs only: before, it was left unmarked
    # and the test failed on the migrated call
    code = (
        "import re\n"
        "import requests\n"
        "import requests_mock\n"
        "\n"
        'API = "https://platform.segmentapis.com/v1beta"\n'
        'SOURCES = re.compile(r"https://platform\\.segmentapis\\.com/v1beta/workspaces/\\w+/sources")\n'
        "\n"
        "\n"
        "def test_list():\n"
        "    with requests_mock.Mocker() as m:\n"
        '        m.get(SOURCES, json={"sources": []})\n'
        '        m.get(re.compile("platform.segmentapis.com/v1beta/workspaces/acme/regulations"), json={})\n'
        '        m.get(re.compile(r"https://example\\.com/v1beta/.*"), json={})\n'
        '        requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 2})\n'
    )
    marker = (
        "        # migrator[rewrite.mocks]: the test double matches Config API URLs with a pattern (`{}`), which "
        "the migrated calls no longer match: write the pattern (and its response) for the Public calls by hand\n"
    )
    assert rewrite(code).code.decode() == (
        "import re\n"
        "import requests\n"
        "import requests_mock\n"
        "\n"
        'API = "https://api.segmentapis.com"\n'
        'SOURCES = re.compile(r"https://platform\\.segmentapis\\.com/v1beta/workspaces/\\w+/sources")\n'
        "\n"
        "\n"
        "def test_list():\n"
        "    with requests_mock.Mocker() as m:\n"
        + marker.format('r"https://platform\\.segmentapis\\.com/v1beta/workspaces/\\w+/sources"')
        + '        m.get(SOURCES, json={"sources": []})\n'
        + marker.format('"platform.segmentapis.com/v1beta/workspaces/acme/regulations"')
        + '        m.get(re.compile("platform.segmentapis.com/v1beta/workspaces/acme/regulations"), json={})\n'
        '        m.get(re.compile(r"https://example\\.com/v1beta/.*"), json={})\n'
        '        requests.get(f"{API}/sources", params={"pagination.count": 2})\n'
    )


PATCHED_HEADER = (
    "from unittest import mock\n"
    "\n"
    "import requests\n"
    "\n"
    'API = "https://platform.segmentapis.com/v1beta"\n'
    "\n"
    "\n"
)
"""A module that calls the Config API, tested with `unittest.mock`."""


def test_a_config_payload_a_patch_returns_without_a_url_is_marked():
    # no assert names the URL these doubles answer, so their payloads cannot be
    # translated: before, they were left as they were, unmarked
    code = (
        PATCHED_HEADER
        + "class Client:\n"
        "    def _get(self, path, **params):\n"
        "        return requests.get(API + path, params=params).json()\n"
        "\n"
        "    def names(self, ws):\n"
        '        return [s["display_name"] for s in self._get(f"/workspaces/{ws}/sources", page_size=10)["sources"]]\n'
        "\n"
        "\n"
        "def test_names():\n"
        '    with mock.patch.object(Client, "_get", return_value={"sources": [{"display_name": "JS"}]}):\n'
        '        assert Client().names("acme") == ["JS"]\n'
        "\n"
        "\n"
        '@mock.patch("requests.get")\n'
        "def test_names_of_a_patched_get(get):\n"
        '    get.return_value.json.return_value = {"sources": [{"display_name": "JS"}]}\n'
        '    assert Client().names("acme") == ["JS"]\n'
        "\n"
        "\n"
        "def test_other_data():\n"
        '    with mock.patch.object(Client, "_get", return_value={"items": [1]}):\n'
        "        pass\n"
    )
    marker = (
        "    # migrator[rewrite.mocks]: the test double returns what looks like a Config API response "
        "(`display_name`, `sources`): if it stands for a call this file migrated, write the Public response "
        "instead (`data` envelope, Public field names)\n"
    )
    out = rewrite(code, ids=None).code.decode()
    assert out == (
        code.replace('API = "https://platform.segmentapis.com/v1beta"', 'API = "https://api.segmentapis.com"')
        .replace('self._get(f"/workspaces/{ws}/sources", page_size=10)["sources"]',
                 'self._get("/sources", **{"pagination.count": 10})["data"]["sources"]')
        .replace('s["display_name"] for', 's["name"] for')
        .replace('    with mock.patch.object(Client, "_get", return_value={"sources"',
                 marker + '    with mock.patch.object(Client, "_get", return_value={"sources"')
        .replace("    get.return_value", marker + "    get.return_value")
    )


def test_a_config_payload_with_no_snake_case_key_is_marked_by_its_resource_name():
    # `name` and `enabled` are Public keys too: the payload went unmarked, and
    # the migrated `is_enabled` read `data` off it (KeyError). A `name` holding
    # a resource name of the table is a Config key; a display name is not.
    code = (
        PATCHED_HEADER
        + "def is_enabled():\n"
        '    return requests.get(f"{API}/workspaces/acme/sources/web/destinations/amplitude").json()["enabled"]\n'
        "\n"
        "\n"
        '@mock.patch("requests.get")\n'
        "def test_enabled(get):\n"
        '    get.return_value.json.return_value = {"name": "workspaces/acme/sources/web/destinations/amplitude", "enabled": True}\n'
        "    assert is_enabled() is True\n"
        "\n"
        "\n"
        '@mock.patch("requests.get")\n'
        "def test_other(get):\n"
        '    get.return_value.json.return_value = {"name": "Amplitude", "enabled": True}\n'
    )
    result = rewrite(code)
    assert [(m.rule, m.line, m.reason) for m in result.markers] == [(
        "rewrite.mocks", 14,
        "the test double returns what looks like a Config API response (`name` holding a Config resource name): "
        "if it stands for a call this file migrated, write the Public response instead (`data` envelope, "
        "Public field names)",
    )]


def test_a_config_payload_is_marked_when_the_asserts_name_no_url():
    # `assert_called_once()` names no URL, so nothing translates the payload:
    # it was taken for an assert naming one and left unmarked
    code = (
        PATCHED_HEADER
        + "def names(ws):\n"
        '    return [s["display_name"] for s in requests.get(f"{API}/workspaces/{ws}/sources").json()["sources"]]\n'
        "\n"
        "\n"
        '@mock.patch("requests.get")\n'
        "def test_names(get):\n"
        '    get.return_value.json.return_value = {"sources": [{"display_name": "JS"}]}\n'
        '    assert names("acme") == ["JS"]\n'
        "    get.assert_called_once()\n"
    )
    result = rewrite(code, ids=None)
    assert [(m.rule, m.line) for m in result.markers if m.rule == "rewrite.mocks"] == [("rewrite.mocks", 14)]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_doubles_of_a_test_with_nothing_of_its_own_to_migrate_are_marked(tmp_path: Path) -> None:
    """A test file (`tests/client_checks.py`: a test by its folder, not
    collected here) that only patches `requests.get` (no URL of its own) and
    calls a client the run migrates: the payloads its doubles return in the
    Config shape were left as they were, unmarked (the kind ran only in files
    with changes), and the tests broke silently. Now marked as linked, once
    (a second run, with the client on the Public API, keeps the markers), and
    the audit lists them; a Public payload stays unmarked."""
    from migrator.audit.run import audit_paths
    from migrator.rewrite import driver

    case = ROOT / "mocks-linked"
    for name, data in _tree(case / "input").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    driver.run([tmp_path], force=True, jobs=1)
    assert _tree(tmp_path) == _tree(case / "expected")
    again = driver.run([tmp_path], force=True, jobs=1)
    assert not [r.path for r in again.results if r.modified]
    found = audit_paths([tmp_path / "tests"], RULES, jobs=1).findings
    assert [f.line for f in found if f.rule == "rewrite.mocks"] == [11, 18, 26, 33]  # the marker comments


# -- `side_effect` sequences: canned answers given in turn --------------------------------

SIDE_IDS = IdMap.model_validate({"workspace": {"id": "ws_1", "slug": "acme"}, "sources": {"web": "src_web"}})
RETURNED_MARKER = (
    "    # migrator[rewrite.mocks]: the test double returns what looks like a Config API response "
    "({keys}): if it stands for a call this file migrated, write the Public response instead "
    "(`data` envelope, Public field names)\n"
)


def test_each_answer_of_an_asserted_side_effect_is_translated():
    """`get.return_value.json.side_effect = [...]` of a patched `get` asserted
    with the URL: each item is that endpoint's Config response, as the
    `return_value` one is (the items stayed Config, unmarked)."""
    code = (
        PATCHED_HEADER
        + "def web_label():\n"
        '    return requests.get(f"{API}/workspaces/acme/sources/web").json()["display_name"]\n'
        "\n"
        "\n"
        '@mock.patch("requests.get")\n'
        "def test_labels(get):\n"
        "    get.return_value.json.side_effect = [\n"
        '        {"name": "workspaces/acme/sources/web", "display_name": "Web"},\n'
        '        {"name": "workspaces/acme/sources/web", "display_name": "Site"},\n'
        "    ]\n"
        '    assert [web_label(), web_label()] == ["Web", "Site"]\n'
        '    get.assert_called_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web")\n'
    )
    result = rewrite(code, SIDE_IDS)
    assert result.code.decode() == (
        code.replace("platform.segmentapis.com/v1beta", "api.segmentapis.com")
        .replace('/workspaces/acme/sources/web").json()["display_name"]', '/sources/src_web").json()["data"]["source"]["name"]')
        .replace('api.segmentapis.com/workspaces/acme/sources/web"', 'api.segmentapis.com/sources/src_web"')
        .replace('{"name": "workspaces/acme/sources/web", "display_name": "Web"}',
                 '{"data": {"source": {"slug": "web", "id": "src_web", "name": "Web", "workspaceId": "ws_1"}}}')
        .replace('{"name": "workspaces/acme/sources/web", "display_name": "Site"}',
                 '{"data": {"source": {"slug": "web", "id": "src_web", "name": "Site", "workspaceId": "ws_1"}}}')
    )
    assert not result.markers
    assert rewrite(result.code.decode(), SIDE_IDS).code == result.code


def test_an_asserted_side_effect_with_an_item_that_cannot_be_translated_is_marked_whole():
    """All or none: a page token is no Public cursor."""
    code = (
        PATCHED_HEADER
        + "def names():\n"
        '    body = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 10}).json()\n'
        '    return [s["display_name"] for s in body["sources"]]\n'
        "\n"
        "\n"
        '@mock.patch("requests.get")\n'
        "def test_names(get):\n"
        '    get.return_value.json.side_effect = ({"sources": [], "next_page_token": "p2"}, {"sources": [], "next_page_token": ""})\n'
        "    names()\n"
        '    get.assert_called_with("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", params={"page_size": 10})\n'
    )
    result = rewrite(code, SIDE_IDS)
    assert '"next_page_token": ""})\n' in result.code.decode()
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 15)]
    assert "`next_page_token`: a Config page token is not a Public cursor" in result.markers[0].reason


def test_an_unasserted_side_effect_of_config_answers_is_marked_like_a_return_value():
    """The items of `side_effect=[...]` (inline or module constants bound once)
    are answers as `return_value=` is: holding Config keys, they are marked
    (they were left unmarked)."""
    code = (
        PATCHED_HEADER
        + 'PAGE1 = {"sources": [{"display_name": "JS"}], "next_page_token": "t2"}\n'
        'PAGE2 = {"sources": [], "next_page_token": ""}\n'
        "\n"
        "\n"
        "class Client:\n"
        "    def _get(self, path, **params):\n"
        "        return requests.get(API + path, params=params).json()\n"
        "\n"
        "    def names(self, ws):\n"
        '        return [s["display_name"] for s in self._get(f"/workspaces/{ws}/sources", page_size=10)["sources"]]\n'
        "\n"
        "\n"
        "def test_constants():\n"
        '    with mock.patch.object(Client, "_get", side_effect=[PAGE1, PAGE2]):\n'
        '        assert Client().names("acme") == ["JS"]\n'
        "\n"
        "\n"
        '@mock.patch("requests.get")\n'
        "def test_inline(get):\n"
        "    get.return_value.json.side_effect = [\n"
        '        {"sources": [{"display_name": "JS"}]},\n'
        "    ]\n"
        '    assert Client().names("acme") == ["JS"]\n'
        "\n"
        "\n"
        "def test_raises():\n"
        '    with mock.patch.object(Client, "_get", side_effect=[OSError()]):\n'
        "        pass\n"
        "\n"
        "\n"
        "def test_public():\n"
        '    with mock.patch.object(Client, "_get", side_effect=[{"data": {"sources": []}}]):\n'
        "        pass\n"
    )
    out = rewrite(code, ids=None).code.decode()
    assert out == (
        code.replace('API = "https://platform.segmentapis.com/v1beta"', 'API = "https://api.segmentapis.com"')
        .replace('self._get(f"/workspaces/{ws}/sources", page_size=10)["sources"]',
                 'self._get("/sources", **{"pagination.count": 10})["data"]["sources"]')
        .replace('s["display_name"] for', 's["name"] for')
        .replace('    with mock.patch.object(Client, "_get", side_effect=[PAGE1',
                 RETURNED_MARKER.format(keys="`display_name`, `next_page_token`, `sources`")
                 + '    with mock.patch.object(Client, "_get", side_effect=[PAGE1')
        .replace("    get.return_value", RETURNED_MARKER.format(keys="`display_name`, `sources`") + "    get.return_value")
    )
    assert rewrite(out, ids=None).code.decode() == out


SIDE_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def source_names():
    names, token = [], ""
    while True:
        body = requests.get(f"{API}/workspaces/acme/sources", params={"page_size": 100, "page_token": token}).json()
        names += [s["display_name"] for s in body["sources"]]
        token = body["next_page_token"]
        if not token:
            return names
'''
SIDE_TEST = b'''from unittest import mock

import client


@mock.patch("client.requests.get")
def test_inline_return_value(get):
    get.return_value.json.return_value = {"sources": [{"name": "workspaces/acme/sources/web", "display_name": "Web"}], "next_page_token": ""}
    assert client.source_names() == ["Web"]


@mock.patch("client.requests.get")
def test_inline_side_effect(get):
    get.return_value.json.side_effect = [
        {"sources": [{"name": "workspaces/acme/sources/web", "display_name": "Web"}], "next_page_token": "p2"},
        {"sources": [{"name": "workspaces/acme/sources/ios", "display_name": "iOS"}], "next_page_token": ""},
    ]
    assert client.source_names() == ["Web", "iOS"]
'''


def test_a_linked_side_effect_gets_the_marker_a_return_value_gets(tmp_path: Path) -> None:
    """A test with nothing of its own to migrate: its `side_effect` pages are
    marked as its `return_value` answer is (they were not), and a second run
    changes nothing."""
    from migrator.rewrite import driver

    (tmp_path / "client.py").write_bytes(SIDE_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_bytes(SIDE_TEST)
    driver.run([tmp_path], force=True, jobs=1, ids=SIDE_IDS)
    marker = (
        b"    # migrator[rewrite.mocks]: the test double returns what looks like a Config API response "
        b"(`display_name`, `next_page_token`, `sources`), and this file imports `../client.py`, which uses a "
        b"Segment API: if it stands for a call that code makes, write the Public response instead "
        b"(`data` envelope, Public field names)\n"
    )
    after = (tmp_path / "tests" / "test_client.py").read_bytes()
    assert after == SIDE_TEST.replace(b"    get.return_value.json", marker + b"    get.return_value.json")
    driver.run([tmp_path], force=True, jobs=1, ids=SIDE_IDS)
    assert (tmp_path / "tests" / "test_client.py").read_bytes() == after


READ_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def get_source():
    return requests.get(f"{API}/workspaces/acme/sources/web").json()
'''
READ_TEST = b'''from unittest import mock

import client


@mock.patch("client.requests.get")
def test_return_value(get):
    get.return_value.json.return_value = {"name": "workspaces/acme/sources/web", "display_name": "Web"}
    assert client.get_source()["display_name"] == "Web"


@mock.patch("client.requests.get")
def test_side_effect(get):
    get.return_value.json.side_effect = [{"name": "workspaces/acme/sources/web", "display_name": "Web"}]
    assert client.get_source()["display_name"] == "Web"
'''


def test_a_side_effect_answer_read_as_a_migrated_response_is_marked(tmp_path: Path) -> None:
    """The test reads what `client.get_source()` gives back, now Public: the
    Config answers of `side_effect` are marked as the `return_value` one is
    (they were not), and a second run, the client Public by then, adds no
    `rewrite.mocks` marker to either (it added one to the `return_value` one)."""
    from migrator.rewrite import driver

    (tmp_path / "client.py").write_bytes(READ_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_bytes(READ_TEST)
    driver.run([tmp_path], force=True, jobs=1, ids=SIDE_IDS)
    marker = (
        b"    # migrator[rewrite.responses]: this fake HTTP answer has the Config shape, but the code under test "
        b"reads it as a Public API response now (`data` envelope, Public field names): give it the Public shape\n"
    )
    after = (tmp_path / "tests" / "test_client.py").read_bytes()
    assert after == (
        READ_TEST.replace(b"    get.return_value.json", marker + b"    get.return_value.json")
        .replace(b'["display_name"] == "Web"', b'["data"]["source"]["name"] == "Web"')
    )
    driver.run([tmp_path], force=True, jobs=1, ids=SIDE_IDS)
    assert (tmp_path / "tests" / "test_client.py").read_bytes() == after


# -- doubles of a test file move apart from one that cannot -------------------------------

APART_CLIENT = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def title(slug):
    r = requests.get(f"{API}/workspaces/acme/sources/{slug}")
    if r.status_code == 404:
        return None
    return r.json()["display_name"]
'''
APART_TEST = b'''import responses

import app

BASE = "https://platform.segmentapis.com/v1beta"


@responses.activate
def test_title():
    responses.add(responses.GET, f"{BASE}/workspaces/acme/sources/web", json={"name": "workspaces/acme/sources/web", "display_name": "Web"})
    assert app.title("web") == "Web"


@responses.activate
def test_missing():
    responses.add(responses.GET, f"{BASE}/workspaces/acme/sources/gone", status=404, json={"error": "not found", "code": 5})
    assert app.title("gone") is None
'''
APART_IDS = IdMap.model_validate({"workspace": {"id": "w1", "slug": "acme"}, "sources": {"web": "src_web1"}})
APART_MARKER = (
    "a test double left alone on the Config API (it cannot move: the marker above says why), its base `BASE` "
    "written out: `BASE` moved to the Public API with the other doubles joined to it: if the code under test still "
    "sends this Config API request (a module it imports kept on the Config API), keep this double and migrate them "
    "together, else migrate or remove it by hand"
)


def test_a_double_that_cannot_move_does_not_hold_back_the_others_joined_to_its_base(tmp_path: Path) -> None:
    """The `gone` double has no id: it stays on the Config API alone, its base
    written out (the base now holds the Public host), marked; `BASE` and the
    `web` double move with the code under test, whose test passes. A second
    run changes nothing and finds both markers again."""
    from migrator.rewrite import driver

    (tmp_path / "app.py").write_bytes(APART_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_bytes(APART_TEST)
    options = {"force": True, "jobs": 1, "ids": APART_IDS, "lookup_module": "segment_ids"}
    driver.run([tmp_path], **options)  # type: ignore[arg-type]
    slug = (
        "`/v1beta/workspaces/{workspace}/sources/{source}`: the id map has no source `gone`; check the slug or "
        "refresh the id map with `migrator ids`"
    )
    after = (tmp_path / "tests" / "test_app.py").read_bytes()
    assert after == (
        APART_TEST.replace(b'BASE = "https://platform.segmentapis.com/v1beta"', b'BASE = "https://api.segmentapis.com"')
        .replace(
            b'f"{BASE}/workspaces/acme/sources/web", json={"name": "workspaces/acme/sources/web", "display_name": "Web"}',
            b'f"{BASE}/sources/src_web1", json={"data": {"source": {"slug": "web", "id": "src_web1", "name": "Web", '
            b'"workspaceId": "w1"}}}',  # the workspace's id from the source's name and the id map
        )
        .replace(
            b'    responses.add(responses.GET, f"{BASE}/workspaces/acme/sources/gone"',
            f"    # migrator[rewrite.slug-ids]: {slug}\n    # migrator[rewrite.partial-path]: {APART_MARKER}\n".encode()
            + b'    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/gone"',
        )
    )
    again = driver.run([tmp_path], **options)  # type: ignore[arg-type]
    assert (tmp_path / "tests" / "test_app.py").read_bytes() == after
    test = next(r for r in again.results if r.path.endswith("test_app.py"))
    assert [(m.rule, m.reason) for m in test.markers] == [
        ("rewrite.slug-ids", slug), ("rewrite.partial-path", APART_MARKER)
    ]
    assert not test.held


def test_the_moved_double_answers_the_migrated_client(tmp_path: Path) -> None:
    """`test_title` passes against the migrated client (it failed with a
    ConnectionError when its double stayed on the Config API with `gone`'s)."""
    pytest.importorskip("responses")
    from migrator.rewrite import driver

    (tmp_path / "app.py").write_bytes(APART_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_bytes(APART_TEST)
    driver.run([tmp_path], force=True, jobs=1, ids=APART_IDS, lookup_module="segment_ids")
    (tmp_path / "tests" / "test_app.py").rename(tmp_path / "test_app.py")
    after = _pytest(tmp_path, "test_app.py")
    # `gone` has no id: the migrated client raises LookupError for it (both are marked)
    assert "FAILED test_app.py::test_missing - LookupError" in after.stdout, after.stdout
    assert "1 failed, 1 passed" in after.stdout, after.stdout


def test_calls_that_are_no_test_doubles_still_move_together() -> None:
    """Outside doubles, a base and its paths still move together: a call the
    id map cannot migrate keeps its base, and the other calls joined to it."""
    code = APART_TEST.replace(b"responses.add(responses.GET, ", b"requests.get(").replace(
        b"import responses\n", b"import requests\nimport responses\n"
    )
    result = rewrite_bytes(code, RULES, APART_IDS)
    assert b'BASE = "https://platform.segmentapis.com/v1beta"' in result.code
    assert b"platform.segmentapis.com/v1beta/workspaces/acme/sources/gone" not in result.code
    assert sorted(m.rule for m in result.markers) == ["rewrite.partial-path", "rewrite.partial-path", "rewrite.slug-ids"]


@pytest.mark.parametrize("constant", [True, False])
def test_a_url_given_only_to_doubles_gets_no_request_body_marker_whether_inline_or_held_in_a_constant(constant):
    # a double sends no request: nothing in the test holds a body to change
    url = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics"'
    code = (f"import responses\n\nURL = {url}\n\n\n" if constant else "import responses\n\n\n") + (
        "@responses.activate\n"
        "def test_disable():\n"
        f"    responses.add(responses.PATCH, {'URL' if constant else url}, json={{\"enabled\": False}})\n"
    )
    result = rewrite(code)
    public = '"https://api.segmentapis.com/destinations/6334b2ff2c4f2f0b8d5d0a1e"'
    assert result.code.decode() == code.replace(url, public).replace(
        '{"enabled": False}', '{"data": {"destination": {"enabled": False}}}')
    assert result.markers == ()


def test_a_url_constant_begun_by_a_real_call_keeps_its_request_body_marker() -> None:
    """The request-body marker of a URL constant goes when every use is a
    double's (whole or as a prefix: `mocks-url-prefix-body`), not when a call
    of the code begins its URL with it (`SOURCES + "/web/destinations"`)."""
    code = '''import requests
import responses

SOURCES = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"


def create(body):
    return requests.post(SOURCES + "/web/destinations", json=body)


@responses.activate
def test_create_source():
    responses.add(responses.POST, SOURCES, json={"name": "workspaces/acme/sources/new"})
'''
    result = rewrite(code)
    assert sorted((m.rule, m.line) for m in result.markers) == [
        ("rewrite.mocks", 13), ("rewrite.request-body", 4), ("rewrite.request-body", 8)
    ]
