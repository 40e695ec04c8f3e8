"""The rewrite driver, with a fake core: results as values, discovery,
prefilter, parallel runs, atomic writes, the git guard, report and summary."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from migrator.rewrite import diffs, driver, git_guard, run_report
from migrator.rewrite.driver import FileResult, Run, Settings
from migrator.ruleset import load_rules

from . import test_driver_fake as fake

OLD_LINE = b'BASE = "https://platform.segmentapis.com/v1beta/"\n'
NEW_LINE = b'BASE = "https://api.segmentapis.com/"\n'
PLAIN = b"def add(a, b):\n    return a + b\n"


def settings(**overrides: object) -> Settings:
    values: dict[object, object] = dict(
        core=fake.FAKE, rules=fake.FakeRules(), ids=None, region="us", diff=False, keep_new=True
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def run(paths: list[Path], **kwargs: object) -> Run:
    kwargs.setdefault("core", fake.FAKE)
    kwargs.setdefault("jobs", 1)
    return driver.run(paths, **kwargs)  # type: ignore[arg-type]


def by_name(outcome: Run) -> dict[str, FileResult]:
    return {Path(r.path).name: r for r in outcome.results}


# --- one file -------------------------------------------------------------------------


def test_process_file_changed() -> None:
    result = driver.process_file("a.py", OLD_LINE, settings())
    assert result.status == "changed"
    assert result.modified
    assert result.new == NEW_LINE
    assert [c.rule for c in result.changes] == ["host.base-url"]


def test_process_file_region_eu() -> None:
    result = driver.process_file("a.py", OLD_LINE, settings(region="eu"))
    assert result.new == b'BASE = "https://eu1.api.segmentapis.com/"\n'


def test_process_file_unchanged_keeps_nothing() -> None:
    result = driver.process_file("a.py", b'BASE = "https://api.segmentapis.com/"\n', settings())
    assert result == FileResult("a.py", "unchanged")


def test_process_file_marked() -> None:
    data = b'requests.post(HOST + "/access-tokens")\n'
    result = driver.process_file("a.py", data, settings())
    assert result.status == "marked"
    assert result.modified
    assert [(m.rule, m.line) for m in result.markers] == [(fake.TOKEN_RULE, 2)]


def test_process_file_marked_again_is_not_modified() -> None:
    once = driver.process_file("a.py", b'post(HOST + "/access-tokens")\n', settings())
    assert once.new is not None
    again = driver.process_file("a.py", once.new, settings())
    assert (again.status, again.modified, again.new) == ("marked", False, None)


def test_process_file_parse_error_is_a_failed_value() -> None:
    result = driver.process_file("a.py", b"SYNTAX ERROR segmentapis", settings())
    assert result == FileResult("a.py", "failed", error="line 1: does not parse")


def test_process_file_bug_in_core_is_a_failed_value() -> None:
    result = driver.process_file("a.py", b"CRASH", settings())
    assert result.status == "failed"
    assert result.error == "internal error: ZeroDivisionError: division by zero"


def test_process_file_round_trip_drift_is_never_written() -> None:
    result = driver.process_file("a.py", b"try:\n    pass\nexcept X :  # DRIFT\n    pass\n", settings())
    assert (result.status, result.modified, result.new) == ("unchanged", False, None)
    assert result.notes == ("libcst would alter formatting without migrating anything; left as is",)


def test_process_file_output_that_does_not_parse_is_refused() -> None:
    broken = fake.Result(b"def (:\n", (fake.Change("r.x", 1, 0, "a", "b"),), (), ())
    core = driver.Core(lambda d: True, lambda *a, **k: broken, fake.load_rules, fake.FakeError)
    result = driver.process_file("a.py", PLAIN, settings(core=core))
    assert result.status == "failed"
    assert result.error == "internal error: the rewrite does not parse; file left as is"


def test_process_file_diff() -> None:
    result = driver.process_file("pkg/a.py", b"import x\n" + OLD_LINE, settings(diff=True, keep_new=False))
    assert result.new is None
    assert result.diff == (
        "--- pkg/a.py\n"
        "+++ pkg/a.py\n"
        "@@ -1,2 +1,2 @@\n"
        " import x\n"
        '-BASE = "https://platform.segmentapis.com/v1beta/"\n'
        '+BASE = "https://api.segmentapis.com/"\n'
    )


# --- diffs ---------------------------------------------------------------------------------


def test_diff_without_final_newline() -> None:
    assert diffs.unified_diff("a.py", b"x = 1\ny = 2", b"x = 1\ny = 3") == (
        "--- a.py\n+++ a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n\\ No newline at end of file\n"
        "+y = 3\n\\ No newline at end of file\n"
    )


def test_a_path_with_a_space_ends_with_a_tab_so_patch_reads_it_whole(tmp_path: Path) -> None:
    """`patch` ends a file name at a space; a tab after it, as `git diff` writes, ends it there."""
    diff = diffs.unified_diff("my dir/a b.py", b"x = 1\n", b"x = 2\n")
    assert diff == "--- my dir/a b.py\t\n+++ my dir/a b.py\t\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
    if shutil.which("patch") is None:
        return
    (tmp_path / "my dir").mkdir()
    (tmp_path / "my dir" / "a b.py").write_bytes(b"x = 1\n")
    applied = subprocess.run(["patch", "-p0"], input=diff.encode(), cwd=tmp_path, capture_output=True)
    assert applied.returncode == 0, applied.stdout
    assert (tmp_path / "my dir" / "a b.py").read_bytes() == b"x = 2\n"


def test_diff_keeps_crlf() -> None:
    assert diffs.unified_diff("a.py", b"a = 1\r\nb = 2\r\n", b"a = 1\r\nb = 3\r\n") == (
        "--- a.py\n+++ a.py\n@@ -1,2 +1,2 @@\n a = 1\r\n-b = 2\r\n+b = 3\r\n"
    )


def test_diff_keeps_the_bytes_of_the_declared_encoding() -> None:
    # the diff shows the file's bytes (as `git diff` does), so that `patch -p0` applies it
    before = "# -*- coding: latin-1 -*-\nname = 'café'\nx = 1\n".encode("latin-1")
    after = before.replace(b"x = 1", b"x = 2")
    assert diffs.encode_diff(diffs.unified_diff("a.py", before, after)) == (
        b"--- a.py\n+++ a.py\n@@ -1,3 +1,3 @@\n # -*- coding: latin-1 -*-\n name = 'caf\xe9'\n-x = 1\n+x = 2\n"
    )


def test_diff_with_a_bom_keeps_it() -> None:
    diff = diffs.unified_diff("a.py", b"\xef\xbb\xbfx = 1\n", b"\xef\xbb\xbfx = 2\n")
    assert diffs.encode_diff(diff) == b"--- a.py\n+++ a.py\n@@ -1 +1 @@\n-\xef\xbb\xbfx = 1\n+\xef\xbb\xbfx = 2\n"


def test_diff_keeps_undecodable_bytes() -> None:
    diff = diffs.unified_diff("a.py", b"s = '\xff'\nx = 1\n", b"s = '\xff'\nx = 2\n")
    assert diffs.encode_diff(diff) == b"--- a.py\n+++ a.py\n@@ -1,2 +1,2 @@\n s = '\xff'\n-x = 1\n+x = 2\n"


def test_diff_of_lone_carriage_returns_ends_lines_where_patch_does() -> None:
    # shown line by line, the hunk ended in a lone \r: a next file's header was glued onto it
    diff = diffs.unified_diff("a.py", b"a = 1\rb = 2\r", b"a = 1\rb = 3\r")
    assert diff == (
        "# migrator: a.py ends its lines with a lone carriage return (\\r), which patch does not take "
        "for a line end: the lines ending so are shown joined, as patch reads them\n"
        "--- a.py\n+++ a.py\n@@ -1 +1 @@\n-a = 1\rb = 2\r\n\\ No newline at end of file\n"
        "+a = 1\rb = 3\r\n\\ No newline at end of file\n"
    )
    mixed = diffs.unified_diff("a.py", b"a = 1\nb = 2\rc = 3\n", b"a = 1\nb = 2\rc = 4\n")
    assert mixed.endswith("@@ -1,2 +1,2 @@\n a = 1\n-b = 2\rc = 3\n+b = 2\rc = 4\n")


def test_marker_lines_after_a_lone_carriage_return() -> None:
    # `^` of the marker pattern matched after \n only: an old Mac file held no markers
    marker = b"# migrator[rewrite.paths]: see https://platform.segmentapis.com/v1beta/workspaces/acme/sources"
    call = b'x = requests.get("https://platform.segmentapis.com/v1beta/workspaces/acme/sources")'
    code = b"import requests\r" + marker + b"\r  " + marker + b"\r" + call + b"\r"
    assert driver.held_markers(code) == driver.held_markers(code.replace(b"\r", b"\n")) == 2
    assert driver.kept_endpoints(code, load_rules()) == [("endpoint.sources.list", 4)]


# --- generated files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        b"# Generated by the protocol buffer compiler.  DO NOT EDIT!\n",
        b'"""@generated by a tool"""\n',
        b"# -*- coding: utf-8 -*-\n# This file is autogenerated\n",
        b"# Generated by Django 4.2 on 2024-01-01\n",
        b"# Code generated by apigen. DO NOT EDIT.\n",
        b"// Code generated by protoc-gen-go. DO NOT EDIT.\n",
        b"# This file was automatically generated by SWIG\n",
        b"#\n# Automatically generated from schema.json\n",
        b"# This module was generated from schema.json\n",
        b"# WARNING: auto-generated by tools/gen_segment.py; changes will be lost\n",
        b"# Segment endpoints. Generated by tools/gen_segment.py from openapi.yaml\n",
        b"# File auto-generated by tools/gen_segment.py\n",
        b"# NOTE: This file is generated by tools/gen_segment.py\n",
        b'"""Segment Config API client (auto-generated from config-api.yaml)."""\n',
        b"# Auto generated by swagger-codegen\n",
        b"# autogenerated\n",
        b"# AUTO-GENERATED - changes are overwritten\n",
        b'"""Keywords (from "Grammar/python.gram")\n\nThis file is automatically generated; please don\'t muck it up!\n',
        b'"""Public API ids.\n\nGenerated by `migrator rewrite` from the id map\n"""\n',
    ],
)
def test_generated_headers(header: bytes) -> None:
    assert driver.generated_header(header + OLD_LINE) is not None


