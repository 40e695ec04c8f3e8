"""The walk chooses the files git shows: ignore files as git matches them,
tracked files whatever ignores them, symlinks by their targets' paths. Git
itself is the oracle when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from migrator.audit.run import audit_paths
from migrator.audit.walk import Walk
from migrator.exclude import Excludes
from migrator.files import discover
from migrator.ruleset import RuleSet

HOST = b'curl "https://platform.segmentapis.com/v1beta/workspaces/a/sources"\n'
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture()
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No system or user git configuration, for the test's git and the walk's."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_GLOBAL"):
        monkeypatch.delenv(name, raising=False)
    return home


def _tree(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def _walked(root: Path) -> list[str]:
    """What the audit's walk and `discover` (the rewrite's) both find, from `root`."""
    here = os.getcwd()
    os.chdir(root)
    try:
        walked = sorted(Walk().files([Path(".")]))
        discovered = sorted(p.as_posix() for p in discover([Path(".")], lambda _: True).files)
    finally:
        os.chdir(here)  # later tests start `python -m migrator` from the checkout
    assert walked == discovered
    return walked


def _git_shows(root: Path) -> list[str]:
    return sorted(_git(root, "ls-files", "--cached", "--others", "--exclude-standard").splitlines())


WHITELISTS = {
    "every folder, scripts only": {
        ".gitignore": "*\n!*/\n!*.sh\n!.gitignore\n",
        "top.sh": HOST, "scripts/ci/deploy.sh": HOST, "scripts/notes.txt": "x",
    },
    "a folder kept by a deeper file": {
        "sub/.gitignore": "*\n!deep/\n!deep/three.sh\n",
        "sub/deep/three.sh": HOST, "sub/deep/other.sh": HOST, "sub/one.sh": HOST,
    },
    "top-level folders": {
        ".gitignore": "/*\n!/src/\n!/.gitignore\n",
        "src/top.sh": HOST, "src/deploy/run.sh": HOST, "other/x.sh": HOST,
    },
    "no file comes back from an excluded folder": {
        ".gitignore": "out/\n!out/keep.sh\ndocs/*\n!docs/old/\ndocs/old/*\n!docs/old/new.sh\n",
        "out/keep.sh": HOST, "docs/a.sh": HOST, "docs/old/b.sh": HOST, "docs/old/new.sh": HOST,
    },
    "names, anchors, double stars, escapes, brackets": {
        ".gitignore": (
            "**/gen/*.py\n/root.sh\nlogs\n\\#hash.sh\n\\!bang.sh\nx/**/w.sh\n/tmp/\nsp\\ ace/\n"
            "a/**\n!a/keep/\n!a/keep/**\n[ab]c?.txt\n*.log\n!important.log\ntrail.sh \\ \n# comment\n"
        ),
        "gen/z.py": "x", "src/gen/y.py": "x", "src/gen/keep.sh": "x", "root.sh": "x",
        "nested/root.sh": "x", "logs/app.sh": "x", "#hash.sh": "x", "!bang.sh": "x",
        "x/q.sh": "x", "x/y/z/w.sh": "x", "x/w.sh": "x", "tmp/b.sh": "x", "lib/tmp/a.sh": "x",
        "sp ace/x.sh": "x", "a/b.sh": "x", "a/keep/c.sh": "x", "a/keep/d/e.sh": "x",
        "ac1.txt": "x", "bcd.txt": "x", "cc1.txt": "x", "debug.log": "x", "important.log": "x",
        "trail.sh  ": "x", "trail.sh": "x",
    },
}


SHOWN = {  # what `git ls-files --cached --others --exclude-standard` lists
    "every folder, scripts only": [".gitignore", "scripts/ci/deploy.sh", "top.sh"],
    "a folder kept by a deeper file": ["sub/deep/three.sh"],
    "top-level folders": [".gitignore", "src/deploy/run.sh", "src/top.sh"],
    "no file comes back from an excluded folder": [".gitignore", "docs/old/new.sh"],
    "names, anchors, double stars, escapes, brackets": [
        ".gitignore", "a/keep/c.sh", "a/keep/d/e.sh", "cc1.txt", "important.log", "lib/tmp/a.sh",
        "nested/root.sh", "src/gen/keep.sh", "trail.sh", "x/q.sh",
    ],
}


@pytest.mark.parametrize("name", list(WHITELISTS))
def test_ignore_files_are_matched_as_git_matches_them(
    name: str, tmp_path: Path, isolated_git: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A folder excluded by a pattern and kept by a later negation (`*`
    then `!*/`) is entered; a file in a folder that stays excluded is not
    brought back. Outside git and in a work tree alike."""
    repo = tmp_path / "repo"
    _tree(repo, WHITELISTS[name])
    monkeypatch.chdir(repo)
    assert _walked(repo) == SHOWN[name]
    if shutil.which("git"):
        _git(repo, "init", "-q")
        assert _walked(repo) == _git_shows(repo) == SHOWN[name]


