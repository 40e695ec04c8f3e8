"""Request bodies the rewrite must not translate as written, or must not
translate silently: a body changed in a nested scope, settings that collide,
bodies missing an input the Public call requires, values a documented rule
leaves out."""

from __future__ import annotations

import ast

from migrator.idmap import IdMap
from migrator.rewrite import rewrite_bytes
from migrator.ruleset import load_rules

RULES = load_rules()
IDS = IdMap.model_validate(
    {
        "workspace": {"id": "9aQ1Lj62S4bomZKLF4DPqW", "slug": "acme"},
        "sources": {"js": "qQEHquLrjRDN9j1ByrChyn"},
        "destinations": {"js/amplitude": ["6334b2ff2c4f2f0b8d5d0c3a"]},
        "destination_metadata": {"amplitude": "54521fd525e721e32a72ee91"},
        "source_metadata": {"javascript": "IqDTy1TpoU"},
    }
)
API = 'API = "https://platform.segmentapis.com/v1beta"\n'
PUBLIC = 'API = "https://api.segmentapis.com"\n'
DEST = '"{API}/workspaces/acme/sources/js/destinations/amplitude"'


def run(code: str, ids: IdMap | None = IDS):
    result = rewrite_bytes(code.encode(), RULES, ids, lookup_module="segment_ids")
    ast.parse(result.code)
    again = rewrite_bytes(result.code, RULES, ids, lookup_module="segment_ids")
    assert again.code == result.code
    return result


def markers(result):
    return [(m.line, m.rule, m.reason) for m in result.markers]


MESSAGE = (
    "the request body of `PATCH /v1beta/workspaces/{{workspace}}/sources/{{source}}/destinations/{{destination}}` "
    "must change too ({reason}): `PATCH …/destinations/{{destination}}` with an update mask becomes "
    "`PATCH /destinations/{{destinationId}}` with a partial body."
)


# -- 1. a body used in a nested scope ---------------------------------------------


def _nested(use: str) -> tuple[str, str]:
    before = (
        API + "def disable():\n"
        '    body = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        f"{use}"
        f"    return requests.patch(f{DEST}, json=body)\n"
    )
    after = (
        PUBLIC + "def disable():\n"
        '    body = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}\n'
        f"{use}"
        "    # migrator[rewrite.request-body]: {message}\n"
        '    return requests.patch(f"{API}/destinations/6334b2ff2c4f2f0b8d5d0c3a", json=body)\n'
    )
    return before, after


def test_a_body_changed_in_a_lambda_is_marked_not_translated_as_written():
    use = '    turn_off = lambda: body["destination"].update(enabled=False)\n    turn_off()\n'
    before, after = _nested(use)
    result = run(before)
    reason = "`body` is also used or changed elsewhere (line 4)"
    message = MESSAGE.format(reason=reason)
    assert result.code.decode() == after.replace("{message}", message)
    assert markers(result) == [(6, "rewrite.request-body", message)]


def test_a_body_changed_in_a_nested_def_is_marked():
    use = '    def tweak():\n        body["destination"]["enabled"] = False\n    tweak()\n'
    before, after = _nested(use)
    result = run(before)
    message = MESSAGE.format(reason="`body` is also used or changed elsewhere (line 5)")
    assert result.code.decode() == after.replace("{message}", message)
    assert markers(result) == [(7, "rewrite.request-body", message)]


def test_a_body_read_in_a_class_body_or_comprehension_is_marked():
    for use, line in (
        ("    class Saved:\n        value = body\n", 5),
        ("    keys = [k for k in body if body.pop(k, None) is None]\n", 4),
    ):
        before, after = _nested(use)
        result = run(before)
        message = MESSAGE.format(reason=f"`body` is also used or changed elsewhere (line {line})")
        assert result.code.decode() == after.replace("{message}", message)


