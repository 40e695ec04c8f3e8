"""The pre-commit hook runs `migrator audit` on the staged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.conftest import REPO


def test_hook_definition() -> None:
    yaml = pytest.importorskip("yaml")
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "migrator-audit"
    assert hook["entry"] == "migrator audit"
    assert hook["language"] == "python" and hook["types"] == ["text"]
    assert hook["args"] == ["--"]  # pre-commit puts the files after `args`: `-legacy.sh` is a file, not an option


def test_a_staged_file_named_like_an_option_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As pre-commit runs the hook: its entry, its args, then the staged files."""
    from click.testing import CliRunner

    from migrator.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "-legacy.sh").write_text("curl https://platform.segmentapis.com/v1beta/workspaces/a/sources\n")
    (tmp_path / "a.txt").write_text("ok\n")
    result = CliRunner().invoke(cli, ["audit", "--no-cache", "--", "a.txt", "-legacy.sh"])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (1, "2 findings in 1 file (2 files read).")


def test_hook_runs_once_on_all_staged_files() -> None:
    """pre-commit splits the files of a hook that is not serial across
    several runs: a staged client and the module reading its fields could
    land in different runs, and the reads would be missed."""
    yaml = pytest.importorskip("yaml")
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["require_serial"] is True