def test_a_whitelist_gitignore_keeps_the_scripts_in_every_folder(
    tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _tree(tmp_path, WHITELISTS["every folder, scripts only"])
    _tree(tmp_path, WHITELISTS["a folder kept by a deeper file"])
    monkeypatch.chdir(tmp_path)
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    assert sorted({f.path for f in run.findings}) == ["scripts/ci/deploy.sh", "sub/deep/three.sh", "top.sh"]


@needs_git
def test_tracked_files_are_read_whatever_ignores_them(
    tmp_path: Path, isolated_git: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Git never ignores a tracked file: neither may the audit, which a
    pre-commit run of that file alone would otherwise contradict. Tracked
    files in the folders skipped by name (build/, vendor/) are read too;
    the untracked files beside them are not."""
    _tree(tmp_path, {
        ".gitignore": "config/*.yaml\ngenerated/\n",
        "config/segment.yaml": HOST, "config/local.yaml": HOST,
        "generated/client.sh": HOST, "generated/untracked.sh": HOST,
        "build/ci/release.sh": HOST, "build/out.sh": HOST,
        "vendor/lib/seg.go": HOST, "node_modules/x/index.js": HOST,
    })
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".gitignore", "build/ci/release.sh", "vendor/lib/seg.go")
    _git(tmp_path, "add", "-f", "config/segment.yaml", "generated/client.sh")
    monkeypatch.chdir(tmp_path)
    expected = [".gitignore", "build/ci/release.sh", "config/segment.yaml", "generated/client.sh", "vendor/lib/seg.go"]
    assert _walked(tmp_path) == expected
    untracked_seen_by_git = {"build/out.sh", "node_modules/x/index.js"}  # only the walk skips these by name
    assert _git_shows(tmp_path) == sorted([*expected, *untracked_seen_by_git])
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    assert sorted({f.path for f in run.findings}) == expected[1:]
    assert run.notes == []
    # From a folder below the top, too.
    assert sorted(Walk().files([Path("config")])) == ["config/segment.yaml"]


@needs_git
def test_git_info_exclude_and_core_excludes_file_are_honoured(
    tmp_path: Path, isolated_git: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = tmp_path / "repo"
    _tree(repo, {"tools/a.sh": HOST, "tools/b.sh": HOST, "tools/c.sh": HOST, "tools/d.sh": HOST})
    _git(repo, "init", "-q")
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("tools/b.sh\n")
    (tmp_path / "ignores").write_text("tools/c.sh\n")
    _git(repo, "config", "core.excludesFile", str(tmp_path / "ignores"))
    default = isolated_git / ".config" / "git" / "ignore"
    default.parent.mkdir(parents=True)
    default.write_text("tools/d.sh\n")  # not read: core.excludesFile is set
    assert _walked(repo) == _git_shows(repo) == ["tools/a.sh", "tools/d.sh"]
    _git(repo, "config", "--unset", "core.excludesFile")  # now the default file is read
    assert _walked(repo) == _git_shows(repo) == ["tools/a.sh", "tools/c.sh"]


@needs_git
def test_a_symlink_to_a_file_of_the_tree_is_reported_under_its_target(
    tmp_path: Path, isolated_git: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Git stores a link, not content: findings belong to the target's path,
    so that the whole tree, a pre-commit run of the target and one naming
    the link agree (baselines, SARIF)."""
    _tree(tmp_path, {"real/a.sh": HOST})
    (tmp_path / "link.sh").symlink_to("real/a.sh")
    (tmp_path / "z-link.sh").symlink_to("real/a.sh")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    monkeypatch.chdir(tmp_path)
    assert _walked(tmp_path) == ["real/a.sh"]
    for roots in (["."], ["real/a.sh"], ["link.sh"], ["link.sh", "real/a.sh"]):
        run = audit_paths([Path(root) for root in roots], pinned_rules, precise=False)
        assert sorted({f.path for f in run.findings}) == ["real/a.sh"], roots


@needs_git
def test_a_nested_repository_is_read_by_its_own_ignore_files_and_tracked_files(
    tmp_path: Path, isolated_git: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Git applies none of a superproject's ignore rules inside a submodule
    or a nested clone: their files are read by their own (`*.sh` above does
    not hide a submodule's committed script); a submodule's `.git` file is
    no project file."""
    _tree(tmp_path / "lib", {"sync.sh": HOST})
    _git(tmp_path / "lib", "init", "-q")
    _git(tmp_path / "lib", "add", ".")
    _git(tmp_path / "lib", "-c", "user.name=t", "-c", "user.email=a@b", "commit", "-qm", "lib")
    app = tmp_path / "app"
    _tree(app, {".gitignore": "*.sh\n*.py\n", "top.sh": HOST})
    _git(app, "init", "-q")
    _git(app, "add", ".gitignore")
    _git(app, "-c", "protocol.file.allow=always", "submodule", "add", "-q", "../lib", "libs/segment")
    nested = app / "nested"
    _tree(nested, {".gitignore": "local.sh\n", "tracked.py": HOST, "local.sh": HOST, "other.sh": HOST, "x.txt": HOST})
    _git(nested, "init", "-q")
    _git(nested, "add", ".gitignore", "tracked.py")
    (nested / ".git" / "info").mkdir(exist_ok=True)
    (nested / ".git" / "info" / "exclude").write_text("x.txt\n")
    monkeypatch.chdir(app)
    inside = ["nested/.gitignore", "nested/other.sh", "nested/tracked.py"]
    assert _git_shows(nested) == [p.removeprefix("nested/") for p in inside]
    assert _walked(app) == [".gitignore", ".gitmodules", "libs/segment/sync.sh", *inside]
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    assert sorted({f.path for f in run.findings}) == ["libs/segment/sync.sh", "nested/other.sh", "nested/tracked.py"]
    assert run.notes == []
    assert sorted(Walk().files([Path("libs/segment")])) == ["libs/segment/sync.sh"]


@needs_git
def test_a_symlinked_folder_named_is_reported_under_the_real_path(
    tmp_path: Path, isolated_git: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A folder link named (or a file named through one) is read at the
    real path, as a run of the whole tree reads it: baselines and SARIF
    agree whichever is named; `--exclude` and `-o` hold for the real path."""
    _tree(tmp_path, {"real/sync.sh": HOST})
    (tmp_path / "alias").symlink_to("real")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    monkeypatch.chdir(tmp_path)
    for root in ("alias", "alias/", "alias/sync.sh", str(tmp_path / "alias"), "real"):
        run = audit_paths([Path(root)], pinned_rules, precise=False)
        assert sorted({f.path for f in run.findings}) == ["real/sync.sh"], root
    excluded = audit_paths([Path("alias")], pinned_rules, precise=False, excludes=Excludes.parse(["real/"]))
    assert (excluded.findings, [(r.path, r.skipped) for r in excluded.results]) == (
        [], [("real", "excluded by --exclude real/")]
    )
    (tmp_path / "real" / "report.sh").write_bytes(HOST)  # the report being written
    run = audit_paths([Path("alias")], pinned_rules, precise=False, exclude=[Path("alias/report.sh")])
    assert sorted({f.path for f in run.findings}) == ["real/sync.sh"]


def test_a_fake_git_folder_is_no_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `.git` without a `HEAD` is not a repository: git is not asked, no note."""
    _tree(tmp_path, {".git/config": "", "a.sh": HOST})
    monkeypatch.chdir(tmp_path)
    walk = Walk()
    assert list(walk.files([Path(".")])) == ["a.sh"]
    assert walk.skipped == []


def test_a_note_says_when_git_cannot_list_the_tracked_files(
    tmp_path: Path, pinned_rules: RuleSet, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without git, tracked files that .gitignore hides may be missed: the
    run says so instead of passing silently."""
    _tree(tmp_path, {".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "*.yaml\n", "a.yaml": HOST})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("migrator.gittree.shutil.which", lambda _name: None)
    run = audit_paths([Path(".")], pinned_rules, precise=False)
    assert run.notes == [
        (".", "skipped, tracked files that an ignore file or a skipped folder hides are not read (git is not installed)")
    ]
    assert [p.as_posix() for p in discover([Path(".")], lambda _: True).files] == [".gitignore"]
