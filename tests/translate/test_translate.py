"""The translate core: reports, ids, masks and refusals."""

from __future__ import annotations

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import Report, TranslateError, translate
from migrator.translate.context import show
from migrator.translate.public_models import check_public, find_public

RULES = load_rules()
IDS = IdMap.model_validate({
    "workspace": {"id": "w1", "slug": "acme"},
    "sources": {"js": "s1"},
    "destinations": {"js/google-analytics": ["d1"], "js/amplitude": ["d2", "d3"]},
    "source_metadata": {"javascript": "m1"},
})


def reports(result, kind):
    return [(r.path, r.rule, r.message) for r in result.reports if r.kind == kind]


def test_every_field_is_mapped_dropped_or_reported():
    doc = {
        "name": "workspaces/acme/sources/js", "parent": "workspaces/acme",
        "catalog_name": "catalog/sources/javascript", "write_keys": ["k"],
        "library_config": {"api_host": ""}, "create_time": "2018", "colour": "red",
    }
    result = translate(doc, RULES, IDS)
    assert result.kind == "source"
    assert result.document == {"data": {"source": {
        "slug": "js", "id": "s1", "workspaceId": "w1", "metadata": {"slug": "javascript", "id": "m1"},
        "writeKeys": ["k"], "enabled": True, "labels": [],
    }}}
    assert reports(result, "dropped") == [
        ("library_config", "source.fields",
         "library settings have no documented Public counterpart; set `settings` (such as `apiHost`) by hand if needed"),
        ("create_time", "source.fields", "the Public API does not return the creation time of a source"),
    ]
    assert reports(result, "unknown") == [
        ("colour", "source.fields", "'colour' is not in the source field map; left out"),
    ]


def test_ids_are_reported_not_invented():
    result = translate({"name": "workspaces/acme/sources/ios"}, RULES, IDS)
    assert result.document == {"data": {"source": {"slug": "ios", "workspaceId": "w1", "enabled": True, "labels": []}}}
    assert reports(result, "unresolved") == [
        ("name", "source.fields", "no source id for 'ios' (run `migrator ids`)"),
    ]


def test_several_destination_instances_are_ambiguous():
    result = translate(None, RULES, IDS, endpoint="GET /v1beta/workspaces/acme/sources/js/destinations/amplitude",
                       request=True)
    assert result.document == {"method": "GET", "url": "/destinations/{destinationId}"}
    assert reports(result, "ambiguous") == [
        ("url", "endpoint.destinations.get", "destination 'js/amplitude' matches 2 ids (d2, d3); pick one"),
    ]


def test_update_mask_keeps_config_semantics():
    body = {
        "destination": {"enabled": True, "display_name": "Renamed"},
        "update_mask": {"paths": ["destination.enabled", "destination.config"]},
    }
    result = translate(body, RULES, IDS, request=True,
                       endpoint="PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics")
    assert result.document == {"method": "PATCH", "url": "/destinations/d1",
                               "body": {"enabled": True, "settings": {}}}
    assert reports(result, "cleared") == []  # an empty settings map may clear nothing: a review (see below)
    assert reports(result, "review") == [
        ("update_mask.paths[1]", "destination.fields",
         "'destination.config' masked without a value: the Config call cleared it; the Public call sends an empty 'settings', which "
         "may not clear it (whether a PATCH replaces or merges 'settings' is not documented): remove each key "
         "yourself if it must go"),
    ]
    assert reports(result, "ignored") == [
        ("destination.display_name", "update-mask.partial-body",
         "not in the update mask: the Config API ignored it, so it is not sent"),
    ]


def test_mask_inside_the_wrapper_is_accepted():
    body = {"destination": {"enabled": False, "update_mask": {"paths": ["destination.enabled"]}}}
    result = translate(body, RULES, IDS, request=True,
                       endpoint="PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics")
    assert result.document["body"] == {"enabled": False}


def test_defaults_are_added_and_reported():
    body = {"source": {"name": "workspaces/acme/sources/js", "catalog_name": "catalog/sources/javascript"}}
    result = translate(body, RULES, IDS, endpoint="POST /v1beta/workspaces/acme/sources", request=True)
    assert result.document["body"] == {"slug": "js", "metadataId": "m1", "enabled": True}
    assert reports(result, "added") == [("enabled", "endpoint.sources.create", "required by the Public API; true used")]


def test_a_tracking_plan_list_asks_for_live_plans_and_says_so():
    # the Public list holds every type of plan (templates, libraries) unless asked for one
    result = translate(None, RULES, endpoint="GET /v1beta/workspaces/acme/tracking-plans", request=True)
    assert result.document == {"method": "GET", "url": "/tracking-plans",
                               "params": {"type": "LIVE", "pagination.count": 200}}
    assert reports(result, "added") == [
        ("type", "endpoint.tracking-plans.list",
         '"LIVE" sent, which the Config call did not need: without it the Public list holds more than the Config '
         "one did"),
        ("pagination.count", "pagination.params", "list calls require a page size; 200 used"),
    ]
    assert check_public(result.document, "request", request_endpoint="GET /tracking-plans") == []


def test_page_token_is_dropped_and_page_size_capped():
    result = translate(None, RULES, endpoint="GET /v1beta/workspaces/acme/sources?page_size=500&page_token=abc",
                       request=True)
    assert result.document == {"method": "GET", "url": "/sources", "params": {"pagination.count": 200}}
    assert [r.kind for r in result.reports] == ["note", "dropped"]


