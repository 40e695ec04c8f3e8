"""Unified diffs saved in a tree are read by the lines they add: a saved
`migrator rewrite --diff` (Config URLs in the lines it removes) gives a note,
not findings; a patch adding Config usage is reported there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrator.audit.diffs import NOTE, added_lines
from migrator.cli import cli

CLIENT = (
    "import requests\n\n\ndef sources():\n"
    '    return requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources").json()["sources"]\n'
)


def audit(*paths: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["audit", "--no-precise", "--exit-zero", "--format", "json", *paths])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("name", "both"), [("migrate.diff", False), ("migrate.txt", False), ("rewrite.log", True)])
def test_a_saved_migration_diff_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          name: str, both: bool) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "client.py").write_text(CLIENT)
    result = CliRunner().invoke(cli, ["rewrite", "--diff", "client.py"])
    assert result.stdout.startswith("--- client.py\n+++ client.py\n@@ ")
    (tmp_path / "client.py").unlink()
    (tmp_path / name).write_text(result.output if both else result.stdout)  # `2>&1`: the summary after it
    report = audit()
    assert report["findings"] == []
    assert report["notes"] == [{"path": name, "note": NOTE}]


PATCH = """\
From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
Subject: [PATCH] sync: list sources (was https://platform.segmentapis.com/v1beta/workspaces/acme/sources)

---
 sync.sh | 3 ++-
--- a/sync.sh
+++ b/sync.sh
@@ -1,3 +1,4 @@
 BASE=https://platform.segmentapis.com/v1beta
-curl "$BASE/workspaces/acme/sources/web"
+curl "https://platform.segmentapis.com/v1beta/workspaces/acme/sources?page_token=x"
+echo done
 curl "$BASE/workspaces/acme/destinations"
-- 
2.43.0
"""


def test_a_patch_is_read_by_the_lines_it_adds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not its message, its removed lines, nor its context lines (the patched file's)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "patches").mkdir()
    (tmp_path / "patches" / "0001-sync.patch").write_text(PATCH)
    report = audit()
    assert [(f["path"], f["line"], f["column"], f["rule"], f["text"]) for f in report["findings"]] == [
        ("patches/0001-sync.patch", 11, 8, "host.base-url", "https://platform.segmentapis.com/v1beta"),
        ("patches/0001-sync.patch", 11, 47, "endpoint.sources.list", "/workspaces/acme/sources"),
        ("patches/0001-sync.patch", 11, 72, "pagination.params", "page_token"),
    ]
    assert report["notes"] == []


def test_added_lines_keeps_places() -> None:
    diff = "--- a\n+++ b\n@@ -1,2 +1,2 @@\n keep\n-old\n+new\n\\ No newline at end of file\n+++ not in a hunk\n"
    blank = [" " * len(line) for line in diff.splitlines()]
    assert added_lines(diff).splitlines() == [*blank[:5], " new", *blank[6:]]
    assert len(added_lines(diff)) == len(diff)


def test_a_diff_named_so_without_hunks_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.diff").write_text("-curl https://platform.segmentapis.com/v1beta/workspaces/acme/sources\n")
    assert [f["rule"] for f in audit()["findings"]] == ["host.base-url", "endpoint.sources.list"]
