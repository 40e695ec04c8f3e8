"""The pre-commit hook runs `migrator audit` on the staged files."""

from __future__ import annotations

from tests.audit.conftest import REPO


def test_hook_definition() -> None:
    yaml = __import__("pytest").importorskip("yaml")
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "migrator-audit"
    assert hook["entry"] == "migrator audit"
    assert hook["language"] == "python" and hook["types"] == ["text"]


def test_hook_runs_once_on_all_staged_files() -> None:
    """pre-commit splits the files of a hook that is not serial across
    several runs: a staged client and the module reading its fields could
    land in different runs, and the reads would be missed."""
    yaml = __import__("pytest").importorskip("yaml")
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["require_serial"] is True
