"""Tree walking for the audit: the rules of `migrator.files.discover`
(.gitignore files, skipped virtualenv/vendored/generated folders, no symlink
out of the tree or into a loop), as a generator over plain strings.

`discover` builds and resolves a `Path` for every file, which costs several
times the reading of a typical source file; the audit has to stay near the
cost of reading the bytes, so it walks with `os.scandir` and only resolves
symlinks. `tests/audit/test_files.py` checks both give the same files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

import pathspec

from migrator.files import SKIPPED_DIRS, _parent_gitignores, _read_gitignore, why_missing

Ignores = list[tuple[str, pathspec.PathSpec]]


BY_NAME = attrgetter("name")


@dataclass
class Walk:
    """Paths as the user should see them; what was skipped and why."""

    skipped: list[tuple[str, str]] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """Paths given that are no file or folder to read, and why."""
    _seen: set[str] = field(default_factory=set)

    def files(self, roots: list[Path], use_gitignore: bool = True) -> Iterator[str]:
        cwd = os.getcwd()
        for root in roots:
            shown = _shown(str(root), cwd)
            if root.is_file():
                real = os.path.realpath(root)
                if real not in self._seen:
                    self._seen.add(real)
                    yield shown
                continue
            if not root.is_dir():
                self.missing.append((shown, why_missing(root)))
                continue
            top = os.path.realpath(root)
            ignores: Ignores = []
            if use_gitignore:
                ignores = [(str(base), spec) for base, spec in _parent_gitignores(Path(top))]
            prefix = "" if shown == "." else shown.rstrip("/") + "/"
            yield from self._dir(str(root), prefix, top, top, ignores, use_gitignore, {top})

    def _dir(
        self, directory: str, shown: str, real: str, top: str,
        ignores: Ignores, use_gitignore: bool, visiting: set[str],
    ) -> Iterator[str]:
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=BY_NAME)
        except OSError as exc:
            self.skipped.append((shown.rstrip("/") or ".", f"cannot list: {exc.strerror}"))
            return
        if use_gitignore and any(e.name == ".gitignore" for e in entries):
            spec = _read_gitignore(Path(directory) / ".gitignore")
            if spec is not None:
                ignores = [*ignores, (real, spec)]
        for entry in entries:
            name = entry.name
            path_shown = shown + name
            try:
                is_dir = entry.is_dir()
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if not (target == top or target.startswith(top + os.sep)):
                        self.skipped.append((path_shown, "symlink out of the tree"))
                        continue
                    if is_dir:
                        continue  # its target is walked on its own
                    entry_real = target
                else:
                    entry_real = real + os.sep + name
            except OSError:
                continue
            if ignores and _ignored(entry_real, is_dir, ignores):
                continue
            if is_dir:
                if name in SKIPPED_DIRS or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                if entry_real in visiting:
                    continue
                yield from self._dir(
                    entry.path, path_shown + "/", entry_real, top, ignores, use_gitignore,
                    visiting | {entry_real},
                )
            elif entry.is_file():
                if entry_real in self._seen:
                    continue
                self._seen.add(entry_real)
                yield path_shown


def printable(path: str) -> str:
    """A file name that was not valid UTF-8 (kept as surrogates to open it),
    with replacement characters, for reports."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def shown_path(path: Path) -> str:
    """`path` as the walk shows a file found there."""
    return _shown(os.path.normpath(os.path.abspath(path)), os.getcwd())


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


def _ignored(real: str, is_dir: bool, ignores: Ignores) -> bool:
    """As git decides: the deepest `.gitignore` with a pattern matching the
    path, whose last such pattern may be a negation (`!z.txt` in `sub/`
    keeps `sub/z.txt` that `*.txt` above ignores)."""
    for base, spec in reversed(ignores):
        if real.startswith(base + os.sep):
            relative = real[len(base) + 1 :]
            ignored = spec.check_file(relative + ("/" if is_dir else "")).include
            if ignored is not None:
                return ignored
    return False
