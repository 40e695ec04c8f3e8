"""File discovery and atomic writes, shared by every command.

Discovery walks trees as git shows them (ignore files matched as git
matches them, tracked files read wherever they are: `migrator.gitignore`,
`migrator.gittree`), without following symlinks, and skips virtualenvs,
vendored and generated folders. A symlink named as a root is replaced by its target when
that is inside the trees named or the link's own repository, else skipped.
Writes go through symlinks: a link is never replaced by a file. A read-only
file or one with hard links is not replaced at all (`KeptFile`).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

from migrator.exclude import EXCLUDED, Excludes, shown, walk_prefix
from migrator.gitignore import IgnoreFile, read_ignore_file
from migrator.gittree import Tracked, WorkTree, is_work_tree_top, work_tree_of

PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")
"""Python source (modules, stubs, Windows scripts): what `audit` reads with the
codemod and `rewrite` walks in folders."""

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis",
        "site-packages", "dist", "build", ".eggs", "vendor", "third_party",
        ".terraform",  # Terraform's copies of providers and modules (`terraform init`)
    }
)


@dataclass
class Skipped:
    path: Path
    reason: str


@dataclass
class Discovery:
    """Files found under some roots, plus what was skipped and why."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def discover(
    roots: list[Path],
    accept: Callable[[Path], bool],
    *,
    use_gitignore: bool = True,
    excludes: Excludes | None = None,
) -> Discovery:
    """Every file under `roots` that `accept` takes, in a stable order.

    A root that is a file is taken as given (if it exists), even when ignored.
    A root that is a symlink to a file is taken as its target (the file that
    would be written) when the target is inside one of the folders named or
    inside the link's own git work tree (its folder, outside git); a link
    pointing elsewhere is skipped as `LINK_OUT`. What `excludes` leaves
    out is not found, and is skipped (`EXCLUDED`) when named.
    """
    found = Discovery()
    seen: set[str] = set()
    folders = [root.resolve() for root in roots if root.is_dir()]
    for root in roots:
        left_out = excludes.covering(shown(str(root)), root.is_dir()) if excludes else None
        if left_out is not None:
            found.skipped.append(Skipped(root, f"{EXCLUDED} {left_out}"))
            continue
        if root.is_file():
            real = os.path.realpath(root)
            path = link_target(root, folders) if root.is_symlink() else root
            if excludes and path is not None and path != root:  # a link stands for its target
                left_out = excludes.covering(shown(str(path)), False)
            if path is None:
                found.skipped.append(Skipped(root, LINK_OUT))
            elif left_out is not None:
                found.skipped.append(Skipped(path, f"{EXCLUDED} {left_out}"))
            elif real not in seen:
                seen.add(real)
                found.files.append(path)
            continue
        if not root.is_dir():
            found.skipped.append(Skipped(root, why_missing(root)))
            continue
        top = os.path.realpath(root)

        def skip(path: str, _relative: str, reason: str) -> None:
            found.skipped.append(Skipped(Path(path), reason))

        exclude = excludes.below(walk_prefix(shown(str(root)))) if excludes else None
        for name, relative in walk_tree(str(root), use_gitignore, skip, exclude=exclude):
            real = real_path(top, relative)
            if real not in seen and accept(path := Path(name)):
                seen.add(real)
                found.files.append(path)
    return found


LINK_OUT = "symlink out of the tree"
CANNOT_LIST = "cannot list"


def link_target(link: Path, folders: list[Path]) -> Path | None:
    """The file a symlink named as a root stands for: its target, when inside
    one of `folders` or the link's own tree (relative when the link was)."""
    real = link.resolve()
    if not any(real.is_relative_to(top) for top in (*folders, _link_home(link))):
        return None
    return real if link.is_absolute() else Path(os.path.relpath(real))


def why_missing(root: Path) -> str:
    """Why a path given is no file or folder to read."""
    if root.is_symlink() and not root.exists():
        return "a symlink to a path that does not exist"
    if os.path.lexists(root):
        return "not a regular file or a directory"  # a named pipe, a socket, a device
    return "no such file or directory"


def _link_home(link: Path) -> Path:
    """The tree a symlink belongs to: the git work tree holding it, else its folder."""
    folder = Path(os.path.realpath(link.parent))
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


Ignores = tuple[tuple[str, IgnoreFile], ...]
SkipNote = Callable[[str, str, str], None]
"""Called with (path, path relative to the root walked, reason)."""
BY_NAME = attrgetter("name")


