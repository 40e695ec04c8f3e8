"""Payloads `migrator translate` cannot carry over whole (error bodies of
another shape, ids the map lacks, lists with extra keys, masks that clear):
each output says what it lost or assumed."""

from __future__ import annotations

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import TranslateError, translate

RULES = load_rules()
IDS = IdMap.model_validate({
    "workspace": {"id": "w1", "slug": "acme"},
    "sources": {"js": "s1", "ios": "s2"},
    "destinations": {"js/google-analytics": ["d1"]},
    "destination_metadata": {"google-analytics": "m_ga"},
    "filters": {"d1/Drop test": ["df_NEW"]},
    "functions": {"Relay": ["sfnc_NEW"]},
})


def reports(result, *kinds):
    return [(r.kind, r.path, r.message) for r in result.reports if r.kind in kinds]


@pytest.mark.parametrize("endpoint", [
    "GET /v1beta/workspaces/acme/sources", "GET /v1beta/workspaces/acme/sources/js",
])
def test_a_grpc_gateway_error_body_is_a_public_error_not_an_empty_result(endpoint):
    doc = {"error": "permission denied", "code": 7, "message": "permission denied", "details": []}
    result = translate(doc, RULES, endpoint=endpoint)
    assert result.kind == "error"
    assert result.document == {"errors": [{"type": "PermissionDenied", "message": "permission denied", "status": 403}]}
    assert reports(result, "dropped", "unknown", "conflict") == [
        ("dropped", "message", "repeats 'error', kept as the Public message"),
        ("dropped", "details", "[]: no details to keep"),
    ]


def test_an_error_message_of_another_text_and_details_are_reported():
    doc = {"error": "x", "code": 5, "message": "y", "details": [{"a": 1}]}
    result = translate(doc, RULES)
    assert result.document == {"errors": [{"type": "NotFound", "message": "x", "status": 404}]}
    assert reports(result, "dropped", "unknown", "conflict") == [
        ("conflict", "message",
         "a second message \"y\" beside 'error' \"x\": a Public error has one; 'error' kept, this one left out"),
        ("unknown", "details", "error details [{\"a\":1}] have no documented place in a Public error; left out"),
    ]


@pytest.mark.parametrize("doc", [
    {"name": "workspaces/acme/sources/js/destinations/google-analytics", "display_name": "GA", "enabled": True},
    {"sources": [{"name": "workspaces/acme/sources/js/destinations/google-analytics"}]},
])
def test_a_document_naming_another_kind_than_the_endpoint_answers_is_refused(doc):
    endpoint = "GET /v1beta/workspaces/acme/sources" + ("" if "sources" in doc else "/js")
    with pytest.raises(TranslateError, match="is of a destination, but the endpoint answers a source"):
        translate(doc, RULES, IDS, endpoint=endpoint)


FUNCTION = {"name": "workspaces/acme/functions/sfnc_1", "display_name": "Relay", "type": "DESTINATION", "code": "x"}
FILTER = {"name": "workspaces/acme/sources/js/destinations/google-analytics/filters/df_123", "title": "Drop test",
          "if": "all", "enabled": True, "actions": []}
REVIEW = ("the Config {kind} id '{id}' is kept as the Public id ({why}): whether Public {kind} ids equal Config "
          "ids is not documented; check it (`migrator ids` lists the Public ones)")


@pytest.mark.parametrize(("doc", "kind", "config_id", "public"), [
    (FUNCTION, "function", "sfnc_1", {"data": {"function": {
        "id": "sfnc_1", "displayName": "Relay", "resourceType": "DESTINATION", "code": "x"}}}),
    ({**FUNCTION, "id": "sfnc_1"}, "function", "sfnc_1", {"data": {"function": {
        "id": "sfnc_1", "displayName": "Relay", "resourceType": "DESTINATION", "code": "x"}}}),
    ({**FILTER, "title": "Drop tests"}, "filter", "df_123", {"data": {"filter": {
        "id": "df_123", "sourceId": "s1", "destinationId": "d1", "title": "Drop tests", "if": "all", "enabled": True,
        "actions": []}}}),
])
def test_a_response_id_the_map_does_not_hold_is_kept_for_review(doc, kind, config_id, public):
    result = translate(doc, RULES, IDS)
    assert result.document == public
    assert reports(result, "review", "unresolved") == [
        ("review", "name", REVIEW.format(kind=kind, id=config_id, why="the id map does not hold it")),
    ]


