"""Red-team findings on `migrator translate`: each output is compared whole,
with every report."""

from __future__ import annotations

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import TranslateError, jsontext, translate

RULES = load_rules()
IDS = IdMap.model_validate({
    "workspace": {"id": "w1", "slug": "acme"},
    "sources": {"js": "s1"},
    "destination_metadata": {"amplitude": "m_amp"},
    "tracking_plans": {"rs_1": ["tp_1"]},
})
CATALOG_ID_CONFLICT = ("gives 'id' the value \"0000000000000000000000ff\", but the id map holds \"m_amp\", the "
                       "Public id, for the destination-metadata 'amplitude' of '{name}': the map's kept, this one "
                       "left out")


def everything(result):
    return [tuple(r) for r in result.reports]


def but_gaps(result):
    """The reports but the catalog details an entry lacks (`missing`: test_catalog_required.py)."""
    return [tuple(r) for r in result.reports if r.kind != "missing"]


@pytest.mark.parametrize("doc", [
    {"name": "catalog/destinations/amplitude", "display_name": "Amplitude", "id": "0000000000000000000000ff"},
    {"id": "0000000000000000000000ff", "name": "catalog/destinations/amplitude", "display_name": "Amplitude"},
])
def test_a_catalog_destination_id_other_than_the_id_maps_is_a_conflict_and_the_maps_is_kept(doc):
    # The Config `id` was kept silently: the map was read only for an entry without an `id`.
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"destinationMetadata": {"slug": "amplitude", "name": "Amplitude", "id": "m_amp"}}}
    assert but_gaps(result) == [
        ("conflict", "id", "catalog-destination.fields", CATALOG_ID_CONFLICT.format(name="name")),
    ]
    listed = translate({"destinations": [doc]}, RULES, IDS)
    assert but_gaps(listed) == [
        ("conflict", "destinations[0].id", "catalog-destination.fields",
         CATALOG_ID_CONFLICT.format(name="destinations[0].name")),
    ]


def test_a_catalog_destination_id_is_kept_when_the_map_agrees_or_lacks_the_slug():
    same = translate({"name": "catalog/destinations/amplitude", "id": "m_amp"}, RULES, IDS)
    assert same.document == {"data": {"destinationMetadata": {"slug": "amplitude", "id": "m_amp"}}}
    assert but_gaps(same) == []
    unmapped = translate({"name": "catalog/destinations/braze", "id": "00ff"}, RULES, IDS)
    assert unmapped.document == {"data": {"destinationMetadata": {"slug": "braze", "id": "00ff"}}}
    assert but_gaps(unmapped) == []
    without = translate({"name": "catalog/destinations/braze"}, RULES, IDS)
    assert without.document == {"data": {"destinationMetadata": {"slug": "braze"}}}
    assert but_gaps(without) == [
        ("unresolved", "name", "catalog-destination.fields",
         "no destination-metadata id for 'braze' (run `migrator ids`)"),
    ]


PLAN = "PUT /v1beta/workspaces/acme/tracking-plans/rs_1"


def plan_events(*events):
    return {"tracking_plan": {"rules": {"events": list(events)}}, "update_mask": {"paths": ["tracking_plan.rules"]}}


@pytest.mark.parametrize(("text", "written"), [("1", "1.0"), ("1", "1e0"), ("2.50", "2.5")])
def test_an_event_version_written_two_ways_is_one_version(text, written):
    # `1` and `1.0` were compared as text: two rules of one key and version were sent.
    doc = jsontext.loads(
        '{"tracking_plan": {"rules": {"events": [{"name": "A", "version": %s, "rules": {"a": 1}}, '
        '{"name": "A", "version": %s, "rules": {"b": 2}}]}}, "update_mask": {"paths": ["tracking_plan.rules"]}}'
        % (text, written))
    result = translate(doc, RULES, IDS, endpoint=PLAN, request=True)
    assert jsontext.dumps(result.document, pretty=False) == (
        '{"method":"PUT","url":"/tracking-plans/tp_1/rules","body":{"rules":[{"type":"TRACK","key":"A",'
        '"jsonSchema":{"a":1},"version":%s}]}}' % text)
    assert everything(result) == [
        ("conflict", "tracking_plan.rules.events[1]", "tracking-plan.fields",
         f"event \"A\" version {written} again; tracking_plan.rules.events[0] already gave it: the first kept, "
         f"this one left out"),
    ]


