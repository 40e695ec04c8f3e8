"""Tests of code whose calls move to another method (a tracking plan's
`requests.put` is `requests.patch` on the Public API): what the tests of the
run fake or assert of the old method no longer matches what the code does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrator.idmap import load_idmap
from migrator.rewrite import driver

ROOT = Path(__file__).resolve().parents[2]
IDS = load_idmap(ROOT / "docs" / "examples" / "segment-ids.json")

PLAN = "https://platform.segmentapis.com/v1beta/workspaces/acme/tracking-plans/rs_2bT7mW0hQkA9xZr"
RENAME = '''    body = {"tracking_plan": {"display_name": name}, "update_mask": {"paths": ["tracking_plan.display_name"]}}
'''


def run(project: Path) -> dict[str, driver.FileResult]:
    """Rewrite the project in place (twice: the second run must change nothing)."""
    found = driver.run([project], force=True, jobs=1, ids=IDS, lookup_module="segment_ids")
    before = {p: p.read_bytes() for p in project.rglob("*.py")}
    for data in before.values():
        ast.parse(data)
    driver.run([project], force=True, jobs=1, ids=IDS, lookup_module="segment_ids")
    assert {p: p.read_bytes() for p in project.rglob("*.py")} == before
    return {Path(r.path).name: r for r in found.results}


def write(project: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)


CLIENT = f'''import requests
API = "https://platform.segmentapis.com/v1beta"
def rename(name):
{RENAME}    return requests.put(f"{{API}}/workspaces/acme/tracking-plans/rs_2bT7mW0hQkA9xZr", json=body).status_code
'''
PATCHING = '''from unittest import mock
import requests
import tp5
@mock.patch("tp5.requests.put")
def test_rename(put):
    put.return_value.status_code = 200
    assert tp5.rename("x") == 200
def test_rename_patch_object(mocker, monkeypatch):
    with mock.patch.object(tp5.requests, "put") as put:
        put.return_value.status_code = 200
        assert tp5.rename("y") == 200
    mocker.patch("tp5.requests.put")
    monkeypatch.setattr(tp5.requests, "put", lambda *a, **k: None)
    mock.patch.object(requests, "put")
    mock.patch("tp5.requests.get")
'''
MARKER = (
    "# migrator[rewrite.mocks]: the code under test ({where}) now calls `{new}`, so this fake of `{old}` no longer "
    "catches the call, which goes out to the Public API: patch `{new}` instead and check what the test asserts of it"
)


def test_patches_of_the_old_method_are_marked(tmp_path: Path) -> None:
    write(tmp_path, {"tp5.py": CLIENT, "tests/test_tp5.py": PATCHING})
    found = run(tmp_path)
    assert "requests.patch(" in (tmp_path / "tp5.py").read_text()
    where = "tp5.py:5"  # from the import root, whatever path the run was given
    own = MARKER.format(where=where, new="tp5.requests.patch", old="tp5.requests.put")
    library = MARKER.format(where=where, new="requests.patch", old="requests.put")
    assert (tmp_path / "tests/test_tp5.py").read_text() == f'''from unittest import mock
import requests
import tp5
{own}
@mock.patch("tp5.requests.put")
def test_rename(put):
    put.return_value.status_code = 200
    assert tp5.rename("x") == 200
def test_rename_patch_object(mocker, monkeypatch):
    {own}
    with mock.patch.object(tp5.requests, "put") as put:
        put.return_value.status_code = 200
        assert tp5.rename("y") == 200
    {own}
    mocker.patch("tp5.requests.put")
    {own}
    monkeypatch.setattr(tp5.requests, "put", lambda *a, **k: None)
    {library}
    mock.patch.object(requests, "put")
    mock.patch("tp5.requests.get")
'''
    assert [(m.rule, m.line) for m in found["test_tp5.py"].markers] == [
        ("rewrite.mocks", 4), ("rewrite.mocks", 9), ("rewrite.mocks", 12), ("rewrite.mocks", 13),
        ("rewrite.mocks", 14),
    ]


LOOKED_UP = CLIENT.replace("def rename(name):", "def rename(plan, name):").replace(
    "tracking-plans/rs_2bT7mW0hQkA9xZr", "tracking-plans/{plan}"
)


def test_the_marker_names_the_line_of_the_moved_call_once_the_rewrite_is_in(tmp_path: Path) -> None:
    """The rewrite of tp6.py adds the import of the lookup module above the
    call (line 5, then 6): the patch's marker names line 6, where it is."""
    write(tmp_path, {"tp6.py": LOOKED_UP, "tests/test_tp6.py": PATCHING.replace("tp5", "tp6")})
    found = run(tmp_path)
    assert (tmp_path / "tp6.py").read_text().splitlines()[5].startswith("    return requests.patch(")
    marker = MARKER.format(where="tp6.py:{}", new="tp6.requests.patch", old="tp6.requests.put")
    first = found["test_tp6.py"].markers[0]
    # the report of the file as it was read names tp6.py as it was; once written, as it is
    assert (first.line, first.new_line) == (4, 5)
    assert ("# migrator[rewrite.mocks]: " + first.reason, "# migrator[rewrite.mocks]: " + first.new_reason) \
        == (marker.format(5), marker.format(6))
    assert (tmp_path / "tests/test_tp6.py").read_text().splitlines()[3] == marker.format(6)