def test_a_response_id_is_reviewed_without_an_id_map_and_confirmed_by_one_that_holds_it():
    alone = translate(FUNCTION, RULES)
    assert reports(alone, "review") == [
        ("review", "name", REVIEW.format(kind="function", id="sfnc_1", why="no id map to check it against")),
    ]
    held = IdMap.model_validate({"functions": {"Relay": ["sfnc_1"]}, "destinations": {"js/google-analytics": ["d1"]},
                                 "filters": {"d1/Drop test": ["df_123"]}})
    assert reports(translate(FUNCTION, RULES, held), "review") == []
    assert reports(translate({"filters": [FILTER]}, RULES, held), "review") == []


FILTER_NAME = "workspaces/acme/sources/js/destinations/google-analytics/filters/df_NEW"
KEPT = ("kept as is (left out, the action would keep or drop other fields than the Config one did); "
        "it is not a Public field list: fix it by hand")


def filter_actions(actions):
    result = translate({"name": FILTER_NAME, "actions": actions}, RULES, IDS)
    return result.document["data"]["filter"]["actions"], reports(result, "unknown", "review")


def test_a_key_beside_a_filter_field_list_is_reported_and_the_list_kept():
    actions, found = filter_actions([
        {"type": "whitelist_fields", "fields": {"properties": {"fields": ["email"], "note": ""}}},
        {"type": "blacklist_fields", "fields": {"traits": {"fields": ["ip"], "why": "x"}}},
    ])
    assert actions == [{"type": "ALLOW_PROPERTIES", "fields": {"properties": ["email"]}},
                       {"type": "DROP_PROPERTIES", "fields": {"traits": ["ip"]}}]
    assert found == [
        ("unknown", "actions[0].fields.properties.note", "a field list holds only 'fields', not 'note'; left out"),
        ("unknown", "actions[1].fields.traits.why", "a field list holds only 'fields', not 'why'; left out"),
    ]


def test_a_filter_field_list_that_cannot_be_read_is_kept_not_emptied():
    actions, found = filter_actions([
        {"type": "whitelist_fields", "fields": {"properties": {"names": ["email"]}, "context": 5}},
        {"type": "blacklist_fields", "fields": "email"},
    ])
    assert actions == [
        {"type": "ALLOW_PROPERTIES", "fields": {"properties": {"names": ["email"]}, "context": 5}},
        {"type": "DROP_PROPERTIES", "fields": "email"},
    ]
    assert found == [
        ("unknown", "actions[0].fields.properties", f"expected {{\"fields\": [...]}}, got {{\"names\":[\"email\"]}}; {KEPT}"),
        ("unknown", "actions[0].fields.context", f"expected {{\"fields\": [...]}}, got 5; {KEPT}"),
        ("unknown", "actions[1].fields", f"expected an object of field lists, got \"email\"; {KEPT}"),
    ]


CREATE_DESTINATION = "POST /v1beta/workspaces/acme/sources/js/destinations"


@pytest.mark.parametrize(("given", "sent", "notes"), [
    ({}, False, [("added", "enabled", "not given: the Config call used false, the Public default is not documented; "
                                     "false sent")]),
    ({"enabled": True}, True, []),
])
def test_a_destination_created_without_enabled_is_sent_disabled_as_the_config_api_created_it(given, sent, notes):
    body = {"destination": {"name": "workspaces/acme/sources/js/destinations/google-analytics", **given}}
    result = translate(body, RULES, IDS, endpoint=CREATE_DESTINATION, request=True)
    assert result.document == {"method": "POST", "url": "/destinations", "body": {
        "metadataId": "m_ga", "settings": {}, "sourceId": "s1", "enabled": sent}}
    assert [r for r in reports(result, "added") if r[1] == "enabled"] == notes


