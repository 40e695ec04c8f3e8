"""File discovery and atomic writes, shared by every command.

Discovery walks trees without following symlinks out of them (nor into
loops), honours `.gitignore` files, and skips virtualenvs, vendored and
generated folders. A symlink named as a root is replaced by its target when
that is inside the trees named or the link's own repository, else skipped.
Writes go through symlinks: a link is never replaced by a file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pathspec

SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis",
        "site-packages", "dist", "build", ".eggs", "vendor", "third_party",
    }
)


def is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


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
) -> Discovery:
    """Every file under `roots` that `accept` takes, in a stable order.

    A root that is a file is taken as given (if it exists), even when ignored.
    A root that is a symlink to a file is taken as its target (the file that
    would be written) when the target is inside one of the folders named or
    inside the link's own git work tree (its folder, outside git); a link
    pointing elsewhere is skipped as `LINK_OUT`.
    """
    found = Discovery()
    seen: set[Path] = set()
    folders = [root.resolve() for root in roots if root.is_dir()]
    for root in roots:
        if root.is_file():
            path, real = root, root.resolve()
            if root.is_symlink():
                if not any(real.is_relative_to(top) for top in (*folders, _link_home(root))):
                    found.skipped.append(Skipped(root, LINK_OUT))
                    continue
                path = real if root.is_absolute() else Path(os.path.relpath(real))
            if real not in seen:
                seen.add(real)
                found.files.append(path)
            continue
        if not root.is_dir():
            found.skipped.append(Skipped(root, why_missing(root)))
            continue
        for path, real in _walk(root, accept, use_gitignore, found):
            if real not in seen:
                seen.add(real)
                found.files.append(path)
    return found


LINK_OUT = "symlink out of the tree"


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


def _walk(
    root: Path, accept: Callable[[Path], bool], use_gitignore: bool, found: Discovery
) -> Iterator[tuple[Path, Path]]:
    """(path as found, real path) of every accepted file below `root`."""
    top = root.resolve()
    ignores: list[tuple[Path, pathspec.PathSpec]] = []
    if use_gitignore:
        ignores = _parent_gitignores(top)
    yield from _walk_dir(root, top, top, accept, ignores, use_gitignore, found)


def _walk_dir(
    directory: Path,
    real: Path,
    top: Path,
    accept: Callable[[Path], bool],
    ignores: list[tuple[Path, pathspec.PathSpec]],
    use_gitignore: bool,
    found: Discovery,
) -> Iterator[tuple[Path, Path]]:
    # Directory links are never followed, so below `top` every real path is
    # the real directory joined with the names: no per-file resolve() needed.
    if use_gitignore:
        spec = _read_gitignore(directory / ".gitignore")
        if spec is not None:
            ignores = [*ignores, (real, spec)]
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        found.skipped.append(Skipped(directory, f"cannot list: {exc.strerror}"))
        return
    for entry in entries:
        path = Path(entry.path)
        lexical = real / entry.name
        is_dir = entry.is_dir(follow_symlinks=True)
        if entry.is_symlink():
            if not path.resolve().is_relative_to(top):
                found.skipped.append(Skipped(path, LINK_OUT))
            # A link inside the tree: its target is walked on its own (once,
            # and not at all when ignored), and the link is left as it is.
            continue
        if ignores and _ignored(lexical, is_dir, ignores):
            continue
        if is_dir:
            if entry.name in SKIPPED_DIRS or is_virtualenv(path):
                continue
            yield from _walk_dir(path, lexical, top, accept, ignores, use_gitignore, found)
        elif entry.is_file() and accept(path):
            yield path, lexical


def _read_gitignore(path: Path) -> pathspec.PathSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _parent_gitignores(top: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    """`.gitignore` files above `top`, up to the repository root, without the
    patterns that ignore `top` or a folder above it: a folder named on the
    command line is read even when ignored (its files still obey the rest)."""
    chain: list[tuple[Path, pathspec.PathSpec]] = []
    for parent in top.parents:
        spec = _read_gitignore(parent / ".gitignore")
        if spec is not None:
            chain.append((parent, _sparing(spec, top.relative_to(parent))))
        if (parent / ".git").exists():
            break
    return list(reversed(chain))


def _sparing(spec: pathspec.PathSpec, folder: Path) -> pathspec.PathSpec:
    """`spec` without the patterns that ignore `folder` or one of its parents."""
    folders = [f"{part.as_posix()}/" for part in (folder, *folder.parents) if part.parts]
    patterns = [
        p for p in spec.patterns
        if not (p.include and any(p.match_file(f) is not None for f in folders))
    ]
    return spec if len(patterns) == len(spec.patterns) else type(spec)(patterns)


def _ignored(path: Path, is_dir: bool, ignores: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    """As git decides: the deepest `.gitignore` with a pattern matching the
    path, whose last such pattern may be a negation (`!z.txt`)."""
    for base, spec in reversed(ignores):
        try:
            relative = path.relative_to(base).as_posix()
        except ValueError:
            continue
        ignored = spec.check_file(relative + ("/" if is_dir else "")).include
        if ignored is not None:
            return ignored
    return False


@contextmanager
def open_atomic(path: Path, mode: str = "wb", encoding: str | None = None) -> Iterator[IO[Any]]:
    """Write `path` under a temporary name and rename it into place only when the
    block completes: readers never see half a file. Keeps existing permissions.
    A symlink is written through (its target is replaced), never replaced; a
    device or a named pipe (`/dev/stdout`, `/dev/null`, a FIFO) is written in
    place, since a rename would put a plain file where it was."""
    try:
        kind: int | None = os.stat(path).st_mode  # through symlinks: `/dev/stdout`
    except OSError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        with open(path, mode, encoding=encoding) as handle:
            yield handle
        return
    path = Path(os.path.realpath(path))
    keep = stat.S_IMODE(kind) if kind is not None else None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, keep if keep is not None else 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step, keeping its permissions."""
    with open_atomic(path) as handle:
        handle.write(data)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
