"""Asserts on what a test double recorded: a request body held in a name,
reads of single keys of it, and page parameters of the recorded query."""

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
READ = (
    "# migrator[rewrite.mocks]: this reads the Config request body of a call the code under test makes "
    "(it becomes the body of `PATCH /destinations/{destinationId}`): check it against the Public request body instead"
)
DISABLE = '''import json
import responses

API = "https://platform.segmentapis.com/v1beta"


@responses.activate
def test_disable():
    responses.add(responses.PATCH, f"{API}/workspaces/acme/sources/web/destinations/google-analytics", status=200)
    client.disable_destination("web", "google-analytics")
'''
DISABLED = '''import json
import responses

API = "https://api.segmentapis.com"


@responses.activate
def test_disable():
    responses.add(responses.PATCH, f"{API}/destinations/6334b2ff2c4f2f0b8d5d0a1e", status=200)
    client.disable_destination("web", "google-analytics")
'''
CONFIG_BODY = '{"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}}'


def rewrite(code: str):
    return rewrite_bytes(code.encode(), RULES, IDS)


def test_body_held_in_a_name_and_compared_whole_is_translated():
    result = rewrite(DISABLE + f"    sent = json.loads(responses.calls[0].request.body)\n    assert sent == {CONFIG_BODY}\n")
    assert result.code.decode() == DISABLED + (
        "    sent = json.loads(responses.calls[0].request.body)\n"
        '    assert sent == {"enabled": False}\n'
    )
    assert not result.markers


def test_body_held_in_a_name_by_requests_mock_and_respx_is_translated():
    code = f'''import json
import requests_mock
import respx

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics"


def test_requests_mock():
    with requests_mock.Mocker() as m:
        m.patch(URL, json={{}})
        client.disable_destination("web", "google-analytics")
        sent = m.last_request.json()
    assert {CONFIG_BODY} == sent


@respx.mock
def test_respx():
    route = respx.patch(URL).respond(200, json={{}})
    client.disable_destination("web", "google-analytics")
    sent = json.loads(route.calls.last.request.content)
    assert sent == {CONFIG_BODY}
'''
    text = rewrite(code).code.decode()
    assert '    assert {"enabled": False} == sent\n' in text
    assert '    assert sent == {"enabled": False}\n' in text
    assert "update_mask" not in text


def test_reads_of_single_keys_of_the_recorded_body_are_marked():
    result = rewrite(DISABLE + (
        "    sent = json.loads(responses.calls[0].request.body)\n"
        '    assert sent["update_mask"]["paths"] == ["destination.enabled"]\n'
        '    assert sent["destination"]["enabled"] is False\n'
        '    assert b"enabled" in responses.calls[0].request.body\n'
        '    assert json.loads(responses.calls[0].request.body)["destination"] == {"enabled": False}\n'
    ))
    assert result.code.decode() == DISABLED + (
        "    sent = json.loads(responses.calls[0].request.body)\n"
        f"    {READ}\n"
        '    assert sent["update_mask"]["paths"] == ["destination.enabled"]\n'
        f"    {READ}\n"
        '    assert sent["destination"]["enabled"] is False\n'
        f"    {READ}\n"
        '    assert b"enabled" in responses.calls[0].request.body\n'
        f"    {READ}\n"
        '    assert json.loads(responses.calls[0].request.body)["destination"] == {"enabled": False}\n'
    )
    assert [m.rule for m in result.markers] == ["rewrite.mocks"] * 4


def test_requests_mock_key_reads_are_marked():
    code = '''import requests_mock

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/google-analytics"


def test_requests_mock(requests_mock):
    requests_mock.patch(URL, json={})
    client.disable_destination("web", "google-analytics")
    assert requests_mock.last_request.json()["destination"]["enabled"] is False
    assert "update_mask" in requests_mock.last_request.text
'''
    result = rewrite(code)
    lines = result.code.decode().splitlines()
    assert lines[-4:] == [
        f"    {READ}",
        '    assert requests_mock.last_request.json()["destination"]["enabled"] is False',
        f"    {READ}",
        '    assert "update_mask" in requests_mock.last_request.text',
    ]