UPDATE_DESTINATION = "PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics"


def test_an_update_with_data_and_no_mask_is_for_review():
    result = translate({"destination": {"enabled": True}}, RULES, IDS, endpoint=UPDATE_DESTINATION, request=True)
    assert result.document == {"method": "PATCH", "url": "/destinations/d1", "body": {"enabled": True}}
    assert reports(result, "review", "note") == [
        ("review", "update_mask", "no update mask: the Config API changed nothing with this data, the Public call "
                                  "applies it; check that is meant (or send nothing)"),
    ]


def test_masked_settings_without_a_value_are_for_review_not_claimed_cleared():
    body = {"destination": {}, "update_mask": {"paths": ["destination.config"]}}
    result = translate(body, RULES, IDS, endpoint=UPDATE_DESTINATION, request=True)
    assert result.document == {"method": "PATCH", "url": "/destinations/d1", "body": {"settings": {}}}
    assert reports(result, "review", "cleared") == [
        ("review", "update_mask.paths[0]",
         "'destination.config' masked without a value: the Config call cleared it; the Public call sends an empty 'settings', which "
         "may not clear it (whether a PATCH replaces or merges 'settings' is not documented): remove each key "
         "yourself if it must go"),
    ]


def test_an_unknown_key_of_a_destination_setting_is_unknown_not_dropped_by_rule():
    setting = {"name": "workspaces/acme/sources/js/destinations/google-analytics/config/trackingId",
               "value": "UA-1", "type": "string", "display_name": "Tracking Id", "secret": True}
    doc = {"name": "workspaces/acme/sources/js/destinations/google-analytics", "config": [setting]}
    result = translate(doc, RULES, IDS)
    assert result.document["data"]["destination"]["settings"] == {"trackingId": "UA-1"}
    assert reports(result, "dropped", "unknown") == [
        ("dropped", "config[].display_name", "settings hold values only; the Public catalog describes each setting"),
        ("unknown", "config[].secret", "'secret' of a setting is not in the table (display_name, type are); left out"),
        ("dropped", "config[].type", "settings hold values only; the Public catalog describes each setting"),
    ]


def test_an_empty_forwarding_target_means_none_and_is_not_unknown():
    doc = {"name": "workspaces/acme/sources/js/schema-config", "forwarding_violations_to": "",
           "forwarding_blocked_events_to": "ios"}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"sourceId": "s1", "settings": {"forwardingBlockedEventsTo": "s2"}}}
    assert reports(result, "unknown", "note") == [("note", "forwarding_violations_to", "\"\" means none: left out")]


def test_a_destination_without_parent_takes_its_source_from_its_name():
    doc = {"name": "workspaces/acme/sources/js/destinations/google-analytics", "enabled": True, "config": []}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"destination": {
        "id": "d1", "metadata": {"slug": "google-analytics", "id": "m_ga"}, "enabled": True, "settings": {},
        "sourceId": "s1"}}}
    assert result.reports == ()
    unmapped = translate({**doc, "name": "workspaces/acme/sources/web/destinations/x"}, RULES, IDS)
    assert "sourceId" not in unmapped.document["data"]["destination"]
    assert ("unresolved", "name", "no source id for 'web' (run `migrator ids`)") in reports(unmapped, "unresolved")


UPDATE_PLAN = "PUT /v1beta/workspaces/acme/tracking-plans/tp_x"
REMOVED = ("'tracking_plan.rules.identify' masked without a value: the Config call removed what it held; the Public "
           "API removes items with DELETE /tracking-plans/{trackingPlanId}/rules, which takes each one's type, key "
           "and version (read them with GET /tracking-plans/{trackingPlanId}/rules): nothing is sent for it")


def test_a_rule_section_cleared_by_the_mask_is_reported_as_needing_the_rule_removal_call():
    body = {"update_mask": {"paths": ["tracking_plan.rules.identify", "tracking_plan.display_name"]},
            "tracking_plan": {"display_name": "X"}}
    result = translate(body, RULES, endpoint=UPDATE_PLAN, request=True)
    assert result.document == {"method": "PATCH", "url": "/tracking-plans/{trackingPlanId}", "body": {"name": "X"}}
    assert reports(result, "missing", "unknown") == [("missing", "update_mask.paths[0]", REMOVED)]


