"""Trees on disk: binaries, huge and badly encoded files, symlinks, walking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.audit.walk import Walk
from migrator.files import discover
from migrator.ruleset import RuleSet
from tests.audit.conftest import TREES

HOST = b'URL = "https://platform.segmentapis.com/v1beta"\n'


def test_binary_huge_and_badly_encoded(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + HOST)
    (tmp_path / "huge.py").write_bytes(HOST * 2000)
    (tmp_path / "latin1.py").write_bytes(b"# caf\xe9\n" + HOST)
    (tmp_path / "ok.py").write_bytes(HOST)
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], pinned_rules, max_size=10_000, precise=False)
    assert [(f.path, f.line) for f in run.findings] == [("latin1.py", 2), ("ok.py", 1)]
    assert run.binary == 1
    by_path = {r.path: r for r in run.results}
    assert by_path["huge.py"].skipped == "larger than 10000 bytes (--max-size)"
    assert by_path["latin1.py"].notes == ["not valid UTF-8: read with replacement characters"]


def test_max_size_below_the_first_read(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read in one go are held to `--max-size` too."""
    (tmp_path / "mid.py").write_bytes(HOST * 400)  # 20 KB: one read, over the limit
    (tmp_path / "edge.py").write_bytes(HOST + b"#" * (1000 - len(HOST)))  # exactly the limit
    monkeypatch.chdir(tmp_path)
    for jobs in (1, 2):
        run = audit_paths([Path(".")], pinned_rules, max_size=1000, precise=False, jobs=jobs)
        assert [r.skipped for r in run.results if r.skipped] == ["larger than 1000 bytes (--max-size)"]
        assert {f.path for f in run.findings} == {"edge.py"}


def test_files_larger_than_the_first_read_are_read_whole(
    tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migrator.audit.reading import FIRST_READ

    filler = b"# nothing to see\n" * (3 * FIRST_READ // 17)
    (tmp_path / "tail.py").write_bytes(filler + HOST)  # the finding is past the first read
    (tmp_path / "exact.py").write_bytes(HOST + b"#" * (FIRST_READ - len(HOST)))
    monkeypatch.chdir(tmp_path)
    for jobs in (1, 2):
        run = audit_paths([Path(".")], pinned_rules, max_size=len(filler) + len(HOST), precise=False, jobs=jobs)
        assert sorted((f.path, f.line) for f in run.findings) == [
            ("exact.py", 1), ("tail.py", filler.count(b"\n") + 1)
        ]
        run = audit_paths([Path(".")], pinned_rules, max_size=len(filler), precise=False, jobs=jobs)
        assert [r.path for r in run.results if r.skipped] == ["tail.py"]


def test_symlink_loop_and_link_out_of_the_tree(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "tree"
    (tree / "a" / "b").mkdir(parents=True)
    (tree / "a" / "b" / "client.py").write_bytes(HOST)
    (tree / "a" / "b" / "loop").symlink_to(tree / "a")
    (tree / "self").symlink_to(tree)
    (tree / "same.py").symlink_to(tree / "a" / "b" / "client.py")
    outside = tmp_path / "outside.py"
    outside.write_bytes(HOST)
    (tree / "out.py").symlink_to(outside)
    monkeypatch.chdir(tree)
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    assert [f.path for f in run.findings] == ["a/b/client.py"]
    assert run.notes == [("out.py", "skipped, symlink out of the tree")]


def test_missing_path_is_an_error(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path("nope")], pinned_rules)
    assert run.errors == ["nope: no such file or directory"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_path_given_that_is_no_file_says_what_it_is(
    tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo("pipe.sh")
    Path("dangling.py").symlink_to(tmp_path / "gone.py")
    run = audit_paths([Path("pipe.sh"), Path("dangling.py")], pinned_rules)
    assert run.errors == [
        "pipe.sh: not a regular file or a directory",
        "dangling.py: a symlink to a path that does not exist",
    ]


def test_unreadable_file_is_an_error_not_a_crash(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "fifo").mkdir()  # a directory given where files are read
    from migrator.audit.run import read_file

    data, result = read_file(str(tmp_path / "fifo"), 1000)
    assert data is None and result is not None and result.error and result.error.startswith("cannot read")


def test_a_file_root_is_read_even_when_ignored(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    (tmp_path / "a.py").write_bytes(HOST)
    monkeypatch.chdir(tmp_path)
    assert audit_paths([Path(".")], pinned_rules).findings == []
    assert [f.path for f in audit_paths([Path("a.py")], pinned_rules, precise=False).findings] == ["a.py"]
    assert [f.path for f in audit_paths([Path(".")], pinned_rules, use_gitignore=False, precise=False).findings] == ["a.py"]


def test_absolute_roots_are_shown_relative_to_the_working_directory(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_bytes(HOST)
    monkeypatch.chdir(tmp_path)
    assert [f.path for f in audit_paths([tmp_path / "src"], pinned_rules, precise=False).findings] == ["src/a.py"]


@pytest.mark.parametrize("root", ["mixed", "mixed/app", "mixed/clean"])
def test_walk_finds_what_discover_finds(root: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(TREES)
    walked = sorted(Walk().files([Path(root)]))
    discovered = sorted(p.as_posix() for p in discover([Path(root)], lambda _: True).files)
    assert walked == discovered


def test_walk_matches_discover_with_symlinks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f.txt").write_text("x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    (tmp_path / "link.txt").symlink_to(tmp_path / "d" / "e" / "f.txt")
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / "pyvenv.cfg").write_text("")
    (tmp_path / "venv" / "x.py").write_text("")
    (tmp_path / ".gitignore").write_text("ignored*\n")
    (tmp_path / "ignored.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    walk = Walk()
    walked = sorted(walk.files([Path(".")]))
    discovered = sorted(p.as_posix() for p in discover([Path(".")], lambda _: True).files)
    assert walked == discovered == [".gitignore", "d/e/f.txt"]
    assert os.path.islink("link.txt")


def test_a_deeper_gitignore_keeps_what_an_upper_one_ignores(tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """As git: the deepest `.gitignore` whose patterns match a path decides,
    a negation included; the walk and `discover` (the rewrite's) agree."""
    for name in ("top.txt", "sub/z.txt", "sub/y.txt", "logs/x.log", "logs/keep.log"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(HOST)
    (tmp_path / ".gitignore").write_text("*.txt\nlogs/*\n!logs/keep.log\n")
    (tmp_path / "sub" / ".gitignore").write_text("!z.txt\n")
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    assert sorted(f.path for f in run.findings) == ["logs/keep.log", "sub/z.txt"]
    discovered = sorted(p.as_posix() for p in discover([Path(".")], lambda _: True).files)
    assert discovered == [".gitignore", "logs/keep.log", "sub/.gitignore", "sub/z.txt"]