@pytest.mark.parametrize(
    "header",
    [
        b'"""Parser engine for the grammar tables generated by pgen."""\n',
        b'"""Client that wraps the models generated by openapi-generator."""\n',
        b"# Generated events go to the warehouse\n",
        b"# Maps the old names, so that pickle streams\n# generated with Python 2 load in Python 3.\n",
        b"# Uses auto-generated ids from the server\n",
        b"# Returns ids (generated by the server)\n",
        b'"""Wraps the client code generated by openapi-generator with retries."""\n',
        b'"""Sync.\n\nThe CSV is generated from the Config API\'s source list and mailed on Mondays.\n"""\n',
        b"# Sync Segment tracking plans into our warehouse; the DDL is auto-generated\n",
        b"# The schema was generated with dbt, this loader is hand-written.\n",
        b'"""Segment client. Output: generated by this script, mailed weekly."""\n',
        b'"""Export the tracking plans (the dashboard code generated from them lives in web/)."""\n',
        b'"""Automatically generated weekly reports: list each workspace\'s sources and email them."""\n',
        b"# NOTE: auto-generated slugs must be lowercase; this script checks them.\n",
    ],
)
def test_a_header_that_only_mentions_generated_things_is_hand_written(header: bytes) -> None:
    assert driver.generated_header(header + OLD_LINE) is None


