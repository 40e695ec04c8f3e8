"""`httpx.MockTransport` handlers: which comparisons of the request tell the
endpoint a handler answers (the URL, the URL without its query, the path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "segment-ids.json").read_text())
)
PAGE = '{"sources": [], "next_page_token": ""}'
PUBLIC_PAGE = '{"data": {"sources": [], "pagination": {"next": None}}}'


def _handler(test: str, url: str = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources"') -> str:
    return f'''import httpx

URL = {url}


def handler(request):
    if {test}:
        return httpx.Response(200, json={PAGE})
    return httpx.Response(404)


def make():
    return httpx.Client(transport=httpx.MockTransport(handler))
'''


@pytest.mark.parametrize(
    "test",
    [
        'request.url.copy_with(query=None) == URL and request.method == "GET"',
        'request.method == "GET" and URL == request.url.copy_with(params=None)',
        'request.url.copy_with(query=None, fragment=None) == URL and request.method == "GET"',
    ],
)
def test_a_url_compared_without_the_request_query_gets_the_public_page_and_no_query_marker(test):
    result = rewrite_bytes(_handler(test).encode(), RULES, IDS)
    assert result.code.decode() == _handler(test, '"https://api.segmentapis.com/sources"').replace(PAGE, PUBLIC_PAGE)
    assert not result.markers


def test_the_response_note_names_only_the_endpoint_the_handler_answers():
    test = 'request.url.copy_with(query=None) == URL and request.method == "GET"'
    notes = [n for n in rewrite_bytes(_handler(test).encode(), RULES, IDS).notes if "endpoint." in n]
    assert len(notes) == 1 and notes[0].endswith("(endpoint.sources.list)")


def test_a_copy_keeping_the_query_is_compared_whole():
    """`copy_with(fragment=None)` keeps the query: the Public call's page size must be in the URL."""
    test = 'request.url.copy_with(fragment=None) == URL and request.method == "GET"'
    result = rewrite_bytes(_handler(test).encode(), RULES, IDS)
    assert PUBLIC_PAGE in result.code.decode()
    assert [m.rule for m in result.markers] == ["rewrite.mocks"]
    assert "add it to the query this URL expects" in result.markers[0].reason


def test_a_copy_with_other_values_is_not_read_and_its_config_payload_is_marked():
    test = 'request.url.copy_with(host="localhost") == URL and request.method == "GET"'
    result = rewrite_bytes(_handler(test).encode(), RULES, IDS)
    code = result.code.decode()
    assert PAGE in code and "https://api.segmentapis.com/sources" in code
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 8)]
    assert "cannot tell from its test" in result.markers[0].reason


def test_a_handler_of_another_api_keeps_its_payload_unmarked():
    """A URL the test reads that no Segment row matches is another API's: its payload is no Config response."""
    code = _handler("request.url == URL", '"https://status.example.com/v1beta/workspaces/acme/sources"')
    code += 'S = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"\nhttpx.get(S)\n'
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert PAGE in result.code.decode() and result.changes and not result.markers


NESTED = '''import httpx

import app


def test_title():
    def handler(request):
        if {test}:
            return httpx.Response(200, json={{"name": "workspaces/acme/sources/web", "display_name": "Web"}})
        return httpx.Response(404)

    with httpx.Client(transport=httpx.MockTransport(handler)) as c:
        assert app.source_title(c) == "Web"
'''
CONFIG_SOURCE = '{"name": "workspaces/acme/sources/web", "display_name": "Web"}'
PUBLIC_SOURCE = '{"data": {"source": {"slug": "web", "id": "qQEHquLrjRDN9j1ByrChyn", "name": "Web", "workspaceId": "9aQ1Lj62S4bomZKLF4DPqW"}}}'
SOURCE_URL = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"'
PUBLIC_SOURCE_URL = '"https://api.segmentapis.com/sources/qQEHquLrjRDN9j1ByrChyn"'


