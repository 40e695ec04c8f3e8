"""Red-team findings (rt4) on `migrator translate`: a catalog slug that is a
previous name, a source connection of another tracking plan, a filter title
the id map holds twice. Outputs and reports are compared whole."""

from __future__ import annotations

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import translate

RULES = load_rules()
IDS = IdMap.model_validate({
    "format": "migrator.ids", "version": 1,
    "workspace": {"id": "ws_1", "slug": "acme", "name": "Acme"},
    "sources": {"s0": "src_0", "s1": "src_1"},
    "destinations": {"s0/amplitude": ["d_0"], "s1/google-analytics": ["d_1"],
                     "s1/google-universal-analytics": ["d_1"]},
    "destination_metadata": {"amplitude": "m_amp", "google-analytics": "m_ga", "google-universal-analytics": "m_ga"},
    "tracking_plans": {"rs_123": ["tp_1"]},
    "filters": {"d_0/Drop test": ["df_p1", "df_p2"]},
})
GUA = "workspaces/acme/sources/s1/destinations/google-universal-analytics"


def everything(result):
    return [tuple(r) for r in result.reports]


def but_gaps(result):
    """The reports but the catalog details an entry lacks (`missing`: test_catalog_required.py)."""
    return [tuple(r) for r in result.reports if r.kind != "missing"]


# -- #1: a previous name kept as the slug beside the current entry's id -------------------------------

def previous(key: str, others: str, rule: str, path: str = "name") -> tuple[str, str, str, str]:
    return ("review", path, rule,
            f"the id map holds the destination-metadata id 'm_ga' for '{key}' and for {others}: all but one are "
            f"previous names of that catalog entry (the map does not say which is current), and the Public API "
            f"answers the current slug for 'm_ga'; the slug '{key}' is kept beside it: check it")


def test_a_destination_named_by_a_previous_name_is_reported_for_review():
    doc = {"name": GUA, "parent": "workspaces/acme/sources/s1", "display_name": "GUA", "enabled": True, "config": []}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"destination": {
        "id": "d_1", "metadata": {"slug": "google-universal-analytics", "id": "m_ga"}, "sourceId": "src_1",
        "name": "GUA", "enabled": True, "settings": {}}}}
    assert everything(result) == [previous("google-universal-analytics", "'google-analytics'", "destination.fields")]


def test_a_catalog_entry_named_by_a_previous_name_is_reported_for_review():
    doc = {"name": "catalog/destinations/google-universal-analytics", "display_name": "GUA"}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"destinationMetadata": {
        "slug": "google-universal-analytics", "name": "GUA", "id": "m_ga"}}}
    assert but_gaps(result) == [
        previous("google-universal-analytics", "'google-analytics'", "catalog-destination.fields")]
    # with its Config id too (the map's id replaces it)
    result = translate({**doc, "id": "cfg"}, RULES, IDS)
    assert result.document["data"]["destinationMetadata"]["id"] == "m_ga"
    assert [r[:2] for r in but_gaps(result)] == [("review", "name"), ("conflict", "id")]


def test_one_destination_listed_under_both_names_is_reported_twice():
    doc = {"destinations": [{"name": GUA}, {"name": "workspaces/acme/sources/s1/destinations/google-analytics"}]}
    result = translate(doc, RULES, IDS)
    assert everything(result) == [
        previous("google-universal-analytics", "'google-analytics'", "destination.fields", "destinations[0].name"),
        previous("google-analytics", "'google-universal-analytics'", "destination.fields", "destinations[1].name"),
    ]


KNOWN = IDS.model_copy(update={"previous_names": {"google-universal-analytics": "google-analytics"}})
"""A map that says which key is a previous name (`migrator ids` keeps them)."""


def test_a_map_that_keeps_previous_names_names_the_current_slug_for_a_previous_one_only():
    doc = {"destinations": [{"name": GUA}, {"name": "workspaces/acme/sources/s1/destinations/google-analytics"}]}
    result = translate(doc, RULES, KNOWN)
    assert everything(result) == [(
        "review", "destinations[0].name", "destination.fields",
        "'google-universal-analytics' is a previous name of the destination-metadata 'google-analytics' (id "
        "'m_ga'), which the Public API answers as its slug; the slug 'google-universal-analytics' is kept beside "
        "the id: write 'google-analytics'")]


def test_a_slug_the_map_holds_alone_is_not_reported():
    doc = {"name": "workspaces/acme/sources/s0/destinations/amplitude", "display_name": "A"}
    result = translate(doc, RULES, IDS)
    assert result.document["data"]["destination"]["metadata"] == {"slug": "amplitude", "id": "m_amp"}
    assert everything(result) == []


