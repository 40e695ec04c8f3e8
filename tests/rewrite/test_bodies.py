"""Request bodies (`migrator.rewrite.bodies`): what is translated, what is marked."""

from __future__ import annotations

import ast

import pytest

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    {
        "workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme"},
        "sources": {"js": "qQEHquLrjRDN9j1ByrChyn"},
        "destinations": {"js/amplitude": ["6334b2ff2c4f2f0b8d5d0c3a"]},
        "source_metadata": {"javascript": "IqDTy1TpoU"},
    }
)


def run(code: str, ids: IdMap | None = IDS, lookup: str | None = "segment_ids"):
    result = rewrite_bytes(code.encode(), RULES, ids, lookup_module=lookup)
    ast.parse(result.code)
    again = rewrite_bytes(result.code, RULES, ids, lookup_module=lookup)
    assert again.code == result.code
    return result


def body_markers(result):
    return [m for m in result.markers if m.rule == "rewrite.request-body"]


def test_preview_input_string_becomes_an_object():
    code = (
        'r = requests.post("https://platform.segmentapis.com/v1beta/filters/preview", '
        'json={"filter": {"if": "all", "actions": [{"type": "drop_event"}], "enabled": True}, '
        "\"input\": '{\"event\": \"Test\"}'})\n"
    )
    out = run(code).code.decode()
    assert out == (
        'r = requests.post("https://api.segmentapis.com/destination/filters/preview", '
        'json={"filter": {"if": "all", "actions": [{"type": "DROP"}]}, "payload": {"event": "Test"}})\n'
    )


def test_preview_input_held_in_a_name_is_marked():
    code = (
        "def preview(event):\n"
        '    return requests.post("https://platform.segmentapis.com/v1beta/filters/preview", '
        'json={"filter": {"if": "all", "actions": []}, "input": event})\n'
    )
    result = run(code)
    assert 'json={"filter"' in result.code.decode()
    assert any("`input`" in m.reason for m in body_markers(result))


def test_catalog_name_without_an_id_map_is_marked():
    code = (
        "def create(ws):\n"
        '    body = {"source": {"name": "workspaces/acme/sources/js", "catalog_name": "catalog/sources/javascript"}}\n'
        '    return requests.post(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources", json=body)\n'
    )
    result = run(code, ids=None, lookup=None)
    assert '{"source": {"name"' in result.code.decode()
    assert any("id map" in m.reason for m in body_markers(result))


def test_unpacked_mapping_is_marked():
    code = (
        "def create(ws, extra):\n"
        '    body = {"source": {"name": "workspaces/acme/sources/js", **extra}}\n'
        '    return requests.post(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources", json=body)\n'
    )
    result = run(code)
    assert any("**" in m.reason for m in body_markers(result))


def test_body_sent_twice_is_marked():
    code = (
        "def create(ws):\n"
        '    body = {"source": {"name": "workspaces/acme/sources/js", "catalog_name": "catalog/sources/javascript"}}\n'
        '    requests.post(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources", json=body)\n'
        '    log(body)\n'
    )
    result = run(code)
    assert '"catalog_name"' in result.code.decode()
    assert any("also used" in m.reason for m in body_markers(result))


@pytest.mark.parametrize("ids", ["rewrite.request-body", "rewrite.responses rewrite.request-body"])
def test_ignore_comment_leaves_the_body(ids):
    code = (
        "def create(ws):\n"
        '    body = {"source": {"name": "workspaces/acme/sources/js", "catalog_name": "catalog/sources/javascript"}}\n'
        f"    # migrator: ignore[{ids}]\n"
        '    return requests.post(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources", json=body)\n'
    )
    result = run(code)
    assert '"catalog_name"' in result.code.decode()


def test_crlf_and_quotes_are_kept():
    code = (
        "def add(ws):\r\n"
        "    new = {\r\n"
        "        'filter': {\r\n"
        "            'title': 'Drop tests that are very long indeed so that it does not fit',\r\n"
        "            'if': 'event = \"Test\"',\r\n"
        "            'actions': [{'type': 'sample_event', 'percent': 0.5, 'path': 'userId'}],\r\n"
        "            'enabled': True,\r\n"
        "        }\r\n"
        "    }\r\n"
        "    return requests.post(f'https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources/js/destinations/amplitude/filters', json=new)\r\n"
    )
    out = run(code).code.decode()
    assert out == (
        "def add(ws):\r\n"
        "    new = {\r\n"
        "        'title': 'Drop tests that are very long indeed so that it does not fit',\r\n"
        "        'if': 'event = \"Test\"',\r\n"
        "        'actions': [{'type': 'SAMPLE', 'percent': 0.5, 'path': 'userId'}],\r\n"
        "        'enabled': True,\r\n"
        "        'sourceId': 'qQEHquLrjRDN9j1ByrChyn',\r\n"
        "    }\r\n"
        "    return requests.post('https://api.segmentapis.com/destination/6334b2ff2c4f2f0b8d5d0c3a/filters', json=new)\r\n"
    )