def test_body_held_in_a_name_that_is_changed_before_the_compare_is_marked():
    result = rewrite(DISABLE + (
        "    sent = json.loads(responses.calls[0].request.body)\n"
        '    sent.pop("update_mask")\n'
        f"    assert sent == {CONFIG_BODY}\n"
    ))
    text = result.code.decode()
    assert f"    assert sent == {CONFIG_BODY}\n" in text
    assert sorted(m.reason for m in result.markers) == [
        "this assert pins the Config request body of a call the code under test makes "
        "(`sent` is changed or passed on before it is compared): compare with the Public request body instead",
        "this reads the Config request body of a call the code under test makes "
        "(it becomes the body of `PATCH /destinations/{destinationId}`): check it against the Public request body instead",
    ]


def test_body_held_in_a_name_bound_in_a_loop_is_not_translated():
    result = rewrite(DISABLE + (
        "    for call in responses.calls:\n"
        "        sent = json.loads(call.request.body)\n"
        f"    assert sent == {CONFIG_BODY}\n"
    ))
    assert f"    assert sent == {CONFIG_BODY}\n" in result.code.decode()


def test_a_recorded_response_is_not_a_request_body():
    code = DISABLE + '    assert json.loads(responses.calls[0].response.text) == {"destination": {"enabled": False}}\n'
    result = rewrite(code)
    assert result.code.decode() == DISABLED + (
        '    assert json.loads(responses.calls[0].response.text) == {"destination": {"enabled": False}}\n'
    )
    assert not result.markers


# -- page parameters of the recorded query ----------------------------------------------------------

PLANS = '''import requests_mock
import responses

PLANS = "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans"
API = "https://platform.segmentapis.com/v1beta"


def test_requests_mock():
    with requests_mock.Mocker() as m:
        m.get(PLANS, status_code=200)
        plans.plan_names()
{requests_mock}


@responses.activate
def test_responses():
    responses.add(responses.GET, f"{{API}}/workspaces/acme/sources", status=200)
    client.list_sources()
{responses}
'''
QUERY = "# migrator[rewrite.mocks]: the query this test pins must match what the migrated call to `{endpoint}` sends ({reason})"


def test_page_size_in_a_recorded_query_dict_follows_the_pagination_rename():
    result = rewrite(PLANS.format(
        requests_mock='        assert m.last_request.qs == {"page_size": ["20"]}\n        assert {"page_size": ["20"]} == m.request_history[0].qs',
        responses='    assert responses.calls[0].request.params == {"page_size": "100"}',
    ))
    lines = result.code.decode().splitlines()
    # the tracking-plan list also sends `type=LIVE`, which requests-mock's `qs` holds lowercased (by default)
    lowered = "        " + QUERY.format(endpoint="GET /tracking-plans", reason=(
        "the migrated call also sends `type=LIVE`, which `qs` holds lowercased unless the mocker is "
        "case-sensitive: add it to the query this test expects"
    ))
    assert lines[11:15] == [
        lowered,
        '        assert m.last_request.qs == {"page_size": ["20"]}',
        lowered,
        '        assert {"page_size": ["20"]} == m.request_history[0].qs',
    ]
    assert lines[-1] == '    assert responses.calls[0].request.params == {"pagination.count": "100"}'
    assert len(result.markers) == 2


def test_page_size_in_a_recorded_url_joined_or_formatted_follows_the_pagination_rename():
    result = rewrite(PLANS.format(
        requests_mock='        assert m.last_request.url == PLANS + "?page_size=20"',
        responses='    assert responses.calls[0].request.url == f"{API}/workspaces/acme/sources?page_size=100"',
    ))
    lines = result.code.decode().splitlines()
    assert lines[11] == '        assert m.last_request.url == PLANS + "?pagination.count=20&type=LIVE"'
    assert lines[-1] == '    assert responses.calls[0].request.url == f"{API}/sources?pagination.count=100"'
    assert not result.markers