PACKAGE_PATCHING = '''from unittest import mock
from tp import rename
@mock.patch("tp.plans.requests.put")
def test_rename(put):
    put.return_value.status_code = 200
    assert rename("x") == 200
'''


@pytest.mark.parametrize("entry", ["from .plans import rename\n", "from tp.plans import rename\n"])
def test_patches_are_marked_in_a_test_importing_the_code_through_its_package(tmp_path: Path, entry: str) -> None:
    # `from tp import rename`, which `tp/__init__.py` takes from `tp/plans.py`: the patch target is `tp.plans`'s
    write(tmp_path, {"tp/__init__.py": entry, "tp/plans.py": CLIENT, "tests/test_tp.py": PACKAGE_PATCHING})
    found = run(tmp_path)
    assert "requests.patch(" in (tmp_path / "tp/plans.py").read_text()
    own = MARKER.format(where="tp/plans.py:5", new="tp.plans.requests.patch", old="tp.plans.requests.put")
    assert (tmp_path / "tests/test_tp.py").read_text() == PACKAGE_PATCHING.replace("@mock", own + "\n@mock")
    assert [(m.rule, m.line) for m in found["test_tp.py"].markers] == [("rewrite.mocks", 3)]


def test_patches_are_marked_when_the_url_is_a_module_constant(tmp_path: Path) -> None:
    client = f'''import requests as http

URL = "{PLAN}"


def rename(name):
{RENAME}    return http.put(URL, json=body).status_code
'''
    test = '''import tp6


def test_rename(mocker):
    mocker.patch("tp6.http.put").return_value.status_code = 200
    assert tp6.rename("x") == 200
'''
    write(tmp_path, {"tp6.py": client, "test_tp6.py": test})
    found = run(tmp_path)
    assert "http.patch(URL" in (tmp_path / "tp6.py").read_text()
    assert [m.reason for m in found["test_tp6.py"].markers] == [
        MARKER.format(where="tp6.py:8", new="tp6.http.patch", old="tp6.http.put")
        .split(": ", 1)[1]
    ]


def test_patches_of_a_call_that_keeps_its_method_are_left_alone(tmp_path: Path) -> None:
    client = CLIENT.replace("tracking-plans/rs_2bT7mW0hQkA9xZr", "sources/web").replace(RENAME, "    body = {}\n")
    write(tmp_path, {"tp5.py": client, "tests/test_tp5.py": PATCHING})
    found = run(tmp_path)
    assert "requests.put(" in (tmp_path / "tp5.py").read_text()
    assert (tmp_path / "tests/test_tp5.py").read_text() == PATCHING
    assert found["test_tp5.py"].status == "unchanged"


