"""Tree walking for the audit: `migrator.files.walk_tree` (the walk of
`discover`: ignore files as git reads them, tracked files, skipped
virtualenv/vendored/generated folders, no symlink followed), over plain
strings shown relative to the working directory.

`discover` builds a `Path` for every file, which costs several times the
reading of a typical source file; the audit has to stay near the cost of
reading the bytes. `tests/audit/test_files.py` checks both give the same files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from migrator.exclude import Excludes
from migrator.files import CANNOT_LIST, LINK_OUT, link_target, real_path, walk_tree, why_missing


@dataclass
class Walk:
    """Paths as the user should see them; what was skipped and why."""

    skipped: list[tuple[str, str]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """Paths given that are no file or folder to read, and why."""
    excluded: list[tuple[str, str]] = field(default_factory=list)
    """Paths given that an `--exclude` pattern leaves out, and the pattern."""
    _seen: set[str] = field(default_factory=set)

    def statable(self, roots: list[Path]) -> list[Path]:
        """The paths given whose kind can be told; the others are missing
        (a folder above that cannot be searched, a name too long)."""
        kept = []
        for root in roots:
            try:
                os.lstat(root)
            except FileNotFoundError:
                kept.append(root)  # said by `files`, with the reason it has
            except OSError as exc:
                self.missing.append((_shown(str(root), os.getcwd()), f"cannot read: {exc.strerror}"))
            else:
                kept.append(root)
        return kept

    def files(
        self, roots: list[Path], use_gitignore: bool = True, prune: Callable[[str], bool] | None = None,
        excludes: Excludes | None = None,
    ) -> Iterator[str]:
        """The files below `roots` (`walk_tree`, `prune` too), as shown,
        less those `excludes` leaves out (a path given: in `excluded`)."""
        cwd = os.getcwd()
        folders = [root.resolve() for root in roots if root.is_dir()]
        for root in roots:
            shown = _shown(str(root), cwd)
            left_out = excludes.covering(shown, root.is_dir()) if excludes else None
            if left_out is not None:
                self.excluded.append((shown, left_out))
                continue
            if root.is_file():
                real_shown = shown if root.is_symlink() else self._real(root, shown, cwd, excludes)
                if real_shown is not None:
                    yield from self._file(root, real_shown, folders, cwd, excludes)
                continue
            if not root.is_dir():
                self.missing.append((shown, why_missing(root)))
                continue
            real_shown = self._real(root, shown, cwd, excludes)
            if real_shown is None:
                continue
            shown = real_shown
            top = os.path.realpath(root)
            prefix = "" if shown == "." else shown.rstrip("/") + "/"

            def skip(_path: str, relative: str, reason: str, prefix: str = prefix) -> None:
                shown = (prefix + relative).rstrip("/").removesuffix("/.") or "."
                # files that could not be read make the run fail, not a note
                (self.missing if reason.startswith(CANNOT_LIST) else self.skipped).append((shown, reason))

            def problem(reason: str, shown: str = shown) -> None:
                if (shown, reason) not in self.skipped:  # said once, by a nested repository's git too
                    self.skipped.append((shown, reason))

            exclude = excludes.below(prefix) if excludes else None
            found = walk_tree(str(root), use_gitignore, skip, problem, prune, exclude)
            if len(roots) == 1:  # links are not followed: one tree holds each file once
                yield from (prefix + relative for _path, relative in found)
                continue
            for _path, relative in found:
                real = real_path(top, relative)
                if real not in self._seen:
                    self._seen.add(real)
                    yield prefix + relative

    def _real(self, root: Path, shown: str, cwd: str, excludes: Excludes | None) -> str | None:
        """The path given as the walk shows it, `shown` but through a
        symlinked folder on the way (`alias/`, `alias/x.sh`): the real path,
        as a walk of the whole tree names it; None when `excludes`
        leaves that out (in `excluded`)."""
        real = _named(root, cwd)
        left_out = excludes.covering(real, root.is_dir()) if excludes and real != shown else None
        if left_out is not None:
            self.excluded.append((real, left_out))
            return None
        return real

    def _file(
        self, root: Path, shown: str, folders: list[Path], cwd: str, excludes: Excludes | None,
    ) -> Iterator[str]:
        """A file named: a symlink stands for its target, as in `discover`."""
        if root.is_symlink():
            target = link_target(root, folders)
            if target is None:
                self.skipped.append((shown, LINK_OUT))
                return
            shown = _shown(str(target), cwd)
            left_out = excludes.covering(shown, False) if excludes else None
            if left_out is not None:
                self.excluded.append((shown, left_out))
                return
        real = os.path.realpath(root)
        if real not in self._seen:
            self._seen.add(real)
            yield shown


def printable(path: str) -> str:
    """A file name that was not valid UTF-8 (kept as surrogates to open it),
    with replacement characters, for reports."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def shown_path(path: Path) -> str:
    """`path` as the walk shows a file found there (through symlinks: the real path)."""
    return _shown(os.path.realpath(path), os.getcwd())


def _named(root: Path, cwd: str) -> str:
    """A path given, as shown; through a symlink (a link named, or a
    symlinked folder on the way), the real path, relative when given so."""
    real = os.path.realpath(root)
    if real == os.path.normpath(os.path.join(cwd, root)):
        return _shown(str(root), cwd)
    return _shown(real if root.is_absolute() else os.path.relpath(real, cwd), cwd)


def _shown(path: str, cwd: str) -> str:
    """Relative to the working directory when below it: stable across machines."""
    if os.path.isabs(path):
        if path == cwd:
            return "."
        if path.startswith(cwd.rstrip(os.sep) + os.sep):
            return path[len(cwd.rstrip(os.sep)) + 1 :]
        return path
    normal = os.path.normpath(path)
    return normal
