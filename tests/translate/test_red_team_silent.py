"""Red-team findings on `migrator translate`: outputs that were silently
wrong (no pagination, an explicit empty value under a mask, a workspace
regulation with a source's collection, a parent other than the name's, a
function of another id than the path's). Outputs are compared whole, with
every report."""

from __future__ import annotations

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import translate

RULES = load_rules()
IDS = IdMap.model_validate({
    "workspace": {"id": "ws_PUB", "slug": "acme"},
    "sources": {"js": "src_js1", "ios": "src_ios1"},
    "destinations": {"ios/amplitude": ["d_amp1"]},
    "destination_metadata": {"amplitude": "amp1"},
    "tracking_plans": {"rs_1": ["tp_1"]},
    "functions": {"One": ["sfnc_1"], "Two": ["sfnc_2"]},
})
DESTINATION = "PATCH /v1beta/workspaces/acme/sources/ios/destinations/amplitude"
PLAN = "PUT /v1beta/workspaces/acme/tracking-plans/rs_1"


def everything(result):
    return [tuple(r) for r in result.reports]


# -- 1: a list page without a token has no more pages: `pagination` is always there ------------------

@pytest.mark.parametrize(("doc", "endpoint", "data"), [
    ({"sources": [{"name": "workspaces/acme/sources/js"}]}, "GET /v1beta/workspaces/acme/sources",
     {"sources": [{"slug": "js", "id": "src_js1", "workspaceId": "ws_PUB", "enabled": True, "labels": []}]}),
    ({"filters": []}, "GET /v1beta/workspaces/acme/sources/ios/destinations/amplitude/filters", {"filters": []}),
    ({"filters": []}, None, {"filters": []}),
])
def test_a_list_page_without_a_page_token_gets_pagination_next_null(doc, endpoint, data):
    # No `pagination` was made: code reading body["data"]["pagination"] failed on the last page.
    result = translate(doc, RULES, IDS, endpoint=endpoint)
    assert result.document == {"data": {**data, "pagination": {"next": None}}}
    assert [r for r in everything(result) if r[0] != "added"] == []


def test_a_list_of_one_public_object_gets_no_pagination():
    result = translate({"workspaces": [{"name": "workspaces/acme"}]}, RULES, IDS)
    assert result.document == {"data": {"workspace": {"slug": "acme", "id": "ws_PUB"}}}


# -- 2: an explicit empty value under a mask is the Config "clear" -----------------------------------

CONFIG_REVIEW = ("'destination.config' masked {how}: the Config call cleared it; the Public call sends an empty 'settings', which "
                 "may not clear it (whether a PATCH replaces or merges 'settings' is not documented): remove each "
                 "key yourself if it must go")


@pytest.mark.parametrize(("destination", "how"), [
    ({"config": []}, "with [], an empty value"),
    ({"config": None}, "with a null value"),
    ({}, "without a value"),
])
def test_masked_empty_settings_are_for_review_as_missing_ones_are(destination, how):
    # `"config": []` was sent as `settings: {}` with no report (a PATCH may merge it: nothing cleared).
    body = {"destination": destination, "update_mask": {"paths": ["destination.config"]}}
    result = translate(body, RULES, IDS, endpoint=DESTINATION, request=True)
    assert result.document == {"method": "PATCH", "url": "/destinations/d_amp1", "body": {"settings": {}}}
    assert everything(result) == [
        ("review", "update_mask.paths[0]", "destination.fields", CONFIG_REVIEW.format(how=how)),
    ]


REMOVED = ("'tracking_plan.rules.{part}' masked {how}: the Config call removed what it held; the Public API removes "
           "items with DELETE /tracking-plans/{{trackingPlanId}}/rules, which takes each one's type, key and version "
           "(read them with GET /tracking-plans/{{trackingPlanId}}/rules): nothing is sent for it")


@pytest.mark.parametrize(("part", "value", "how"), [
    ("events", [], "with [], an empty value"),
    ("identify", {}, "with {}, an empty value"),
    ("events", None, "with a null value"),
])
def test_a_masked_empty_rules_section_is_missing_as_one_without_a_value_is(part, value, how):
    # `"events": []` was sent as `PATCH …/rules {"rules": []}`, which removes nothing, with only a note.
    body = {"tracking_plan": {"display_name": "Plan", "rules": {part: value}},
            "update_mask": {"paths": [f"tracking_plan.rules.{part}", "tracking_plan.display_name"]}}
    result = translate(body, RULES, IDS, endpoint=PLAN, request=True)
    assert result.document == {"method": "PATCH", "url": "/tracking-plans/tp_1", "body": {"name": "Plan"}}
    assert everything(result) == [
        ("missing", "update_mask.paths[0]", "update-mask.partial-body", REMOVED.format(part=part, how=how)),
    ]


