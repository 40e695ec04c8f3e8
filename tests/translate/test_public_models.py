"""`check_public`: every translated example of the table is a Public shape,
and broken outputs are caught with an exact problem."""

from __future__ import annotations

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import translate
from migrator.translate.public_models import CALLS, RESOURCES, check_public, find_call

RULES = load_rules()

KNOWN_GAPS: dict[str, str] = {}
"""Table example → why its output is not yet a Public body (none today)."""


def _examples() -> list:
    params = []
    for row in RULES.rows:
        for n, example in enumerate(row.examples):
            if example.error is not None:
                continue
            case = f"{row.id}#{n}"
            marks = [pytest.mark.xfail(reason=KNOWN_GAPS[case], strict=True)] if case in KNOWN_GAPS else []
            params.append(pytest.param(example, id=case, marks=marks))
    return params


def _endpoint_row(example) -> str | None:
    if not example.request:
        return None
    match = RULES.match_endpoint(example.endpoint, example.before)
    assert match is not None
    return match.row.id


@pytest.mark.parametrize("example", _examples())
def test_table_example_output_is_public(example):
    ids = IdMap.model_validate(example.ids or {})
    result = translate(example.before, RULES, ids, endpoint=example.endpoint, request=example.request)
    assert result.document == example.after
    assert check_public(result.document, result.kind, request_endpoint=_endpoint_row(example)) == []


def test_every_translated_kind_has_a_model():
    kinds = {row.kind for row in RULES.resources.values() if not row.nested and not row.no_counterpart}
    assert kinds <= set(RESOURCES)


def test_every_public_call_of_the_table_has_a_model():
    missing = []
    for row in RULES.endpoints:
        for call in [row.public, *(f.call for f in row.followups)] if row.public else []:
            method, _, target = call.partition(" ")
            if find_call(method, target.split("?", 1)[0]) is None:
                missing.append(f"{row.id}: {call}")
    assert missing == []
    assert len({c.endpoint for c in CALLS}) == len(CALLS)


# --- broken outputs ----------------------------------------------------------------------

SOURCE = {"data": {"source": {"slug": "js", "id": "qQEHquLrjRDN9j1ByrChyn", "writeKeys": ["k"]}}}