def test_events_of_other_versions_or_long_names_differing_at_the_end_are_other_rules():
    long = "E" * 70
    doc = jsontext.loads(
        '{"tracking_plan": {"rules": {"events": [{"name": "A", "version": 0.1}, '
        '{"name": "A", "version": 0.1000000000000000055511151231257827}, {"name": "A", "version": true}, '
        '{"name": "%sx"}, {"name": "%sy"}]}}, "update_mask": {"paths": ["tracking_plan.rules"]}}' % (long, long))
    result = translate(doc, RULES, IDS, endpoint=PLAN, request=True)
    assert [(r["key"], jsontext.dumps(r["version"], pretty=False)) for r in result.document["body"]["rules"]] == [
        ("A", "0.1"), ("A", "0.1000000000000000055511151231257827"), ("A", "true"), (long + "x", "1"),
        (long + "y", "1"),
    ]
    assert [r for r in everything(result) if r[0] == "conflict"] == []


LIST_OF_ONE_KIND = ("but the list is one of {kind}s (after its key and first item); a list holds one kind: "
                    "translate the others apart")


@pytest.mark.parametrize(("doc", "message", "rule"), [
    ({"sources": [{"name": "workspaces/acme/sources/js"},
                  {"name": "catalog/sources/javascript", "display_name": "Javascript"}]},
     "the name \"catalog/sources/javascript\" (sources[1]) is of a catalog-source, "
     + LIST_OF_ONE_KIND.format(kind="source"), "source.fields"),
    ({"destinations": [{"name": "workspaces/acme/sources/js/destinations/amplitude"},
                       {"name": "catalog/destinations/amplitude", "display_name": "Amplitude"}]},
     "the name \"catalog/destinations/amplitude\" (destinations[1]) is of a catalog-destination, "
     + LIST_OF_ONE_KIND.format(kind="destination"), "destination.fields"),
    ({"destinations": [{"name": "catalog/destinations/amplitude"},
                       {"name": "workspaces/acme/sources/js/destinations/amplitude"}]},
     "the name \"workspaces/acme/sources/js/destinations/amplitude\" (destinations[1]) is of a destination, "
     + LIST_OF_ONE_KIND.format(kind="catalog-destination"), "catalog-destination.fields"),
])
def test_a_list_item_of_another_kind_than_the_list_is_an_error_without_endpoint_too(doc, message, rule):
    # The item was translated as the first item's kind, with made-up fields (`enabled`, `labels`).
    with pytest.raises(TranslateError) as raised:
        translate(doc, RULES, IDS)
    assert (str(raised.value), raised.value.rule) == (message, rule)


INVITE = "DELETE /v1beta/workspaces/acme/invites/"


def test_an_invite_segment_is_sent_as_its_email_for_review():
    # It was sent with no report, though nothing documents the segment as an email.
    result = translate(None, RULES, IDS, endpoint=INVITE + "a%2Bb@x.test", request=True)
    assert result.document == {"method": "DELETE", "url": "/invites", "params": {"emails": ["a+b@x.test"]}}
    assert everything(result) == [
        ("review", "url", "endpoint.invites.delete",
         "{invite} 'a+b@x.test' is taken as the invite's email, which the Public call takes: that the Config "
         "segment holds one is not documented; check it"),
    ]


def test_an_invite_segment_that_is_no_email_is_not_sent_as_one():
    # `1sWOz7jvKhpa3O1cxKqWLUbAEBM` was sent as an email.
    result = translate(None, RULES, IDS, endpoint=INVITE + "1sWOz7jvKhpa3O1cxKqWLUbAEBM", request=True)
    assert result.document == {"method": "DELETE", "url": "/invites", "params": {"emails": ["{invite}"]}}
    assert everything(result) == [
        ("unresolved", "url", "endpoint.invites.delete",
         "{invite} '1sWOz7jvKhpa3O1cxKqWLUbAEBM' does not look like the invite's email, which the Public call "
         "takes: not sent; fill it in"),
    ]