def test_a_lambda_whose_own_parameter_has_the_name_is_another_variable():
    use = "    size = lambda body: len(body)\n"
    before, _ = _nested(use)
    assert run(before).code.decode() == (
        PUBLIC + "def disable():\n"
        '    body = {"enabled": True}\n'
        f"{use}"
        '    return requests.patch(f"{API}/destinations/6334b2ff2c4f2f0b8d5d0c3a", json=body)\n'
    )


# -- 2. values that collide on one Public key --------------------------------------

CREATE = '"{API}/workspaces/acme/sources/js/destinations"'
CREATE_MESSAGE = (
    "the request body of `POST /v1beta/workspaces/{{workspace}}/sources/{{source}}/destinations` must change too "
    "({reason}): `POST …/sources/{{source}}/destinations` becomes `POST /destinations` with `sourceId`, "
    "`metadataId` and `settings`."
)
SETTING = "workspaces/acme/sources/js/destinations/amplitude/config/apiKey"


def test_a_setting_given_twice_is_marked_not_the_last_one_kept():
    before = (
        API + "def create():\n"
        '    body = {"destination": {"name": "workspaces/acme/sources/js/destinations/amplitude", "config": ['
        f'{{"name": "{SETTING}", "value": "a"}}, {{"name": "{SETTING}", "value": "b"}}]}}}}\n'
        f"    return requests.post(f{CREATE}, json=body)\n"
    )
    result = run(before)
    message = CREATE_MESSAGE.format(reason=(
        "`destination.config[1]`: setting 'apiKey' again, with \"b\"; destination.config[0] already gave \"a\": "
        "the first kept, this one left out"
    ))
    assert result.code.decode() == before.replace(API, PUBLIC).replace(
        f"    return requests.post(f{CREATE}, json=body)\n",
        f"    # migrator[rewrite.request-body]: {message}\n"
        '    return requests.post(f"{API}/destinations", json=body)\n',
    )
    assert markers(result) == [(4, "rewrite.request-body", message)]


def test_a_setting_of_another_destination_is_marked():
    other = "workspaces/acme/sources/js/destinations/google-analytics/config/apiKey"
    before = (
        API + "def create():\n"
        '    body = {"destination": {"name": "workspaces/acme/sources/js/destinations/amplitude", "config": ['
        f'{{"name": "{other}", "value": "a"}}]}}}}\n'
        f"    return requests.post(f{CREATE}, json=body)\n"
    )
    result = run(before)
    assert [r for _, _, r in markers(result)] == [CREATE_MESSAGE.format(reason=(
        "`destination.config[0].name`: a setting of workspaces/acme/sources/js/destinations/google-analytics, "
        "not of workspaces/acme/sources/js/destinations/amplitude; left out"
    ))]


def test_settings_named_with_the_same_expression_belong_to_the_destination():
    before = (
        API + "def create(source, key):\n"
        '    body = {"destination": {"name": f"workspaces/acme/sources/{source}/destinations/amplitude", "config": ['
        '{"name": f"workspaces/acme/sources/{source}/destinations/amplitude/config/apiKey", "value": key}]}}\n'
        '    return requests.post(f"{API}/workspaces/acme/sources/{source}/destinations", json=body)\n'
    )
    result = run(before)
    assert result.code.decode() == (
        "import segment_ids\n" + PUBLIC + "def create(source, key):\n"
        '    body = {"metadataId": "54521fd525e721e32a72ee91", "settings": {"apiKey": key}, '
        '"sourceId": segment_ids.source_id(source), "enabled": False}\n'
        '    return requests.post(f"{API}/destinations", json=body)\n'
    )
    assert markers(result) == []


# -- 3. inputs the Public call requires ----------------------------------------------

FUNCTIONS = '"{API}/workspaces/acme/functions"'
FUNCTION_MESSAGE = (
    "the request body of `POST /v1beta/workspaces/{{workspace}}/functions` must change too ({reason}): "
    "`POST …/functions` becomes `POST /functions`."
)


def _left(before: str, call: str, message: str) -> str:
    return before.replace(API, PUBLIC).replace(
        f"    return {call}\n", f"    # migrator[rewrite.request-body]: {message}\n    return {call}\n"
    )


