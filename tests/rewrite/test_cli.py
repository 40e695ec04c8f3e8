"""`migrator rewrite` with a fake core: flags, output streams, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migrator.cli import cli
from migrator.rewrite import driver

from . import test_driver_fake as fake

OLD_LINE = b'BASE = "https://platform.segmentapis.com/v1beta/"\n'
NEW_LINE = b'BASE = "https://api.segmentapis.com/"\n'
PLAIN = b"def add(a, b):\n    return a + b\n"


@pytest.fixture(autouse=True)
def fake_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(driver, "default_core", lambda: fake.FAKE)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["rewrite", *map(str, args)])


def tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_rewrites_in_place(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": PLAIN})
    result = invoke(tmp_path)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "migrator rewrite: 1 changed, 0 with markers, 1 unchanged (2 files)\n"
    assert (tmp_path / "a.py").read_bytes() == NEW_LINE


def test_nothing_to_do(tmp_path: Path) -> None:
    tree(tmp_path, {"b.py": PLAIN})
    for flags in ([], ["--check"], ["--diff"]):
        result = invoke(*flags, tmp_path)
        assert (result.exit_code, result.stdout) == (0, "")


def test_check_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE})
    result = invoke("--check", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == "migrator rewrite: 1 would change, 0 with markers, 0 unchanged (1 file)\n"
    assert (tmp_path / "a.py").read_bytes() == OLD_LINE


def test_diff_prints_and_writes_nothing(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": PLAIN, "c.py": b"x = 1\n" + OLD_LINE})
    result = invoke("--diff", tmp_path)
    a, c = tmp_path / "a.py", tmp_path / "c.py"
    assert result.exit_code == 0
    assert result.stdout == (
        f"--- {a}\n+++ {a}\n@@ -1 +1 @@\n"
        '-BASE = "https://platform.segmentapis.com/v1beta/"\n+BASE = "https://api.segmentapis.com/"\n'
        f"--- {c}\n+++ {c}\n@@ -1,2 +1,2 @@\n x = 1\n"
        '-BASE = "https://platform.segmentapis.com/v1beta/"\n+BASE = "https://api.segmentapis.com/"\n'
    )
    assert a.read_bytes() == OLD_LINE


def test_diff_and_check_together(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE})
    result = invoke("--diff", "--check", tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith("--- ")


def test_region_eu(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE})
    assert invoke("--region", "eu", "-j", "1", tmp_path).exit_code == 0
    assert (tmp_path / "a.py").read_bytes() == b'BASE = "https://eu1.api.segmentapis.com/"\n'


def test_failed_file_exits_2_after_writing_the_others(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": b"SYNTAX ERROR " + OLD_LINE})
    result = invoke(tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        "migrator rewrite: 1 changed, 0 with markers, 0 unchanged, 1 failed (2 files)\n"
        f"failed:\n  {tmp_path / 'b.py'}: line 1: does not parse\n"
    )
    assert (tmp_path / "a.py").read_bytes() == NEW_LINE


def test_read_only_and_hard_linked_files_are_not_written_and_exit_2(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": OLD_LINE, "c.py": OLD_LINE})
    (tmp_path / "a.py").chmod(0o444)
    os.link(tmp_path / "b.py", tmp_path / "b.bak")
    result = invoke(tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        "migrator rewrite: 1 changed, 0 with markers, 0 unchanged, 2 failed (3 files)\n"
        f"failed:\n  {tmp_path / 'a.py'}: cannot write: a read-only file (no write permission): left as it is\n"
        f"  {tmp_path / 'b.py'}: cannot write: one of 2 hard links to one file, which writing a new file would "
        "split (the others would keep the old text): left as it is\n"
    )
    assert [(tmp_path / name).read_bytes() for name in ("a.py", "b.py", "b.bak", "c.py")] == [OLD_LINE] * 3 + [NEW_LINE]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.bak", "b.py", "c.py"]


def test_report_file(tmp_path: Path) -> None:
    tree(tmp_path / "src", {"a.py": OLD_LINE})
    report = tmp_path / "out" / "report.json"
    result = invoke("--check", "--report", report, tmp_path / "src")
    assert result.exit_code == 1
    data = json.loads(report.read_text())
    assert data["mode"] == "check"
    assert [(f["path"], f["status"]) for f in data["files"]] == [(str(tmp_path / "src/a.py"), "changed")]
    assert data["totals"]["modified"] == 1


def test_report_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `--report -` used to write a file named `-`; as for `audit -o -`, it is standard output now
    tree(tmp_path / "src", {"a.py": OLD_LINE})
    monkeypatch.chdir(tmp_path)
    invoke("--check", "--report", "report.json", "src")
    result = invoke("--check", "--report", "-", "src")
    assert result.exit_code == 1
    assert result.stdout == (tmp_path / "report.json").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "src"]


def test_report_dash_with_diff_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path / "src", {"a.py": OLD_LINE})
    monkeypatch.chdir(tmp_path)
    result = invoke("--diff", "--report", "-", "src")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "migrator: error: --report - and --diff both write to standard output: give the report a file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_unwritable_report_is_an_error(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": PLAIN, "taken": b""})
    result = invoke("--report", tmp_path / "taken" / "r.json", tmp_path)
    assert result.exit_code == 2
    assert "migrator: error: cannot write the report " in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/dir"], "Path '/no/such/dir' does not exist"),
        ([], "Missing argument 'PATHS...'"),
        (["--region", "mars", "."], "'mars' is not one of 'us', 'eu'"),
        (["--jobs", "-1", "."], "-1 is not in the range x>=0"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_bad_ids_file_exits_2(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "ids.json": b'{"format": "other"}'})
    result = invoke("--ids", tmp_path / "ids.json", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f'migrator: error: {tmp_path / "ids.json"}: not a migrator id map (expected "format": "migrator.ids")\n'
    )
    missing = invoke("--ids", tmp_path / "nope.json", tmp_path)
    assert missing.exit_code == 2
    assert "cannot read id map" in missing.stderr
    assert (tmp_path / "a.py").read_bytes() == OLD_LINE


def test_ids_are_handed_to_the_core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def spy(data: bytes, rules: object, ids: object = None, *, region: str = "us") -> fake.Result:
        seen.append(ids)
        return fake.rewrite_bytes(data, rules, ids, region=region)  # type: ignore[arg-type]

    core = driver.Core(fake.may_need_rewrite, spy, fake.load_rules, fake.FakeError)
    monkeypatch.setattr(driver, "default_core", lambda: core)
    ids = tmp_path / "ids.json"
    ids.write_text('{"format": "migrator.ids", "version": 1, "workspace": {"id": "w1", "slug": "acme"}, "sources": {"js": "abc"}}')
    tree(tmp_path, {"a.py": OLD_LINE})
    assert invoke("--ids", ids, "--check", "-j", "1", tmp_path).exit_code == 1
    assert [getattr(i, "sources", None) for i in seen] == [{"js": "abc"}]


def test_broken_rules_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from migrator.ruleset import RulesError

    def broken() -> None:
        raise RulesError("invalid rules:\nhosts.toml: nope")

    monkeypatch.setattr(driver, "default_core", lambda: driver.Core(fake.may_need_rewrite, fake.rewrite_bytes, broken, fake.FakeError))
    result = invoke(tmp_path)
    assert (result.exit_code, result.stderr) == (2, "migrator: error: invalid rules:\nhosts.toml: nope\n")


def test_internal_error_has_no_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("x")

    monkeypatch.setattr(driver, "run", boom)
    result = invoke(tmp_path)
    assert (result.exit_code, result.stderr) == (2, "migrator: error: internal error: KeyError: 'x'\n")


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


@needs_git
def test_dirty_git_tree_refuses_unless_forced(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": PLAIN})
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=tmp_path, check=True)
    (tmp_path / "a.py").write_bytes(OLD_LINE)
    refused = invoke(tmp_path)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "migrator rewrite: 1 would change, 0 with markers, 0 unchanged (1 file)\n"
        "migrator: error: refusing to write: 1 file(s) to rewrite have uncommitted changes"
    )
    assert (tmp_path / "a.py").read_bytes() == OLD_LINE
    assert invoke("--check", tmp_path).exit_code == 1  # check and diff never write: no guard
    forced = invoke("--force", tmp_path)
    assert forced.exit_code == 0
    assert (tmp_path / "a.py").read_bytes() == NEW_LINE


def test_progress_line_for_terminals(capsys: pytest.CaptureFixture[str]) -> None:
    from migrator.cli.rewrite_cmd import _Progress

    progress = _Progress()
    progress.clear()  # nothing shown yet: nothing to clear
    progress(3, 10)
    progress(10, 10)
    progress.clear()
    blank = " " * len("rewrite: 10/10 files")
    assert capsys.readouterr().err == f"\rrewrite: 3/10 files\rrewrite: 10/10 files\r{blank}\r"


def test_progress_ends_on_the_count_of_the_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrator.cli import rewrite_cmd

    seen: list[tuple[int, int]] = []

    class Recorder(rewrite_cmd._Progress):
        def __call__(self, done: int, total: int) -> None:
            seen.append((done, total))

    monkeypatch.setattr(rewrite_cmd, "_terminal_progress", Recorder)
    tree(tmp_path / "proj", {"a.py": OLD_LINE, "b.py": PLAIN})
    tree(tmp_path / "outside", {"c.py": OLD_LINE})
    (tmp_path / "proj" / "link.py").symlink_to(tmp_path / "outside" / "c.py")  # skipped: out of the tree
    result = invoke("--check", tmp_path / "proj")
    assert result.stderr.startswith("migrator rewrite: 1 would change, 0 with markers, 1 unchanged, 1 skipped (3 files)\n")
    assert seen[-1] == (3, 3)