def test_public_documents_are_left_alone():
    doc = {"data": {"source": {"id": "s1"}}}
    result = translate(doc, RULES)
    assert (result.document, result.kind, result.reports) == (doc, "public", ())


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"colour": "red"}, "unknown kind of document; give --endpoint"),
        ({"name": "spaces/x"}, "unknown kind of document (name \"spaces/x\")"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_unknown_documents_are_refused(doc, message):
    with pytest.raises(TranslateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        translate(doc, RULES)


def test_request_mode_needs_a_known_endpoint():
    with pytest.raises(TranslateError, match="request mode needs an endpoint"):
        translate({}, RULES, request=True)
    with pytest.raises(TranslateError, match="no Config API endpoint in the table matches"):
        translate({}, RULES, endpoint="GET /v1beta/nothing", request=True)


def test_unknown_error_code_keeps_the_message():
    result = translate({"error": "odd", "code": 99}, RULES)
    assert result.document == {"errors": [{"type": "unknown", "message": "odd"}]}
    assert result.reports == (Report("unknown", "code", "error.envelope", "error code 99 is not in the table"),)


def test_unknown_enum_value_is_kept_and_reported():
    doc = {"filters": [{"name": "workspaces/a/sources/js/destinations/ga/filters/f1", "actions": [{"type": "mystery"}]}]}
    result = translate(doc, RULES)
    assert result.document["data"]["filters"][0]["actions"] == [{"type": "mystery"}]
    assert reports(result, "unknown") == [
        ("filters[0].actions[0].type", "filter-action.fields", 'value "mystery" has no Public counterpart; kept as is'),
    ]


def test_a_workspace_list_reports_its_page_token_and_extra_keys():
    doc = {"workspaces": [{"name": "workspaces/acme", "display_name": "Acme"}], "next_page_token": "NEXT",
           "total_size": 3}
    result = translate(doc, RULES)
    assert result.document == {"data": {"workspace": {"slug": "acme", "name": "Acme"}}}
    assert reports(result, "unknown") == [
        ("next_page_token", "envelope.list",
         "more workspaces existed on further Config pages; the Public API returns only the workspace of the token; "
         "left out"),
        ("total_size", "envelope.list", "'total_size' is not part of a workspace list; left out"),
    ]
    with_endpoint = translate(doc, RULES, endpoint="GET /v1beta/workspaces")
    assert with_endpoint.reports == result.reports
    last_page = translate({**doc, "next_page_token": ""}, RULES, endpoint="GET /v1beta/workspaces")
    assert reports(last_page, "unknown") == [
        ("total_size", "envelope.list", "'total_size' is not part of a workspace list; left out"),
    ]


def test_a_list_page_with_a_counter_is_still_a_list_page():
    result = translate({"sources": [], "next_page_token": "", "total_size": 0}, RULES,
                       endpoint="GET /v1beta/workspaces/acme/sources")
    assert result.document == {"data": {"sources": [], "pagination": {"next": None}}}
    assert reports(result, "unknown") == [
        ("total_size", "envelope.list", "'total_size' is not part of a source list; left out"),
    ]


def test_a_slug_that_disagrees_with_the_name_is_a_conflict():
    result = translate({"name": "workspaces/acme/sources/js", "slug": "web"}, RULES, IDS)
    assert result.document == {"data": {"source": {"slug": "js", "id": "s1", "workspaceId": "w1", "enabled": True,
                                                   "labels": []}}}
    assert reports(result, "conflict") == [
        ("slug", "source.fields",
         "gives 'slug' the value \"web\", but 'name' already gave it \"js\"; the first kept, this one left out"),
    ]
    agreeing = translate({"name": "workspaces/acme/sources/js", "slug": "js"}, RULES, IDS)
    assert agreeing.document == {"data": {"source": {"slug": "js", "id": "s1", "workspaceId": "w1", "enabled": True,
                                                     "labels": []}}}
    assert [report.kind for report in agreeing.reports] == ["added", "added"]


def test_destination_settings_twice_or_of_another_destination_are_conflicts():
    prefix = "workspaces/acme/sources/js/destinations"
    doc = {"name": f"{prefix}/google-analytics", "config": [
        {"name": f"{prefix}/google-analytics/config/trackingId", "value": "UA-1"},
        {"name": f"{prefix}/amplitude/config/apiKey", "value": "x"},
        {"name": f"{prefix}/google-analytics/config/trackingId", "value": "UA-2"},
        {"name": f"{prefix}/google-analytics/config/trackingId", "value": "UA-1"},
    ]}
    result = translate(doc, RULES, IDS)
    assert result.document["data"]["destination"]["settings"] == {"trackingId": "UA-1"}
    assert reports(result, "conflict") == [
        ("config[1].name", "destination.fields",
         f"a setting of {prefix}/amplitude, not of {prefix}/google-analytics; left out"),
        ("config[2]", "destination.fields",
         "setting 'trackingId' again, with \"UA-2\"; config[0] already gave \"UA-1\": the first kept, this one left out"),
    ]


def test_request_bodies_keep_only_what_the_public_input_takes():
    body = {"source": {"name": "workspaces/acme/sources/js", "catalog_name": "catalog/sources/javascript",
                       "display_name": "Website", "write_keys": ["k"]}}
    result = translate(body, RULES, IDS, endpoint="POST /v1beta/workspaces/acme/sources", request=True)
    assert result.document == {"method": "POST", "url": "/sources",
                               "body": {"slug": "js", "metadataId": "m1", "enabled": True}}
    takes = "(it takes enabled, metadataId, settings, slug); left out"
    assert reports(result, "dropped") == [
        ("source.display_name", "endpoint.sources.create", f"'name' is not an input of POST /sources {takes}"),
        ("source.write_keys", "endpoint.sources.create", f"'writeKeys' is not an input of POST /sources {takes}"),
    ]
    # The update call takes a name.
    update = translate({"source": {"display_name": "Website"}}, RULES, IDS, request=True,
                       endpoint="PATCH /v1beta/workspaces/acme/sources/js")
    assert (update.document["body"], reports(update, "dropped")) == ({"name": "Website"}, [])


def test_response_only_fields_are_not_sent_in_a_create():
    body = {"function": {"id": "f1", "display_name": "F", "code": "x", "created_at": "2020", "created_by": "u",
                         "catalog_id": "c1"}}
    result = translate(body, RULES, IDS, endpoint="POST /v1beta/workspaces/acme/functions", request=True)
    assert result.document == {"method": "POST", "url": "/functions", "body": {"displayName": "F", "code": "x"}}
    takes = "(it takes code, description, displayName, logoUrl, resourceType, settings); left out"
    assert reports(result, "dropped") == [
        ("function.id", "endpoint.functions.create", f"'id' is not an input of POST /functions {takes}"),
        ("function.created_at", "endpoint.functions.create", f"'createdAt' is not an input of POST /functions {takes}"),
        ("function.created_by", "endpoint.functions.create", f"'createdBy' is not an input of POST /functions {takes}"),
        ("function.catalog_id", "endpoint.functions.create", f"'catalogId' is not an input of POST /functions {takes}"),
    ]
    plan = {"tracking_plan": {"display_name": "TP", "create_time": "2020", "update_time": "2021"}}
    result = translate(plan, RULES, IDS, endpoint="POST /v1beta/workspaces/acme/tracking-plans", request=True)
    assert result.document == {"method": "POST", "url": "/tracking-plans", "body": {"name": "TP", "type": "LIVE"}}
    assert [path for path, _, _ in reports(result, "dropped")] == ["tracking_plan.create_time", "tracking_plan.update_time"]


@pytest.mark.parametrize(
    ("size", "count", "kind", "message"),
    [
        ("0", 200, "note", "page size 0 is below the Public minimum 1; the default 200 used"),
        ("-1", 200, "note", "page size -1 is below the Public minimum 1; the default 200 used"),
        ("many", 200, "unknown", 'page size "many" is not a number; 200 used'),
        ("500", 200, "note", "page size 500 capped at 200"),
        # Python's int() reads these; a page size is ASCII digits.
        ("1_0", 200, "unknown", 'page size "1_0" is not a number; 200 used'),
        ("%EF%BC%95", 200, "unknown", 'page size "５" is not a number; 200 used'),
        ("%D9%A3", 200, "unknown", 'page size "٣" is not a number; 200 used'),
    ],
)
def test_page_sizes_outside_the_public_range_are_reported(size, count, kind, message):
    result = translate(None, RULES, endpoint=f"GET /v1beta/workspaces/acme/sources?page_size={size}", request=True)
    assert result.document == {"method": "GET", "url": "/sources", "params": {"pagination.count": count}}
    assert [(r.kind, r.path, r.rule, r.message) for r in result.reports] == [
        (kind, "page_size", "pagination.params", message),
    ]


def test_a_page_size_in_range_is_kept_silently():
    result = translate(None, RULES, endpoint="GET /v1beta/workspaces/acme/sources?page_size=1", request=True)
    assert (result.document["params"], result.reports) == ({"pagination.count": 1}, ())


@pytest.mark.parametrize(
    ("endpoint", "answers"),
    [
        ("POST /v1beta/workspaces/acme/invites", "POST /invites answers {\"data\": {emails: [...]}}"),
        ("GET /v1beta/workspaces/acme/sources/js/destinations/google-analytics/metrics:getSummary",
         "GET /destinations/{destinationId}/delivery-metrics answers {\"data\": {\"deliveryMetricsSummary\""),
        ("POST /v1beta/filters/preview", "POST /destination/filters/preview answers {\"data\": {inputPayload, result}}"),
    ],
)
def test_responses_of_calls_answering_more_than_a_status_are_not_turned_into_a_status(endpoint, answers):
    with pytest.raises(TranslateError) as caught:
        translate({"email": "ada@example.com"}, RULES, endpoint=endpoint)
    assert f"the Public call {answers}" in str(caught.value)
    assert str(caught.value).endswith("and the Config response is not documented; read it from the Public API")


def test_a_delete_still_answers_a_status():
    result = translate({}, RULES, endpoint="DELETE /v1beta/workspaces/acme/sources/js")
    assert (result.document, result.kind) == ({"data": {"status": "SUCCESS"}}, "status")


def test_ids_of_another_workspace_are_not_taken_from_the_map():
    # The map holds workspace acme's ids: `js` of workspace `other` is another source.
    message = ("no source id for 'js': this is workspace 'other' but the id map is for 'acme' "
               "(a Public API token works for one workspace; use that workspace's id map)")
    call = translate({}, RULES, IDS, endpoint="DELETE /v1beta/workspaces/other/sources/js", request=True)
    assert call.document == {"method": "DELETE", "url": "/sources/{sourceId}"}
    assert reports(call, "unresolved") == [("url", "endpoint.sources.delete", message)]
    response = translate({"name": "workspaces/other/sources/js", "display_name": "Web"}, RULES, IDS)
    assert response.document == {"data": {"source": {"slug": "js", "name": "Web", "enabled": True, "labels": []}}}
    assert reports(response, "unresolved") == [("name", "source.fields", message), ("name", "source.fields", message
        .replace("no source id for 'js'", "no workspace id for 'other'"))]
    # the map's own workspace, by slug or id, still resolves
    for workspace in ("acme", "w1"):
        same = translate({}, RULES, IDS, endpoint=f"DELETE /v1beta/workspaces/{workspace}/sources/js", request=True)
        assert (same.document, same.reports) == ({"method": "DELETE", "url": "/sources/s1"}, ())


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_a_config_filter_id_kept_in_the_public_url_is_reported_for_review(method):
    endpoint = f"{method} /v1beta/workspaces/acme/sources/js/destinations/google-analytics/filters/df_7Yk2"
    body = {"filter": {"enabled": False}, "update_mask": {"paths": ["enabled"]}} if method == "PATCH" else None
    result = translate(body, RULES, IDS, endpoint=endpoint, request=True)
    assert result.document["url"] == "/destination/d1/filters/df_7Yk2"
    rule = {"GET": "endpoint.filters.get", "PATCH": "endpoint.filters.update", "DELETE": "endpoint.filters.delete"}
    assert reports(result, "review") == [
        ("url", rule[method], "{filter} keeps the Config filter id 'df_7Yk2': whether Public filter ids equal "
                              "Config ids is not documented; check it (`migrator ids` lists the Public ones)"),
    ]


def test_mask_paths_outside_the_field_map_are_unknown_not_silently_dropped():
    body = {
        "destination": {"config": [{"name": "workspaces/acme/sources/js/destinations/google-analytics/config/apiKey",
                                    "value": "k"}]},
        "update_mask": {"paths": ["destination.config.apiKey", "destination.display_nam", "destination.enabled"]},
    }
    result = translate(body, RULES, IDS, endpoint="PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics",
                       request=True)
    assert result.document == {"method": "PATCH", "url": "/destinations/d1", "body": {"enabled": False}}
    assert [(r.kind, r.path, r.rule, r.message) for r in result.reports] == [
        ("unknown", "update_mask.paths[0]", "update-mask.partial-body",
         "'destination.config.apiKey' is a path below the field 'config', which is translated only whole (its value in the "
         "body is not sent); mask 'destination.config' to send it"),
        ("unknown", "update_mask.paths[1]", "update-mask.partial-body",
         "'destination.display_nam' is not a field of a destination in the table; nothing is sent for it"),
        ("cleared", "update_mask.paths[2]", "update-mask.partial-body",
         "'destination.enabled' masked without a value: cleared to false"),
    ]


def test_a_masked_path_given_as_null_is_cleared_not_sent_as_null():
    # A JSON null is no value: the Config API cleared the field; the Public inputs take no null here.
    body = {"source": {"display_name": None, "enabled": None}, "update_mask": {"paths": ["source.display_name", "source.enabled"]}}
    result = translate(body, RULES, IDS, request=True, endpoint="PATCH /v1beta/workspaces/acme/sources/js")
    assert result.document == {"method": "PATCH", "url": "/sources/s1", "body": {"name": "", "enabled": False}}
    assert reports(result, "cleared") == [
        ("update_mask.paths[0]", "update-mask.partial-body", "'source.display_name' masked with a null value: "
                                                             "cleared to \"\""),
        ("update_mask.paths[1]", "update-mask.partial-body", "'source.enabled' masked with a null value: cleared to false"),
    ]


def test_a_query_value_the_public_parameter_does_not_take_is_reported():
    # `suppress_only` is no Config spelling the table's enum maps: kept, and reported.
    result = translate(None, RULES, IDS, request=True,
                       endpoint="GET /v1beta/workspaces/acme/regulations?regulation_types=suppress_only&status=FINISHED")
    assert result.document == {"method": "GET", "url": "/regulations", "params": {
        "regulationTypes": ["suppress_only"], "status": "FINISHED", "pagination.count": 200}}
    assert [(r.kind, r.path, r.rule, r.message) for r in result.reports if r.kind != "added"] == [
        ("unknown", "regulation_types", "endpoint.regulations.list",
         "\"suppress_only\" is not a value of the Public parameter 'regulationTypes' (it takes DELETE_INTERNAL, "
         "DELETE_ONLY, SUPPRESS_ONLY, SUPPRESS_WITH_DELETE, UNSUPPRESS); kept as is"),
    ]


def test_a_query_value_is_mapped_by_the_enum_of_the_body_field_it_filters_on():
    # `query_enums`: the Config spellings of `regulation_type` (request bodies) map the list's filter too.
    result = translate(None, RULES, IDS, request=True,
                       endpoint="GET /v1beta/workspaces/acme/regulations?regulation_types=Suppress_With_Delete"
                                "&regulation_types=delete&regulation_types=UNSUPPRESS&status=FINISHED")
    assert result.document == {"method": "GET", "url": "/regulations", "params": {
        "regulationTypes": ["SUPPRESS_WITH_DELETE", "DELETE_ONLY", "UNSUPPRESS"], "status": "FINISHED",
        "pagination.count": 200}}
    assert [r.kind for r in result.reports] == ["added"]
    assert check_public(result.document, result.kind, request_endpoint="GET /regulations") == []


@pytest.mark.parametrize(
    "public_type", find_public("GET /regulations").params["regulationTypes"].core_schema["expected"]
)
def test_a_regulation_type_already_in_its_public_spelling_is_kept_without_a_report(public_type):
    body = {"regulation_type": public_type, "attributes": {"name": "userId", "values": ["u1"]}}
    result = translate(body, RULES, IDS, request=True, endpoint="POST /v1beta/workspaces/acme/regulations")
    assert result.document["body"]["regulationType"] == public_type
    assert result.reports == ()


def test_a_repeated_query_parameter_the_public_call_takes_as_an_array_keeps_every_value():
    # `regulationTypes` is an array in the spec: the second type filtered on is not dropped.
    result = translate(None, RULES, IDS, request=True,
                       endpoint="GET /v1beta/workspaces/acme/regulations?regulation_types=DELETE_ONLY&regulation_types=UNSUPPRESS")
    assert result.document == {"method": "GET", "url": "/regulations", "params": {
        "regulationTypes": ["DELETE_ONLY", "UNSUPPRESS"], "pagination.count": 200}}
    assert [r.kind for r in result.reports] == ["added"]
    assert check_public(result.document, result.kind, request_endpoint="GET /regulations") == []


@pytest.mark.parametrize(
    ("segment", "email"),
    [
        # a value that is no id of the map ({email}) is carried over (for review: the segment is
        # taken as an email, which nothing documents; `endpoint.invites.delete`)
        ("ada@example.com", "ada@example.com"),
        # `params` are encoded when the call is made: kept encoded, "%2B" would be sent as "%252B"
        ("ada%2Bops%40example.com", "ada+ops@example.com"),
    ],
)
def test_a_path_segment_becomes_a_decoded_query_value(segment, email):
    result = translate(None, RULES, IDS, endpoint=f"DELETE /v1beta/workspaces/acme/invites/{segment}", request=True)
    assert (result.document, [r.kind for r in result.reports]) == (
        {"method": "DELETE", "url": "/invites", "params": {"emails": [email]}}, ["review"])


def test_required_public_inputs_the_config_body_lacks_are_reported_once():
    body = {"filter": {"title": "t", "actions": [{"percent": 0.1}]}}
    result = translate(body, RULES, IDS, request=True,
                       endpoint="POST /v1beta/workspaces/acme/sources/js/destinations/google-analytics/filters")
    assert result.document["body"] == {"title": "t", "actions": [{"percent": 0.1}], "sourceId": "s1"}
    tail = "and the Config body gives none: the Public API refuses the call until it is filled in"
    assert reports(result, "missing") == [
        (path, "endpoint.filters.create", f"'{path}' is required by POST /destination/{{destinationId}}/filters {tail}")
        for path in ("enabled", "if", "actions[0].type")
    ]
    # An id the map lacks is reported as unresolved, not again as missing.
    body = {"destination": {"name": "workspaces/acme/sources/js/destinations/mixpanel"}}
    result = translate(body, RULES, IDS, request=True, endpoint="POST /v1beta/workspaces/acme/sources/js/destinations")
    assert [r.kind for r in result.reports] == ["unresolved", "added", "added"]  # settings {}, then enabled false


def test_a_query_parameter_given_twice_is_a_conflict_not_silently_replaced():
    result = translate(None, RULES, IDS, request=True,
                       endpoint="GET /v1beta/workspaces/acme/regulations?status=FAILED&page_size=5&status=FINISHED"
                                "&page_size=3&page_size=5&status=FAILED")
    assert result.document == {"method": "GET", "url": "/regulations",
                               "params": {"status": "FAILED", "pagination.count": 5}}
    assert [(r.kind, r.path, r.rule, r.message) for r in result.reports] == [
        ("conflict", "status", "endpoint.regulations.list",
         "query parameter 'status' again, with \"FINISHED\"; 'status' is already \"FAILED\": the first kept, this one left out"),
        ("conflict", "page_size", "pagination.params",
         "query parameter 'page_size' again, with \"3\"; 'pagination.count' is already 5: the first kept, this one left out"),
    ]


def test_true_and_1_for_one_public_key_are_a_conflict_not_equal_values():
    # Python says True == 1 and False == 0: the later value replaced the first without a report.
    doc = {"name": "catalog/destinations/ga", "browser_unbundling_public": True, "browserUnbundlingPublic": 1}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"destinationMetadata": {
        "slug": "ga", "supportedFeatures": {"browserUnbundlingPublic": True}}}}
    assert reports(result, "conflict") == [
        ("browserUnbundlingPublic", "catalog-destination.fields",
         "gives 'supportedFeatures.browserUnbundlingPublic' the value 1, but 'browser_unbundling_public' already "
         "gave it true; the first kept, this one left out"),
    ]
    setting = "workspaces/acme/sources/js/destinations/google-analytics/config/"
    doc = {"name": "workspaces/acme/sources/js/destinations/google-analytics", "config": [
        {"name": setting + "anonymizeIp", "value": 1}, {"name": setting + "anonymizeIp", "value": True},
        {"name": setting + "map", "value": {"a": [0]}}, {"name": setting + "map", "value": {"a": [False]}},
        {"name": setting + "same", "value": [1]}, {"name": setting + "same", "value": [1]},
    ]}
    result = translate(doc, RULES, IDS)
    assert result.document["data"]["destination"]["settings"] == {"anonymizeIp": 1, "map": {"a": [0]}, "same": [1]}
    assert reports(result, "conflict") == [
        ("config[1]", "destination.fields",
         "setting 'anonymizeIp' again, with true; config[0] already gave 1: the first kept, this one left out"),
        ("config[3]", "destination.fields",
         "setting 'map' again, with {\"a\":[false]}; config[2] already gave {\"a\":[0]}: the first kept, this one left out"),
    ]


