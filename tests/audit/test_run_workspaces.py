"""The audit tags calls of different files for different literal workspaces
as `migrator rewrite` of the run treats them: marked, `needs-a-person`
(`audit.workspaces`); files that name the same one stay `fixable-by-rewrite`."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.rewrite import driver
from migrator.ruleset import RuleSet
from tests.rewrite.test_run_workspaces import A, B

SETTINGS = b'API = "https://platform.segmentapis.com/v1beta"\n'
IMPORTER = b'''import requests

from settings import API


def sources():
    return requests.get(API + "/workspaces/acme/sources").json()
'''
OTHER = "rewrite.other-workspace"


def _audited(root: Path, monkeypatch: pytest.MonkeyPatch, rules: RuleSet, cache: Path | None = None,
             ) -> list[tuple[str, int, str, str | None]]:
    monkeypatch.chdir(root)
    run = audit_paths([Path(".")], rules, jobs=1, cache=cache)
    return sorted((f.path, f.line, f.rule, f.fix) for f in run.findings)


def _rewritten(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, str, str]]:
    """(path, line, rule, tag) of what `migrator rewrite .` changes and marks, as the audit tags it."""
    monkeypatch.chdir(root)
    found = []
    for result in driver.run([Path(".")], write=False, jobs=1).results:
        found += [(result.path, c.line, c.rule, "rewrite") for c in result.changes]
        found += [(result.path, m.line, m.rule, "manual") for m in result.markers]
    return sorted(found)


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


def test_calls_of_files_for_different_workspaces_are_a_persons(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _tree(tmp_path / "app", {"a.py": A, "b.py": B})
    expected = [
        ("a.py", 3, "rewrite.partial-path", "manual"),
        ("a.py", 7, OTHER, "manual"),
        ("b.py", 7, OTHER, "manual"),
    ]
    assert _rewritten(root, monkeypatch) == expected
    assert _audited(root, monkeypatch, real_rules) == expected
    cache = tmp_path / "cache"
    assert _audited(root, monkeypatch, real_rules, cache) == expected
    assert _audited(root, monkeypatch, real_rules, cache) == expected  # the files' workspaces from the cache


def test_the_message_names_the_other_files(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(_tree(tmp_path / "app", {"a.py": A, "b.py": B}))
    run = audit_paths([Path(".")], real_rules, jobs=1, cache=None)
    assert [f.message for f in run.findings if f.rule == OTHER and f.path == "b.py"] == [
        "this call is for workspace `globex` and calls of other files of this run are for `acme` (in `a.py`), but "
        "the Public API drops the workspace from its paths: a Public API token works for one workspace; migrate "
        "each with that workspace's token (and id map)"]


def test_calls_of_files_for_the_same_workspace_are_fixable_by_rewrite(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _tree(tmp_path / "app", {"a.py": A, "b.py": B.replace(b'"globex"', b'"acme"')})
    audited = _audited(root, monkeypatch, real_rules)
    assert audited == _rewritten(root, monkeypatch)
    assert {fix for *_, fix in audited} == {"rewrite"}


def test_a_file_read_with_the_plan_of_a_shared_base_is_compared_too(
    tmp_path: Path, real_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = _tree(tmp_path / "app", {"settings.py": SETTINGS, "a.py": IMPORTER, "b.py": B})
    expected = _rewritten(root, monkeypatch)
    assert ("a.py", 7, OTHER, "manual") in expected and ("b.py", 7, OTHER, "manual") in expected
    assert _audited(root, monkeypatch, real_rules) == expected
