"""What git knows of the work tree a folder is in, asked once per folder
walked: the files it tracks (git never ignores those), and the ignore files
kept outside the tree (`core.excludesFile`, `.git/info/exclude`).

Two `git` processes at most (`ls-files`, `config`), a few milliseconds
each, also on large trees; nothing when the folder is in no work tree.
"""

from __future__ import annotations

import bisect
import os
import shutil
import subprocess
from dataclasses import dataclass, field

from migrator.gitignore import IgnoreFile, parse

GIT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Tracked:
    """The files git tracks below a folder, relative to it (`/`-separated)."""

    files: frozenset[str] = frozenset()
    ordered: tuple[str, ...] = ()

    def holds_below(self, folder: str) -> bool:
        """Whether a tracked file is below `folder` (relative, no trailing `/`)."""
        prefix = folder + "/"
        at = bisect.bisect_left(self.ordered, prefix)
        return at < len(self.ordered) and self.ordered[at].startswith(prefix)

    def under(self, prefix: str) -> Tracked:
        """These files, each path after `prefix` (a folder, with its `/`)."""
        return Tracked(frozenset(prefix + p for p in self.files), tuple(prefix + p for p in self.ordered))


@dataclass
class WorkTree:
    root: str
    """Real path of the work tree's top folder."""
    git_dir: str
    """Where its `info/exclude` is (the common folder of a linked work tree)."""
    problems: list[str] = field(default_factory=list)

    def tracked_below(self, top: str) -> Tracked:
        """The files git tracks below the real folder `top` (none, with a
        problem noted, when git cannot be asked): a split and a sort, no
        path built, so a tree of 20,000 files costs a few milliseconds."""
        listed = self._git("ls-files", "-z", cwd=top)
        if listed is None:
            return Tracked()
        paths = [p for p in os.fsdecode(listed).split("\0") if p]
        return Tracked(frozenset(paths), tuple(sorted(paths)))

    def excludes(self, top: str) -> IgnoreFile | None:
        """`core.excludesFile` (by default `$XDG_CONFIG_HOME/git/ignore`), then
        `info/exclude`, whose patterns git tries first: one list, relative to
        the tree's top, below every `.gitignore` in precedence."""
        texts = [_read(path) for path in (self._excludes_file(top), os.path.join(self.git_dir, "info", "exclude"))]
        text = "\n".join(t for t in texts if t)
        return parse(text) if text else None

    def _excludes_file(self, top: str) -> str | None:
        configured = self._git("config", "--path", "--get", "core.excludesFile", cwd=top, unset_ok=True)
        if configured and configured.strip():
            return os.path.join(top, os.fsdecode(configured.strip()))  # relative: to where git runs
        config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        return os.path.join(config_home, "git", "ignore")

    def _git(self, *args: str, cwd: str, unset_ok: bool = False) -> bytes | None:
        git = shutil.which("git")
        if git is None:
            self._problem("git is not installed")
            return None
        try:
            done = subprocess.run(
                [git, *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            self._problem(f"`git {args[0]}` failed: {exc}")
            return None
        if done.returncode == 1 and unset_ok and not done.stderr:
            return None
        if done.returncode != 0:
            said = os.fsdecode(done.stderr).strip().splitlines()
            self._problem(f"`git {args[0]}` failed: {said[0] if said else f'exit {done.returncode}'}")
            return None
        return done.stdout

    def _problem(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def work_tree_of(folder: str) -> WorkTree | None:
    """The git work tree holding the real folder `folder`, if any: the
    nearest folder with a `.git` that is a repository (it has a `HEAD`)."""
    for candidate in _self_and_parents(folder):
        dot_git = os.path.join(candidate, ".git")
        if not os.path.lexists(dot_git):
            continue
        git_dir = _repository(dot_git)
        if git_dir is not None:
            common = _read(os.path.join(git_dir, "commondir"))
            if common and common.strip():
                git_dir = os.path.join(git_dir, common.strip())
            return WorkTree(candidate, git_dir)
        return None
    return None


def is_work_tree_top(folder: str) -> bool:
    """`folder` holds a `.git` that is a repository (its own or a linked work tree's)."""
    dot_git = os.path.join(folder, ".git")
    return os.path.lexists(dot_git) and _repository(dot_git) is not None


def _repository(dot_git: str) -> str | None:
    """The git directory a `.git` stands for, if it is a repository (it has a `HEAD`)."""
    git_dir = _git_dir(dot_git)
    return git_dir if git_dir is not None and os.path.isfile(os.path.join(git_dir, "HEAD")) else None


def _git_dir(dot_git: str) -> str | None:
    """`.git` itself, or the folder a `.git` file names (`gitdir: ...`)."""
    if os.path.isdir(dot_git):
        return dot_git
    text = _read(dot_git)
    if text and text.startswith("gitdir:"):
        return os.path.join(os.path.dirname(dot_git), text[len("gitdir:"):].strip())
    return None


def _self_and_parents(folder: str) -> list[str]:
    found = [folder]
    while (parent := os.path.dirname(found[-1])) != found[-1]:
        found.append(parent)
    return found


def _read(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "surrogateescape")
    except OSError:
        return None