def test_a_body_value_under_another_parent_than_the_call_is_a_conflict():
    # The Public call is made for the path's source (and workspace); the body named another, silently lost.
    body = {"destination": {"name": "workspaces/acme/sources/ios/destinations/google-analytics", "enabled": True}}
    result = translate(body, RULES, IDS, request=True, endpoint="POST /v1beta/workspaces/acme/sources/js/destinations")
    assert result.document["body"]["sourceId"] == "s1"
    assert reports(result, "conflict") == [
        ("destination.name", "destination.fields",
         "names source 'ios', but the call is for source 'js': the call's source is used (this source left out), "
         "and 'google-analytics' of this value is sent for it; check it is meant"),
    ]
    body = {"source": {"name": "workspaces/other/sources/js", "catalog_name": "catalog/sources/javascript"}}
    result = translate(body, RULES, IDS, request=True, endpoint="POST /v1beta/workspaces/acme/sources")
    assert result.document["body"] == {"slug": "js", "metadataId": "m1", "enabled": True}
    assert reports(result, "conflict") == [
        ("source.name", "source.fields",
         "names workspace 'other', but the call is for workspace 'acme': the call's workspace is used (this workspace "
         "left out), and 'js' of this value is sent for it; check it is meant"),
    ]
    # A cloud-source deletion of a collection of another source.
    body = {"regulation_type": "delete", "attributes": {"name": "objectId", "values": ["o1"]},
            "collection": "workspaces/acme/sources/ios/users"}
    result = translate(body, RULES, IDS, request=True, endpoint="POST /v1beta/workspaces/acme/sources/js/regulations")
    assert (result.document["url"], result.document["body"]["collection"]) == ("/regulations/cloudsources/s1", "users")
    assert reports(result, "conflict") == [
        ("collection", "regulation.fields",
         "names source 'ios', but the call is for source 'js': the call's source is used (this source left out), "
         "and 'users' of this value is sent for it; check it is meant"),
    ]
    # The value's own part may differ: a masked name is a rename; a forwarding target is another source.
    body = {"source": {"name": "workspaces/acme/sources/web"}, "update_mask": {"paths": ["source.name"]}}
    result = translate(body, RULES, IDS, request=True, endpoint="PATCH /v1beta/workspaces/acme/sources/js")
    assert (result.document["body"], reports(result, "conflict")) == ({"slug": "web"}, [])
    body = {"schema_config": {"forwarding_violations_to": "workspaces/acme/sources/js"}}
    result = translate(body, RULES, IDS, request=True, endpoint="PATCH /v1beta/workspaces/acme/sources/ios/schema-config")
    assert (result.document["body"], reports(result, "conflict")) == ({"forwardingViolationsTo": "s1"}, [])