@dataclass(frozen=True)
class _Tree:
    """One folder named: its real path, what git tracks below it, where skips go."""

    top: str
    tracked: Tracked
    use_gitignore: bool
    skip: SkipNote
    prune: Callable[[str], bool] | None = None
    exclude: Callable[[str, bool], bool] | None = None
    problem: Callable[[str], None] | None = None


def walk_tree(
    root: str, use_gitignore: bool, skip: SkipNote, problem: Callable[[str], None] | None = None,
    prune: Callable[[str], bool] | None = None, exclude: Callable[[str, bool], bool] | None = None,
) -> Iterator[tuple[str, str]]:
    """(path, path relative to `root`) of every regular file below the folder
    `root` that git would show, sorted by name, as both walkers (`discover`,
    the audit's) see them.

    As git: an excluded folder is not entered, so no pattern brings back a
    file in it, but a later negation may keep the folder itself (`*` then
    `!*/`); files git tracks are walked whatever ignores them, also in the
    folders skipped by name. Symlinks are not followed: one to a file of the
    tree is not read under its own name (its target is, where it is).
    `problem` hears why git could not be asked, if so; a folder `prune`
    says yes to (given its path as walked) is not entered, silently; a file
    or folder `exclude` says yes to (given its path relative to `root` and
    whether it is a folder: `Excludes.below`) is left out, tracked or not.
    A repository inside (a submodule, a clone) is read as git reads it:
    by its own ignore files and tracked files, none of the outer one's.
    """
    top = os.path.realpath(root)
    tree = work_tree_of(top)
    walked = _Tree(top, Tracked(), use_gitignore, skip, prune, exclude, problem)
    tracked = _tracked(tree, top, "", walked)
    ignores = _ignores_above(top, tree) if use_gitignore else ()
    yield from _files_below(root, "", top, replace(walked, tracked=tracked), ignores, False)


def _tracked(tree: WorkTree | None, top: str, prefix: str, walked: _Tree) -> Tracked:
    """What `tree` tracks below the real folder `top`, each path after
    `prefix` (the folder as walked); why git could not be asked, to `problem`."""
    if tree is None:
        return Tracked()
    tracked = tree.tracked_below(top)
    if walked.problem is not None:
        for said in tree.problems:
            walked.problem(f"tracked files that an ignore file or a skipped folder hides are not read ({said})")
    return tracked.under(prefix) if prefix else tracked


def _nested(real: str, relative: str, walked: _Tree, ignores: Ignores) -> tuple[_Tree, Ignores]:
    """The tree and ignore files for the folder `real` (`relative` as
    walked): a repository's own when it is the top of one, as git reads it."""
    if not is_work_tree_top(real):
        return walked, ignores
    tree = work_tree_of(real)
    tracked = _tracked(tree, real, relative + "/", walked)
    return replace(walked, tracked=tracked), _ignores_above(real, tree) if walked.use_gitignore else ()


def _files_below(
    directory: str, shown: str, real: str, tree: _Tree, ignores: Ignores, excluded: bool,
) -> Iterator[tuple[str, str]]:
    """`excluded`: the folder is only entered for the tracked files it holds."""
    # Directory links are never followed, so below the top every real path is
    # the real folder joined with the names: no per-file realpath needed.
    try:
        with os.scandir(directory) as it:
            entries = sorted(it, key=BY_NAME)
    except OSError as exc:
        tree.skip(directory, shown.rstrip("/") or ".", f"{CANNOT_LIST}: {exc.strerror}")
        return
    if tree.use_gitignore and not excluded and any(e.name == ".gitignore" for e in entries):
        spec = read_ignore_file(os.path.join(directory, ".gitignore"))
        if spec is not None:
            ignores = (*ignores, (real, spec))
    for entry in entries:
        name = entry.name
        if name == ".git":  # a repository's own folder, or a submodule's file naming it
            continue
        entry_real = real + os.sep + name
        try:
            if tree.exclude is not None and tree.exclude(shown + name, entry.is_dir(follow_symlinks=False)):
                continue
            if entry.is_symlink():
                if not _inside(os.path.realpath(entry.path), tree.top):
                    tree.skip(entry.path, shown + name, LINK_OUT)
                continue  # a link in the tree: its target is walked where it is
            is_dir = entry.is_dir()
        except OSError:
            continue
        left_out = excluded or bool(ignores) and _ignored(entry_real, is_dir, ignores)
        relative = shown + name
        if is_dir:
            if tree.prune is not None and tree.prune(entry.path):
                continue
            left_out = left_out or name in SKIPPED_DIRS or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))
            if not left_out or tree.tracked.holds_below(relative):
                inner, inner_ignores = _nested(entry_real, relative, tree, ignores)
                yield from _files_below(entry.path, relative + "/", entry_real, inner, inner_ignores, left_out)
        elif (not left_out or relative in tree.tracked.files) and entry.is_file():
            yield entry.path, relative


