"""Where the Python modules of a run are imported from: the roots its layout
implies beyond each file's own folder and those above it (what
`imports.candidates` tries first).

- The folder above each top-level package of the run (a folder holding an
  `__init__.py`, in a folder holding none): `src/` in a src/ layout.
- The roots a `pyproject.toml` declares (pytest's `pythonpath`, setuptools'
  `package-dir` and `packages.find` `where`, hatch's and poetry's
  `packages`), read in the working directory and the folders of the run.
- A dotted module name (`app.jobs.client`, two parts or more) that exactly
  one file of the run ends with (`src/app/jobs/client.py`): a namespace
  package (PEP 420, no `__init__.py`) imported from the folder above it.

A root counts for the files below its project: the folder declaring it, or
the one above it (`tests/` is served by `src/`, another project's files are
not). Read from the file names and `pyproject.toml` alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from migrator.imports import ancestors as _ancestors, up as _up


class Layout:
    """The roots of one run's files (paths as the run gives them)."""

    def __init__(self, files: Iterable[str]) -> None:
        python = sorted({os.path.normpath(f) for f in files if f.endswith((".py", ".pyi"))})
        self.files = frozenset(python)
        self.roots: list[tuple[str, str]] = []  # (project, root): the root serves the files below the project
        self.declared: set[tuple[str, str]] = set()  # (project, root) a pyproject.toml declares
        self._tails: dict[tuple[str, ...], list[str]] | None = None
        self._bases: dict[str, tuple[str, ...]] = {}
        folders = {os.path.dirname(f) for f in python}
        for folder in sorted(folders):
            if self._package(folder) and not self._package(os.path.dirname(folder)) and folder:
                above = os.path.dirname(folder)
                self._add(os.path.dirname(above), above)
        for folder in sorted({"", *(a for f in folders for a in _ancestors(f))}):
            for root in declared_roots(folder):
                self._add(folder, root)
                self.declared.add((folder, root))

    def _package(self, folder: str) -> bool:
        entry = os.path.join(folder, "__init__.py")
        return bool(folder) and (entry in self.files or os.path.isfile(entry))

    def _add(self, project: str, root: str) -> None:
        if (project, root) not in self.roots:
            self.roots.append((project, root))

    def bases(self, here: str) -> tuple[str, ...]:
        """The roots an absolute import in a file of folder `here` resolves
        from, past `here` and the folders above it."""
        found = self._bases.get(here)
        if found is None:
            mine = set(_ancestors(here))
            extra: list[str] = []
            for project, root in self.roots:
                if root not in mine and project in mine:
                    mine.add(root)
                    extra.append(root)
            found = self._bases[here] = tuple(extra)
        return found

    def named(self, name: str) -> str | None:
        """The one file of the run a dotted module name of two parts or more
        may stand for, by its path's end (`app/jobs/client.py`, or the
        package's `__init__.py`), or None (none, or more than one)."""
        parts = tuple(name.split("."))
        if len(parts) < 2 or not all(parts):
            return None
        found = self._by_tail().get(parts, [])
        return found[0] if len(found) == 1 else None

    def may_name(self, name: str) -> list[str]:
        """The files of the run an absolute module name may stand for, by its path's end (one part or more)."""
        parts = tuple(name.split("."))
        return list(self._by_tail().get(parts, [])) if all(parts) else []

    def _by_tail(self) -> dict[tuple[str, ...], list[str]]:
        if self._tails is None:
            self._tails = {}
            for path in sorted(self.files):
                parts = path.split(os.sep)
                stem = parts[-1].rsplit(".", 1)[0]
                parts = parts[:-1] if stem == "__init__" else [*parts[:-1], stem]
                for k in range(1, len(parts) + 1):
                    found = self._tails.setdefault(tuple(parts[-k:]), [])
                    if path not in found and not (path.endswith(".pyi") and _beside(path, found)):
                        found.append(path)
        return self._tails

    def import_root(self, folder: str) -> str | None:
        """The root a folder with no `__init__.py` (a namespace package) is
        imported from when a `pyproject.toml` tells it: the nearest root it
        declares above `folder`, other than its own folder (a folder there
        may as well hold scripts, run from their own folder); else None."""
        above = list(_ancestors(folder))[1:]
        for root in above:
            if any(r == root and p != root and p in above for p, r in self.declared):
                return root
        return None


def _beside(stub: str, found: list[str]) -> bool:
    """A `.pyi` stub of a module already found (one module, not two)."""
    return stub[:-1] in found or stub[: -len(".pyi")] + ".py" in found


def declared_roots(folder: str) -> list[str]:
    """The module roots the `pyproject.toml` of `folder` declares, as paths
    from the working directory (`src`), when it has one that parses."""
    path = os.path.join(folder, "pyproject.toml")
    if not os.path.isfile(path):
        return []
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, ValueError):
        return []
    found: list[str] = []
    tool = _table(data, "tool")
    pytest = _table(_table(tool, "pytest"), "ini_options")
    found += _strings(pytest.get("pythonpath"))
    setuptools = _table(tool, "setuptools")
    package_dir = _table(setuptools, "package-dir")
    found += [v for k, v in package_dir.items() if k == "" and isinstance(v, str)]
    found += _strings(_table(_table(setuptools, "packages"), "find").get("where"))
    hatch = _table(_table(_table(_table(tool, "hatch"), "build"), "targets"), "wheel")
    found += [os.path.dirname(p.rstrip("/")) for p in _strings(hatch.get("packages"))]
    poetry = _table(tool, "poetry").get("packages")
    found += [p["from"] for p in poetry if isinstance(p, dict) and isinstance(p.get("from"), str)] \
        if isinstance(poetry, list) else []
    roots: list[str] = []
    for root in found:
        normal = os.path.normpath(os.path.join(folder, root)) if root not in ("", ".") else folder
        normal = "" if normal == "." else normal
        if normal not in roots:
            roots.append(normal)
    return roots


def _table(data: Any, key: str) -> dict[str, Any]:
    found = data.get(key) if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def imported_root(user: str, run: Iterable[str]) -> str | None:
    """The folder the files of `run` import `user` from by a dotted name of
    two parts or more (`from app.jobs import client` → `src` for
    `src/app/jobs/client.py`), when they all agree; else None. Only the
    files naming `user`'s module are read."""
    from migrator.imports import candidates, import_specs

    user = os.path.normpath(user)
    stem = os.path.splitext(os.path.basename(user))[0]
    files = {os.path.normpath(p) for p in run if p.endswith(".py")}
    roots: set[str] = set()
    for path in sorted(files - {user}):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        if stem.encode() not in data:
            continue
        for spec in import_specs(path, data.decode("utf-8", "replace")):
            parts = spec.split(".")
            if spec.startswith(".") or len(parts) < 2 or parts[-1] != stem:
                continue
            found = next((c for c in candidates(path, [spec]) if c in files or os.path.isfile(c)), None)
            if found is not None and os.path.normpath(found) == user:
                roots.add(_up(os.path.dirname(user), len(parts) - 1))
    return roots.pop() if len(roots) == 1 else None