@pytest.mark.parametrize(("text", "value"), [("[1, 2]", [1, 2]), ('"just a string"', "just a string"), ("5", 5)])
def test_a_preview_input_that_is_no_json_object_is_mistyped(text, value):
    # `payload` is an object in the Public API; an array or a string was sent without a report.
    doc = {"filter": {"if": "all", "actions": []}, "input": text}
    result = translate(doc, RULES, IDS, endpoint="POST /v1beta/filters/preview", request=True)
    assert result.document == {"method": "POST", "url": "/destination/filters/preview",
                               "body": {"filter": {"if": "all", "actions": []}, "payload": value}}
    assert everything(result) == [
        ("mistyped", "input", "filter-preview.fields",
         f"the Public field 'payload' takes object, not {jsontext.dumps(value, pretty=False)}: copied as is; "
         f"the Public API will likely reject it"),
    ]


def test_a_cleared_section_is_reported_with_the_value_sent():
    # The report said `cleared to {}` while `{"rules": []}` was sent.
    doc = {"tracking_plan": {}, "update_mask": {"paths": ["tracking_plan.rules"]}}
    result = translate(doc, RULES, IDS, endpoint=PLAN, request=True)
    assert result.document == {"method": "PUT", "url": "/tracking-plans/tp_1/rules", "body": {"rules": []}}
    assert everything(result) == [
        ("cleared", "update_mask.paths[0]", "update-mask.partial-body",
         "'tracking_plan.rules' masked without a value: cleared (the Config empty value {} is sent as [])"),
    ]


def test_a_body_of_a_call_that_takes_none_is_reported_key_by_key():
    # It was one report with an empty path; a page size there was not said to be unused.
    result = translate({"page_size": 10, "x": 1}, RULES, IDS, endpoint="GET /v1beta/workspaces/acme/sources",
                       request=True)
    assert result.document == {"method": "GET", "url": "/sources", "params": {"pagination.count": 200}}
    assert everything(result) == [
        ("unknown", "page_size", "endpoint.sources.list",
         "'page_size' in the body is not used (the Config call read it from the query, ?page_size=...): this "
         "call takes no body in the Public API; left out"),
        ("unknown", "x", "endpoint.sources.list", "this call takes no body in the Public API; left out"),
        ("added", "pagination.count", "pagination.params", "list calls require a page size; 200 used"),
    ]


@pytest.mark.parametrize(("code", "reported"), [
    ("7", [("mistyped", "code", "error.envelope",
            "a Config error code takes integer, not \"7\": read as the code 7; check the body")]),
    ("77", [("unknown", "code", "error.envelope", "error code \"77\" is not in the table")]),
])
def test_an_error_code_that_is_no_integer_is_mistyped(code, reported):
    # `"7"` was mapped as the code 7 without a report.
    result = translate({"error": "x", "code": code}, RULES)
    known = {"type": "PermissionDenied", "message": "x", "status": 403} if code == "7" else \
        {"type": "unknown", "message": "x"}
    assert result.document == {"errors": [known]}
    assert everything(result) == reported


def test_rows_say_what_a_json_string_holds_and_assume_only_parameters_of_their_path():
    from pydantic import ValidationError

    from migrator.ruleset.models import EndpointRow, FieldMap

    with pytest.raises(ValidationError, match="transform 'json-string' needs 'type'"):
        FieldMap.model_validate({"to": "payload", "transform": "json-string"})
    row = {"id": "endpoint.x", "summary": "s", "why": "w", "reference": "r", "safety": "review",
           "config": "DELETE /v1beta/workspaces/{workspace}/invites/{invite}", "public": "DELETE /invites",
           "assumed": {"email": {"means": "an email", "pattern": ".+@.+"}},
           "examples": [{"endpoint": "DELETE /v1beta/workspaces/a/invites/b", "before": "null", "after": "null"}],
           "left_alone": ['{"data": {"status": "SUCCESS"}}']}
    with pytest.raises(ValidationError, match="'assumed' names 'email', which is not a parameter"):
        EndpointRow.model_validate(row)