def test_a_handler_nested_in_the_test_gets_the_public_payload():
    code = NESTED.format(test=f'request.method == "GET" and request.url == {SOURCE_URL}')
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert result.code.decode() == code.replace(SOURCE_URL, PUBLIC_SOURCE_URL).replace(CONFIG_SOURCE, PUBLIC_SOURCE)
    assert not result.markers
    assert rewrite_bytes(result.code, RULES, IDS).code == result.code


def test_a_nested_handler_not_showing_the_method_is_marked():
    """`GET` and `PATCH` share the source's path: which one it answers cannot be told."""
    code = NESTED.format(test=f"request.url == {SOURCE_URL}")
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert result.code.decode().replace(PUBLIC_SOURCE_URL, SOURCE_URL) == code.replace(
        "            return httpx.Response(200",
        "            # migrator[rewrite.mocks]: " + result.markers[0].reason + "\n            return httpx.Response(200",
    )
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 9)]
    assert "several Public calls match it: the HTTP method cannot be seen" in result.markers[0].reason


def test_a_nested_handler_whose_test_is_not_read_has_its_config_payload_marked():
    code = NESTED.format(test=f'request.url.copy_with(host="localhost") == {SOURCE_URL} and request.method == "GET"')
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 9)]
    assert "cannot tell from its test" in result.markers[0].reason


def test_a_handler_given_to_a_transport_built_elsewhere_gets_the_public_payload():
    """No `httpx.MockTransport(...)` in the file (a fixture of `conftest.py`
    builds it): comparing the request's URL with a migrated URL shows what
    the handler answers."""
    code = f'''import httpx


def handler(request):
    if request.method == "GET" and request.url == {SOURCE_URL}:
        return httpx.Response(200, json={CONFIG_SOURCE})
    return httpx.Response(404)
'''
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert result.code.decode() == code.replace(SOURCE_URL, PUBLIC_SOURCE_URL).replace(CONFIG_SOURCE, PUBLIC_SOURCE)
    assert not result.markers


def test_a_test_taking_the_request_fixture_is_not_taken_for_the_handler_it_holds():
    """`def test_title(request)` (pytest's fixture) holds the handler's `if`:
    read once, as the nested handler's, the payload is translated once."""
    code = NESTED.format(test=f'request.method == "GET" and request.url == {SOURCE_URL}').replace(
        "def test_title():", "def test_title(request):")
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert result.code.decode() == code.replace(SOURCE_URL, PUBLIC_SOURCE_URL).replace(CONFIG_SOURCE, PUBLIC_SOURCE)
    assert not result.markers


HANDLER_CLIENT = b'''import httpx

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web"


def source_title(client: httpx.Client):
    return client.get(URL).json()["display_name"]
'''


