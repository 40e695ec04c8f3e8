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