SET_RULES = '''def set_rules(events):
    body = {"tracking_plan": {"rules": {"events": events}}, "update_mask": {"paths": ["tracking_plan.rules"]}}
    return requests.put(f"{API}/workspaces/acme/tracking-plans/rs_2bT7mW0hQkA9xZr", json=body).status_code


'''
RESPONSES = f'''import responses

import tp


@responses.activate
def test_rename():
    responses.add(responses.PUT, "{PLAN}", json={{}})
    assert tp.rename("x") == 200
    assert responses.calls[0].request.method == "PUT"
'''


def test_an_assert_of_the_old_method_is_marked(tmp_path: Path) -> None:
    write(tmp_path, {"tp.py": CLIENT.replace("tp5", "tp"), "tests/test_tp.py": RESPONSES})
    run(tmp_path)
    assert (tmp_path / "tests/test_tp.py").read_text() == '''import responses

import tp


@responses.activate
def test_rename():
    responses.add(responses.PATCH, "https://api.segmentapis.com/tracking-plans/tp_sprout_rVGCC6WdrNxjCf6JpCHP", json={"data": {"status": "SUCCESS"}})
    assert tp.rename("x") == 200
    # migrator[rewrite.mocks]: this assert pins the Config method `PUT`, but the code under test now sends `PATCH` to `PATCH /tracking-plans/{trackingPlanId}` (and the double answers it): compare with `PATCH` instead
    assert responses.calls[0].request.method == "PUT"
'''


def test_doubles_keep_the_method_of_a_call_the_code_keeps(tmp_path: Path) -> None:
    """`set_rules` keeps `requests.put` and its Config body (marked), though its
    URL moved: the doubles of that endpoint keep answering PUT, and the
    asserts of the method stay."""
    client = CLIENT.replace("def rename", SET_RULES + "def rename")
    write(tmp_path, {"tp.py": client, "tests/test_tp.py": RESPONSES})
    found = run(tmp_path)
    assert "requests.put(f\"{API}/tracking-plans/tp_" in (tmp_path / "tp.py").read_text()
    assert [m.rule for m in found["tp.py"].markers] == ["rewrite.http-method", "rewrite.request-body"]
    assert (tmp_path / "tests/test_tp.py").read_text() == f'''import responses

import tp


@responses.activate
def test_rename():
    # migrator[rewrite.mocks]: the code under test keeps a call of this endpoint as the Config API takes it (tp.py:7, marked): this double keeps answering `PUT`; once the call it answers sends `PATCH`, answer `PATCH` here too
    responses.add(responses.PUT, "https://api.segmentapis.com/tracking-plans/tp_sprout_rVGCC6WdrNxjCf6JpCHP", json={{"data": {{"status": "SUCCESS"}}}})
    assert tp.rename("x") == 200
    assert responses.calls[0].request.method == "PUT"
'''


def test_bodies_pinned_for_a_call_that_keeps_its_config_body_stay(tmp_path: Path) -> None:
    """`add_source` keeps sending `source_name` (marked: a value computed at
    run time): the bodies its tests pin stay in the Config shape, marked."""
    client = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def add_source(plan_id, src):
    body = {"source_name": "workspaces/acme/sources/" + src}
    return requests.post(API + "/workspaces/acme/tracking-plans/" + plan_id + "/source-connections", json=body)
'''
    url = f"{PLAN}/source-connections"
    test = f'''import json

import responses
from responses import matchers

import client3


@responses.activate
def test_add_source():
    responses.add(responses.POST, "{url}", json={{}})
    client3.add_source("rs_2bT7mW0hQkA9xZr", "web")
    assert json.loads(responses.calls[0].request.body) == {{"source_name": "workspaces/acme/sources/web"}}


@responses.activate
def test_add_source_pattern():
    responses.add(responses.POST, "{url}", match=[matchers.json_params_matcher({{"source_name": "workspaces/acme/sources/web"}})])
    client3.add_source("rs_2bT7mW0hQkA9xZr", "web")
'''
    write(tmp_path, {"client3.py": client, "tests/test_client3.py": test})
    found = run(tmp_path)
    assert [m.rule for m in found["client3.py"].markers] == ["rewrite.request-body"]
    held = (
        "# migrator[rewrite.mocks]: the code under test keeps a call of this endpoint as the Config API takes it "
        f"(client3.py:10, marked): the Config body this {{what}} pins is left as it is; translate it "
        "once that call sends the Public body"
    )
    public = "https://api.segmentapis.com/tracking-plans/tp_sprout_rVGCC6WdrNxjCf6JpCHP/sources"
    assert (tmp_path / "tests/test_client3.py").read_text() == f'''import json