def test_recorded_queries_that_cannot_follow_are_marked():
    result = rewrite(PLANS.format(
        requests_mock=(
            '        assert m.last_request.qs == {}\n'
            '        assert m.last_request.qs == {"page_size": ["20"], "page_token": ["abc"]}\n'
            '        assert m.last_request.qs == {"page_size": ["500"]}\n'
            '        assert m.last_request.qs["page_size"] == ["20"]\n'
            '        assert m.last_request.qs["page_token"] == ["abc"]'
        ),
        responses='    assert "page_size=100" in responses.calls[0].request.url',
    ))
    lines = result.code.decode().splitlines()
    plans = QUERY.replace("{endpoint}", "GET /tracking-plans")
    assert lines[11:21] == [
        "        " + plans.format(reason=(
            "the migrated call sends `pagination.count` and `type=LIVE`: add them to the query this double expects"
        )),
        "        assert m.last_request.qs == {}",
        "        " + plans.format(reason="`page_token` is not a Public cursor: pin `pagination.cursor` by hand"),
        '        assert m.last_request.qs == {"page_size": ["20"], "page_token": ["abc"]}',
        "        " + plans.format(reason="`pagination.count` must be between 1 and 200"),
        '        assert m.last_request.qs == {"page_size": ["500"]}',
        "        " + plans.format(reason="it sends `pagination.count` where it sent `page_size`"),
        '        assert m.last_request.qs["page_size"] == ["20"]',
        "        " + plans.format(reason="it sends `pagination.cursor` where it sent `page_token`"),
        '        assert m.last_request.qs["page_token"] == ["abc"]',
    ]
    assert lines[-2:] == [
        "    " + QUERY.format(endpoint="GET /sources", reason="it sends `pagination.count` where it sent `page_size`"),
        '    assert "page_size=100" in responses.calls[0].request.url',
    ]
    assert len(result.markers) == 6


def test_recorded_query_of_a_request_that_may_have_gone_to_another_endpoint_is_marked():
    code = '''import requests_mock

PLANS = "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans"


def test_requests_mock():
    with requests_mock.Mocker() as m:
        m.get(PLANS, status_code=200)
        m.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web", status_code=200)
        plans.plan_names()
        assert m.last_request.qs == {"page_size": ["20"]}
'''
    result = rewrite(code)
    assert result.code.decode().splitlines()[-2:] == [
        "        " + QUERY.format(endpoint="its endpoint", reason="the request may have gone to several endpoints"),
        '        assert m.last_request.qs == {"page_size": ["20"]}',
    ]


# -- httpx.MockTransport handlers: the method tested beside the URL ----------------------------

HANDLER = '''import httpx


def handler(request):
    if request.method == "GET" and request.url == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations":
        return httpx.Response(200, json={"destinations": [], "next_page_token": ""})
    if request.url == "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations":
        return httpx.Response(200, json={"destinations": [], "next_page_token": ""})
    return httpx.Response(404)


def make():
    return httpx.Client(transport=httpx.MockTransport(handler))
'''


def _handler_urls(code: str):
    import libcst as cst

    from migrator.rewrite.context import FileContext
    from migrator.rewrite.source import Source

    ctx = FileContext.build(Source.parse(code.encode()), RULES, IDS, "us", None)
    urls = [
        n for n in ctx.index.parents
        if isinstance(n, cst.SimpleString) and "destinations" in n.value and isinstance(ctx.parent(n), cst.ComparisonTarget)
    ]
    return ctx, urls


def test_the_method_a_transport_handler_tests_beside_the_url_is_the_method_of_that_url():
    from migrator.rewrite.mock_transport import compared_flow

    ctx, (with_method, without_method) = _handler_urls(HANDLER)
    found = compared_flow(ctx, with_method, ctx.parent(with_method))
    assert found is not None and found.url and found.methods == {"GET"} and found.method == "GET"
    assert compared_flow(ctx, without_method, ctx.parent(without_method)) is None