def test_generated_header_only_in_the_first_lines() -> None:
    body = b"x = 1\n" * 6 + b"# Generated by hand\n"
    assert driver.generated_header(body) is None
    assert driver.generated_header(OLD_LINE) is None


# --- runs ----------------------------------------------------------------------------------


def test_run_writes_changed_files_and_leaves_others_byte_identical(tmp_path: Path) -> None:
    odd = b"x  =  'a'   # spacing kept\r\n\r\n\r\n"
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": PLAIN, "sub/c.py": odd + OLD_LINE, "notes.txt": OLD_LINE})
    outcome = run([tmp_path])
    assert {name: r.status for name, r in by_name(outcome).items()} == {
        "a.py": "changed", "b.py": "unchanged", "c.py": "changed"
    }
    assert (tmp_path / "a.py").read_bytes() == NEW_LINE
    assert (tmp_path / "b.py").read_bytes() == PLAIN
    assert (tmp_path / "sub/c.py").read_bytes() == odd + NEW_LINE
    assert (tmp_path / "notes.txt").read_bytes() == OLD_LINE
    assert all(r.new is None for r in outcome.results)
    assert outcome.refused is None


def test_run_check_and_diff_write_nothing(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE})
    check = run([tmp_path], write=False)
    diff = run([tmp_path], write=False, diff=True)
    assert (tmp_path / "a.py").read_bytes() == OLD_LINE
    assert [r.modified for r in check.results] == [True]
    assert check.results[0].diff is None
    assert diff.results[0].diff is not None and diff.results[0].diff.startswith("--- ")


def test_run_keeps_permissions(tmp_path: Path) -> None:
    tree(tmp_path, {"tool.py": b"#!/usr/bin/env python\n" + OLD_LINE})
    (tmp_path / "tool.py").chmod(0o751)
    run([tmp_path])
    assert stat.S_IMODE((tmp_path / "tool.py").stat().st_mode) == 0o751
    assert (tmp_path / "tool.py").read_bytes() == b"#!/usr/bin/env python\n" + NEW_LINE