def test_a_mask_that_leaves_nothing_to_send_is_an_error_not_an_empty_patch():
    body = {"update_mask": {"paths": ["tracking_plan.rules.identify"]}, "tracking_plan": {"rules": {}}}
    with pytest.raises(TranslateError) as raised:
        translate(body, RULES, endpoint=UPDATE_PLAN, request=True)
    assert str(raised.value) == ("the update mask leaves nothing to send (an empty PATCH /tracking-plans/"
                                 "{trackingPlanId} would change nothing): " + REMOVED)


def test_catalog_logos_keep_the_public_keys_and_report_a_config_logo():
    # `logos` was copied whole: the Config {logo, mark} went out as a Public LogosBeta, which has `default`
    # (required), `mark` and `alt` but no `logo`, unreported. Nothing documents that `logo` is `default`.
    entry = {"name": "catalog/destinations/google-analytics", "display_name": "GA",
             "logos": {"logo": "https://x/l.svg", "mark": "https://x/m.svg"}}
    result = translate(entry, RULES, IDS)
    assert result.document == {"data": {"destinationMetadata": {
        "slug": "google-analytics", "name": "GA", "logos": {"mark": "https://x/m.svg"}, "id": "m_ga"}}}
    assert [tuple(r) for r in result.reports if r.kind != "missing" or r.path == "logos"] == [
        ("unknown", "logos.logo", "catalog-logos.fields", "'logo' is not in the catalog-logos field map; left out"),
        ("missing", "logos", "catalog-logos.fields", "a Public catalog-logos requires `default`: this one lacks it "
         "(nothing the Config data holds was translated to it) and none is made up; read it from the Public API where code needs it"),
    ]  # (the other catalog details it lacks are reported too: test_catalog_required.py)
    public = {"default": "https://x/l.svg", "mark": None, "alt": "GA"}
    result = translate({"sources": [{"name": "catalog/sources/javascript", "logos": public}, {
        "name": "catalog/sources/ios", "logos": {"default": 5, "mark": 6}}], "next_page_token": ""}, RULES, IDS)
    assert [item["logos"] for item in result.document["data"]["sourcesCatalog"]] == [public, {"default": 5, "mark": 6}]
    assert reports(result, "unknown", "mistyped") == [
        ("mistyped", "sources[1].logos.default", "the Public field 'default' takes string, not 5: copied as is; the "
         "Public API never answers it so: code reading the Public response may fail on it"),
        ("mistyped", "sources[1].logos.mark", "the Public field 'mark' takes string or null, not 6: copied as is; the "
         "Public API never answers it so: code reading the Public response may fail on it"),
    ]


def test_destination_catalog_entries_get_their_id_and_report_a_component_type_outside_the_public_enum():
    entry = {"name": "catalog/destinations/google-analytics", "display_name": "GA", "components": [{"type": "WEB"}],
             "categories": {"primary": "Analytics"}}
    result = translate({"destinations": [entry], "next_page_token": ""}, RULES, IDS)
    assert result.document == {"data": {"destinationsCatalog": [{
        "slug": "google-analytics", "name": "GA", "components": [{"type": "WEB"}],
        "categories": {"primary": "Analytics"}, "id": "m_ga"}], "pagination": {"next": None}}}
    assert reports(result, "unknown", "mistyped") == [
        ("unknown", "destinations[0].components[0].type", "value \"WEB\" has no Public counterpart; kept as is"),
        ("mistyped", "destinations[0].categories",
         "the Public field 'categories' takes array, not {\"primary\":\"Analytics\"}: copied as is; the Public API "
         "never answers it so: code reading the Public response may fail on it"),
    ]


SCHEMA = "PATCH /v1beta/workspaces/acme/sources/js/schema-config"