def test_a_request_by_a_previous_name_sends_the_id_without_a_report():
    body = {"destination": {"name": GUA, "enabled": True}}
    result = translate(body, RULES, IDS, endpoint="POST /v1beta/workspaces/acme/sources/s1/destinations",
                       request=True)
    assert result.document["body"]["metadataId"] == "m_ga"
    assert not [r for r in result.reports if r.kind == "review"]


# -- #2: a source connection of another tracking plan ------------------------------------------------

DROPPED = ("the Public call names the tracking plan in its path (`/tracking-plans/{trackingPlanId}/sources`)")
CONNECTIONS = "/v1beta/workspaces/acme/tracking-plans/rs_123/source-connections"


def connection(source: str, plan: str) -> dict[str, str]:
    return {"source_name": f"workspaces/acme/sources/{source}", "tracking_plan_id": plan}


def other_plan(path: str) -> tuple[str, str, str, str]:
    return ("conflict", path, "source-connection.fields",
            "names plan 'rs_999', but --endpoint is for plan 'rs_123': the Public call names the plan in its "
            "path, so this one is left out; check --endpoint or the document")


def test_connections_of_two_plans_in_one_list_are_a_conflict():
    doc = {"connections": [connection("s0", "rs_123"), connection("s1", "rs_999"), connection("s1", "rs_123")]}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"sources": [
        {"id": "src_0", "slug": "s0", "workspaceId": "ws_1"}, {"id": "src_1", "slug": "s1", "workspaceId": "ws_1"},
        {"id": "src_1", "slug": "s1", "workspaceId": "ws_1"}], "pagination": {"next": None}}}
    assert everything(result) == [
        ("dropped", "connections[0].tracking_plan_id", "source-connection.fields", DROPPED),
        ("conflict", "connections[1].tracking_plan_id", "source-connection.fields",
         "names plan 'rs_999', but 'connections[0].tracking_plan_id' names plan 'rs_123': the Public "
         "source-connections of one plan are listed under its path, and these would be merged into one list; "
         "translate each plan's apart, with --endpoint"),
        ("dropped", "connections[2].tracking_plan_id", "source-connection.fields", DROPPED),
    ]


def test_a_listed_connection_of_another_plan_than_the_endpoints_is_a_conflict():
    doc = {"connections": [connection("s1", "rs_999"), connection("s0", "rs_123")]}
    result = translate(doc, RULES, IDS, endpoint="GET " + CONNECTIONS)
    assert result.document == {"data": {"sources": [
        {"id": "src_1", "slug": "s1", "workspaceId": "ws_1"}, {"id": "src_0", "slug": "s0", "workspaceId": "ws_1"}],
        "pagination": {"next": None}}}
    assert everything(result) == [
        other_plan("connections[0].tracking_plan_id"),
        ("dropped", "connections[1].tracking_plan_id", "source-connection.fields", DROPPED),
    ]


def test_a_connect_call_whose_body_names_another_plan_is_a_conflict():
    result = translate(connection("s1", "rs_999"), RULES, IDS, endpoint="POST " + CONNECTIONS, request=True)
    assert result.document == {"method": "POST", "url": "/tracking-plans/tp_1/sources", "body": {"sourceId": "src_1"}}
    assert everything(result) == [other_plan("tracking_plan_id")]
    result = translate(connection("s1", "rs_123"), RULES, IDS, endpoint="POST " + CONNECTIONS, request=True)
    assert everything(result) == [("dropped", "tracking_plan_id", "source-connection.fields", DROPPED)]


# -- #4: a filter title the id map holds twice on its destination ------------------------------------

FILTER = {"name": "workspaces/acme/sources/s0/destinations/amplitude/filters/df_1", "title": "Drop test",
          "if": "event = 'test'", "enabled": True, "actions": [{"type": "drop_event"}]}


def test_a_filter_title_the_map_holds_twice_is_ambiguous_and_keeps_the_config_id():
    result = translate(FILTER, RULES, IDS)
    assert result.document == {"data": {"filter": {
        "id": "df_1", "sourceId": "src_0", "destinationId": "d_0", "title": "Drop test", "if": "event = 'test'",
        "enabled": True, "actions": [{"type": "DROP"}]}}}
    assert everything(result) == [
        ("ambiguous", "name", "filter.fields",
         "the id map holds 2 filters of title \"Drop test\" on destination 'd_0' (df_p1, df_p2), none of them the "
         "Config id 'df_1': that id is kept; pick one"),
    ]
    assert result.count("ambiguous") == 1


def test_a_filter_whose_config_id_is_one_of_the_titles_ids_is_not_reported():
    result = translate({**FILTER, "name": FILTER["name"].replace("df_1", "df_p2")}, RULES, IDS)
    assert result.document["data"]["filter"]["id"] == "df_p2"
    assert everything(result) == []