@pytest.mark.parametrize(
    ("document", "kind", "problems"),
    [
        pytest.param(SOURCE, "source", [], id="fine"),
        pytest.param(
            {"data": {"source": {"slug": "js", "write_keys": ["k"]}}},
            "source",
            ["data.source.write_keys: not a Public field (snake_case: a Config name?)"],
            id="snake-case-key",
        ),
        pytest.param(
            {"data": {"source": {"slug": "js", "catalogName": "javascript"}}},
            "source",
            ["data.source.catalogName: not a Public field"],
            id="invented-key",
        ),
        pytest.param(
            {"data": {"source": {"slug": "js", "enabled": "true", "writeKeys": "k"}}},
            "source",
            ['data.source.enabled: expected a boolean, got "true"', 'data.source.writeKeys: expected a list, got "k"'],
            id="wrong-types",
        ),
        pytest.param(
            {"data": {"source": {"slug": None}}},
            "source",
            ["data.source.slug: expected a string, got null"],
            id="null-not-allowed",
        ),
        pytest.param(
            {"data": {"sources": [{"slug": "js"}], "pagination": {"next": None}}}, "source", [], id="list-page"
        ),
        pytest.param(
            {"data": {"sources": [], "next_page_token": "MTA="}},
            "source",
            ["data.next_page_token: not a Public field (snake_case: a Config name?)"],
            id="config-page-token",
        ),
        pytest.param(
            {"data": {"filter": {"title": "t", "actions": [{"type": "drop_event"}]}}},
            "filter",
            ['data.filter.actions[0].type: "drop_event" is not one of DROP|SAMPLE|ALLOW_PROPERTIES|DROP_PROPERTIES'],
            id="filter-action-enum",
        ),
        pytest.param(
            {"data": {"filter": {"actions": [{"type": "SAMPLE", "percent": "10%"}]}}},
            "filter",
            ['data.filter.actions[0].percent: expected a number, got "10%"'],
            id="filter-percent-type",
        ),
        pytest.param(
            {"data": {"trackingPlan": {"name": "Web", "rules": [{"type": "EVENTS", "jsonSchema": {}, "version": 1}]}}},
            "tracking-plan",
            ['data.trackingPlan.rules[0].type: "EVENTS" is not one of TRACK|IDENTIFY|GROUP|PAGE|SCREEN|COMMON'],
            id="rule-type-enum",
        ),
        pytest.param(
            {"data": {"trackingPlan": {"rules": [{"type": "TRACK", "key": None, "jsonSchema": {}}]}}},
            "tracking-plan",
            ["data.trackingPlan.rules[0].key: expected a string, got null", "data.trackingPlan.rules[0].version: missing"],
            id="rule-key-null-version-missing",
        ),
        pytest.param(
            {"data": {"sourceId": "s1", "settings": {"track": {"commonEventOnViolations": "OMIT_TRAITS"}}}},
            "source-settings",
            ['data.settings.track.commonEventOnViolations: "OMIT_TRAITS" is not one of ALLOW|BLOCK|OMIT_PROPERTIES'],
            id="settings-enum",
        ),
        pytest.param(
            {"data": {"sourceId": "s1", "settings": {"allow_unplanned_track_events": True}}},
            "source-settings",
            ["data.settings.allow_unplanned_track_events: not a Public field (snake_case: a Config name?)"],
            id="settings-snake-case",
        ),
        pytest.param(
            {"data": {"function": {"resourceType": "source", "settings": [{"type": "string"}]}}},
            "function",
            [
                'data.function.resourceType: "source" is not one of DESTINATION|INSERT_DESTINATION|SOURCE',
                'data.function.settings[0].type: "string" is not one of ARRAY|BOOLEAN|STRING|TEXT_MAP',
            ],
            id="function-enums",
        ),
        pytest.param(
            {"data": {"role": {"name": "Owner"}}},
            "role",
            ["data.roles: missing", "data.role: not a Public field"],
            id="single-role-has-no-public-body",
        ),
        pytest.param(
            {"data": {"regulations": [{"id": "r1", "subjectIds": ["u1"], "status": "FINISHED"}]}},
            "regulation",
            ["data.regulations[0].subjectIds: not a Public field"],
            id="regulation-list-item",
        ),
        pytest.param({"data": {}}, "regulation-created", ["data.regulateId: missing"], id="regulate-id-missing"),
        pytest.param(
            {"data": {"functions": [{"id": "sfnc_1", "code": "x"}]}},
            "function",
            ["data.functions[0].code: not a Public field"],
            id="function-list-item-has-no-code",
        ),
        pytest.param(
            {"errors": [{"type": "PermissionDenied", "message": "insufficient scope", "status": 403}]}, "error", [],
            id="error-fine",
        ),
        pytest.param(
            {"errors": [{"message": "m", "status": "403"}], "code": 7},
            "error",
            ["errors[0].type: missing", 'errors[0].status: expected a number, got "403"', "code: not a Public field"],
            id="error-broken",
        ),
        pytest.param({"data": {"status": "OK"}}, "status", ['data.status: "OK" is not one of SUCCESS'], id="status"),
        pytest.param({"data": {"anything": 1}}, "public", [], id="public-unchanged"),
        pytest.param({"error": "x"}, "public", ['<document>: expected a Public body: {"data": ...} or {"errors": [...]}'],
                     id="public-not-an-envelope"),
        pytest.param({"data": {}}, "access-token", ["no Public model for kind 'access-token'"], id="unknown-kind"),
        pytest.param([], "source", ["<document>: expected an object, got []"], id="not-an-object"),
    ],
)
def test_broken_response_is_caught(document, kind, problems):
    assert check_public(document, kind) == problems