def test_one_bad_file_never_stops_the_run(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": b"SYNTAX ERROR " + OLD_LINE, "c.py": b"CRASH", "d.py": OLD_LINE})
    outcome = run([tmp_path])
    results = by_name(outcome)
    assert [results[f"{n}.py"].status for n in "abcd"] == ["changed", "failed", "failed", "changed"]
    assert (tmp_path / "b.py").read_bytes() == b"SYNTAX ERROR " + OLD_LINE
    assert (tmp_path / "d.py").read_bytes() == NEW_LINE
    assert [r.path for r in outcome.failed] == [str(tmp_path / "b.py"), str(tmp_path / "c.py")]


def test_prefilter_skips_the_parse(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": PLAIN, "c.py": PLAIN})
    fake.CALLS.clear()
    run([tmp_path])
    assert fake.CALLS == [OLD_LINE]


def test_unreadable_file_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": OLD_LINE})
    (tmp_path / "b.py").chmod(0)
    if os.geteuid() == 0:  # root reads everything: refuse the read as the system would
        unreadable, read_bytes = tmp_path / "b.py", Path.read_bytes

        def refusing(path: Path) -> bytes:
            if path == unreadable:
                raise PermissionError(13, "Permission denied", str(path))
            return read_bytes(path)

        monkeypatch.setattr(Path, "read_bytes", refusing)
    outcome = run([tmp_path])
    assert by_name(outcome)["b.py"].error == "cannot read: Permission denied"
    assert by_name(outcome)["a.py"].status == "changed"


def test_generated_files_are_skipped_with_a_note(tmp_path: Path) -> None:
    generated = b"# Generated by protoc. DO NOT EDIT!\n" + OLD_LINE
    tree(tmp_path, {"api_pb2.py": generated})
    result = run([tmp_path]).results[0]
    assert result.status == "skipped"
    assert result.notes == (
        "generated file (# Generated by protoc. DO NOT EDIT!): not rewritten; migrate its generator instead",
    )
    assert (tmp_path / "api_pb2.py").read_bytes() == generated


def test_virtualenvs_and_symlinks_out_of_the_tree(tmp_path: Path) -> None:
    outside = tree(tmp_path / "outside", {"lib.py": OLD_LINE})
    project = tree(tmp_path / "project", {"app.py": OLD_LINE, "env/lib/dep.py": OLD_LINE, "env/pyvenv.cfg": b""})
    (project / "linked.py").symlink_to(outside / "lib.py")
    (project / "linkdir").symlink_to(outside, target_is_directory=True)
    outcome = run([project])
    assert [(Path(r.path).name, r.status) for r in outcome.results] == [
        ("app.py", "changed"), ("linkdir", "skipped"), ("linked.py", "skipped")
    ]
    assert outcome.results[2].notes == ("symlink out of the tree: not followed",)
    assert (outside / "lib.py").read_bytes() == OLD_LINE
    assert (project / "env/lib/dep.py").read_bytes() == OLD_LINE


def test_gitignored_files_are_left_alone(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": b"out/\n", "out/x.py": OLD_LINE, "a.py": OLD_LINE})
    assert [Path(r.path).name for r in run([tmp_path]).results] == ["a.py"]


def test_rules_are_loaded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(driver, "SERIAL_BELOW", 0)
    tree(tmp_path, {f"m{i:02}.py": OLD_LINE for i in range(40)})
    fake.LOADS.clear()
    run([tmp_path], jobs=2)
    assert fake.LOADS == [os.getpid()]


def test_parallel_run_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"m{i:03}.py": (OLD_LINE if i % 3 else PLAIN) + b"# %d\n" % i for i in range(120)}
    files["m050.py"] = b"SYNTAX ERROR segmentapis\n"
    tree(tmp_path / "one", files)
    tree(tmp_path / "two", files)
    serial = run([tmp_path / "one"], jobs=1, write=False, diff=True)
    monkeypatch.setattr(driver, "SERIAL_BELOW", 0)
    seen: list[tuple[int, int]] = []
    parallel = run([tmp_path / "two"], jobs=2, write=False, diff=True, progress=lambda d, t: seen.append((d, t)))
    strip = lambda outcome: [  # noqa: E731
        (Path(r.path).name, r.status, r.changes, r.error, (r.diff or "").replace("/two/", "/one/"))
        for r in outcome.results
    ]
    assert strip(parallel) == strip(serial)
    assert seen[-1] == (120, 120)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_parallel_run_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(driver, "SERIAL_BELOW", 0)
    tree(tmp_path, {f"m{i:02}.py": OLD_LINE for i in range(30)})
    outcome = run([tmp_path], jobs=2)
    assert outcome.totals["changed"] == 30
    assert all(p.read_bytes() == NEW_LINE for p in tmp_path.glob("*.py"))


def test_a_dying_worker_fails_its_files_not_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(driver, "SERIAL_BELOW", 0)
    tree(tmp_path, {**{f"m{i:02}.py": OLD_LINE for i in range(20)}, "m05.py": b"EXIT"})
    outcome = run([tmp_path], jobs=2, write=False)
    assert len(outcome.results) == 20
    failed = outcome.failed
    assert str(tmp_path / "m05.py") in [r.path for r in failed]
    assert all((r.error or "").startswith("worker process failed: BrokenProcessPool") for r in failed)


def test_file_changed_during_the_run_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, {"a.py": OLD_LINE})
    real = driver.process_file

    def edit_meanwhile(path: str, data: bytes, s: Settings) -> FileResult:
        Path(path).write_bytes(b"# edited\n" + data)
        return real(path, data, s)

    monkeypatch.setattr(driver, "process_file", edit_meanwhile)
    result = run([tmp_path]).results[0]
    assert result.error == "changed on disk during the run; not written"
    assert (tmp_path / "a.py").read_bytes() == b"# edited\n" + OLD_LINE


# --- git guard -----------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=root, check=True, capture_output=True,
    )


