"""A console whose encoding cannot hold every character migrator writes (a
Windows code page, as on a Windows runner or pre-commit there): the text is
written escaped, never a traceback that exits 1, the code of findings."""

from __future__ import annotations

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
