"""The note that the token must be a Public API token (`rewrite.public-token`)
goes to files that send requests, not to those whose only migrated URLs are
test doubles'."""

from __future__ import annotations

from migrator.rewrite import rewrite_bytes
from migrator.rewrite.tokens import DEFAULT
from migrator.ruleset import load_rules

RULES = load_rules()

DOUBLES = '''\
import httpx
import responses


@responses.activate
def test_list(requests_mock):
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={})
    requests_mock.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={})


def handler(request):
    if request.url == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources":
        return httpx.Response(200, json={})
    return httpx.Response(404)


transport = httpx.MockTransport(handler)
'''

MIXED = DOUBLES + '''

def list_sources():
    return httpx.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")
'''


def _token_notes(code: str) -> list[str]:
    result = rewrite_bytes(code.encode(), RULES, None)
    assert result.changed
    return [n for n in result.notes if "token" in n]


def test_no_token_note_for_doubles_only():
    assert _token_notes(DOUBLES) == []


def test_token_note_when_the_file_also_sends_requests():
    assert _token_notes(MIXED) == [DEFAULT]
