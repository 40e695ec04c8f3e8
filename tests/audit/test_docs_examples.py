"""docs/audit.md shows one finding in two formats: both are real output of one run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"
SEGMENT_PY = (
    'import requests\n\nBASE_URL = "https://platform.segmentapis.com/v1beta/"\n\n\n'
    "def list_sources(workspace):\n"
    '    return requests.get(f"{BASE_URL}workspaces/{workspace}/sources").json()\n'
)


def test_the_github_annotation_is_the_text_example_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = DOC.read_text(encoding="utf-8")
    text_line = re.search(r"^  3:12 .*host\.base-url.*$", doc, re.M)
    github_line = re.search(r"^::warning file=app/segment\.py,line=3,.*$", doc, re.M)
    assert text_line and github_line
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "segment.py").write_text(SEGMENT_PY)
    monkeypatch.chdir(tmp_path)
    text = CliRunner().invoke(cli, ["audit", "--no-cache", "app"]).stdout
    github = CliRunner().invoke(cli, ["audit", "--no-cache", "--format", "github", "app"]).stdout
    assert text.splitlines()[1] == text_line.group(0)
    assert github.splitlines()[0] == github_line.group(0)
