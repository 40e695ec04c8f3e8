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


def _blocks(doc: str, heading: str, until: str) -> list[str]:
    """The fenced blocks of the doc between `heading` and the text `until`, in order."""
    part = doc[doc.index(heading):]
    part = part[:part.index(until)]
    return re.findall(r"^```\w*\n(.*?)^```$", part, re.M | re.S)


def _run(args: list[str]) -> str:
    return CliRunner().invoke(cli, ["audit", "--no-cache", *args]).stdout


def test_the_reading_the_results_samples_are_real_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    segment, token, first, second = _blocks(DOC.read_text(encoding="utf-8"), "## Reading the results", "Each finding")
    for name, text in (("app/segment.py", segment), ("scripts/token.sh", token)):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert first == "$ migrator audit\n" + _run([])
    (tmp_path / "scripts" / "token.sh").unlink()
    (tmp_path / "app" / "segment.py").write_text("".join(segment.splitlines(True)[:9]))  # without get_source
    assert second == "$ migrator audit app\n" + _run(["app"])


def test_the_linked_file_sample_is_real_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, report, shown = _blocks(DOC.read_text(encoding="utf-8"), "The message says which file links it", "A file the run")
    (tmp_path / "svc").mkdir()
    for name, text in (("__init__.py", ""), ("client.py", client), ("report.py", report)):
        (tmp_path / "svc" / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    precise = _run(["svc/report.py"])
    text = _run(["--no-precise", "svc/report.py"])
    assert shown == f"$ migrator audit svc/report.py\n{precise}$ migrator audit --no-precise svc/report.py\n{text}"
