"""The shipped table, validated once and kept for the next runs.

Parsing the TOML files and validating them (and building the models'
validators to do so) is most of a short run's start-up: a pre-commit run on
one file. What it gives depends only on the files' bytes, this package's
code and the Python, pydantic and migrator that run it, so a digest of all
of them keys one pickle in the user's cache folder (`rules/` in
$MIGRATOR_CACHE_DIR when set). A hit is read back; anything else (another
key, a missing, unreadable or corrupt file, an unwritable or missing home)
is a miss: the table is read and validated as before, and kept if it can be.
Only a valid table is kept, so its errors always come from the files. The
folder is the user's own, as Python's `__pycache__` is.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

import pydantic
import pydantic_core

from migrator import __version__
from migrator.cache_folder import ENV, user_cache_folder
from migrator.ruleset.models import RuleFile

FORMAT = b"1"
"""Bumped when what the file holds changes."""
NAME = "rules.pickle"
"""One file: a table that changed replaces it, so the folder never grows."""


def folder() -> Path | None:
    if os.environ.get(ENV):
        return Path(os.environ[ENV]) / "rules"
    base = user_cache_folder()
    return base / "rules" if base is not None else None


def key(paths: Sequence[Path]) -> bytes | None:
    """The digest of what the validated table of `paths` depends on (None
    when a file cannot be read: loading it reports that)."""
    digest = hashlib.sha256(b"\0".join(
        (FORMAT, sys.version.encode(), pydantic.VERSION.encode(), pydantic_core.__version__.encode(), __version__.encode())
    ))
    try:
        for path in (*sorted(Path(__file__).parent.glob("*.py")), *paths):
            data = path.read_bytes()
            digest.update(f"\0{path.name}\0{len(data)}\0".encode() + data)
    except OSError:
        return None
    return digest.digest()


def read(digest: bytes) -> tuple[RuleFile, ...] | None:
    directory = folder()
    try:
        data = (directory / NAME).read_bytes() if directory is not None else b""
    except OSError:
        return None
    if not data.startswith(digest):
        return None
    try:
        files = pickle.loads(data[len(digest):])
    except Exception:  # a file cut short or of another shape, whatever unpickling raises: a miss
        return None
    if not isinstance(files, tuple) or not all(isinstance(f, RuleFile) for f in files):
        return None
    return files


def write(digest: bytes, files: tuple[RuleFile, ...]) -> None:
    """Atomically, so runs can share the folder; nothing when it cannot be written."""
    directory = folder()
    if directory is None:
        return
    target = directory / NAME
    temporary = target.with_name(f"{NAME}.{os.getpid()}.tmp")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(digest + pickle.dumps(files, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, target)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