def test_tracking_plan_rules_that_are_not_objects_are_left_out_not_half_translated():
    doc = {"name": "workspaces/acme/tracking-plans/rs_1", "rules": {
        "events": [{"name": "Signed Up", "rules": {"type": "object"}, "version": 2}, None, "Logged In"],
        "identify": "traits", "group": None, "global": {"type": "object"},
    }}
    result = translate(doc, RULES, IDS)
    assert result.document["data"]["trackingPlan"]["rules"] == [
        {"type": "TRACK", "key": "Signed Up", "jsonSchema": {"type": "object"}, "version": 2},
        {"type": "COMMON", "jsonSchema": {"type": "object"}, "version": 1},
    ]
    assert reports(result, "unknown") == [
        ("rules.events[1]", "tracking-plan.fields", "expected an event rule object, got null; left out"),
        ("rules.events[2]", "tracking-plan.fields", "expected an event rule object, got \"Logged In\"; left out"),
        ("rules.identify", "tracking-plan.fields", "expected a JSON Schema object, got \"traits\"; left out"),
    ]


def test_list_items_that_are_not_objects_are_left_out_and_reported():
    doc = {"sources": [{"name": "workspaces/acme/sources/js"}, "web", None, 5], "next_page_token": ""}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"sources": [{"slug": "js", "id": "s1", "workspaceId": "w1", "enabled": True,
                                                     "labels": []}], "pagination": {"next": None}}}
    assert reports(result, "unknown") == [
        ("sources[1]", "source.fields", "expected a source object, got \"web\"; left out"),
        ("sources[2]", "source.fields", "expected a source object, got null; left out"),
        ("sources[3]", "source.fields", "expected a source object, got 5; left out"),
    ]
    # An invite without an email has no Public form (a list of emails): left out, reported (it was silent).
    result = translate({"invites": [{"email": "ada@acme.test"}, {"email": None}, {"parent": "workspaces/acme"}]},
                       RULES, IDS)
    assert result.document == {"data": {"invites": ["ada@acme.test"], "pagination": {"next": None}}}
    left_out = "a Public list of invites holds their `email` values, and this invite has none; left out"
    assert result.reports == (Report("missing", "invites[1].email", "invite.fields", left_out),
                              Report("missing", "invites[2].email", "invite.fields", left_out))