def test_a_comparison_outside_a_transport_handler_tells_no_method():
    """Not given to `httpx.MockTransport`, and returning no `httpx.Response`: no handler."""
    from migrator.rewrite.mock_transport import compared_flow

    code = HANDLER.replace("httpx.MockTransport(handler)", "handler").replace("httpx.Response(200, json=", "(")
    ctx, (url, _) = _handler_urls(code)
    assert compared_flow(ctx, url, ctx.parent(url)) is None


def test_a_handler_given_to_no_transport_in_its_file_tells_the_method():
    """Returning an `httpx.Response` under the URL test: a handler whose transport is built elsewhere."""
    from migrator.rewrite.mock_transport import compared_flow

    ctx, (url, _) = _handler_urls(HANDLER.replace("httpx.MockTransport(handler)", "handler"))
    found = compared_flow(ctx, url, ctx.parent(url))
    assert found is not None and found.methods == {"GET"}


def _get_handler(url: str, payload: str) -> str:
    """A transport handler answering `GET url` (tested beside the URL) with `payload`."""
    return f'''import httpx


def handler(request):
    if request.method == "GET" and request.url == "{url}":
        return httpx.Response(200, json={payload})
    return httpx.Response(404)


def make():
    return httpx.Client(transport=httpx.MockTransport(handler))
'''


def test_a_query_a_transport_handler_pins_is_marked_at_its_test():
    code = _get_handler(
        "https://platform.segmentapis.com/v1beta/workspaces/acme/sources?page_token=abc",
        '{"sources": [], "next_page_token": ""}',
    )
    lines = rewrite(code).code.decode().splitlines()
    assert lines[4:7] == [
        "    " + QUERY.format(
            endpoint="GET /sources", reason="`page_token` is not a Public cursor: pin `pagination.cursor` by hand"
        ),
        '    if request.method == "GET" and request.url == "https://api.segmentapis.com/sources?page_token=abc":',
        '        return httpx.Response(200, json={"data": {"sources": [], "pagination": {"next": None}}})',
    ]


def test_a_transport_handler_testing_the_method_beside_the_url_answers_the_public_call():
    code = _get_handler(
        "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations",
        '{"destinations": [], "next_page_token": ""}',
    )
    result = rewrite(code)
    public = "GET /sources/{sourceId}/connected-destinations"
    reason = (
        "the migrated call sends `pagination.count` (added with 200 when no page size was given): "
        "add it to the query this URL expects"
    )
    assert result.code.decode().splitlines()[4:7] == [
        "    " + QUERY.format(endpoint=public, reason=reason),
        '    if request.method == "GET" and request.url == '
        '"https://api.segmentapis.com/sources/qQEHquLrjRDN9j1ByrChyn/connected-destinations":',
        '        return httpx.Response(200, json={"data": {"destinations": [], "pagination": {"next": None}}})',
    ]
    assert [m.rule for m in result.markers] == ["rewrite.mocks"]


def test_a_recorded_body_whose_mask_changes_meaning_in_the_public_call_is_marked():
    # The Public body leaves the cleared forwarding target out, on an assumption
    # for review: the assert is not rewritten to `{}`, as the code's own body is not.
    code = '''import json
import responses

API = "https://platform.segmentapis.com/v1beta"


@responses.activate
def test_stop_forwarding():
    responses.add(responses.PATCH, f"{API}/workspaces/acme/sources/web/schema-config", status=200)
    client.stop_forwarding("web")
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {"schema_config": {}, "update_mask": {"paths": ["schema_config.forwarding_violations_to"]}}
'''
    result = rewrite(code)
    assert result.code.decode().endswith(
        "    sent = json.loads(responses.calls[0].request.body)\n"
        "    # migrator[rewrite.mocks]: this assert pins the Config request body of a call the code under test makes "
        "(`update_mask.paths[0]`: 'schema_config.forwarding_violations_to' masked without a value: "
        "the Config call cleared it; the Public API stops forwarding violations when the field is left out, so "
        "'forwardingViolationsTo' is not sent; whether this PATCH clears a value set before is not documented "
        "(a PATCH keeps what it leaves out): after the call, check that GET /sources/{sourceId}/settings answers "
        "no 'settings.forwardingViolationsTo'): compare with the Public request body instead\n"
        '    assert sent == {"schema_config": {}, "update_mask": {"paths": ["schema_config.forwarding_violations_to"]}}\n'
    )
    assert [m.rule for m in result.markers] == ["rewrite.mocks"]


