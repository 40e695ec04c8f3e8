"""Tree discovery and atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from migrator.files import KeptFile, discover, write_atomic


def test_discovery_rules(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.py").write_text("x")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "y.py").write_text("y")
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "pyvenv.cfg").write_text("")
    (tmp_path / "env" / "z.py").write_text("z")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "m.py").write_text("m")
    (tmp_path / ".gitignore").write_text("ignored/\n*.log\n")
    (tmp_path / "debug.log").write_text("log")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    (tmp_path / "a" / "out").symlink_to("/etc/hostname")
    (tmp_path / "a" / "same.py").symlink_to(tmp_path / "a" / "x.py")
    found = discover([tmp_path, tmp_path / "a" / "x.py"], lambda p: p.suffix == ".py")
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == ["a/x.py"]
    assert [(s.path.name, s.reason) for s in found.skipped] == [("out", "symlink out of the tree")]


def test_missing_root_is_reported(tmp_path):
    found = discover([tmp_path / "nope"], lambda p: True)
    assert (found.files, [s.reason for s in found.skipped]) == ([], ["no such file or directory"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_root_that_is_no_file_says_what_it_is(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone.py")
    found = discover([tmp_path / "pipe.py", tmp_path / "dangling.py"], lambda p: True)
    assert (found.files, [s.reason for s in found.skipped]) == (
        [], ["not a regular file or a directory", "a symlink to a path that does not exist"],
    )


def test_write_atomic_keeps_permissions(tmp_path):
    path = tmp_path / "f.py"
    path.write_text("old")
    os.chmod(path, 0o750)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["f.py"]


def test_named_folder_is_read_even_when_a_parent_gitignore_ignores_it(tmp_path, monkeypatch):
    from migrator.audit.walk import Walk

    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("/versions\nbuild-*/\n*.log\n")
    lib = tmp_path / "versions" / "3.11" / "lib"
    (lib / "pkg").mkdir(parents=True)
    (lib / "pkg" / "a.py").write_text("a")
    (lib / "debug.log").write_text("log")  # still ignored: by its own pattern
    (lib / "build-x").mkdir()
    (lib / "build-x" / "b.py").write_text("b")  # still ignored
    (tmp_path / "versions" / "other.py").write_text("o")
    monkeypatch.chdir(tmp_path)
    found = discover([Path("versions/3.11")], lambda _: True)
    assert [p.as_posix() for p in found.files] == ["versions/3.11/lib/pkg/a.py"]
    assert list(Walk().files([Path("versions/3.11")])) == ["versions/3.11/lib/pkg/a.py"]
    # From the top, the folder is ignored as before.
    assert discover([tmp_path], lambda _: True).files == [tmp_path / ".gitignore"]
    assert list(Walk().files([Path(".")])) == [".gitignore"]


def test_a_symlink_root_is_its_target_inside_the_tree_else_skipped(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pkg").mkdir()
    (repo / "pkg" / "a.py").write_text("a")
    (repo / "sub").mkdir()
    (repo / "sub" / "link_in.py").symlink_to("../pkg/a.py")
    (tmp_path / "outside.py").write_text("o")
    (repo / "sub" / "link_out.py").symlink_to(tmp_path / "outside.py")
    monkeypatch.chdir(repo)
    found = discover([Path("sub/link_in.py"), Path("sub/link_out.py"), Path("pkg/a.py")], lambda _: True)
    # The target, once (the file that would be written); the outside link is skipped.
    assert found.files == [Path("pkg/a.py")]
    assert [(s.path.as_posix(), s.reason) for s in found.skipped] == [("sub/link_out.py", "symlink out of the tree")]
    absolute = discover([repo / "sub" / "link_in.py"], lambda _: True)
    assert absolute.files == [repo / "pkg" / "a.py"]


def test_a_symlink_root_outside_git_may_point_into_a_folder_named(tmp_path, monkeypatch):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.py").write_text("a")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "a.py").symlink_to("../lib/a.py")
    monkeypatch.chdir(tmp_path)
    alone = discover([Path("bin/a.py")], lambda _: True)
    assert (alone.files, [s.reason for s in alone.skipped]) == ([], ["symlink out of the tree"])
    both = discover([Path("bin/a.py"), Path("lib")], lambda _: True)
    assert (both.files, both.skipped) == ([Path("lib/a.py")], [])


def test_write_atomic_writes_through_a_symlink(tmp_path):
    (tmp_path / "real.py").write_text("old")
    os.chmod(tmp_path / "real.py", 0o640)
    link = tmp_path / "link.py"
    link.symlink_to("real.py")
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == "real.py"
    assert (tmp_path / "real.py").read_bytes() == b"new"
    assert stat.S_IMODE((tmp_path / "real.py").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.py", "real.py"]


@pytest.mark.parametrize("through_symlink", [False, True])
def test_write_atomic_writes_a_named_pipe_in_place(tmp_path, through_symlink):
    # `-o /dev/stdout`, a FIFO: a rename would put a plain file where the pipe was
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if through_symlink:
        target = tmp_path / "out"
        target.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(target, b"report\n")
    reader.join(timeout=10)
    assert received == [b"report\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["pipe", *(["out"] if through_symlink else [])])


def test_an_interrupt_as_the_temporary_file_is_made_leaves_none(tmp_path, monkeypatch):
    """Ctrl-C right after the temporary file exists (before its maker
    returns): the file is removed, the original kept."""
    path = tmp_path / "a.py"
    path.write_bytes(b"old")
    made = os.open

    def interrupted(name, flags, mode=0o777, *args, **kwargs):
        made(name, flags, mode, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new")
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"] and path.read_bytes() == b"old"


@pytest.mark.parametrize("mode", [0o444, 0o400])
def test_write_atomic_leaves_a_read_only_file_as_it_is(tmp_path, mode):
    # The folder is writable: the rename replaced a file its owner had made read-only.
    path = tmp_path / "f.py"
    path.write_bytes(b"old")
    path.chmod(mode)
    with pytest.raises(KeptFile) as raised:
        write_atomic(path, b"new")
    assert str(raised.value) == "a read-only file (no write permission): left as it is"
    assert (path.read_bytes(), stat.S_IMODE(path.stat().st_mode)) == (b"old", mode)
    assert [p.name for p in tmp_path.iterdir()] == ["f.py"]


def test_write_atomic_leaves_a_hard_linked_file_as_it_is(tmp_path):
    # The rename split the link: the other name kept the old text.
    path = tmp_path / "f.py"
    path.write_bytes(b"old")
    os.link(path, tmp_path / "g.py")
    with pytest.raises(KeptFile) as raised:
        write_atomic(tmp_path / "g.py", b"new")
    assert str(raised.value) == (
        "one of 2 hard links to one file, which writing a new file would split (the others would keep "
        "the old text): left as it is"
    )
    assert (path.read_bytes(), (tmp_path / "g.py").read_bytes(), path.stat().st_nlink) == (b"old", b"old", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.py", "g.py"]