def real_path(top: str, relative: str) -> str:
    """The real path of a file the walk found below the real folder `top`."""
    return top + os.sep + (relative if os.sep == "/" else relative.replace("/", os.sep))


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _ignores_above(top: str, tree: WorkTree | None) -> Ignores:
    """The ignore files above `top`, up to its work tree's top (else to the
    root), and the tree's excludes, least binding first, less the patterns
    that exclude `top` or a folder above it: a folder named on the command
    line is read even when ignored (its files still obey the rest)."""
    found: list[tuple[str, IgnoreFile]] = []
    stop = tree.root if tree is not None else None
    for parent in _parents(top) if top != stop else ():
        spec = read_ignore_file(os.path.join(parent, ".gitignore"))
        if spec is not None:
            found.append((parent, spec))
        if parent == stop or stop is None and os.path.lexists(os.path.join(parent, ".git")):
            break
    excludes = tree.excludes(top) if tree is not None else None
    if tree is not None and excludes is not None:
        found.append((tree.root, excludes))
    return tuple((base, spec.without_excluding(_folders_to(top, base))) for base, spec in reversed(found))


def _parents(path: str) -> Iterator[str]:
    while (parent := os.path.dirname(path)) != path:
        yield parent
        path = parent


def _folders_to(top: str, base: str) -> list[str]:
    """`top` and the folders between it and `base`, relative to `base`."""
    relative = os.path.relpath(top, base).replace(os.sep, "/")
    if relative == ".":
        return []
    parts = relative.split("/")
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _ignored(real: str, is_dir: bool, ignores: Ignores) -> bool:
    """As git decides: the deepest ignore file with a pattern matching the
    path, whose last such pattern may be a negation (`!z.txt` in `sub/`
    keeps `sub/z.txt` that `*.txt` above ignores)."""
    for base, spec in reversed(ignores):
        if real.startswith(base + os.sep):
            decided = spec.decide(real[len(base) + 1 :].replace(os.sep, "/"), is_dir)
            if decided is not None:
                return decided
    return False


@contextmanager
def open_atomic(path: Path, mode: str = "wb", encoding: str | None = None) -> Iterator[IO[Any]]:
    """Write `path` under a temporary name and rename it into place only when the
    block completes: readers never see half a file. Keeps existing permissions.
    A symlink is written through (its target is replaced), never replaced; a
    device or a named pipe (`/dev/stdout`, `/dev/null`, a FIFO) is written in
    place, since a rename would put a plain file where it was."""
    try:
        found: os.stat_result | None = os.stat(path)  # through symlinks: `/dev/stdout`
    except OSError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        with open(path, mode, encoding=encoding) as handle:
            yield handle
        return
    path = Path(os.path.realpath(path))
    if found is not None:
        _check_replaceable(path, found)
    keep = stat.S_IMODE(found.st_mode) if found is not None else None
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named before it is made, inside the `try`: an interrupt while it is made
    # (Ctrl-C) still removes it.
    temp = ""
    try:
        while True:
            temp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
            try:  # only its owner's, as `tempfile.mkstemp` makes them
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
                break
            except FileExistsError:  # another's: not ours to remove
                temp = ""
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, keep if keep is not None else 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        if temp:
            Path(temp).unlink(missing_ok=True)
        raise


class KeptFile(OSError):
    """A file `open_atomic` leaves as it is, though it could rename a new one
    over it; the message says why."""


def _check_replaceable(path: Path, found: os.stat_result) -> None:
    """Raise `KeptFile` for a file whose owner would not have it replaced:
    read-only (the user may not write it, or no one may: root may, but the
    file was made read-only), which a rename in its writable folder replaces
    all the same; or with hard links, which a rename splits (the other names
    keep the old text). Writing such a file in place is no option either: a
    kill, a crash or a full disk halfway leaves it cut short."""
    if not os.access(path, os.W_OK) or not found.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise KeptFile("a read-only file (no write permission): left as it is")
    if found.st_nlink > 1:
        raise KeptFile(f"one of {found.st_nlink} hard links to one file, which writing a new "
                       "file would split (the others would keep the old text): left as it is")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step, keeping its permissions."""
    with open_atomic(path) as handle:
        handle.write(data)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