def test_function_settings_without_description_and_required_are_marked():
    before = (
        API + "def create(code):\n"
        '    body = {"function": {"display_name": "W", "code": code, "type": "source", "settings": '
        '[{"name": "apiKey", "label": "API key", "type": "string", "sensitive": True}]}}\n'
        f"    return requests.post(f{FUNCTIONS}, json=body)\n"
    )
    result = run(before)
    message = FUNCTION_MESSAGE.format(reason=(
        "the Public API requires `settings[].description` and `settings[].required` in `POST /functions`, "
        "and this body does not give them"
    ))
    call = 'requests.post(f"{API}/functions", json=body)'
    assert result.code.decode() == _left(before.replace(f"requests.post(f{FUNCTIONS}, json=body)", call), call, message)
    assert markers(result) == [(4, "rewrite.request-body", message)]


def test_a_function_with_every_setting_input_is_rewritten():
    before = (
        API + "def create(code):\n"
        '    body = {"function": {"display_name": "W", "code": code, "type": "source", "settings": '
        '[{"name": "apiKey", "label": "API key", "description": "d", "type": "string", "required": True, '
        '"sensitive": True}]}}\n'
        f"    return requests.post(f{FUNCTIONS}, json=body)\n"
    )
    result = run(before)
    assert result.code.decode() == (
        PUBLIC + "def create(code):\n"
        '    body = {"displayName": "W", "code": code, "resourceType": "SOURCE", "settings": '
        '[{"name": "apiKey", "label": "API key", "description": "d", "type": "STRING", "required": True, '
        '"sensitive": True}]}\n'
        '    return requests.post(f"{API}/functions", json=body)\n'
    )
    assert markers(result) == []


def test_a_function_without_a_type_and_a_filter_without_title_and_enabled_are_marked():
    result = run(
        API + "def create(code):\n"
        f'    return requests.post(f{FUNCTIONS}, json={{"function": {{"display_name": "W", "code": code}}}})\n'
    )
    assert [r for _, _, r in markers(result)] == [FUNCTION_MESSAGE.format(reason=(
        "the Public API requires `resourceType` in `POST /functions`, and this body does not give it"
    ))]
    result = run(
        API + "def create():\n"
        '    return requests.post(f"{API}/workspaces/acme/sources/js/destinations/amplitude/filters", '
        'json={"filter": {"if": "all", "actions": [{"type": "drop_event"}]}})\n'
    )
    assert [r for _, _, r in markers(result)] == [(
        "the request body of `POST /v1beta/workspaces/{workspace}/sources/{source}/destinations/{destination}/filters` "
        "must change too (the Public API requires `enabled` and `title` in `POST /destination/{destinationId}/filters`, "
        "and this body does not give them): `POST …/destinations/{destination}/filters` becomes "
        "`POST /destination/{destinationId}/filters` with `sourceId`."
    )]
    assert '"filter": {"if": "all"' in result.code.decode()


def test_a_source_name_the_create_call_does_not_take_is_marked():
    result = run(
        API + "def create():\n"
        '    return requests.post(f"{API}/workspaces/acme/sources", json={"source": {"name": "workspaces/acme/sources/blog", '
        '"catalog_name": "catalog/sources/javascript", "display_name": "Blog"}})\n'
    )
    assert [r for _, _, r in markers(result)] == [(
        "the request body of `POST /v1beta/workspaces/{workspace}/sources` must change too (`source.display_name`: "
        "'name' is not an input of POST /sources (it takes enabled, metadataId, settings, slug); left out): "
        "`POST …/workspaces/{workspace}/sources` becomes `POST /sources` with `slug`, `metadataId` and `enabled`."
    )]


