"""What a command imports: a pre-commit run of `migrator audit` on a few
files is mostly start-up, so nothing is imported that its files do not need.
Checked in a fresh interpreter by the modules it loaded, not by timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUNNER = """
import json, sys
from migrator.cli import main
out, sys.argv = sys.argv[1], ["migrator", *sys.argv[2:]]
try:
    main()
finally:
    with open(out, "w") as f:
        json.dump(sorted(sys.modules), f)
"""
HEAVY = {"libcst", "httpx", "concurrent.futures.process"}
"""The codemod's parser, the Public API client, a pool of fresh processes (Linux forks)."""
VALIDATING = {"pydantic.plugin._loader", "importlib.metadata"}
"""What building pydantic's validators imports: not needed once the table is kept."""
CONFIG = 'import requests\nrequests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")\n'


def imported(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    """The modules `migrator ARGS` imported, and what it printed."""
    out = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(out), *args], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode in (0, 1), result.stderr
    return set(json.loads(out.read_text())), result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("nothing here\n")
    (tmp_path / "one.py").write_text("x = 1\n")
    (tmp_path / "client.py").write_text(CONFIG)
    (tmp_path / "source.json").write_text('{"name": "workspaces/acme/sources/web", "display_name": "Web"}\n')
    return tmp_path


def test_an_audit_imports_the_codemod_only_for_python_that_needs_it(project: Path) -> None:
    for args in (["--no-precise", "notes.txt"], ["--no-precise", "one.py"], ["one.py"], ["notes.txt"]):
        modules, _ = imported(project, "audit", *args)
        assert not modules & HEAVY, args
    modules, _ = imported(project, "audit", "--no-cache", "client.py")
    assert "libcst" in modules and "httpx" not in modules


def test_a_run_after_the_first_does_not_validate_the_table_again(project: Path) -> None:
    first, cold = imported(project, "audit", "--format", "json", "--no-cache", "client.py")
    _, warm = imported(project, "audit", "--format", "json", "--no-cache", "client.py")
    assert warm == cold and json.loads(warm)["findings"]
    assert VALIDATING <= first  # the table read and validated (the codemod too)
    modules, _ = imported(project, "audit", "--no-precise", "notes.txt")
    assert not modules & (HEAVY | VALIDATING)


def test_only_ids_imports_the_public_api_client(project: Path) -> None:
    for args in (["translate", "source.json"], ["rules"], ["audit", "client.py"]):
        modules, _ = imported(project, *args)
        assert "httpx" not in modules, args
    modules, _ = imported(project, "translate", "source.json")
    assert "libcst" not in modules