@pytest.mark.parametrize("token", [123, True, {"offset": 10}, ["t"], False, 0, {}, [], -0.0])
def test_a_page_token_that_is_not_a_string_is_not_copied_as_the_public_cursor(token):
    # A falsy one (`false`, `0`, `{}`, `[]`) was taken for "no more pages", unreported.
    result = translate({"sources": [], "next_page_token": token}, RULES, IDS,
                       endpoint="GET /v1beta/workspaces/acme/sources")
    assert result.document == {"data": {"sources": [], "pagination": {"next": None}}}
    assert reports(result, "unknown") == [
        ("next_page_token", "envelope.list",
         f"a page token is a string, not {show(token)}: whether more pages exist is not known; left out"),
    ]
    workspaces = translate({"workspaces": [{"name": "workspaces/acme"}], "next_page_token": token}, RULES)
    assert workspaces.document == {"data": {"workspace": {"slug": "acme"}}}
    assert reports(workspaces, "unknown") == reports(result, "unknown")


@pytest.mark.parametrize("token", ["", None])
def test_an_empty_or_null_page_token_means_no_more_pages(token):
    result = translate({"sources": [], "next_page_token": token}, RULES, IDS,
                       endpoint="GET /v1beta/workspaces/acme/sources")
    assert (result.document, result.reports) == ({"data": {"sources": [], "pagination": {"next": None}}}, ())


