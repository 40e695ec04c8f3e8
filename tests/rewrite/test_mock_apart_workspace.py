"""A double that cannot move, joined to a test's base that ends at the
workspace (`BASE = ".../v1beta/workspaces/acme"`), stays apart as it does
with a base that ends at the version: the base becomes the Public host, the
doubles that can move move, and the test of the migrated client passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.idmap import IdMap
from migrator.rewrite import driver
from migrator.ruleset import load_rules

CLIENT = '''import requests

API = "https://platform.segmentapis.com/v1beta"


def list_sources():
    return requests.get(API + "/workspaces/acme/sources?page_size=10").json()["sources"]
'''
TEST = '''import responses

from client import list_sources

BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"


@responses.activate
def test_list():
    responses.add(responses.GET, BASE + "/sources", json={"sources": [], "next_page_token": ""})
    responses.add(responses.GET, BASE + "/sources/gone", json={"error": "x", "code": 5}, status=404)
    assert list_sources() == []
'''
IDS = IdMap.model_validate({"workspace": {"id": "w1", "slug": "acme"}, "sources": {"web": "src_web1"}})
SLUG = (
    "`/v1beta/workspaces/{workspace}/sources/{source}`: the id map has no source `gone`; check the slug or "
    "refresh the id map with `migrator ids`"
)
APART = (
    "a test double left alone on the Config API (it cannot move: the marker above says why), its base `BASE` "
    "written out: `BASE` moved to the Public API with the other doubles joined to it: if the code under test still "
    "sends this Config API request (a module it imports kept on the Config API), keep this double and migrate them "
    "together, else migrate or remove it by hand"
)
REWRITTEN = TEST.replace(
    'BASE = "https://platform.segmentapis.com/v1beta/workspaces/acme"', 'BASE = "https://api.segmentapis.com"'
).replace(
    'json={"sources": [], "next_page_token": ""}', 'json={"data": {"sources": [], "pagination": {"next": None}}}'
).replace(
    '    responses.add(responses.GET, BASE + "/sources/gone"',
    f"    # migrator[rewrite.slug-ids]: {SLUG}\n    # migrator[rewrite.partial-path]: {APART}\n"
    '    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources/gone"',
)
OPTIONS = {"force": True, "jobs": 1, "ids": IDS, "lookup_module": "segment_ids"}


def _pytest(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "test_client.py"],
        cwd=directory, capture_output=True, text=True, timeout=300,
    )


def _project(tmp_path: Path, test: str = TEST) -> Path:
    (tmp_path / "client.py").write_text(CLIENT)
    (tmp_path / "test_client.py").write_text(test)
    return tmp_path


def test_the_base_and_the_doubles_that_can_move_move_and_the_test_passes(tmp_path: Path) -> None:
    """Every double stayed on the Config API with the base, marked, and the
    test failed with a ConnectionError against the migrated client."""
    pytest.importorskip("responses")
    project = _project(tmp_path)
    driver.run([project], **OPTIONS)  # type: ignore[arg-type]
    after = (project / "test_client.py").read_text()
    assert after == REWRITTEN
    passed = _pytest(project)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    again = driver.run([project], **OPTIONS)  # type: ignore[arg-type]
    assert (project / "test_client.py").read_text() == after
    test = next(r for r in again.results if r.path.endswith("test_client.py"))
    assert not test.modified
    assert [(m.rule, m.reason) for m in test.markers] == [("rewrite.slug-ids", SLUG), ("rewrite.partial-path", APART)]


def test_the_audit_says_so_before_and_after_the_rewrite(tmp_path: Path) -> None:
    """The precise audit tells the base and the double written out apart as
    what the rewrite changes (the double's URL one change, whole), and
    afterwards lists the two markers only."""
    auditor = Auditor(load_rules())
    before = auditor.scan("test_client.py", TEST.encode())
    assert [(f.line, f.rule, f.fix) for f in before.findings if f.rule in ("host.base-url", "rewrite.partial-path")] == [
        (5, "host.base-url", "rewrite"),
        (11, "rewrite.partial-path", "rewrite"),
        (11, "rewrite.partial-path", "rewrite-with-ids"),
    ]
    assert before.findings[4].message == (
        '`migrator rewrite` changes `BASE + "/sources/gone"` to '
        '`"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/gone"`'
    )
    after = auditor.scan("test_client.py", REWRITTEN.encode())
    assert [(f.line, f.rule, f.fix) for f in after.findings] == [
        (11, "rewrite.slug-ids", "manual"),
        (12, "rewrite.partial-path", "manual"),
    ]


def test_calls_joined_to_a_workspace_base_still_hold_it_back(tmp_path: Path) -> None:
    """Outside doubles, a workspace base and its paths still move together:
    the call with no id keeps the base and the other call on the Config API."""
    code = TEST.replace("responses.add(responses.GET, ", "requests.get(").replace(
        "import responses\n", "import requests\nimport responses\n"
    )
    project = _project(tmp_path, code)
    run = driver.run([project / "test_client.py"], write=False, jobs=1, ids=IDS, lookup_module="segment_ids")
    (result,) = run.results
    assert not [c for c in result.changes if c.rule == "host.base-url" or c.rule.startswith("endpoint.")]
    assert sorted(m.rule for m in result.markers) == ["rewrite.partial-path", "rewrite.partial-path", "rewrite.slug-ids"]


def test_a_double_the_code_under_test_keeps_still_holds_the_base_back(tmp_path: Path) -> None:
    """The client keeps `/sources` on the Config API (its base is read from
    the environment): that double stays, and with it the base and `gone`."""
    project = _project(tmp_path)
    (project / "client.py").write_text(
        CLIENT.replace("import requests\n", "import os\n\nimport requests\n").replace(
            'requests.get(API + "/workspaces', 'requests.get(os.environ["SEGMENT_API"] + "/workspaces'
        )
    )
    run = driver.run([project], write=False, jobs=1, ids=IDS, lookup_module="segment_ids")
    result = next(r for r in run.results if r.path.endswith("test_client.py"))
    assert not [c for c in result.changes if c.rule == "host.base-url" or c.rule.startswith("endpoint.")]
    assert sorted((m.line, m.rule) for m in result.markers) == [
        (5, "rewrite.partial-path"), (10, "rewrite.partial-path"), (11, "rewrite.slug-ids")
    ]
    assert APART not in [m.reason for m in result.markers]