def repo(root: Path, files: dict[str, bytes]) -> Path:
    tree(root, files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    return root


@needs_git
def test_clean_repo_is_written(tmp_path: Path) -> None:
    repo(tmp_path, {"a.py": OLD_LINE, "b.py": PLAIN})
    (tmp_path / "b.py").write_bytes(PLAIN + b"# unrelated edit\n")  # not a file we write
    outcome = run([tmp_path])
    assert outcome.refused is None
    assert (tmp_path / "a.py").read_bytes() == NEW_LINE


@needs_git
@pytest.mark.parametrize(
    ("prepare", "state"),
    [
        (lambda root: (root / "a.py").write_bytes(b"# wip\n" + OLD_LINE), "modified"),
        (lambda root: ((root / "a.py").write_bytes(b"# wip\n" + OLD_LINE), git(root, "add", "a.py")), "staged"),
        (lambda root: (root / "new.py").write_bytes(OLD_LINE), "untracked"),
    ],
)
def test_uncommitted_changes_refuse_the_write(tmp_path: Path, prepare, state: str) -> None:  # type: ignore[no-untyped-def]
    repo(tmp_path, {"a.py": OLD_LINE, "c.py": OLD_LINE})
    prepare(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.glob("*.py")}
    outcome = run([tmp_path])
    assert outcome.refused is not None
    assert f"({state})" in outcome.refused
    assert outcome.refused.endswith("commit or stash them first, or rerun with --force")
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.py")} == before  # nothing written, not even c.py
    forced = run([tmp_path], force=True)
    assert forced.refused is None
    assert (tmp_path / "c.py").read_bytes() == NEW_LINE


@needs_git
def test_guard_message_lists_the_files(tmp_path: Path) -> None:
    repo(tmp_path, {"a.py": PLAIN})
    (tmp_path / "a.py").write_bytes(OLD_LINE)
    (tmp_path / "b c.py").write_bytes(OLD_LINE)
    message = git_guard.git_guard([tmp_path / "a.py", tmp_path / "b c.py"])
    real = tmp_path.resolve()
    assert message == (
        "refusing to write: 2 file(s) to rewrite have uncommitted changes, so the rewrite "
        "could not be reviewed or reverted with git:\n"
        f"  {real}/a.py (modified)\n  {real}/b c.py (untracked)\n"
        "commit or stash them first, or rerun with --force"
    )


@needs_git
def test_guard_names_the_files_of_an_ignored_folder(tmp_path: Path) -> None:
    repo(tmp_path, {".gitignore": b"ignored/\n", "a.py": PLAIN})
    tree(tmp_path, {"ignored/x.py": OLD_LINE, "ignored/y.py": OLD_LINE, "ignored/z.py": PLAIN})
    message = git_guard.git_guard([tmp_path / "ignored/x.py", tmp_path / "ignored/y.py"])
    real = tmp_path.resolve()
    assert message is not None and message.splitlines()[1:3] == [
        f"  {real}/ignored/x.py (ignored by git)", f"  {real}/ignored/y.py (ignored by git)",
    ]
    assert message.startswith("refusing to write: 2 file(s) to rewrite")


def test_guard_outside_git_allows(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE})
    assert git_guard.git_guard([tmp_path / "a.py"]) is None


@needs_git
def test_guard_without_git_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo(tmp_path, {"a.py": OLD_LINE})
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    message = git_guard.git_guard([tmp_path / "a.py"])
    assert message is not None and message.startswith("cannot check for uncommitted changes in ")
    assert message.endswith("cannot run git (No such file or directory); rerun with --force to write anyway")


# --- report and summary --------------------------------------------------------------------


def sample(tmp_path: Path) -> Run:
    tree(
        tmp_path,
        {
            "a.py": b"import requests\nH = {'Authorization': 'Bearer x'}\n" + OLD_LINE,
            "b.py": PLAIN,
            "c.py": b'token = post(BASE + "/access-tokens")\n',
            "d.py": b"SYNTAX ERROR segmentapis\n",
            "e.py": b"# @generated\n" + OLD_LINE,
        },
    )
    return run([tmp_path], write=False)


