"""Without an id map, calls of different files of one run for different
literal workspaces (`acme` in a.py, `globex` in b.py) are marked and kept on
the Config API, as those of one file are (`file_workspaces`): dropping the
workspace would send them all to the token's one workspace. Files that all
name the same one still migrate; an id map's workspace decides as before."""

from __future__ import annotations

from pathlib import Path

from migrator.idmap import IdMap
from migrator.rewrite import driver
from tests.rewrite.test_driver import tree

A = b'''import requests

API = "https://platform.segmentapis.com/v1beta"


def sources():
    return requests.get(f"{API}/workspaces/acme/sources").json()
'''
B = b'''import requests

WORKSPACE = "globex"


def plans():
    return requests.get(f"https://platform.segmentapis.com/v1beta/workspaces/{WORKSPACE}/tracking-plans").json()
'''
TAIL = (", but the Public API drops the workspace from its paths: a Public API token works for one workspace; "
        "migrate each with that workspace's token (and id map)\n")
A_MARKED = A.decode().replace(
    'API = "', "# migrator[rewrite.partial-path]: left on the Config API together with the Config URL part it is "
    "joined to on line 9, which cannot be migrated: migrate them together by hand\nAPI = \"").replace(
    "    return", "    # migrator[rewrite.other-workspace]: this call is for workspace `acme` and calls of other files "
    "of this run are for `globex` (in `b.py`)" + TAIL + "    return")
B_MARKED = B.decode().replace(
    "    return", "    # migrator[rewrite.other-workspace]: this call is for workspace `globex` and calls of other "
    "files of this run are for `acme` (in `a.py`)" + TAIL + "    return")
A_MIGRATED = '''import requests

API = "https://api.segmentapis.com"


def sources():
    return requests.get(f"{API}/sources", params={"pagination.count": 200}).json()
'''
B_MIGRATED = '''import requests

WORKSPACE = "acme"


def plans():
    return requests.get("https://api.segmentapis.com/tracking-plans", params={"pagination.count": 200, "type": "LIVE"}).json()
'''


def _run(root: Path, *paths: str, **kwargs: object) -> dict[str, str]:
    driver.run([root / p for p in paths] if paths else [root], force=True, jobs=1, **kwargs)  # type: ignore[arg-type]
    return {p.name: p.read_text() for p in sorted(root.rglob("*.py"))}


def test_files_of_a_run_for_different_workspaces_are_marked_and_kept(tmp_path: Path) -> None:
    root = tree(tmp_path / "app", {"a.py": A, "b.py": B})
    assert _run(root, "a.py", "b.py") == {"a.py": A_MARKED, "b.py": B_MARKED}
    assert _run(root) == {"a.py": A_MARKED, "b.py": B_MARKED}  # the folder: a second run changes nothing


def test_a_third_file_for_one_of_them_names_both_where_it_differs(tmp_path: Path) -> None:
    c = A.replace(b"def sources", b"def acme_sources")
    root = tree(tmp_path / "app", {"a.py": A, "b.py": B, "c.py": c})
    found = _run(root)
    assert found["a.py"] == A_MARKED
    assert found["c.py"] == A_MARKED.replace("def sources", "def acme_sources")
    assert found["b.py"] == B_MARKED.replace("(in `a.py`)", "(in `a.py`, `c.py`)")


def test_files_of_a_run_for_the_same_workspace_are_migrated(tmp_path: Path) -> None:
    root = tree(tmp_path / "app", {"a.py": A, "b.py": B.replace(b'"globex"', b'"acme"')})
    found = _run(root)
    assert found["a.py"] == A_MIGRATED
    assert found["b.py"] == B_MIGRATED


def test_test_files_take_no_part(tmp_path: Path) -> None:
    """A test's double names a workspace of its own: the code still migrates."""
    double = (b'import responses\n\nfrom app import a\n\n\n@responses.activate\ndef test_sources():\n'
              b'    responses.get("https://platform.segmentapis.com/v1beta/workspaces/test-ws/sources", '
              b'json={"sources": []})\n    a.sources()\n')
    root = tree(tmp_path / "proj", {"app/__init__.py": b"", "app/a.py": A, "tests/test_a.py": double})
    assert _run(root)["a.py"] == A_MIGRATED


def test_with_an_id_map_its_workspace_decides_as_before(tmp_path: Path) -> None:
    ids = IdMap.model_validate({"workspace": {"id": "ws_1", "slug": "acme", "name": "Acme"}})
    root = tree(tmp_path / "app", {"a.py": A, "b.py": B})
    found = _run(root, ids=ids)
    assert found["a.py"] == A_MIGRATED
    assert "this call is for workspace `globex` but the id map is for `acme`" in found["b.py"]
    assert "other files" not in found["b.py"]