import responses
from responses import matchers

import client3


@responses.activate
def test_add_source():
    responses.add(responses.POST, "{public}", json={{"data": {{"status": "SUCCESS"}}}})
    client3.add_source("rs_2bT7mW0hQkA9xZr", "web")
    {held.format(what="assert")}
    assert json.loads(responses.calls[0].request.body) == {{"source_name": "workspaces/acme/sources/web"}}


@responses.activate
def test_add_source_pattern():
    {held.format(what="double expects")}
    responses.add(responses.POST, "{public}", match=[matchers.json_params_matcher({{"source_name": "workspaces/acme/sources/web"}})])
    client3.add_source("rs_2bT7mW0hQkA9xZr", "web")
'''


TWO_WAYS = '''import requests

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


def set_enabled(src, dest, enabled):
    body = {"destination": {"enabled": enabled}, "update_mask": {"paths": ["destination.enabled"]}}
    return requests.patch(f"{BASE}/sources/{src}/destinations/{dest}", json=body).json()


def set_tracking_id(src, value):
    name = f"workspaces/acme/sources/{src}/destinations/google-analytics"
    body = {"destination": {"config": [{"name": name + "/config/trackingId", "value": value}]},
            "update_mask": {"paths": ["destination.config"]}}
    return requests.patch(f"{BASE}/sources/{src}/destinations/google-analytics", json=body).json()
'''
TWO_WAYS_TEST = '''import json

import responses
from responses import matchers

import client4

URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations/amplitude"


@responses.activate
def test_set_enabled_sends_mask():
    responses.add(responses.PATCH, URL, json={})
    client4.set_enabled("web", "amplitude", True)
    sent = json.loads(responses.calls[0].request.body)
    assert sent == {"destination": {"enabled": True}, "update_mask": {"paths": ["destination.enabled"]}}


@responses.activate
def test_set_enabled_pattern():
    responses.add(responses.PATCH, URL, match=[matchers.json_params_matcher({"destination": {"enabled": False}, "update_mask": {"paths": ["destination.enabled"]}})])
    client4.set_enabled("web", "amplitude", False)
'''


def test_bodies_pinned_for_an_endpoint_the_code_sends_both_ways_name_both_calls(tmp_path: Path) -> None:
    """`set_tracking_id` keeps its Config body (marked), `set_enabled` sends
    the Public body to the same endpoint: which one a test makes is not
    followed, so the bodies it pins stay, marked with both calls and the
    Public body the migrated one sends (not blamed on the kept call alone)."""
    write(tmp_path, {"client4.py": TWO_WAYS, "tests/test_client4.py": TWO_WAYS_TEST})
    found = run(tmp_path)
    assert [m.rule for m in found["client4.py"].markers] == ["rewrite.request-body"]
    assert 'body = {"enabled": enabled}' in (tmp_path / "client4.py").read_text()
    held = (
        "# migrator[rewrite.mocks]: the code under test calls this endpoint with the Config body (client4.py:17, "
        "marked) and with the Public body (client4.py:9), and which of them this test makes is not followed: if it "
        "is a call on client4.py:9, pin the Public body here (`{public}`); if it is the one on client4.py:17, "
        "leave the Config body until that call sends the Public body"
    )
    public = "https://api.segmentapis.com/destinations/6334b2ff2c4f2f0b8d5d0c3a"
    expected = (TWO_WAYS_TEST.replace(PLAN.split("/tracking-plans")[0] + "/sources/web/destinations/amplitude", public)
                .replace("json={})", 'json={"data": {"destination": {}}})')
                .replace("    assert sent ==", "    " + held.format(public='{"enabled": True}') + "\n    assert sent ==")
                .replace("    responses.add(responses.PATCH, URL, match",
                         "    " + held.format(public='{"enabled": False}') + "\n    responses.add(responses.PATCH, URL, match"))
    assert (tmp_path / "tests/test_client4.py").read_text() == expected
