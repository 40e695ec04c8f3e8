"""Red-team findings on `migrator translate` with id maps: ids a URL path
cannot hold (refused by the map loader, left out by `migrator ids`).
Outputs are compared whole, with every report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli
from migrator.idmap import IdMap, parse_idmap

MAP = {
    "format": "migrator.ids", "version": 1, "fetched_at": "2026-11-28T10:00:00Z",
    "api_url": "https://api.segmentapis.com",
    "workspace": {"id": "ws_PUB", "slug": "acme", "name": "Acme"},
    "sources": {"js": "src_JS", "android": "18de22b4-5d40-4253-8c1e-4631e302ccb2"},
    "destinations": {"js/amplitude": ["d_amp"], "js/google-analytics": ["d_ga1"]},
    "source_metadata": {"javascript": "IqDTy1TpoU"},
    "destination_metadata": {"amplitude": "54521fd525e721e32a72ee91"},
    "tracking_plans": {"Web Plan": ["tp_1"], "rs_1AAPTLy8ffAAQth0PvL8rOvU6PJ": ["tp_1"]},
    "filters": {"d_ga1/Drop test events": ["df_PUB"]},
    "functions": {"Webhook relay": ["sfnc_wQxL8"]},
    "users": {"ada@acme.test": "u.1~x"},
    "roles": {"Workspace Owner": "2Nhj2REiH2LjLF0WjvunNcxaErY"},
}
IDS = IdMap.model_validate(MAP)
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["translate", *args], input=stdin)


# -- 1: ids a URL path cannot hold -----------------------------------------------------------------------

@pytest.mark.parametrize(("change", "where", "problem"), [
    ({"sources": {"web": ""}}, "sources.web", "an id is never empty"),
    ({"sources": {"ios": "x/../../tracking-plans/tp_1"}}, "sources.ios",
     '"x/../../tracking-plans/tp_1" is not a Public id: an id holds only letters, digits, "-", ".", "_" and "~" '
     '(no space, no "/")'),
    ({"sources": {"web": " src_and\n"}}, "sources.web",
     '" src_and\\n" is not a Public id: an id holds only letters, digits, "-", ".", "_" and "~" (no space, no "/")'),
    ({"destinations": {"js/amplitude": ["d_amp", ""]}}, 'destinations["js/amplitude"][1]', "an id is never empty"),
    ({"workspace": {"id": "ws PUB", "slug": "acme"}}, "workspace.id",
     '"ws PUB" is not a Public id: an id holds only letters, digits, "-", ".", "_" and "~" (no space, no "/")'),
    ({"source_metadata": {"javascript": "a?b"}}, "source_metadata.javascript",
     '"a?b" is not a Public id: an id holds only letters, digits, "-", ".", "_" and "~" (no space, no "/")'),
    ({"destination_metadata": {"amplitude": "%41"}}, "destination_metadata.amplitude",
     '"%41" is not a Public id: an id holds only letters, digits, "-", ".", "_" and "~" (no space, no "/")'),
    ({"tracking_plans": {"Web Plan": [".."]}}, 'tracking_plans["Web Plan"][0]',
     '".." is not a Public id: a URL path segment of dots only means another path'),
    ({"filters": {"d_ga1/Drop test events": ["df#1"]}}, 'filters["d_ga1/Drop test events"][0]',
     '"df#1" is not a Public id: an id holds only letters, digits, "-", ".", "_" and "~" (no space, no "/")'),
    ({"functions": {"Webhook relay": ["é"]}}, 'functions["Webhook relay"][0]',
     '"é" is not a Public id: an id holds only letters, digits, "-", ".", "_" and "~" (no space, no "/")'),
    ({"users": {"ada@acme.test": ""}}, 'users["ada@acme.test"]', "an id is never empty"),
    ({"roles": {"Workspace Owner": "."}}, 'roles["Workspace Owner"]',
     '"." is not a Public id: a URL path segment of dots only means another path'),
])
def test_a_hand_edited_map_with_an_id_a_url_path_cannot_hold_is_refused(tmp_path, change, where, problem):
    # `{"method":"DELETE","url":"/sources/"}` and `/sources/x/../../tracking-plans/tp_1`, exit 0, were printed.
    path = tmp_path / "ids.json"
    path.write_text(json.dumps({**MAP, **change}))
    result = run("--strict", "--request", "--endpoint", "DELETE /v1beta/workspaces/acme/sources/js",
                 "--ids", str(path), stdin="{}")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", (
        f"migrator: error: {path}: invalid id map at {where}: {problem}; run `migrator ids --refresh`\n"))


def test_the_public_ids_of_the_reference_load():
    # Letters, digits, `_` and `-` (UUIDs), and the rest of RFC 3986's unreserved characters.
    assert IDS.resolve("user", "ada@acme.test").id == "u.1~x"
    assert parse_idmap(json.loads((ROOT / "docs/examples/segment-ids.json").read_text())).sources["web"] == (
        "qQEHquLrjRDN9j1ByrChyn")