@pytest.mark.parametrize(
    "call",
    [
        'requests.post(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources", json=make_body())',
        'requests.post(f"https://platform.segmentapis.com/v1beta/workspaces/{ws}/sources", data=payload)',
    ],
)
def test_bodies_that_cannot_be_seen_keep_the_generic_marker(call):
    result = run(f"def create(ws, payload):\n    return {call}\n")
    assert body_markers(result)
    assert "/v1beta/" not in result.code.decode().splitlines()[-1]


PLAN_IDS = IdMap.model_validate({"tracking_plans": {"rs_1": ["tp_1"]}})
RULES_UPDATE = (
    '{"update_mask": {"paths": ["tracking_plan.display_name", "tracking_plan.rules"]}, '
    '"tracking_plan": {"display_name": "Web", "rules": {"group": {"type": "object"}}}}'
)


def test_second_call_with_an_httpx_client_checks_is_success():
    code = (
        "import httpx\n"
        "client = httpx.Client()\n"
        "def update():\n"
        f"    resp = client.put('https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/rs_1', json={RULES_UPDATE})\n"
        "    return resp\n"
    )
    out = run(code, ids=PLAN_IDS).code.decode()
    assert "    resp = client.patch('https://api.segmentapis.com/tracking-plans/tp_1', json={\"name\": \"Web\"})\n" in out
    assert "    if resp.is_success:\n        resp = client.put('https://api.segmentapis.com/tracking-plans/tp_1' + \"/rules\"" in out


def test_second_call_that_cannot_be_written_is_marked():
    code = (
        "def update(client):\n"
        f"    return client.put('https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/rs_1', json={RULES_UPDATE})\n"
    )
    result = run(code, ids=PLAN_IDS)
    assert "tracking_plan" in result.code.decode()
    assert any("more than one call" in m.reason for m in body_markers(result))


def test_markers_quote_values_with_their_expressions_not_placeholders():
    result = run(
        "import requests\n\n"
        "def create(rest):\n"
        '    body = {"source": {"name": f"workspaces/{rest}", "catalog_name": "catalog/sources/javascript"}}\n'
        '    return requests.post("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json=body)\n'
    )
    [marker] = body_markers(result)
    assert "\"workspaces/{rest}\" does not look like 'workspaces/{workspace}/sources/{source}'" in marker.reason
    assert not any(0xF0000 <= ord(c) for c in marker.reason) and "\\U000f" not in marker.reason


MASKED = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def rename(name, mask):
    return requests.patch(f"{API}/workspaces/acme/sources/jsQUERY", json={"source": BODY}).json()
'''
QUERY_MASK = (
    "# migrator[rewrite.request-body]: the request body of `PATCH /v1beta/workspaces/{workspace}/sources/{source}` "
    "must change too ({reason}the update mask `update_mask.paths` in its query, which the Public API does not take: "
    "leave it out, and send only the fields it lists in the body): `PATCH …/sources/{source}` with an update mask "
    "becomes `PATCH /sources/{sourceId}` with a partial body."
)


@pytest.mark.parametrize(
    ("query", "body", "reason"),
    [
        ('", params={"update_mask.paths": mask}', '{"display_name": name}', "it sends "),
        ('?update_mask.paths=source.display_name"', '{"display_name": name}', "it sends "),
        ('", params={"update_mask.paths": mask}', "name", "`source` is an expression that must be translated; it also sends "),
    ],
)
def test_an_update_mask_sent_in_the_query_is_named_by_the_marker(query, body, reason):
    result = run(MASKED.replace('QUERY"', query).replace("BODY", body))
    lines = result.code.decode().splitlines()
    assert lines[6] == "    " + QUERY_MASK.format(reason=reason, workspace="{workspace}", source="{source}",
                                                  sourceId="{sourceId}")
    assert lines[7].startswith('    return requests.patch(f"{API}/sources/qQEHquLrjRDN9j1ByrChyn')
    assert lines[7].endswith(f', json={{"source": {body}}}).json()')
    assert len(body_markers(result)) == 1


def test_an_id_of_a_map_the_id_map_could_not_read_is_marked_not_looked_up():
    code = (
        "def create(kind):\n"
        '    body = {"source": {"name": "workspaces/acme/sources/js", "catalog_name": f"catalog/sources/{kind}"}}\n'
        '    return requests.post("https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json=body)\n'
    )
    unread = IDS.model_copy(update={"source_metadata": {}, "skipped": {"source_metadata": "catalog: HTTP 403"}})
    result = run(code, ids=unread)
    assert "segment_ids" not in result.code.decode()
    assert [m.reason for m in body_markers(result)] == [
        "the request body of `POST /v1beta/workspaces/{workspace}/sources` must change too (`source.catalog_name`: "
        "the source-metadata is held in an expression, and the id map could not read them all (catalog: HTTP 403) "
        "and holds none: a lookup would always fail; pass the id by hand): `POST …/workspaces/{workspace}/sources` "
        "becomes `POST /sources` with `slug`, `metadataId` and `enabled`."
    ]