def test_a_parent_that_is_not_the_start_of_the_name_is_a_conflict():
    # `parent` made `sourceId`, `name` made `id`: they named different sources, silently; then, with the
    # conflict reported, the parent was still used. The name's source is used, the parent left out.
    ids = IdMap.model_validate({"sources": {"js": "s1", "ios": "s2"}, "destinations": {"js/amplitude": ["d2"]}})
    page = {"destinations": [
        {"name": "workspaces/acme/sources/js/destinations/amplitude", "parent": "workspaces/acme/sources/ios"},
        {"name": "workspaces/acme/sources/js/destinations/amplitude", "parent": "workspaces/acme/sources/js"},
    ]}
    result = translate(page, RULES, ids)
    assert [d["sourceId"] for d in result.document["data"]["destinations"]] == ["s1", "s1"]
    assert reports(result, "conflict") == [
        ("destinations[0].parent", "destination.fields",
         "'workspaces/acme/sources/ios' is not the parent of the name 'workspaces/acme/sources/js/destinations/"
         "amplitude': the two name different objects; the Public fields are made from the name, this parent "
         "left out; check which is right"),
    ]
    one = translate({"name": "workspaces/acme/sources/js", "parent": "workspaces/other"}, RULES, ids)
    assert [r.path for r in one.reports if r.kind == "conflict"] == ["parent"]


def test_an_id_missing_from_two_calls_of_one_translation_is_reported_once():
    body = {"tracking_plan": {"display_name": "Web", "rules": {"events": [{"name": "E", "rules": {}, "version": 1}]}}}
    result = translate(body, RULES, IDS, request=True, endpoint="PUT /v1beta/workspaces/acme/tracking-plans/rs_1")
    assert (result.document["url"], result.document["then"][0]["url"]) == (
        "/tracking-plans/{trackingPlanId}", "/tracking-plans/{trackingPlanId}/rules")
    assert [(r.kind, r.path, r.message) for r in result.reports] == [
        ("review", "update_mask", "no update mask: the Config API changed nothing with this data, the Public call "
                                "applies it; check that is meant (or send nothing)"),
        ("unresolved", "url", "no tracking-plan id for 'rs_1' (run `migrator ids`)"),
    ]