# -- page parameters a patched function was called with, or read off a recorded URL ------------

CALLED = '''from unittest import mock

import client


def test_sources():
    with mock.patch("client.requests.get") as get:
        get.return_value.json.return_value = {{"sources": [], "next_page_token": ""}}
        assert client.sources() == []
    get.{assert_}("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", params={{"page_size": 2}})
    assert get.call_args.kwargs["params"] == {{"page_size": 2}}
    assert {{"page_size": 2}} == get.call_args[1]["params"]
    assert get.call_args[1]["params"]["page_size"] == 2
    assert "page_size" in get.call_args.kwargs["params"]
'''
SOURCES_QUERY = QUERY.replace("{endpoint}", "GET /sources")


def test_params_a_patched_function_was_last_called_with_follow_the_pagination_rename():
    result = rewrite(CALLED.format(assert_="assert_called_once_with"))
    read = "    " + SOURCES_QUERY.format(reason="it sends `pagination.count` where it sent `page_size`")
    assert result.code.decode().splitlines()[9:] == [
        '    get.assert_called_once_with("https://api.segmentapis.com/sources", params={"pagination.count": 2})',
        '    assert get.call_args.kwargs["params"] == {"pagination.count": 2}',
        '    assert {"pagination.count": 2} == get.call_args[1]["params"]',
        read,
        '    assert get.call_args[1]["params"]["page_size"] == 2',
        read,
        '    assert "page_size" in get.call_args.kwargs["params"]',
    ]
    assert len(result.markers) == 2


def test_params_of_a_patched_function_asserted_with_assert_any_call_are_marked():
    result = rewrite(CALLED.format(assert_="assert_any_call"))
    marker = "    " + QUERY.format(
        endpoint="its endpoint", reason="`assert_any_call` does not show that its last call was the one asserted"
    )
    lines = result.code.decode().splitlines()
    assert lines[10:14] == [
        marker,
        '    assert get.call_args.kwargs["params"] == {"page_size": 2}',
        marker,
        '    assert {"page_size": 2} == get.call_args[1]["params"]',
    ]


RECORDED_URL = '''import responses
import respx

API = "https://platform.segmentapis.com/v1beta"


@respx.mock
def test_respx():
    route = respx.get(f"{API}/workspaces/acme/sources").respond(200, json={"sources": [], "next_page_token": ""})
    client.sources()
    assert route.calls.last.request.url.params["page_size"] == "2"
    assert "page_size=2" in str(route.calls.last.request.url)


@responses.activate
def test_responses():
    responses.add(responses.GET, f"{API}/workspaces/acme/sources", json={"sources": [], "next_page_token": ""})
    client.sources()
    assert "page_size=2" in str(responses.calls[0].request.url)
'''


def test_page_parameters_read_off_a_recorded_url_as_text_or_httpx_params_are_marked():
    result = rewrite(RECORDED_URL)
    read = "    " + SOURCES_QUERY.format(reason="it sends `pagination.count` where it sent `page_size`")
    lines = result.code.decode().splitlines()
    assert lines[10:15] == [
        read,
        '    assert route.calls.last.request.url.params["page_size"] == "2"',
        read,
        '    assert "page_size=2" in str(route.calls.last.request.url)',
        "",
    ]
    assert lines[-2:] == [read, '    assert "page_size=2" in str(responses.calls[0].request.url)']
    assert len(result.markers) == 3