def test_a_masked_rules_section_with_events_is_still_sent_with_the_partial_call():
    body = {"tracking_plan": {"rules": {"events": [{"name": "A", "version": 1, "rules": {}}]}},
            "update_mask": {"paths": ["tracking_plan.rules.events"]}}
    result = translate(body, RULES, IDS, endpoint=PLAN, request=True)
    assert result.document == {"method": "PATCH", "url": "/tracking-plans/tp_1/rules", "body": {
        "rules": [{"type": "TRACK", "key": "A", "jsonSchema": {}, "version": 1}]}}
    assert [r[0] for r in result.reports] == ["note"]


# -- 3: a workspace regulation with a cloud-source collection ----------------------------------------

def test_a_workspace_regulation_with_a_sources_collection_is_a_conflict():
    # The collection was dropped (`dropped`, --strict exit 0): a deletion meant for one source's
    # collection became workspace-wide.
    body = {"regulation_type": "delete", "attributes": {"name": "objectId", "values": ["o1"]},
            "collection": "workspaces/acme/sources/js/col"}
    result = translate(body, RULES, IDS, endpoint="POST /v1beta/workspaces/acme/regulations", request=True)
    assert result.document == {"method": "POST", "url": "/regulations", "body": {
        "regulationType": "DELETE_ONLY", "subjectType": "OBJECT_ID", "subjectIds": ["o1"]}}
    assert everything(result) == [
        ("conflict", "collection", "regulation.fields",
         "names source 'js', but the call names no source (it is for workspace 'acme'): it would act on more "
         "than source 'js'; check --endpoint (a call under source 'js' may be meant)"),
        ("dropped", "collection", "endpoint.regulations.create",
         "'collection' is not an input of POST /regulations (it takes regulationType, subjectIds, subjectType); "
         "left out"),
    ]


def test_a_cloud_source_regulation_with_its_own_collection_is_clean():
    body = {"regulation_type": "delete", "attributes": {"name": "objectId", "values": ["o1"]},
            "collection": "workspaces/acme/sources/js/col"}
    result = translate(body, RULES, IDS, endpoint="POST /v1beta/workspaces/acme/sources/js/regulations",
                       request=True)
    assert result.document == {"method": "POST", "url": "/regulations/cloudsources/src_js1", "body": {
        "regulationType": "DELETE_ONLY", "subjectType": "OBJECT_ID", "subjectIds": ["o1"], "collection": "col"}}
    assert result.reports == ()


# -- 4: a parent that does not start the name: the Public fields follow the name ---------------------

PARENT = ("'{parent}' is not the parent of the name '{name}': the two name different objects; the Public fields "
          "are made from the name, this parent left out; check which is right")


@pytest.mark.parametrize(("doc", "data", "rule"), [
    ({"name": "workspaces/acme/sources/ios/destinations/amplitude", "parent": "workspaces/acme/sources/js"},
     {"destination": {"id": "d_amp1", "metadata": {"slug": "amplitude", "id": "amp1"}, "sourceId": "src_ios1"}},
     "destination.fields"),
    ({"parent": "workspaces/acme/sources/js", "name": "workspaces/acme/sources/ios/schema-config"},
     {"sourceId": "src_ios1"}, "source-settings.fields"),
])
def test_a_parent_other_than_the_names_is_left_out(doc, data, rule):
    # The destination got the id of `ios/amplitude` and the `sourceId` of `js`, one object of two.
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": data}
    assert everything(result) == [
        ("conflict", "parent", rule, PARENT.format(parent=doc["parent"], name=doc["name"])),
    ]


def test_a_source_under_another_workspace_than_its_parent_gets_no_workspace_id():
    # It got acme's `workspaceId` from the parent, though its name is of workspace `other`; the name's
    # workspace is not the map's, so it has no `workspaceId` (unresolved, as its `id`).
    doc = {"name": "workspaces/other/sources/web", "parent": "workspaces/acme"}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"source": {"slug": "web", "enabled": True, "labels": []}}}
    assert [(r[0], r[1]) for r in result.reports] == [
        ("unresolved", "name"), ("unresolved", "name"), ("added", "enabled"), ("added", "labels"),
        ("conflict", "parent"),
    ]
    assert result.reports[1].message.startswith("no workspace id for 'other': this is workspace 'other'")
    assert result.reports[-1].message == PARENT.format(parent=doc["parent"], name=doc["name"])


# -- 5: a function of another id than the --endpoint path --------------------------------------------

def test_a_function_whose_id_is_not_the_paths_is_a_conflict():
    # It was translated with no report: the document answers for another function than the call.
    doc = {"id": "sfnc_1", "type": "DESTINATION", "display_name": "X"}
    result = translate(doc, RULES, IDS, endpoint="GET /v1beta/workspaces/acme/functions/sfnc_2")
    assert result.document == {"data": {"function": {"id": "sfnc_1", "resourceType": "DESTINATION",
                                                     "displayName": "X"}}}
    assert everything(result) == [
        ("conflict", "id", "function.fields",
         "names function 'sfnc_1', but --endpoint is for function 'sfnc_2': the Public fields are made from the "
         "id; check --endpoint or the document"),
    ]
    same = translate(doc, RULES, IDS, endpoint="GET /v1beta/workspaces/acme/functions/sfnc_1")
    assert same.reports == ()