def test_keys_of_an_update_mask_beside_its_paths_are_reported():
    body = {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"], "path": ["x"]}}
    result = translate(body, RULES, IDS, request=True,
                       endpoint="PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics")
    assert result.document["body"] == {"enabled": True}
    assert reports(result, "unknown") == [
        ("update_mask.path", "update-mask.partial-body", "an update mask has only 'paths', not 'path'; left out"),
    ]


def test_a_wrapper_that_is_not_an_object_is_reported_under_its_own_name():
    endpoint = "PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics"
    result = translate({"destination": None, "update_mask": {"paths": ["destination.enabled"]}}, RULES, IDS,
                       request=True, endpoint=endpoint)
    assert result.document["body"] == {"enabled": False}
    assert [(r.kind, r.path, r.message) for r in result.reports] == [
        ("unknown", "destination", "'destination' should be an object, not null; left out"),
        ("cleared", "update_mask.paths[0]", "'destination.enabled' masked without a value: cleared to false"),
    ]
    result = translate({"destination": "x"}, RULES, IDS, request=True, endpoint=endpoint)
    assert (result.document["body"], reports(result, "unknown")) == (
        {}, [("destination", "endpoint.destinations.update", "'destination' should be an object, not \"x\"; left out")])


def test_a_violation_setting_the_public_api_does_not_take_is_reported():
    doc = {"name": "workspaces/acme/sources/js/schema-config", "common_track_event_on_violations": "omit_properties",
           "common_identify_event_on_violations": "OMIT_TRAITS", "common_group_event_on_violations": "OMIT_PROPERTIES"}
    result = translate(doc, RULES, IDS)
    assert result.document["data"]["settings"] == {"track": {"commonEventOnViolations": "omit_properties"},
                                                   "identify": {"commonEventOnViolations": "OMIT_TRAITS"},
                                                   "group": {"commonEventOnViolations": "OMIT_PROPERTIES"}}
    assert reports(result, "unknown") == [
        ("common_track_event_on_violations", "source-settings.fields",
         'value "omit_properties" has no Public counterpart; kept as is'),
        ("common_group_event_on_violations", "source-settings.fields",
         'value "OMIT_PROPERTIES" has no Public counterpart; kept as is'),
    ]


def test_an_upper_cased_value_with_no_counterpart_is_reported_as_given():
    # It read `value "MAP" ... kept as is`: neither the value given nor what was kept.
    doc = {"id": "sfnc_1", "settings": [{"name": "k", "type": "map"}, {"name": "s", "type": "string"}]}
    result = translate(doc, RULES, endpoint="GET /v1beta/workspaces/acme/functions/sfnc_1")
    assert [s["type"] for s in result.document["data"]["function"]["settings"]] == ["MAP", "STRING"]
    assert reports(result, "unknown") == [
        ("settings[0].type", "function-setting.fields", 'value "map" has no Public counterpart; kept as "MAP"'),
    ]


def test_a_json_string_that_is_malformed_is_reported_and_left_out():
    body = {"filter": {"if": "all", "actions": []}, "input": '{"a": 1,'}
    result = translate(body, RULES, IDS, request=True, endpoint="POST /v1beta/filters/preview")
    assert result.document["body"] == {"filter": {"if": "all", "actions": []}}
    assert reports(result, "unknown") == [
        ("input", "filter-preview.fields", "a string whose text is not JSON (Expecting property name enclosed in double quotes at character 9); left out"),
    ]


def test_values_in_messages_are_json_not_python():
    # They read `None does not look like ...`, `value ['drop_event'] ...`, `error code True ...`.
    source = translate({"name": "workspaces/acme/sources/web", "parent": None}, RULES, IDS)
    assert reports(source, "unknown") == [
        ("parent", "source.fields", "null does not look like 'workspaces/{workspace}'; left out"),
    ]
    actions = [{"type": None}, {"type": ["drop_event"]}, {"type": "Drop_Event"}]
    result = translate({"filters": [{"name": "workspaces/acme/sources/js/destinations/ga/filters/f1",
                                      "actions": actions}]}, RULES, IDS)
    assert reports(result, "unknown") == [
        (f"filters[0].actions[{i}].type", "filter-action.fields", f"value {shown} has no Public counterpart; kept as is")
        for i, shown in enumerate(["null", '["drop_event"]', '"Drop_Event"'])
    ]
    error = translate({"error": "x", "code": True}, RULES)
    assert error.reports == (Report("unknown", "code", "error.envelope", "error code true is not in the table"),)


@pytest.mark.parametrize(("catalog_name", "shown"), [(5, "5"), (None, "null")])
def test_a_bad_value_feeding_two_outputs_is_reported_once(catalog_name, shown):
    # `catalog_name` makes `metadata.slug` and `metadata.id`: each output reported it, counted twice.
    result = translate({"name": "workspaces/acme/sources/js", "catalog_name": catalog_name}, RULES, IDS)
    assert result.document == {"data": {"source": {"slug": "js", "id": "s1", "workspaceId": "w1", "enabled": True,
                                                   "labels": []}}}
    assert reports(result, "unknown") == [
        ("catalog_name", "source.fields", f"{shown} does not look like 'catalog/sources/{{slug}}'; left out"),
    ]


def test_the_readmes_library_example_runs(tmp_path, monkeypatch):
    """The README's "Use as a library" block, up to its request call (whose
    `body` it leaves to the reader), with the bundled id map."""
    import re
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    block = re.search(r"## Use as a library.*?```python\n(.*?)```", (root / "README.md").read_text(), re.S).group(1)
    shutil.copy(root / "docs" / "examples" / "segment-ids.json", tmp_path / "segment-ids.json")
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(block.split("\ncall = ", 1)[0], names)
    assert names["result"].kind == "source"
    assert names["result"].document["data"]["source"]["slug"] == "web"


def test_a_mask_naming_one_rule_section_upserts_it_and_keeps_the_others():
    """`PUT …/rules` replaces all the plan's rules: masking the events alone
    must not delete the IDENTIFY/COMMON rules; the other sections are ignored."""
    ids = IdMap.model_validate({"workspace": {"id": "w1", "slug": "acme"},
                                "tracking_plans": {"rs_2": ["tp_2"]}})
    body = {"tracking_plan": {"display_name": "n", "rules": {
        "events": [{"name": "E", "rules": {"type": "object"}, "version": 1}],
        "identify": {"type": "object"}, "global": {"type": "object"}}},
        "update_mask": {"paths": ["tracking_plan.rules.events"]}}
    result = translate(body, RULES, ids, request=True, endpoint="PUT /v1beta/workspaces/acme/tracking-plans/rs_2")
    assert result.document == {
        "method": "PATCH", "url": "/tracking-plans/tp_2/rules",
        "body": {"rules": [{"type": "TRACK", "key": "E", "jsonSchema": {"type": "object"}, "version": 1}]}}
    assert [(r.kind, r.path, r.message) for r in result.reports] == [
        ("ignored", "tracking_plan.display_name", "not in the update mask: the Config API ignored it, so it is not sent"),
        ("ignored", "tracking_plan.rules.identify", "not in the update mask: the Config API ignored it, so it is not sent"),
        ("ignored", "tracking_plan.rules.global", "not in the update mask: the Config API ignored it, so it is not sent"),
        ("note", "update_mask.paths[0]",
         "'tracking_plan.rules.events' masks a part of what PUT /tracking-plans/{trackingPlanId}/rules replaces whole: "
         "sent with PATCH /tracking-plans/{trackingPlanId}/rules, which updates or adds the items given and keeps the "
         "others; an item the Config API would have removed from the masked part stays (remove it yourself)"),
    ]
    both = dict(body, update_mask={"paths": ["tracking_plan.display_name", "tracking_plan.rules.identify"]})
    result = translate(both, RULES, ids, request=True, endpoint="PUT /v1beta/workspaces/acme/tracking-plans/rs_2")
    assert result.document == {
        "method": "PATCH", "url": "/tracking-plans/tp_2", "body": {"name": "n"},
        "then": [{"method": "PATCH", "url": "/tracking-plans/tp_2/rules",
                  "body": {"rules": [{"type": "IDENTIFY", "jsonSchema": {"type": "object"}, "version": 1}]}}]}
    assert [(r.kind, r.path) for r in result.reports] == [
        ("ignored", "tracking_plan.rules.events"), ("ignored", "tracking_plan.rules.global"),
        ("note", "update_mask.paths[1]"),
    ]


@pytest.mark.parametrize("endpoint, body", [
    ("POST /v1beta/workspaces/other/regulations", {"regulation_type": "delete", "attributes": {"name": "userId", "values": ["u"]}}),
    ("GET /v1beta/workspaces/other/regulations/r1", None),
    ("DELETE /v1beta/workspaces/other/regulations/r1", None),
    ("POST /v1beta/workspaces/other/tracking-plans", {"tracking_plan": {"display_name": "Web"}}),
    ("GET /v1beta/workspaces/other", None),
])
def test_a_call_for_another_workspace_than_the_maps_is_reported_without_an_id_lookup(endpoint, body):
    """The Public call acts on the token's workspace (the map's): a call for
    another workspace is reported even when nothing is looked up."""
    result = translate(body, RULES, IDS, endpoint=endpoint, request=True)
    assert [(r.kind, r.path, r.message) for r in result.reports if r.kind != "added"] == [
        ("conflict", "url", "this is workspace 'other' but the id map is for 'acme' (a Public API token works for "
                              "one workspace; use that workspace's id map): the Public call acts on the token's workspace"),
    ]
    for workspace in ("acme", "w1"):
        same = translate(body, RULES, IDS, endpoint=endpoint.replace("/other", f"/{workspace}"), request=True)
        assert [r for r in same.reports if r.kind != "added"] == []
    # once only, when an id lookup said it already
    looked_up = translate({}, RULES, IDS, endpoint="DELETE /v1beta/workspaces/other/sources/js", request=True)
    assert [r.kind for r in looked_up.reports] == ["unresolved"]


def test_a_setting_named_for_another_object_than_the_calls_is_a_conflict_when_the_body_has_no_name():
    settings = [{"name": "workspaces/acme/sources/js/destinations/amplitude/config/apiKey", "value": "k"},
                {"name": "workspaces/acme/sources/js/destinations/google-analytics/config/trackingId", "value": "t"},
                {"name": "workspaces/acme/sources/js/config/x", "value": "s"}]
    body = {"destination": {"config": settings}, "update_mask": {"paths": ["destination.config"]}}
    result = translate(body, RULES, IDS, request=True,
                       endpoint="PATCH /v1beta/workspaces/acme/sources/js/destinations/google-analytics")
    assert result.document == {"method": "PATCH", "url": "/destinations/d1", "body": {"settings": {"trackingId": "t"}}}
    assert [(r.kind, r.path, r.message) for r in result.reports] == [
        ("conflict", "destination.config[0].name", "a setting of workspaces/acme/sources/js/destinations/amplitude, "
                                                    "but the call is for destination 'google-analytics'; left out"),
        ("conflict", "destination.config[2].name", "a setting of workspaces/acme/sources/js, which is not a destination "
                                                    "('workspaces/{workspace}/sources/{source}/destinations/{destination}'); "
                                                    "left out"),
    ]
    create = translate({"destination": {"config": settings[:1]}}, RULES, IDS, request=True,
                       endpoint="POST /v1beta/workspaces/acme/sources/ios/destinations")
    assert [(r.kind, r.path, r.message) for r in create.reports if r.kind == "conflict"] == [
        ("conflict", "destination.config[0].name", "a setting of workspaces/acme/sources/js/destinations/amplitude, "
                                                    "but the call is for source 'ios'; left out"),
    ]


def test_tracking_plan_events_without_rules_or_name_or_given_twice_are_reported():
    body = {"tracking_plan": {"display_name": "Web", "rules": {"events": [
        {"name": "A", "version": 1}, {"rules": {"type": "object"}, "version": 1},
        {"name": "B", "rules": {"type": "object"}, "version": 1}, {"name": "B", "rules": {}, "version": 1},
        {"name": "B", "rules": {}, "version": 2}]}}}
    result = translate(body, RULES, request=True, endpoint="POST /v1beta/workspaces/acme/tracking-plans")
    assert result.document["then"][0]["body"] == {"rules": [
        {"type": "TRACK", "key": "A", "jsonSchema": {}, "version": 1},
        {"type": "TRACK", "jsonSchema": {"type": "object"}, "version": 1},
        {"type": "TRACK", "key": "B", "jsonSchema": {"type": "object"}, "version": 1},
        {"type": "TRACK", "key": "B", "jsonSchema": {}, "version": 2}]}
    assert [(r.kind, r.path, r.message) for r in result.reports if r.path.startswith("tracking_plan.rules")] == [
        ("added", "tracking_plan.rules.events[0].rules", "the Public API requires a rule's jsonSchema; {} used"),
        ("missing", "tracking_plan.rules.events[1].name",
         "a TRACK rule is keyed by its event name and this event has none: the rule is kept without a key; fill it in"),
        ("conflict", "tracking_plan.rules.events[3]",
         "event \"B\" version 1 again; tracking_plan.rules.events[2] already gave it: the first kept, this one left out"),
    ]


def test_public_fields_a_config_resource_never_had_are_filled_and_reported():
    # A Public source requires `enabled` and `labels`, a plan `type`: the translated responses lacked them.
    source = translate({"sources": [{"name": "workspaces/acme/sources/js", "enabled": False}]}, RULES, IDS)
    assert source.document == {"data": {"sources": [{"slug": "js", "id": "s1", "enabled": False, "workspaceId": "w1",
                                                      "labels": []}], "pagination": {"next": None}}}
    assert reports(source, "added") == [
        ("sources[0].labels", "source.fields", "a Public source requires it and a Config one never had it; [] used"),
    ]
    plan = translate({"name": "workspaces/acme/tracking-plans/rs_9", "display_name": "Web"}, RULES, IDS)
    assert plan.document == {"data": {"trackingPlan": {"slug": "rs_9", "name": "Web", "type": "LIVE"}}}
    assert reports(plan, "added") == [
        ("type", "tracking-plan.fields", 'a Public tracking-plan requires it and a Config one never had it; "LIVE" used'),
    ]