@pytest.mark.parametrize(
    ("document", "endpoint", "problems"),
    [
        pytest.param(
            {"method": "POST", "url": "/sources", "body": {"slug": "js", "enabled": True}}, "POST /sources", [],
            id="fine",
        ),
        pytest.param(
            {"method": "POST", "url": "/sources", "body": {"slug": "js", "enabled": True, "catalog_name": "x"}},
            "endpoint.sources.create",
            ["body.catalog_name: not a Public field (snake_case: a Config name?)"],
            id="snake-case-body-key",
        ),
        pytest.param(
            {"method": "POST", "url": "/sources", "body": {"slug": "js"}},
            "endpoint.sources.create",
            ["body.enabled: missing"],
            id="required-default-missing",
        ),
        pytest.param(
            {"method": "GET", "url": "/sources", "params": {"page_size": 10}},
            "endpoint.sources.list",
            ["params.page_size: not a query parameter of GET /sources", "params.pagination.count: missing"],
            id="config-query-parameter",
        ),
        pytest.param(
            {"method": "GET", "url": "/sources", "params": {"pagination.count": 500}},
            None,
            ["params.pagination.count: Input should be less than or equal to 200, got 500"],
            id="page-size-bound",
        ),
        pytest.param(
            {"method": "GET", "url": "/functions", "params": {"resourceType": "{resourceType}", "pagination.count": 5}},
            "endpoint.functions.list",
            [],
            id="reported-placeholder-is-not-checked",
        ),
        pytest.param(
            {"method": "POST", "url": "/regulations", "body": {"regulationType": "suppress", "subjectType": "USER_ID",
                                                               "subjectIds": "u1"}},
            "endpoint.regulations.create",
            [
                'body.regulationType: "suppress" is not one of '
                "DELETE_INTERNAL|DELETE_ONLY|SUPPRESS_ONLY|SUPPRESS_WITH_DELETE|UNSUPPRESS",
                'body.subjectIds: expected a list, got "u1"',
            ],
            id="regulation-enum-and-type",
        ),
        pytest.param(
            {"method": "POST", "url": "/regulations/sources/s1",
             "body": {"regulationType": "DELETE_ONLY", "subjectType": "OBJECT_ID", "subjectIds": []}},
            None,
            ['body.subjectType: "OBJECT_ID" is not one of USER_ID'],
            id="source-regulation-subject",
        ),
        pytest.param(
            {"method": "POST", "url": "/tracking-plans", "body": {"name": "Web", "type": "LIVE"},
             "then": [{"method": "PUT", "url": "/tracking-plans/{trackingPlanId}/rules",
                       "body": {"rules": [{"type": "TRACK", "jsonSchema": {}, "version": "1"}]}}]},
            "endpoint.tracking-plans.create",
            ['then[0].body.rules[0].version: expected a number, got "1"'],
            id="follow-up-call-body",
        ),
        pytest.param(
            {"method": "PATCH", "url": "/sources/s1", "body": {"name": "x"}},
            "endpoint.destinations.update",
            ["call: expected PATCH /destinations/{destinationId}, got PATCH /sources/s1"],
            id="wrong-call-for-the-row",
        ),
        pytest.param(
            {"method": "POST", "url": "/v1beta/workspaces/acme/sources", "body": {}},
            None,
            ["url: no Public operation POST /v1beta/workspaces/acme/sources"],
            id="config-url",
        ),
        pytest.param(
            {"method": "DELETE", "url": "/sources/s1", "body": {"x": 1}},
            None,
            ["body: DELETE /sources/{sourceId} takes no body"],
            id="body-on-delete",
        ),
        pytest.param(
            {"method": "GET", "url": "/", "headers": {"Accept": "text/html"}},
            None,
            ['headers.Accept: "text/html" is not one of application/vnd.segment.v1+json|'
             "application/vnd.segment.v1beta+json|application/vnd.segment.v1alpha+json|application/json"],
            id="media-type",
        ),
        pytest.param(
            {"method": "FETCH", "url": "/", "update_mask": {}},
            None,
            ['method: "FETCH" is not one of GET|POST|PUT|PATCH|DELETE',
             "update_mask: not a Public field (snake_case: a Config name?)"],
            id="call-envelope",
        ),
        pytest.param(
            {"method": "GET", "url": "/"}, "endpoint.access-tokens.create",
            ["endpoint.access-tokens.create: no endpoint row with a Public counterpart"],
            id="row-without-counterpart",
        ),
    ],
)
def test_broken_request_is_caught(document, endpoint, problems):
    assert check_public(document, "request", request_endpoint=endpoint) == problems


def test_an_array_query_parameter_is_checked_item_by_item():
    call = {"method": "GET", "url": "/regulations", "params": {"pagination.count": 10}}
    assert check_public({**call, "params": {**call["params"], "regulationTypes": ["DELETE_ONLY", "UNSUPPRESS"]}},
                        "request", request_endpoint="GET /regulations") == []
    assert check_public({**call, "params": {**call["params"], "regulationTypes": "DELETE_ONLY"}},
                        "request", request_endpoint="GET /regulations") == ["params.regulationTypes: not a list"]
    problems = check_public({**call, "params": {**call["params"], "regulationTypes": ["DELETE_ONLY", "delete"]}},
                            "request", request_endpoint="GET /regulations")
    assert [p.split(":")[0] for p in problems] == ["params.regulationTypes[1]"]
