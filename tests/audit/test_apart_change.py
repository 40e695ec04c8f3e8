"""A test double the rewrite writes out with its Config base (`mock_apart`)
is one change of the codemod: the audit reports it as one finding quoting
the whole URL before and after, not one per piece of text the edits splice
(`BASE +` dropped, the base inserted, `w`, `o`, `r`, ... of the path moved)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from migrator.audit.core import Auditor
from migrator.audit.model import Finding
from migrator.audit.run import audit_paths
from migrator.ruleset import load_rules

CLIENT = '''import requests

BASE_URL = "https://platform.segmentapis.com/v1beta/"


def source_names(workspace):
    return [s["name"] for s in requests.get(BASE_URL + "workspaces/" + workspace + "/sources").json()["sources"]]


def destinations(workspace, source):
    return requests.get(f"{BASE_URL}workspaces/{workspace}/sources/{source}/destinations").json()["destinations"]
'''
TEST = '''import responses

import client

BASE = "https://platform.segmentapis.com/v1beta/"


@responses.activate
def test_dest():
    responses.add(responses.GET, BASE + "workspaces/acme/sources/web/destinations", json={"destinations": []})
    assert client.destinations("acme", "web") == []
'''
WRITTEN_OUT = (
    '`migrator rewrite` changes `BASE + "workspaces/acme/sources/web/destinations"` to '
    '`"https://platform.segmentapis.com/v1beta/workspaces/acme/sources/web/destinations"`'
)
EXPECTED = [
    (5, 8, "host.base-url", "rewrite",
     '`migrator rewrite` changes `"https://platform.segmentapis.com/v1beta/"` to `"https://api.segmentapis.com/"`'),
    (10, 34, "rewrite.partial-path", "rewrite", WRITTEN_OUT),
    (10, 34, "rewrite.partial-path", "rewrite-with-ids",
     "a test double left alone on the Config API (it cannot move: the marker above says why), its base `BASE` "
     "written out: `BASE` moved to the Public API with the other doubles joined to it: if the code under test "
     "still sends this Config API request (a module it imports kept on the Config API), keep this double and "
     "migrate them together, else migrate or remove it by hand; or let "
     "`migrator rewrite --ids FILE --lookup-module NAME` migrate it (FILE from `migrator ids`)"),
    (10, 34, "rewrite.slug-ids", "rewrite-with-ids",
     "`/v1beta/workspaces/{workspace}/sources/{source}/destinations` needs the Public id of source `web`: "
     "run `migrator ids`, then `migrator rewrite --ids FILE`"),
]


def _shown(findings: Iterable[Finding]) -> list[tuple[int, int, str, str | None, str]]:
    return [(f.line, f.column, f.rule, f.fix, f.message) for f in findings]


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    found = Auditor(load_rules())
    assert found.codemod is not None
    return found


def test_the_written_out_double_is_one_finding(auditor: Auditor) -> None:
    result = auditor.scan("tests/test_client.py", TEST.encode())
    assert _shown(result.findings) == EXPECTED
    (change,) = [f for f in result.findings if f.message == WRITTEN_OUT]
    assert (change.text, change.end_line, change.end_column) == (
        'BASE + "workspaces/acme/sources/web/destinations"', 10, 83,
    )


def test_a_whole_tree_audit_says_it_once_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "client.py").write_text(CLIENT)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_client.py").write_text(TEST)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], load_rules())
    assert _shown(f for f in run.findings if f.path == "tests/test_client.py") == EXPECTED
