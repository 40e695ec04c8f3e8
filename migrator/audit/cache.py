"""The codemod's findings for Python files, kept between runs.

What the codemod finds in a file depends only on the file's bytes, the rules
table and migrator's own code (and the Python and libcst that parse), so an
entry is keyed by a digest of all of them: a file read before costs a hash
instead of a parse, and a change to any of them is a miss. Entries are
small JSON files written atomically, so processes can share a directory;
deleting it is always safe. Entries not read for `MAX_AGE` are deleted by
the next run that finds the folder has not been swept for a day (`sweep`),
so it does not grow without end.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from importlib.util import find_spec
from pathlib import Path

from migrator.audit.model import Finding, Findings
from migrator.cache_folder import ENV, user_cache_folder
from migrator.ruleset import RuleSet

FORMAT = 2
"""Bumped when what an entry holds changes."""
DAY = 24 * 3600
MAX_AGE = 30 * DAY
"""Entries not read for this long are deleted."""
SWEPT = ".swept"
"""Touched by each sweep: a folder is swept at most once a day."""
SHARD = re.compile(r"[0-9a-f]{2}")
ENTRY = re.compile(r"[0-9a-f]{62}\.json(?:\.\d+\.tmp)?")
"""Only files named as entries are ever deleted, whatever folder is given."""


def default_directory() -> Path | None:
    """$MIGRATOR_CACHE_DIR, else the user's cache folder for this system
    (None for a user without a home folder: no cache)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    folder = user_cache_folder()
    return folder / "audit" if folder is not None else None


Entry = list[Finding] | str
"""The codemod's findings (paths left empty), or why it could not read the file."""
STORED = ("line", "column", "rule", "severity", "message", "text", "kind", "fix", "marker", "end_line", "end_column")
"""What is kept of each finding (the rest is the file's, or computed later)."""


class PreciseCache:
    def __init__(self, directory: Path, rules: RuleSet) -> None:
        self.directory = directory
        self.rules = rules
        self._salt: bytes | None = None
        self.writable = True
        """False after a write failed: the run goes on without writing."""

    def key(self, data: bytes) -> str | None:
        """None when migrator's own code cannot be read to make keys with."""
        if self._salt is None:
            try:
                self._salt = _salt(self.rules)
            except OSError:
                self._salt = b""
        if not self._salt:
            return None
        return hashlib.sha256(self._salt + data).hexdigest()

    def get(self, key: str, path: str) -> Entry | None:
        file = self._file(key)
        try:
            raw = json.loads(file.read_bytes())
        except (OSError, ValueError):
            return None
        try:
            os.utime(file)  # read now: kept by the sweep
        except OSError:
            pass  # a folder this run may only read
        try:
            if isinstance(raw, str):
                return raw
            if isinstance(raw, dict):  # findings and the workspaces the file drops
                found = Findings(Finding(path, **dict(zip(STORED, row))) for row in raw["findings"])
                found.workspaces = tuple((str(w), int(line)) for w, line in raw["workspaces"])
                return found
            return [Finding(path, **dict(zip(STORED, row))) for row in raw]
        except (TypeError, KeyError, ValueError):  # an entry of another shape: read the file again
            return None

    def put(self, key: str, entry: Entry) -> None:
        if not self.writable:
            return
        raw: object = entry if isinstance(entry, str) else [[getattr(f, name) for name in STORED] for f in entry]
        if getattr(entry, "workspaces", ()):
            raw = {"findings": raw, "workspaces": [list(w) for w in entry.workspaces]}  # type: ignore[union-attr]
        target = self._file(key)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, target)
        except OSError:
            self.writable = False
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.json"


def unusable(directory: Path) -> str | None:
    """Why `directory` cannot keep entries (it is created if need be), or None."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create the cache folder {directory} ({exc.strerror or exc})"
    if not os.access(directory, os.W_OK):
        return f"cannot write to the cache folder {directory}"
    return None


def sweep(directory: Path, now: float | None = None) -> int:
    """Delete the entries not read for `MAX_AGE` (and temporary files a
    stopped run left), at most once a day; the number deleted."""
    now = time.time() if now is None else now
    marker = directory / SWEPT
    try:
        if now - marker.stat().st_mtime < DAY:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    deleted = 0
    try:
        shards = [d for d in directory.iterdir() if SHARD.fullmatch(d.name) and d.is_dir()]
        for shard in shards:
            for entry in shard.iterdir():
                if not ENTRY.fullmatch(entry.name):
                    continue
                limit = DAY if entry.name.endswith(".tmp") else MAX_AGE
                if now - entry.stat().st_mtime > limit:
                    entry.unlink()
                    deleted += 1
        marker.touch()
        os.utime(marker, (now, now))
    except OSError:
        pass  # another run may be sweeping too, or the folder is read-only
    return deleted


def libcst_version() -> bytes:
    """The installed libcst's version file, read without importing libcst
    (`importlib.metadata` costs 45 ms on a first call: a run's start-up)."""
    spec = find_spec("libcst")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            return (Path(folder) / "_version.py").read_bytes()
        except OSError:
            pass
    from importlib.metadata import PackageNotFoundError, version  # 20 ms: rarely needed

    try:
        return version("libcst").encode()
    except PackageNotFoundError:
        return b"?"


def _salt(rules: RuleSet) -> bytes:
    """What the codemod's answer depends on besides the file: the rules
    table, migrator's code, the Python and the libcst that parse."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version_info[:2]} libcst ".encode() + libcst_version())
    for rule_file in rules.files:
        digest.update(rule_file.model_dump_json().encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.digest()