def test_a_second_run_finds_the_marker_of_a_handler_not_showing_the_method_again(tmp_path: Path) -> None:
    """The first run moves the handler's URL and marks its Config payload (the
    method cannot be seen); the second, the URL Public already, changes no
    byte and reports that marker as found, not as one it does not find again."""
    from migrator.rewrite import driver

    (tmp_path / "app.py").write_bytes(HANDLER_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text(NESTED.format(test=f"request.url == {SOURCE_URL}"))
    first = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    after = (tmp_path / "tests" / "test_app.py").read_bytes()
    marked = [(m.rule, m.reason) for r in first.results if r.path.endswith("test_app.py") for m in r.markers]
    assert marked == [("rewrite.mocks", "the test double pins a Config response for a migrated URL (several Public "
                       "calls match it: the HTTP method cannot be seen): write the Public response of the call it "
                       "answers by hand")]
    second = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert (tmp_path / "tests" / "test_app.py").read_bytes() == after
    test = next(r for r in second.results if r.path.endswith("test_app.py"))
    assert [(m.rule, m.reason) for m in test.markers] == marked
    assert not test.held


def test_a_handler_answering_with_the_public_payload_is_not_marked_again() -> None:
    """Once a person wrote the Public payload, the earlier marker no longer applies: none is added."""
    code = NESTED.format(test=f"request.url == {PUBLIC_SOURCE_URL}").replace(CONFIG_SOURCE, PUBLIC_SOURCE)
    marker = ("            # migrator[rewrite.mocks]: the test double pins a Config response for a migrated URL "
              "(several Public calls match it: the HTTP method cannot be seen): write the Public response of the "
              "call it answers by hand\n")
    code = code.replace("            return httpx.Response(200", marker + "            return httpx.Response(200")
    result = rewrite_bytes(code.encode(), RULES, IDS)
    assert result.code == code.encode()
    assert not result.markers


NO_METHOD_MARKER = ("        # migrator[rewrite.mocks]: the test double pins a Config response for a migrated URL (several "
                    "Public calls match it: the HTTP method cannot be seen): write the Public response of the call it "
                    "answers by hand\n")
QUERY_MARKER = ("    # migrator[rewrite.mocks]: if this test stands for the migrated call to `GET /sources` (the HTTP "
                "method cannot be seen), the query it pins must match what that call sends (the migrated call sends "
                "`pagination.count` (added with 200 when no page size was given): add it to the query this URL "
                "expects)\n")


def _marked(code: str, query: bool) -> str:
    """`code` with the markers above the handler's `if` (`query`) and its answer."""
    code = code.replace("        return httpx.Response(200", NO_METHOD_MARKER + "        return httpx.Response(200")
    return code.replace("    if request.url", QUERY_MARKER + "    if request.url") if query else code


def test_a_whole_url_not_showing_the_method_is_marked_for_the_page_size_a_list_call_sends():
    """`GET` (list) and `POST` (create) share the path: the payload is marked,
    and so is the query, which lacks the page size the list call now sends."""
    result = rewrite_bytes(_handler("request.url == URL").encode(), RULES, IDS)
    assert result.code.decode() == _marked(_handler("request.url == URL", '"https://api.segmentapis.com/sources"'), True)
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 7), ("rewrite.mocks", 8)]
    assert rewrite_bytes(result.code, RULES, IDS).code == result.code


def test_a_page_size_in_a_whole_url_not_showing_the_method_is_renamed():
    """Only a list call sends `page_size`: the URL follows the one it now sends."""
    url = '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources?page_size=100"'
    result = rewrite_bytes(_handler("request.url == URL", url).encode(), RULES, IDS)
    public = '"https://api.segmentapis.com/sources?pagination.count=100"'
    assert result.code.decode() == _marked(_handler("request.url == URL", public), False)
    assert [(m.rule, m.line) for m in result.markers] == [("rewrite.mocks", 8)]


def test_a_url_compared_without_its_query_nor_the_method_gets_no_query_marker():
    test = "request.url.copy_with(query=None) == URL"
    result = rewrite_bytes(_handler(test).encode(), RULES, IDS)
    assert result.code.decode() == _marked(_handler(test, '"https://api.segmentapis.com/sources"'), False)


LIST_CLIENT = b'''import httpx

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"


def titles(client: httpx.Client):
    return [s["display_name"] for s in client.get(URL).json()["sources"]]
'''


def test_a_second_run_finds_the_query_marker_of_a_handler_not_showing_the_method_again(tmp_path: Path) -> None:
    from migrator.rewrite import driver

    (tmp_path / "app.py").write_bytes(LIST_CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text(_handler("request.url == URL"))
    first = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    after = (tmp_path / "tests" / "test_app.py").read_text()
    assert after == _marked(_handler("request.url == URL", '"https://api.segmentapis.com/sources"'), True)
    marked = [(m.rule, m.reason) for r in first.results if r.path.endswith("test_app.py") for m in r.markers]
    second = driver.run([tmp_path], force=True, jobs=1, ids=IDS)
    assert (tmp_path / "tests" / "test_app.py").read_text() == after
    test = next(r for r in second.results if r.path.endswith("test_app.py"))
    assert [(m.rule, m.reason) for m in test.markers] == marked
    assert [reason[:28] for _, reason in marked] == ["if this test stands for the ", "the test double pins a Confi"]
