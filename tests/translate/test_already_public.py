"""Red-team rt1 on `migrator translate` in a repository half migrated: a
display name taken for a slug, a Config resource inside a Public envelope,
Public calls, bodies and resources translated again as Config, and documents
passed through unchanged counted as translated. Outputs are compared whole,
with every report."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from migrator.cli import cli
from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.ruleset.templates import parse_name
from migrator.translate import TranslateError, translate
from migrator.translate.public_models import check_public

RULES = load_rules()
MAP = {
    "format": "migrator.ids", "version": 1,
    "workspace": {"id": "ws_PUB", "slug": "acme"},
    "sources": {"web": "src_web", "ios": "src_ios"},
    "source_metadata": {"javascript": "meta_js"},
    "destination_metadata": {"google-analytics": "meta_ga"},
}
IDS = IdMap.model_validate(MAP)
CREATE_SOURCE = "POST /v1beta/workspaces/acme/sources"
UPDATE_SOURCE = "PATCH /v1beta/workspaces/acme/sources/web"
CREATE_DESTINATION = "POST /v1beta/workspaces/acme/sources/web/destinations"
NOT_A_NAME = "{value} does not look like 'workspaces/{{workspace}}/sources/{{source}}'; left out"
NO_MASK = ("no update mask: the Config API changed nothing with this data, the Public call applies it; check that is "
           "meant (or send nothing)")
ADDED = "a Public source requires it and a Config one never had it; {value} used"


def everything(result):
    return [tuple(r) for r in result.reports]


# -- 1: a `name` that is no resource name is not the slug ----------------------------------------------

def test_a_display_name_in_a_create_is_no_slug():
    result = translate({"source": {"name": "Web Site", "catalog_name": "catalog/sources/javascript"}}, RULES, IDS,
                       endpoint=CREATE_SOURCE, request=True)
    assert result.document == {"method": "POST", "url": "/sources", "body": {"metadataId": "meta_js", "enabled": True}}
    assert everything(result) == [
        ("unknown", "source.name", "source.fields", NOT_A_NAME.format(value='"Web Site"')),
        ("added", "enabled", "endpoint.sources.create", "required by the Public API; true used"),
    ]


def test_a_public_patch_body_does_not_rename_the_source():
    # Its `name` is the Public display name; the report names no `source.` wrapper the body does not have.
    result = translate({"name": "My Web Source", "enabled": False}, RULES, IDS, endpoint=UPDATE_SOURCE, request=True)
    assert result.document == {"method": "PATCH", "url": "/sources/src_web", "body": {"enabled": False}}
    assert everything(result) == [
        ("review", "update_mask", "update-mask.partial-body", NO_MASK),
        ("unknown", "name", "source.fields", NOT_A_NAME.format(value='"My Web Source"')),
    ]


def test_a_masked_display_name_leaves_nothing_to_send():
    with pytest.raises(TranslateError) as caught:
        translate({"source": {"name": "Web Site"}, "update_mask": {"paths": ["source.name"]}}, RULES, IDS,
                  endpoint=UPDATE_SOURCE, request=True)
    assert str(caught.value) == (
        "the update mask leaves nothing to send (an empty PATCH /sources/{sourceId} would change nothing): "
        "'source.name' unknown: " + NOT_A_NAME.format(value='"Web Site"'))


@pytest.mark.parametrize(("name", "body"), [
    ("web", {"slug": "web", "metadataId": "meta_js", "enabled": True}),  # a bare slug still binds
    ("web_2-b", {"slug": "web_2-b", "metadataId": "meta_js", "enabled": True}),
    ("Web", {"metadataId": "meta_js", "enabled": True}),
    ("web site", {"metadataId": "meta_js", "enabled": True}),
    ("web\t", {"metadataId": "meta_js", "enabled": True}),
])
def test_only_a_bare_value_that_may_be_a_slug_is_the_slug(name, body):
    result = translate({"source": {"name": name, "catalog_name": "catalog/sources/javascript"}}, RULES, IDS,
                       endpoint=CREATE_SOURCE, request=True)
    assert result.document["body"] == body
    assert result.count("unknown") == (0 if "slug" in body else 1)


def test_a_response_name_that_is_no_resource_name_is_reported_once():
    result = translate({"name": "iOS", "slug": "ios"}, RULES, IDS, endpoint="GET /v1beta/workspaces/acme/sources/ios")
    assert result.document == {"data": {"source": {"slug": "ios", "enabled": True, "labels": []}}}
    assert everything(result) == [
        ("unknown", "name", "source.fields", NOT_A_NAME.format(value='"iOS"')),
        ("added", "enabled", "source.fields", ADDED.format(value="true")),
        ("added", "labels", "source.fields", ADDED.format(value="[]")),
    ]


def test_parse_name_binds_a_bare_value_only_when_it_may_be_a_slug():
    assert parse_name("workspaces/{workspace}", "my-space_2") == {"workspace": "my-space_2"}
    assert parse_name("workspaces/{workspace}", "My Space") is None
    assert parse_name("workspaces/{workspace}", "mySpace") is None
    assert parse_name("{destination+}/config/{key}", "apiKey", any_bare=True) == {"key": "apiKey"}
    # an id with a prefix ends a tracking plan's name (segment-apis.md §2.6): its capitals are no display name's
    assert parse_name("workspaces/{workspace}/tracking-plans/{tracking_plan}", "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ") == {
        "tracking_plan": "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ"}


# -- 2: a Config resource inside the Public envelope ---------------------------------------------------

WRAPPED = {"data": {"source": {"name": "workspaces/acme/sources/web", "display_name": "Web",
                               "catalog_name": "catalog/sources/javascript"}}}


def test_a_config_resource_in_the_envelope_is_translated_in_place():
    result = translate(WRAPPED, RULES, IDS)
    assert (result.document, result.kind, result.unchanged) == ({"data": {"source": {
        "slug": "web", "id": "src_web", "name": "Web", "metadata": {"slug": "javascript", "id": "meta_js"},
        "workspaceId": "ws_PUB", "enabled": True, "labels": []}}}, "source", False)
    assert everything(result) == [
        ("note", "data.source", "source.fields", "a Config source ('name', 'display_name', 'catalog_name') inside "
                                                 "the Public envelope: translated, in the envelope"),
        ("added", "data.source.enabled", "source.fields", ADDED.format(value="true")),
        ("added", "data.source.labels", "source.fields", ADDED.format(value="[]")),
    ]
    assert check_public(result.document, result.kind) == []


def test_a_config_parent_in_the_envelope_is_a_conflict_there():
    doc = {"data": {"source": {"name": "workspaces/acme/sources/web", "parent": "workspaces/other"}}}
    result = translate(doc, RULES, IDS)
    assert [r for r in everything(result) if r[0] == "conflict"] == [
        ("conflict", "data.source.parent", "source.fields",
         "'workspaces/other' is not the parent of the name 'workspaces/acme/sources/web': the two name different "
         "objects; the Public fields are made from the name, this parent left out; check which is right"),
    ]


@pytest.mark.parametrize(("doc", "endpoint", "message"), [
    ({"data": {"sources": [{"id": "a"}, {"name": "workspaces/acme/sources/web", "display_name": "W"}]}}, None,
     "data.sources[1] holds a Config source ('name', 'display_name') inside the Public envelope: not Public, and "
     "not translated (a list in the envelope is not translated); translate the Config body without the envelope"),
    ({"data": {"source": {"display_name": "W"}, "extra": 1}}, None,
     "data.source holds a Config source ('display_name') inside the Public envelope: not Public, and not "
     "translated (the envelope holds more than that resource); translate the Config body without the envelope"),
    (WRAPPED, "GET /v1beta/workspaces/acme/sources",
     "data.source holds a Config source ('name', 'display_name', 'catalog_name') inside the Public envelope: not "
     "Public, and not translated (--endpoint answers a list of sources); translate the Config body without the "
     "envelope"),
])
def test_config_fields_elsewhere_in_the_envelope_are_an_error(doc, endpoint, message):
    with pytest.raises(TranslateError) as caught:
        translate(doc, RULES, IDS, endpoint=endpoint)
    assert str(caught.value) == message


def test_the_check_of_a_public_input_looks_inside_the_envelope():
    assert check_public(WRAPPED, "public") == ["data.source: Config fields in a Public body: name, display_name, "
                                               "catalog_name"]
    assert check_public({"data": {"source": {"id": "a", "name": "Web"}}}, "public") == []


# -- 4: Public calls, bodies and resources are not translated again ------------------------------------

CALL = {"method": "POST", "url": "/destinations",
        "body": {"metadataId": "meta_ga", "enabled": True, "settings": {"trackingId": "UA-1"}, "sourceId": "src_web"}}


def test_its_own_output_is_left_as_it_is():
    result = translate(CALL, RULES, IDS, endpoint=CREATE_DESTINATION, request=True)
    assert (result.document, result.unchanged) == (CALL, True)
    assert everything(result) == [
        ("note", "", "endpoint.destinations.create",
         "already a Public call (its method and url, as translate --request writes them): left as it is"),
    ]


def test_a_public_body_is_sent_as_it_is():
    body = {"metadataId": "meta_ga", "sourceId": "src_web", "enabled": True, "settings": {"trackingId": "UA-1"}}
    result = translate(body, RULES, IDS, endpoint=CREATE_DESTINATION, request=True)
    assert (result.document, result.unchanged) == ({"method": "POST", "url": "/destinations", "body": body}, True)
    assert everything(result) == [
        ("note", "", "endpoint.destinations.create",
         "the body is already a Public one ('metadataId', 'sourceId', 'settings': no Config field): not translated "
         "again"),
    ]


def test_a_public_body_loses_only_what_the_call_does_not_take():
    body = {"name": "Web", "metadataId": "meta_js", "slug": "web", "enabled": True}
    result = translate(body, RULES, IDS, endpoint=CREATE_SOURCE, request=True)
    assert (result.document, result.unchanged) == (
        {"method": "POST", "url": "/sources", "body": {"metadataId": "meta_js", "slug": "web", "enabled": True}}, False)
    assert everything(result) == [
        ("note", "", "endpoint.sources.create",
         "the body is already a Public one ('metadataId': no Config field): not translated again"),
        ("dropped", "name", "endpoint.sources.create",
         "'name' is not an input of POST /sources (it takes enabled, metadataId, settings, slug); left out"),
    ]


def test_a_body_that_may_be_config_is_translated_as_before():
    result = translate({"enabled": True, "config": []}, RULES, IDS, endpoint=CREATE_DESTINATION, request=True)
    assert result.document == {"method": "POST", "url": "/destinations",
                               "body": {"settings": {}, "enabled": True, "sourceId": "src_web"}}
    assert everything(result) == [
        ("missing", "metadataId", "endpoint.destinations.create",
         "'metadataId' is required by POST /destinations and the Config body gives none: the Public API refuses "
         "the call until it is filled in"),
    ]


PUBLIC_SOURCE = {"id": "src_ios", "slug": "ios", "name": "iOS", "enabled": True, "writeKeys": ["k2"],
                 "metadata": {"id": "meta_ios", "slug": "ios"}, "labels": []}
LOOKS = ("this{where} looks like a Public {kinds} already ({keys}: fields of the Public one, not of the Config "
         "one): not translated; a Public response holds it in {{\"data\": ...}}")


@pytest.mark.parametrize(("doc", "endpoint", "message"), [
    (PUBLIC_SOURCE, None, LOOKS.format(where="", kinds="source or source-connection",
                                       keys="'writeKeys', 'metadata', 'labels'")),
    (PUBLIC_SOURCE, "GET /v1beta/workspaces/acme/sources/ios",
     LOOKS.format(where="", kinds="source", keys="'id', 'writeKeys', 'metadata', 'labels'")),
    ({"sources": [PUBLIC_SOURCE]}, "GET /v1beta/workspaces/acme/sources",
     LOOKS.format(where=" (sources[0])", kinds="source", keys="'id', 'writeKeys', 'metadata', 'labels'")),
    ({"filters": [{"id": "df_1", "sourceId": "src_web", "destinationId": "d_1", "title": "T", "if": "all",
                   "actions": [], "enabled": True}]}, None,
     LOOKS.format(where=" (filters[0])", kinds="filter", keys="'id', 'sourceId', 'destinationId'")),
])
def test_a_bare_public_resource_is_refused_as_public(doc, endpoint, message):
    with pytest.raises(TranslateError) as caught:
        translate(doc, RULES, IDS, endpoint=endpoint)
    assert str(caught.value) == message


# -- 10: documents left unchanged are counted apart and listed with -v ---------------------------------

def test_the_summary_counts_what_was_left_unchanged(tmp_path):
    lines = [{"data": {"source": {"id": "src_ios", "slug": "ios", "name": "iOS"}}},
             {"errors": [{"type": "not-found", "message": "nope"}]},
             {"name": "workspaces/acme/sources/web", "display_name": "Web"}]
    source = tmp_path / "export.ndjson"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    (tmp_path / "ids.json").write_text(json.dumps(MAP))
    result = CliRunner().invoke(cli, ["translate", "-v", "--strict", "--ids", str(tmp_path / "ids.json"),
                                      str(source)])
    assert result.exit_code == 0
    assert result.stderr.replace(str(source), "export.ndjson").splitlines() == [
        "export.ndjson:1: unchanged: already Public",
        "export.ndjson:2: unchanged: already Public",
        "export.ndjson:3: enabled: added [source.fields] " + ADDED.format(value="true"),
        "export.ndjson:3: labels: added [source.fields] " + ADDED.format(value="[]"),
        "translated 1 document(s), 2 left unchanged (already Public), 0 error(s); 0 field(s) dropped by rule, "
        "0 unknown, 0 unresolved id(s)",
        "  added: 2",
    ]


def test_a_request_run_counts_its_own_output_as_unchanged(tmp_path):
    source = tmp_path / "call.json"
    source.write_text(json.dumps(CALL))
    result = CliRunner().invoke(cli, ["translate", "--request", "--endpoint", CREATE_DESTINATION, str(source)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == CALL
    assert result.stderr.splitlines() == [
        "translated 0 document(s), 1 left unchanged (already Public), 0 error(s); 0 field(s) dropped by rule, "
        "0 unknown, 0 unresolved id(s)",
        "  note: 1",
    ]


# -- rt5 #9: a body migrated partly by hand, and a Public call fed back with another --endpoint --------

KEPT = ("note", "metadataId", "endpoint.sources.create", "already Public: kept as given")
ENABLED = ("added", "enabled", "endpoint.sources.create", "required by the Public API; true used")
TAKES = "(it takes enabled, metadataId, settings, slug); left out"
DISAGREE = ("already Public, {public}, but {where} gives {other}: the two disagree; the Public value kept, the other "
            "left out; check which is right")


def test_the_public_keys_of_a_body_partly_migrated_are_kept():
    result = translate({"slug": "web2", "metadataId": "meta_x", "display_name": "Web"}, RULES, IDS,
                       endpoint=CREATE_SOURCE, request=True)
    assert (result.document, result.unchanged) == (
        {"method": "POST", "url": "/sources", "body": {"slug": "web2", "enabled": True, "metadataId": "meta_x"}},
        False)
    assert everything(result) == [
        ENABLED,
        KEPT,
        ("dropped", "display_name", "endpoint.sources.create", "'name' is not an input of POST /sources " + TAKES),
    ]


@pytest.mark.parametrize(("catalog", "reports"), [
    ("catalog/sources/javascript", [ENABLED, ("conflict", "metadataId", "endpoint.sources.create", DISAGREE.format(
        public='"meta_x"', where="'catalog_name'", other='"meta_js"'))]),
    ("catalog/sources/ios", [("unresolved", "catalog_name", "source.fields",
                              "no source-metadata id for 'ios' (run `migrator ids`)"), ENABLED, KEPT]),
])
def test_a_public_key_beside_the_config_key_it_comes_from(catalog, reports):
    result = translate({"slug": "web2", "metadataId": "meta_x", "catalog_name": catalog, "id": "src_9"}, RULES, IDS,
                       endpoint=CREATE_SOURCE, request=True)
    assert result.document == {"method": "POST", "url": "/sources",
                               "body": {"slug": "web2", "metadataId": "meta_x", "enabled": True}}
    assert everything(result) == [*reports,
                                  ("dropped", "id", "endpoint.sources.create", "'id' is not an input of POST /sources "
                                   + TAKES)]


def test_the_same_value_from_both_is_no_conflict():
    result = translate({"slug": "web2", "metadataId": "meta_js", "catalog_name": "catalog/sources/javascript"}, RULES,
                       IDS, endpoint=CREATE_SOURCE, request=True)
    assert result.document["body"] == {"slug": "web2", "metadataId": "meta_js", "enabled": True}
    assert everything(result) == [ENABLED, KEPT]


def test_a_display_name_beside_a_public_name_is_a_conflict():
    result = translate({"name": "Other", "display_name": "Web", "settings": {"a": 1}}, RULES, IDS,
                       endpoint=UPDATE_SOURCE, request=True)
    assert result.document == {"method": "PATCH", "url": "/sources/src_web",
                               "body": {"name": "Other", "settings": {"a": 1}}}
    assert everything(result) == [
        ("review", "update_mask", "update-mask.partial-body", NO_MASK),
        ("conflict", "name", "endpoint.sources.update",
         DISAGREE.format(public='"Other"', where="'display_name'", other='"Web"')),
        ("note", "settings", "endpoint.sources.update", "already Public: kept as given"),
    ]


def test_a_public_key_the_path_gives_another_value_is_a_conflict():
    result = translate({"sourceId": "src_ios", "metadataId": "meta_ga", "enabled": True, "config": []}, RULES, IDS,
                       endpoint=CREATE_DESTINATION, request=True)
    assert result.document == {"method": "POST", "url": "/destinations", "body": {
        "settings": {}, "enabled": True, "sourceId": "src_ios", "metadataId": "meta_ga"}}
    assert everything(result) == [
        ("conflict", "sourceId", "endpoint.destinations.create",
         DISAGREE.format(public='"src_ios"', where="the url", other='"src_web"')),
        ("note", "metadataId", "endpoint.destinations.create", "already Public: kept as given"),
    ]


def test_a_public_call_of_another_endpoint_is_for_review(tmp_path):
    call = {"method": "PATCH", "url": "/destinations/d_1", "body": {"enabled": False}}
    source = tmp_path / "call.json"
    source.write_text(json.dumps(call))
    result = CliRunner().invoke(cli, ["translate", "-v", "--strict", "--request", "--endpoint", CREATE_SOURCE,
                                      str(source)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == call
    assert result.stderr.replace(str(source), "call.json").splitlines() == [
        "call.json: unchanged: already Public",
        "call.json: review [endpoint.sources.create] already a Public call (its method and url, as translate "
        "--request writes them), but PATCH /destinations/{destinationId} is not POST /sources, the Public call of "
        "POST /v1beta/workspaces/{workspace}/sources: left as it is; check the --endpoint given for it",
        "translated 0 document(s), 1 left unchanged (already Public), 0 error(s); 0 field(s) dropped by rule, "
        "0 unknown, 0 unresolved id(s)",
        "  to review (kept or sent on an undocumented assumption): 1",
        "strict: values to review (see -v)",
    ]


def test_a_public_call_of_a_follow_up_is_the_endpoints_own():
    call = {"method": "PATCH", "url": "/tracking-plans/tp_1/rules", "body": {"rules": []}}
    result = translate(call, RULES, IDS, endpoint="PUT /v1beta/workspaces/acme/tracking-plans/rs_1", request=True)
    assert (result.document, result.unchanged) == (call, True)
    assert everything(result) == [
        ("note", "", "endpoint.tracking-plans.update",
         "already a Public call (its method and url, as translate --request writes them): left as it is"),
    ]
