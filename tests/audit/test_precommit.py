"""The pre-commit hook runs `migrator audit` on the staged files."""

from __future__ import annotations

from tests.audit.conftest import REPO


def test_hook_definition() -> None:
    yaml = __import__("pytest").importorskip("yaml")
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "migrator-audit"
    assert hook["entry"] == "migrator audit"
    assert hook["language"] == "python" and hook["types"] == ["text"]