def test_report_is_exact(tmp_path: Path) -> None:
    data = run_report.report(sample(tmp_path), region="us", ids="ids.json")
    assert json.loads(run_report.report_json(data)) == data
    assert data == {
        "format": "migrator.rewrite-report",
        "version": 1,
        "mode": "check",
        "region": "us",
        "ids": "ids.json",
        "written": False,
        "refused": None,
        "files": [
            {
                "path": str(tmp_path / "a.py"),
                "status": "changed",
                "modified": True,
                "changes": {
                    "host.base-url": [
                        {"line": 3, "column": 8, "before": "https://platform.segmentapis.com/v1beta",
                         "after": "https://api.segmentapis.com"}
                    ]
                },
                "markers": [],
                "held_markers": 0,
                "notes": ["the token must be a Public API token"],
                "new_notes": ["the token must be a Public API token"],
                "error": None,
            },
            {
                "path": str(tmp_path / "c.py"),
                "status": "marked",
                "modified": True,
                "changes": {},
                "markers": [{"line": 2, "column": 0, "rule": fake.TOKEN_RULE, "reason": fake.TOKEN_REASON,
                             "new_line": 2, "new_reason": fake.TOKEN_REASON}],  # written or not (`--check`)
                "held_markers": 0,
                "notes": [],
                "new_notes": [],
                "error": None,
            },
            {
                "path": str(tmp_path / "d.py"),
                "status": "failed",
                "modified": False,
                "changes": {},
                "markers": [],
                "held_markers": 0,
                "notes": [],
                "error": "line 1: does not parse",
            },
            {
                "path": str(tmp_path / "e.py"),
                "status": "skipped",
                "modified": False,
                "changes": {},
                "markers": [],
                "held_markers": 0,
                "notes": ["generated file (# @generated): not rewritten; migrate its generator instead"],
                "error": None,
            },
        ],
        "totals": {
            "files": 5, "changed": 1, "marked": 1, "unchanged": 1, "failed": 1, "skipped": 1,
            "modified": 2, "changes": 1, "markers": 1, "held_markers": 0,
            "changes_by_rule": {"host.base-url": 1},
            "markers_by_rule": {fake.TOKEN_RULE: 1},
        },
    }


def test_summary_is_exact(tmp_path: Path) -> None:
    assert run_report.summary(sample(tmp_path)) == (
        "migrator rewrite: 1 would change, 1 with markers (1 of them would change), 1 unchanged, 1 failed, 1 skipped "
        "(5 files)\n"
        "failed:\n"
        f"  {tmp_path / 'd.py'}: line 1: does not parse\n"
        "markers (a person must act on these lines):\n"
        f"  {tmp_path / 'c.py'}:2: [{fake.TOKEN_RULE}] {fake.TOKEN_REASON}\n"
        "markers by rule:\n"
        f"  {fake.TOKEN_RULE}: 1\n"
        "notes:\n"
        f"  {tmp_path / 'a.py'}: the token must be a Public API token\n"
        f"  {tmp_path / 'e.py'}: generated file (# @generated): not rewritten; migrate its generator instead\n"
    )


def test_files_holding_an_earlier_runs_markers_count_as_marked(tmp_path: Path) -> None:
    # a file rewritten earlier: no Config API text left (never parsed again), its markers still there;
    # the summary counted it "unchanged" while files whose markers a run finds again were "with markers"
    held = b"# migrator[rewrite.responses]: check this read by hand\nprint(item['display_name'])\n"
    tree(tmp_path, {"a.py": held, "b.py": PLAIN, "c.py": b"# " + held})
    outcome = run([tmp_path], write=False)
    assert [(Path(r.path).name, r.status, r.held) for r in outcome.results] == [
        ("a.py", "marked", 1), ("b.py", "unchanged", 0), ("c.py", "unchanged", 0)]
    assert run_report.summary(outcome) == (
        "migrator rewrite: 0 would change, 1 with markers, 2 unchanged (3 files)\n"
        "markers an earlier run left, which this run does not find again (`migrator audit` lists them):\n"
        f"  {tmp_path / 'a.py'}: 1\n"
    )
    assert outcome.totals["held_markers"] == 1
    assert run_report.report(outcome, region="us")["files"][0]["held_markers"] == 1


def test_summary_shows_each_note_once_and_at_most_a_dozen() -> None:
    results = [FileResult(f"m{i:02}.py", "changed", notes=("same for all", f"note {i}")) for i in range(15)]
    lines = run_report.summary(Run(results, write=False, diff=False)).splitlines()
    notes = lines[lines.index("notes:") + 1 :]
    assert notes[0] == "  m00.py, m01.py, m02.py and 12 more: same for all"
    assert notes[1:12] == [f"  m{i:02}.py: note {i}" for i in range(11)]
    assert notes[12:] == [f"  and {16 - run_report.NOTES_SHOWN} more (every note is in --report FILE)"]


