"""The audit agrees with the rewrite on a test pinning a host-less Config
path next to a pinned base (`pins`): the base's module is fixable by
rewrite, only the path constant and its pin need a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.ruleset import load_rules
from tests.rewrite.test_pinned_paths import API, CONN, PIN, TEST

RULES = load_rules()


def test_the_pinned_base_is_fixable_by_rewrite_and_the_pinned_path_needs_a_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, data in {"api.py": API, "conn.py": CONN, "tests/test_constants.py": TEST}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], RULES)
    assert sorted((f.path, f.line, f.rule, f.fix) for f in run.findings) == [
        ("api.py", 3, "host.base-url", "rewrite"),
        ("api.py", 7, "endpoint.sources.list", "rewrite"),
        ("api.py", 7, "envelope.list", "rewrite"),
        ("api.py", 7, "pagination.params", "rewrite"),
        ("conn.py", 1, "rewrite.partial-path", "manual"),
        ("tests/test_constants.py", 6, "host.base-url", "rewrite"),
        ("tests/test_constants.py", 7, "rewrite.partial-path", "manual"),
    ]
    assert [f.message for f in run.findings if f.path == "tests/test_constants.py" and f.line == 7] == [
        PIN
    ]
