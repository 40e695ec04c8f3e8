"""The README's CI recipe, run as written: record a baseline, then the
workflow's audit steps on a repository, before and after a new Config use."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrator.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def recipe() -> tuple[list[str], list[list[str]]]:
    """The baseline command of the prose, and the workflow's audit steps."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### `migrator audit PATH...`") :]
    section = section[: section.index("\n### ")]
    baseline = re.search(r"`migrator audit \. --write-baseline [^`]+`", section)
    workflow = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert baseline and workflow
    steps = [
        shlex.split(line.split("run:", 1)[1], comments=True)
        for line in workflow.group(1).splitlines()
        if re.match(r"\s*- run: migrator audit ", line)
    ]
    return shlex.split(baseline.group(0).strip("`")), steps


def run(args: list[str], temp: Path) -> tuple[int, str]:
    """`args` as the runner would run it (`${{ runner.temp }}` is outside the checkout)."""
    assert args[0] == "migrator"
    result = CliRunner().invoke(cli, [a.replace("${{ runner.temp }}", str(temp)) for a in args[1:]])
    return result.exit_code, result.stdout


def test_the_readme_recipe_gates_new_findings_and_feeds_code_scanning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline_command, steps = recipe()
    assert [s[:3] for s in steps] == [["migrator", "audit", "--format"], ["migrator", "audit", "--baseline"]]
    sarif_step, gate_step = steps
    repo, temp = tmp_path / "repo", tmp_path / "runner-temp"
    repo.mkdir()
    temp.mkdir()
    (repo / "segment.py").write_text('BASE = "https://platform.segmentapis.com/v1beta"\n')
    (repo / "notes.md").write_text("curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n")
    monkeypatch.chdir(repo)

    assert run(baseline_command, temp)[0] == 0
    code, out = run(gate_step, temp)
    assert code == 0 and "::" not in out  # the findings of the baseline neither fail CI nor annotate
    code, _ = run(sarif_step, temp)
    sarif = json.loads((temp / "migrator.sarif").read_text())
    assert code == 0 and sarif["version"] == "2.1.0"
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]} == {
        "segment.py", "notes.md"
    }

    (repo / "new.py").write_text('URL = "https://platform.segmentapis.com/v1beta/workspaces/acme/sources"\n')
    code, out = run(gate_step, temp)
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert annotations and all("file=new.py," in line for line in annotations)


@pytest.mark.parametrize("doc", ["README.md", "docs/audit.md"])
def test_workflow_reports_are_written_outside_the_checkout(doc: str) -> None:
    text = (README.parent / doc).read_text(encoding="utf-8")
    outputs = [
        m.group(1)
        for block in re.findall(r"```yaml\n(.*?)```", text, re.S)
        for m in re.finditer(r"migrator audit [^\n]*?(?:-o|--output) (\"[^\"]*\"|\S+)", block)
    ]
    assert outputs and all(o.startswith('"${{ runner.temp }}/') for o in outputs)


EXAMPLES = README.parent / "docs" / "examples"


def test_a_baseline_written_before_a_rewrite_passes_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A team records its baseline, then runs `migrator rewrite` (no id map)
    on the bundled legacy code: what the rewrite fixed is gone, what it only
    marked is still known, so CI stays green."""
    import shutil

    repo = tmp_path / "repo"
    for name in ("legacy-project", "legacy-scripts"):
        shutil.copytree(EXAMPLES / name, repo / name)
    monkeypatch.chdir(repo)
    baseline_command, steps = recipe()
    gate_step = steps[1]
    assert run([*baseline_command, "--no-cache"], tmp_path)[0] == 0
    recorded = len(json.loads((repo / ".migrator-baseline.json").read_text())["findings"])
    result = CliRunner().invoke(cli, ["rewrite", "--force", "."])
    assert result.exit_code == 0, result.output
    code, out = run([*gate_step, "--no-cache"], tmp_path)
    assert (code, out) == (0, "migrator audit: 0 findings in 11 files read\n")
    after = CliRunner().invoke(cli, ["audit", "--format", "json", "--no-cache", "--exit-zero"])
    left = len(json.loads(after.stdout)["findings"])
    assert 0 < left < recorded  # fewer to do, none new