def test_required_inputs_follow_the_spec():
    import json
    from pathlib import Path

    import pytest

    from migrator.translate.public_models import CALLS

    spec_path = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "openapi" / (
        "segment-public-api-openapi-v36.2.0.json"
    )
    if not spec_path.is_file():
        pytest.skip(f"{spec_path} is absent (it lives beside the repository)")
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]

    def resolve(schema):
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def required(schema, prefix=""):
        schema = resolve(schema)
        if "items" in schema:
            return required(schema["items"], prefix + "[]")
        out = [prefix + ("." if prefix else "") + k for k in schema.get("required", [])]
        for key, inner in schema.get("properties", {}).items():
            out += required(inner, prefix + ("." if prefix else "") + key)
        return out

    from_spec = {}
    for call in CALLS:
        if call.body is None:
            continue
        method, path = call.endpoint.split(" ", 1)
        content = spec["paths"][path][method.lower()]["requestBody"]["content"]
        found = required(next(iter(content.values()))["schema"])
        if found:
            from_spec[call.endpoint] = sorted(found)
    assert {c.endpoint: sorted(c.body_required) for c in CALLS if c.body_required} == from_spec


# -- 4. values a documented rule leaves out ------------------------------------------


def test_a_dropped_connection_mode_is_a_note():
    result = run(
        API + "def create():\n"
        '    body = {"destination": {"name": "workspaces/acme/sources/js/destinations/amplitude", '
        '"connection_mode": "DEVICE", "enabled": True}}\n'
        f"    return requests.post(f{CREATE}, json=body)\n"
    )
    assert result.code.decode() == (
        PUBLIC + "def create():\n"
        '    body = {"metadataId": "54521fd525e721e32a72ee91", "enabled": True, "sourceId": "qQEHquLrjRDN9j1ByrChyn", '
        '"settings": {}}\n'
        '    return requests.post(f"{API}/destinations", json=body)\n'
    )
    assert markers(result) == []
    assert [n for n in result.notes if n.startswith("line ")] == [
        "line 4: `destination.connection_mode` is not sent in the body of `POST /destinations`: the Public API "
        "does not let you choose cloud or device mode; check the destination's mode in the Segment app"
    ]


PLANS = IdMap.model_validate({"tracking_plans": {"rs_1": ["tp_1"]}})


def test_a_dropped_event_description_of_a_reviewed_row_is_marked_and_noted():
    before = (
        "def update():\n"
        '    resp = requests.put("https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/rs_1", json={"tracking_plan": {"rules": '
        '{"events": [{"name": "Signed Up", "description": "first visit", "rules": {}, "version": 1}]}}, '
        '"update_mask": {"paths": ["tracking_plan.rules"]}})\n'
        "    return resp\n"
    )
    result = run(before, ids=PLANS)
    reason = "Public rules have no description; keep it in the JSON Schema if you need it"
    path = "tracking_plan.rules.events[0].description"
    message = (
        f"the body was migrated, but `{path}` (\"first visit\") is not sent to `PUT /tracking-plans/{{trackingPlanId}}/rules`: "
        f"{reason}; check that the call still does what it should"
    )
    assert result.code.decode() == (
        "def update():\n"
        f"    # migrator[rewrite.request-body]: {message}\n"
        '    resp = requests.put("https://api.segmentapis.com/tracking-plans/tp_1" + "/rules", json={"rules": '
        '[{"type": "TRACK", "key": "Signed Up", "jsonSchema": {}, "version": 1}]})\n'
        "    return resp\n"
    )
    assert markers(result) == [(2, "rewrite.request-body", message)]
    assert f"line 2: `{path}` is not sent in the body of `PUT /tracking-plans/{{trackingPlanId}}/rules`: {reason}" in result.notes


def test_a_field_outside_the_mask_is_neither_noted_nor_marked():
    result = run(
        API + "def pause():\n"
        '    body = {"destination": {"enabled": False, "connection_mode": "DEVICE"}, '
        '"update_mask": {"paths": ["destination.enabled"]}}\n'
        f"    return requests.patch(f{DEST}, json=body)\n"
    )
    assert '    body = {"enabled": False}\n' in result.code.decode()
    assert markers(result) == []
    assert [n for n in result.notes if n.startswith("line ")] == []