def forwarding_cleared(how: str, path: str = "forwarding_violations_to", what: str = "violations") -> str:
    key = {"violations": "forwardingViolationsTo", "blocked events": "forwardingBlockedEventsTo"}[what]
    return (f"'schema_config.{path}' masked {how}: the Config call cleared it; the Public API stops forwarding {what} "
            f"when the field is left out, so '{key}' is not sent; whether this PATCH clears a value set before is "
            f"not documented (a PATCH keeps what it leaves out): after the call, check that "
            f"GET /sources/{{sourceId}}/settings answers no 'settings.{key}'")


@pytest.mark.parametrize(("given", "how"), [
    ({}, "without a value"),
    ({"forwarding_violations_to": None}, "with a null value"),
    ({"forwarding_violations_to": ""}, 'with "", which means none'),
])
def test_a_forwarding_target_the_mask_clears_is_left_out_for_review(given, how):
    body = {"schema_config": {"allow_unplanned_track_events": False, **given},
            "update_mask": {"paths": ["schema_config.allow_unplanned_track_events",
                                      "schema_config.forwarding_violations_to"]}}
    result = translate(body, RULES, IDS, endpoint=SCHEMA, request=True)
    assert result.document == {"method": "PATCH", "url": "/sources/s1/settings",
                               "body": {"track": {"allowUnplannedEvents": False}}}
    assert [tuple(r) for r in result.reports] == [
        ("review", "update_mask.paths[1]", "update-mask.partial-body", forwarding_cleared(how)),
        ("review", "update_mask", "source-settings.fields", left_out("forwardingBlockedEventsTo", "blocked events")),
    ]


@pytest.mark.parametrize(("given", "how"), [({}, "without a value"), ({"forwarding_blocked_events_to": ""},
                                                                       'with "", which means none')])
def test_a_mask_that_only_clears_a_forwarding_target_is_a_patch_without_it_not_an_error(given, how):
    body = {"schema_config": given, "update_mask": {"paths": ["schema_config.forwarding_blocked_events_to"]}}
    result = translate(body, RULES, IDS, endpoint=SCHEMA, request=True)
    assert result.document == {"method": "PATCH", "url": "/sources/s1/settings", "body": {}}
    assert [tuple(r) for r in result.reports] == [
        ("review", "update_mask.paths[0]", "update-mask.partial-body",
         forwarding_cleared(how, "forwarding_blocked_events_to", "blocked events")),
        ("review", "update_mask", "source-settings.fields", left_out("forwardingViolationsTo", "violations")),
    ]


def left_out(key: str, what: str) -> str:
    return (f"not in this PATCH: '{key}' (the Public API stops forwarding {what} when the field is left out): "
            "values set before may be cleared, where the Config call kept them; send the ones that are set "
            "(read them from GET /sources/{sourceId}/settings)")


def test_a_mask_that_leaves_the_forwarding_targets_out_is_reported_for_review():
    # The Public API stops forwarding when a body leaves the targets out (segment-apis.md §2.3): a PATCH of
    # other settings may turn off forwarding that the Config call, whose mask did not name it, kept.
    body = {"schema_config": {"allow_unplanned_track_events": False},
            "update_mask": {"paths": ["schema_config.allow_unplanned_track_events"]}}
    result = translate(body, RULES, IDS, endpoint=SCHEMA, request=True)
    assert result.document == {"method": "PATCH", "url": "/sources/s1/settings",
                               "body": {"track": {"allowUnplannedEvents": False}}}
    assert [tuple(r) for r in result.reports] == [(
        "review", "update_mask", "source-settings.fields",
        "not in this PATCH: 'forwardingViolationsTo', 'forwardingBlockedEventsTo' (the Public API stops forwarding "
        "violations when the field is left out; the Public API stops forwarding blocked events when the field is "
        "left out): values set before may be cleared, where the Config call kept them; send the ones that are set "
        "(read them from GET /sources/{sourceId}/settings)",
    )]


def test_an_empty_forwarding_target_in_an_update_without_mask_means_none():
    result = translate({"schema_config": {"forwarding_violations_to": ""}}, RULES, IDS, endpoint=SCHEMA, request=True)
    assert result.document == {"method": "PATCH", "url": "/sources/s1/settings", "body": {}}
    assert reports(result, "note", "unknown") == [
        ("note", "schema_config.forwarding_violations_to", "\"\" means none: left out"),
    ]


