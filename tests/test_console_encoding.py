"""A console whose encoding cannot hold every character migrator writes (a
Windows code page, as on a Windows runner or pre-commit there): the text is
written escaped, never a traceback that exits 1, the code of findings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MINTED = 'curl -u "$EMAIL:$PASSWORD" -X POST https://platform.segmentapis.com/v1beta/access-tokens\n'


@pytest.mark.parametrize("form", ["text", "json", "github"])
def test_an_audit_writes_to_a_cp1252_console(tmp_path: Path, form: str) -> None:
    (tmp_path / "mint.sh").write_text(MINTED)
    result = subprocess.run(
        [sys.executable, "-m", "migrator", "audit", "--no-cache", "--exit-zero", "--format", form, "mint.sh"],
        cwd=tmp_path, capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "cp1252"},
    )
    assert (result.returncode, result.stderr.decode("cp1252")) == (0, "")
    # the token row's message goes "Settings → Workspace settings → ...": escaped, as JSON escapes it too
    assert b"Settings \\u2192 Workspace settings" in result.stdout


def test_json_written_to_such_a_console_stays_json(tmp_path: Path) -> None:
    """Characters the code page lacks, in and above the Basic Multilingual Plane, as JSON escapes them."""
    result = subprocess.run(
        [sys.executable, "-m", "migrator", "translate", "-q", "-"], cwd=tmp_path, capture_output=True,
        input='{"name": "workspaces/acme/sources/web", "display_name": "Café \U0001f680"}'.encode(),
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "cp1251"},
    )
    assert result.returncode == 0
    assert b'"name":"Caf\\u00e9 \\ud83d\\ude80"' in result.stdout
    assert json.loads(result.stdout)["data"]["source"]["name"] == "Café \U0001f680"
