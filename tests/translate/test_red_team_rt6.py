"""Red-team findings (rt6 #4, #7) on `migrator translate`: a Config resource
in the Public envelope beside Public keys, a bare resource name with
--endpoint. Outputs and reports are compared whole."""

from __future__ import annotations

from migrator.idmap import IdMap
from migrator.ruleset import load_rules
from migrator.translate import translate
from migrator.translate.public_models import check_public

RULES = load_rules()
IDS = IdMap.model_validate({
    "format": "migrator.ids", "version": 1,
    "workspace": {"id": "ws_PUB", "slug": "acme"},
    "sources": {"web": "src_web"},
})
ADDED = "a Public source requires it and a Config one never had it; {value} used"
NOTE = ("a Config source ('name', 'display_name') inside the Public envelope: translated, in the envelope")
KEPT = "already Public: kept as given"


def everything(result):
    return [tuple(r) for r in result.reports]


# -- #4: Public keys beside a Config resource in the envelope are kept --------------------------------

PARTLY = {"data": {"source": {"id": "src_web", "writeKeys": ["k"], "name": "workspaces/acme/sources/web",
                              "display_name": "Web", "labels": [{"key": "env", "value": "prod"}]}}}


def test_public_keys_beside_a_config_resource_in_the_envelope_are_kept():
    result = translate(PARTLY, RULES)
    assert result.document == {"data": {"source": {
        "slug": "web", "name": "Web", "id": "src_web", "writeKeys": ["k"],
        "labels": [{"key": "env", "value": "prod"}], "enabled": True}}}
    assert everything(result) == [
        ("note", "data.source", "source.fields", NOTE),
        # no "no source id for 'web'": the id is given
        ("unresolved", "data.source.name", "source.fields", "no workspace id for 'acme' (run `migrator ids`)"),
        ("note", "data.source.id", "source.fields", KEPT),
        ("note", "data.source.writeKeys", "source.fields", KEPT),
        ("note", "data.source.labels", "source.fields", KEPT),
        ("added", "data.source.enabled", "source.fields", ADDED.format(value="true")),
    ]


def test_a_kept_public_key_the_id_map_disagrees_with_is_a_conflict():
    doc = {"data": {"source": {**PARTLY["data"]["source"], "id": "src_other"}}}
    result = translate(doc, RULES, IDS)
    assert result.document == {"data": {"source": {
        "slug": "web", "id": "src_other", "name": "Web", "workspaceId": "ws_PUB", "writeKeys": ["k"],
        "labels": [{"key": "env", "value": "prod"}], "enabled": True}}}
    assert everything(result) == [
        ("note", "data.source", "source.fields", NOTE),
        ("conflict", "data.source.id", "source.fields",
         "already Public, \"src_other\", but 'data.source.name' gives \"src_web\": the two disagree; the Public "
         "value kept, the other left out; check which is right"),
        ("note", "data.source.writeKeys", "source.fields", KEPT),
        ("note", "data.source.labels", "source.fields", KEPT),
        ("added", "data.source.enabled", "source.fields", ADDED.format(value="true")),
    ]
    assert check_public(result.document, result.kind) == []


# -- #7: a bare name's workspace is the --endpoint path's -----------------------------------------------


def test_a_bare_name_takes_its_workspace_from_the_endpoint_path():
    doc = {"name": "web", "display_name": "Web"}
    result = translate(doc, RULES, IDS, endpoint="GET /v1beta/workspaces/acme/sources/web")
    assert result.document == {"data": {"source": {
        "slug": "web", "id": "src_web", "name": "Web", "workspaceId": "ws_PUB", "enabled": True, "labels": []}}}
    assert everything(result) == [
        ("added", "enabled", "source.fields", ADDED.format(value="true")),
        ("added", "labels", "source.fields", ADDED.format(value="[]")),
    ]


def test_a_bare_name_under_another_workspace_s_endpoint_is_not_looked_up_in_this_map():
    doc = {"name": "web", "display_name": "Web"}
    result = translate(doc, RULES, IDS, endpoint="GET /v1beta/workspaces/other/sources/web")
    assert result.document == {"data": {"source": {
        "slug": "web", "name": "Web", "enabled": True, "labels": []}}}
    other = ("this is workspace 'other' but the id map is for 'acme' (a Public API token works for one workspace; "
             "use that workspace's id map)")
    assert everything(result)[:2] == [
        ("unresolved", "name", "source.fields", f"no source id for 'web': {other}"),
        ("unresolved", "name", "source.fields", f"no workspace id for 'other': {other}"),
    ]