WORKSPACE_ID_CONFLICT = ("gives 'id' the value \"e5bdb0902b\", but the id map holds \"w1\", the Public id, for the "
                         "workspace 'acme' of '{name}': the map's kept, this one left out")


@pytest.mark.parametrize("doc", [
    {"name": "workspaces/acme", "display_name": "Acme", "id": "e5bdb0902b"},
    {"id": "e5bdb0902b", "name": "workspaces/acme", "display_name": "Acme"},
])
def test_a_workspace_id_other_than_the_id_maps_is_a_conflict_and_the_maps_is_kept(doc):
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"workspace": {"slug": "acme", "name": "Acme", "id": "w1"}}}
    assert [tuple(r) for r in result.reports] == [
        ("conflict", "id", "workspace.fields", WORKSPACE_ID_CONFLICT.format(name="name")),
    ]
    listed = translate({"workspaces": [doc]}, RULES, IDS)
    assert listed.document == result.document
    assert reports(listed, "conflict") == [
        ("conflict", "workspaces[0].id", WORKSPACE_ID_CONFLICT.format(name="workspaces[0].name")),
    ]


def test_a_workspace_of_another_workspace_than_the_id_maps_is_reported():
    # It was translated with no report: its `id` (Config) kept unchecked, the map's workspace silently not it.
    for doc in ({"name": "workspaces/globex", "display_name": "Globex", "id": "e5bdb0902b"},
                {"name": "workspaces/globex"}):
        result = translate(doc, RULES, IDS)
        assert result.document == {"data": {"workspace": {k: v for k, v in (
            ("slug", "globex"), ("name", doc.get("display_name")), ("id", doc.get("id"))) if v}}}
        assert [tuple(r) for r in result.reports] == [(
            "unresolved", "name", "workspace.fields",
            "no workspace id for 'globex': this is workspace 'globex' but the id map is for 'acme' (a Public API "
            "token works for one workspace; use that workspace's id map)",
        )]


def test_a_workspace_id_is_kept_without_an_id_map_or_when_it_agrees():
    doc = {"name": "workspaces/acme", "display_name": "Acme", "id": "e5bdb0902b"}
    alone = translate(doc, RULES)
    assert alone.document == {"data": {"workspace": {"slug": "acme", "name": "Acme", "id": "e5bdb0902b"}}}
    assert alone.reports == ()
    same = translate({**doc, "id": "w1"}, RULES, IDS)
    assert same.document == {"data": {"workspace": {"slug": "acme", "name": "Acme", "id": "w1"}}}
    assert same.reports == ()


FILTERS = "GET /v1beta/workspaces/acme/sources/js/destinations/amplitude/filters"


@pytest.mark.parametrize(("name", "message"), [
    ("workspaces/acme/sources/js/destinations/google-analytics/filters/df_9",
     "names destination 'google-analytics', but --endpoint is for destination 'amplitude'"),
    ("workspaces/acme/sources/ios/destinations/amplitude/filters/df_9",
     "names source 'ios', but --endpoint is for source 'js'"),
])
def test_a_list_item_named_under_another_object_than_the_endpoint_is_a_conflict(name, message):
    doc = {"filters": [{"name": name, "title": "X", "if": "all", "actions": [], "enabled": True}]}
    result = translate(doc, RULES, IDS, endpoint=FILTERS)
    assert reports(result, "conflict") == [
        ("conflict", "filters[0].name",
         message + ": the Public fields are made from the name; check --endpoint or the document"),
    ]
    single = translate(doc["filters"][0], RULES, IDS, endpoint=FILTERS + "/df_9")
    assert reports(single, "conflict") == [
        ("conflict", "name", message + ": the Public fields are made from the name; check --endpoint or the document"),
    ]
    same = translate({"filters": [{**doc["filters"][0], "name": FILTERS.split(" ")[1][8:] + "/df_9"}]},
                     RULES, IDS, endpoint=FILTERS)
    assert reports(same, "conflict") == []
