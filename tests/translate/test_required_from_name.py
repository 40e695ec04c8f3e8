"""Required Public response fields made from the Config `name` (through the
rules: a source's `workspaceId` is a `fallback` of its `name`), compared whole
with every report. Ids are those `migrator ids` fetches from
`FakePublicApi.sample()` (see tests/ids/fake_public_api.py)."""

from __future__ import annotations

import pytest

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import translate
from tests.ids.fake_public_api import sample_idmap_json

RULES = load_rules()
IDS = IdMap.model_validate({**sample_idmap_json("https://api.segmentapis.com"), "fetched_at": "2026-11-28T10:00:00Z"})
ADDED = "a Public source requires it and a Config one never had it; {} used"
OTHER = ("no {} id for '{}': this is workspace 'other' but the id map is for 'acme' "
         "(a Public API token works for one workspace; use that workspace's id map)")


def everything(result):
    return [tuple(r) for r in result.reports]


def defaults(prefix: str = "") -> list[tuple[str, str, str, str]]:
    return [("added", f"{prefix}enabled", "source.fields", ADDED.format("true")),
            ("added", f"{prefix}labels", "source.fields", ADDED.format("[]"))]


# -- 1: a source without a `parent` gets its `workspaceId` (required by SourceV1) from its name -------

@pytest.mark.parametrize("parent", [None, "workspaces/other"])
def test_a_source_without_an_agreeing_parent_gets_the_workspace_id_of_its_name(parent):
    # Without a parent (or with one left out as a conflict) `workspaceId` was missing.
    doc = {"name": "workspaces/acme/sources/js", "catalog_name": "catalog/sources/javascript"}
    if parent:
        doc["parent"] = parent
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"source": {
        "slug": "js", "id": "src_js1", "metadata": {"slug": "javascript", "id": "IqDTy1TpoU"},
        "workspaceId": "ws_9f8e7d", "enabled": True, "labels": []}}}
    conflicts = [] if parent is None else [
        ("conflict", "parent", "source.fields",
         "'workspaces/other' is not the parent of the name 'workspaces/acme/sources/js': the two name different "
         "objects; the Public fields are made from the name, this parent left out; check which is right")]
    assert everything(result) == defaults() + conflicts


def test_a_source_list_item_gets_the_workspace_id_of_its_name():
    result = translate({"sources": [{"name": "workspaces/acme/sources/ios"}], "next_page_token": ""}, RULES, IDS,
                       endpoint="GET /v1beta/workspaces/acme/sources")
    assert result.document == {"data": {"sources": [
        {"slug": "ios", "id": "src_ios1", "workspaceId": "ws_9f8e7d", "enabled": True, "labels": []}],
        "pagination": {"next": None}}}
    assert everything(result) == defaults("sources[0].")


def test_a_source_of_another_workspace_than_the_map_gets_no_workspace_id():
    result = translate({"name": "workspaces/other/sources/js"}, RULES, IDS)
    assert result.document == {"data": {"source": {"slug": "js", "enabled": True, "labels": []}}}
    assert everything(result) == [
        ("unresolved", "name", "source.fields", OTHER.format("source", "js")),
        ("unresolved", "name", "source.fields", OTHER.format("workspace", "other")),
    ] + defaults()


def test_a_workspace_id_a_parent_could_not_give_is_reported_once():
    # Without a map the name's workspace is unresolved as the parent's: one report, not two.
    result = translate({"name": "workspaces/acme/sources/js", "parent": "workspaces/acme"}, RULES)
    assert result.document == {"data": {"source": {"slug": "js", "enabled": True, "labels": []}}}
    assert everything(result) == [
        ("unresolved", "name", "source.fields", "no source id for 'js' (run `migrator ids`)"),
        ("unresolved", "parent", "source.fields", "no workspace id for 'acme' (run `migrator ids`)"),
    ] + defaults()
    destination = translate({"name": "workspaces/acme/sources/js/destinations/amplitude",
                             "parent": "workspaces/acme/sources/js"}, RULES)
    assert [r for r in everything(destination) if "source id" in r[3]] == [
        ("unresolved", "parent", "destination.fields", "no source id for 'js' (run `migrator ids`)"),
    ]


# -- 2: other required fields the name gives --------------------------------------------------------

def test_a_regulation_read_by_id_gets_the_workspace_id_of_its_name():
    # `GET /regulations/{regulateId}` requires `workspaceId`: it was missing.
    result = translate({"name": "workspaces/acme/regulations/r1", "status": "RUNNING"}, RULES, IDS,
                       endpoint="GET /v1beta/workspaces/acme/regulations/r1")
    assert result.document == {"data": {"regulation": {"id": "r1", "workspaceId": "ws_9f8e7d",
                                                       "overallStatus": "RUNNING"}}}
    assert result.reports == ()
    other = translate({"name": "workspaces/other/regulations/r1"}, RULES, IDS)
    assert other.document == {"data": {"regulation": {"id": "r1"}}}
    assert everything(other) == [
        ("unresolved", "name", "regulation-detail.fields", OTHER.format("workspace", "other")),
    ]


def test_a_tracking_plans_connected_source_gets_the_workspace_id_of_its_name():
    # The Public list holds `SourceV1` objects, which require `workspaceId`: it was missing.
    doc = {"connections": [{"source_name": "workspaces/acme/sources/js", "tracking_plan_id": "rs_1"}]}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"sources": [{"id": "src_js1", "slug": "js", "workspaceId": "ws_9f8e7d"}],
                                        "pagination": {"next": None}}}
    assert everything(result) == [
        ("dropped", "connections[0].tracking_plan_id", "source-connection.fields",
         "the Public call names the tracking plan in its path (`/tracking-plans/{trackingPlanId}/sources`)"),
    ]