def test_summary_names_a_files_markers_in_the_order_of_their_lines() -> None:
    # markers come in the order the rewrite wrote them (a base held after the paths joined to it)
    from migrator.rewrite.result import Marker

    markers = tuple(Marker("rewrite.partial-path", line, 1, f"at {line}") for line in (14, 19, 8, 60, 39))
    lines = run_report.summary(Run([FileResult("a.py", "marked", markers=markers)], write=False, diff=False))
    shown = lines.splitlines()[2:7]
    assert shown == [f"  a.py:{n}: [rewrite.partial-path] at {n}" for n in (8, 14, 19, 39, 60)]


def test_summary_after_writing(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": OLD_LINE, "b.py": PLAIN})
    assert run_report.summary(run([tmp_path])) == (
        "migrator rewrite: 1 changed, 0 with markers, 1 unchanged (2 files)\n"
    )


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ('get(URL, headers={"Authorization": "Bearer sgp_TOKEN456"})',
         'get(URL, headers={"Authorization": "Bearer [redacted]"})'),
        ("get(URL, headers={'Authorization': 'Basic dXNlcjpwYXNz'})",
         "get(URL, headers={'Authorization': 'Basic [redacted]'})"),
        ('"https://platform.segmentapis.com/v1beta/workspaces/acme/sources?access_token=abc123&page=2"',
         '"https://platform.segmentapis.com/v1beta/workspaces/acme/sources?access_token=[redacted]&page=2"'),
        ('"https://me:pa55w0rd@platform.segmentapis.com/v1beta/"', '"https://me:[redacted]@platform.segmentapis.com/v1beta/"'),
        ("Client(token='abc', password=\"hunter2\", region='eu')",
         "Client(token='[redacted]', password=\"[redacted]\", region='eu')"),
        ('post(URL, auth=("me@example.com", "hunter2"))', 'post(URL, auth=("me@example.com", "[redacted]"))'),
        ('{"settings": {"apiKey": "amp_SECRET", "region": "eu"}}', '{"settings": {"apiKey": "[redacted]", "region": "eu"}}'),
        ('[{"name": "workspaces/w/sources/s/destinations/d/config/apiKey", "value": "amp_SECRET"}]',
         '[{"name": "workspaces/w/sources/s/destinations/d/config/apiKey", "value": "[redacted]"}]'),
        ("note: sgp_AbC123 and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "note: [redacted] and [redacted]"),
        # Nothing literal to hide, or no secret at all: left as it is.
        ('headers={"Authorization": f"Bearer {token}"}', None),
        ('headers={"Authorization": "Bearer " + TOKEN}', None),
        ('auth=(EMAIL, PASSWORD)', None),
        ('f"{BASE}/sources?access_token={token}"', None),
        ('TOKENS_URL = "https://platform.segmentapis.com/v1beta/access-tokens"', None),
        ('"/v1beta/workspaces/acme/sources?page_size=50&page_token=NTA="', None),
        ('{"name": "workspaces/w/sources/s/destinations/d/config/region", "value": "eu"}', None),
        ('if token == "x":', None),
        ("the token they send must be a Public API token; Bearer tokens", None),
    ],
)
def test_redact(code: str, shown: str | None) -> None:
    assert run_report.redact(code) == (code if shown is None else shown)


def test_the_report_and_summary_never_hold_a_secret() -> None:
    # The real core quotes a whole call in a change (pagination adds `params=`
    # to it): whatever a file holds must not reach the report or the summary.
    from migrator.rewrite import Change, Marker

    call = "requests.get(URL, headers={'Authorization': 'Bearer sgp_TOKEN456'}, auth=('me', 'hunter2'))"
    marked = FileResult(
        "a.py", "marked", modified=True,
        changes=(Change("pagination.params", 3, 0, call, call[:-1] + ", params={'pagination.count': 200})"),),
        markers=(Marker("rewrite.slug-ids", 4, 0, f"in `{call}`"),),
        notes=(f"line 3: {call}",),
    )
    outcome = Run([marked, FileResult("b.py", "failed", error=f"cannot read {call}")], write=False, diff=False)
    text = run_report.report_json(run_report.report(outcome, region="us")) + run_report.summary(outcome)
    assert "TOKEN456" not in text and "hunter2" not in text
    # before, after, marker, its new reason, note, new note, error; the summary's marker, error and note
    assert text.count("Bearer [redacted]") == 10


def test_import_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path, {"a/__init__.py": b"", "a/b/__init__.py": b"", "a/b/c/x.py": b"", "s/x.py": b""})
    assert driver.import_root(tmp_path / "a/b") == tmp_path
    assert driver.import_root(tmp_path / "a/b/c") == tmp_path / "a/b/c"
    assert driver.import_root(tmp_path / "s") == tmp_path / "s"
    monkeypatch.chdir(tmp_path / "a/b")
    assert driver.import_root(Path(".")) == Path("../..")


def test_progress_counts_up_to_the_total(tmp_path: Path) -> None:
    tree(tmp_path, {f"m{i:03}.py": OLD_LINE if i % 2 else PLAIN for i in range(600)})
    seen: list[tuple[int, int]] = []
    run([tmp_path], write=False, progress=lambda d, t: seen.append((d, t)))
    done = [d for d, _ in seen]
    assert done == sorted(done) and min(done) >= 0
    assert seen[0] == (128, 600) and seen[-1] == (600, 600)


