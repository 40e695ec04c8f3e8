"""A call a test file sends itself is no double: it migrates like any call
even where the code the test reaches keeps its endpoint on the Config API,
unless the file's doubles (which may answer it) stay there with that code."""

from __future__ import annotations

from pathlib import Path

from migrator.rewrite import driver

HELD = b'''import requests

BASE = "https://platform.segmentapis.com/v1beta/"


def list_sources():
    return requests.get(BASE + "workspaces/acme/sources").json()["sources"]


def destinations(src):
    return requests.get(BASE + "workspaces/acme/sources/" + src + "/destinations").json()
'''
CALL = b'''import requests
import held


def fetch_names():
    r = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")
    return [s["display_name"] for s in r.json()["sources"]]
'''
WITH_DOUBLE = b'''import requests
import responses

import held


@responses.activate
def test_names():
    responses.add(responses.GET, "https://platform.segmentapis.com/v1beta/workspaces/acme/sources", json={"sources": []})
    r = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")
    assert r.json() == {"sources": []}
'''


def _run(tmp_path: Path, test: bytes, write: bool = True) -> driver.FileResult:
    (tmp_path / "held.py").write_bytes(HELD)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_bytes(test)
    run = driver.run([tmp_path], write=write, force=True, jobs=1)
    return next(r for r in run.results if Path(r.path).name == "test_x.py")


def test_a_real_call_in_a_test_file_migrates(tmp_path: Path) -> None:
    found = _run(tmp_path, CALL)
    assert found.markers == ()
    assert (tmp_path / "tests" / "test_x.py").read_text() == (
        'import requests\n'
        'import held\n'
        '\n'
        '\n'
        'def fetch_names():\n'
        '    r = requests.get("https://api.segmentapis.com/sources", params={"pagination.count": 200})\n'
        '    return [s["name"] for s in r.json()["data"]["sources"]]\n'
    )


def test_a_real_call_stays_with_the_files_doubles_and_says_so(tmp_path: Path) -> None:
    found = _run(tmp_path, WITH_DOUBLE, write=False)
    assert not [c for c in found.changes if c.rule.startswith("endpoint.")]
    assert [(m.line, m.reason) for m in found.markers if m.rule == "rewrite.partial-path"] == [
        (9, "the code this file tests keeps calling the Config API for this endpoint (held.py:7): left on the "
            "Config API with it; migrate them together by hand"),
        (10, "the code this file tests keeps calling the Config API for this endpoint (held.py:7), and this "
             "file's test doubles stay with it: this call, which they may answer, is left on the Config API too; "
             "migrate them together by hand"),
    ]