@needs_git
def test_guard_ignores_git_dir_of_a_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean = repo(tmp_path / "clean", {"x.py": PLAIN})
    dirty = repo(tmp_path / "dirty", {"a.py": PLAIN})
    (dirty / "a.py").write_bytes(OLD_LINE)
    monkeypatch.setenv("GIT_DIR", str(clean / ".git"))
    assert "(modified)" in (git_guard.git_guard([dirty / "a.py"]) or "")


def test_an_id_map_of_another_region_is_warned_about() -> None:
    from migrator.idmap import IdMap
    from migrator.ruleset import load_rules

    rules = load_rules()
    us_map = IdMap.model_validate({"api_url": "https://api.segmentapis.com"})
    assert driver.region_warnings(rules, us_map, "us") == ()
    assert driver.region_warnings(rules, IdMap(), "eu") == ()  # no URL recorded: nothing to tell
    [warning] = driver.region_warnings(rules, us_map, "eu")
    assert warning.startswith("the id map was fetched from https://api.segmentapis.com (the us region), but the region is eu")
    summary = run_report.summary(Run([], write=False, diff=False, warnings=(warning,)))
    assert summary.splitlines()[1] == f"warning: {warning}"


def test_a_generated_importer_of_a_shared_base_is_left_alone_and_holds_the_base(tmp_path: Path) -> None:
    generated = (b"# Code generated by apigen. DO NOT EDIT.\nimport requests\nfrom settings import API\n\n\n"
                 b'def sources(ws):\n    return requests.get(f"{API}/{ws}/sources").json()\n')
    tree(tmp_path, {"settings.py": b'API = "https://platform.segmentapis.com/v1beta"\n', "client_gen.py": generated})
    outcome = run([tmp_path], write=False, core=driver.default_core())  # the codemod's shared bases
    results = by_name(outcome)
    assert (results["client_gen.py"].status, results["client_gen.py"].notes) == (
        "skipped", ("generated file (# Code generated by apigen. DO NOT EDIT.): not rewritten; "
                    "migrate its generator instead",),
    )
    assert [(m.line, m.rule) for m in results["settings.py"].markers] == [(1, "rewrite.partial-path")]


def test_windows_scripts_and_stubs_in_folders_are_rewritten_as_the_audit_reads_them(tmp_path: Path) -> None:
    # `migrator audit` reads `.py`, `.pyw` and `.pyi` with the codemod and tags them fixable by rewrite
    tree(tmp_path, {"job.pyw": OLD_LINE, "api.pyi": OLD_LINE, "a.py": OLD_LINE, "notes.txt": OLD_LINE})
    assert {name: r.status for name, r in by_name(run([tmp_path])).items()} == {
        "job.pyw": "changed", "api.pyi": "changed", "a.py": "changed"}


def test_files_are_rewritten_with_what_was_alive_before_left_out_of_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`driver.settled`: in one process, the objects alive before the files
    are rewritten are frozen while they are (the collector's full passes do
    not walk them again for each file), and thawed after; a forked worker
    freezes what it was forked with."""
    import gc

    frozen: list[int] = []
    real = driver.process_file

    def counting(path: str, data: bytes, s: Settings) -> FileResult:
        frozen.append(gc.get_freeze_count())
        return real(path, data, s)

    monkeypatch.setattr(driver, "process_file", counting)
    assert gc.get_freeze_count() == 0
    run([tree(tmp_path, {"a.py": OLD_LINE, "b.py": OLD_LINE})])
    assert len(frozen) == 2 and all(count > 1000 for count in frozen)
    assert gc.get_freeze_count() == 0
    with driver.settled():
        assert gc.get_freeze_count() > 1000
    assert gc.get_freeze_count() == 0
    from migrator.imports import current_layout, set_layout

    layout, given = current_layout(), driver._settings
    driver._init_worker(settings(), layout)
    try:
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
        driver._settings = given
        set_layout(layout)
    assert gc.get_freeze_count() == 0


def test_a_marker_names_the_first_few_places_of_many_and_counts_the_rest() -> None:
    # a test reaching much code: its marker listed every migrated call (85 of them, a 2 KB line)
    moved = {f"m{i}.py": {"endpoint.sources.list": [f"m{i}.py:{i}", f"m{i}.py:{i}"]} for i in range(8)}
    assert driver._all_wheres(moved, list(moved)) == {
        "endpoint.sources.list": "m0.py:0, m1.py:1, m2.py:2, m3.py:3, m4.py:4 and 3 more"
    }
    assert driver._all_wheres(moved, ["m1.py", "m0.py"]) == {"endpoint.sources.list": "m1.py:1, m0.py:0"}
