"""Reading files and clearing the many that hold nothing: the per-file hot
path of the audit, shared by serial and parallel runs. Nothing here raises
for one bad file: a file that cannot be read becomes a result with an error."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from migrator.audit.core import BINARY_PROBE, Auditor, decode
from migrator.audit.model import FileResult
from migrator.audit.stats import file_type
from migrator.imports import import_specs, is_entry

DEFAULT_MAX_SIZE = 5 * 1024 * 1024
FIRST_READ = 32 * 1024
CHUNK = 256
"""Files per batch: the unit of work handed to a process."""


@dataclass
class Chunk:
    """Results of some files: the ones worth reporting in full, the rest counted."""

    results: list[FileResult] = field(default_factory=list)
    clean: Counter[str] = field(default_factory=Counter)
    """File type → files read that have nothing to report."""
    binary: int = 0
    precise: Counter[str] = field(default_factory=Counter)
    """Python files the codemod read, or whose findings came from its cache (`Auditor.precise`)."""
    entries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Packages' entry files (`__init__.py`, `index.ts`) → what they import (see `links`)."""

    def add(self, other: Chunk) -> None:
        self.results.extend(other.results)
        self.clean.update(other.clean)
        self.binary += other.binary
        self.precise.update(other.precise)
        self.entries.update(other.entries)


def read_file(path: str, max_size: int) -> tuple[bytes | None, FileResult | None]:
    """The bytes of a file, or the result that says why there are none."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        return None, FileResult(path, error=f"cannot read: {exc.strerror or exc}")
    try:
        data = os.read(fd, FIRST_READ)
        if len(data) == FIRST_READ:  # only bigger files pay for an fstat
            data = _read_rest(fd, data, max_size)
    except OSError as exc:
        return None, FileResult(path, error=f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if data is None or len(data) > max_size:
        return None, FileResult(path, skipped=f"larger than {max_size} bytes (--max-size)")
    return data, None


def _read_rest(fd: int, first: bytes, max_size: int) -> bytes | None:
    if os.fstat(fd).st_size > max_size:
        return None
    parts = [first]
    while block := os.read(fd, 1 << 20):
        parts.append(block)
    return b"".join(parts)


def scan_files(auditor: Auditor, paths: Iterable[str], max_size: int) -> Chunk:
    """Read and scan files. Most have nothing to report, so that path is kept
    short: read, probe for NUL, one search for the triggers of the suffix
    (and a Config host in any case)."""
    chunk = Chunk()
    clean = chunk.clean
    before = auditor.precise.copy()
    catalog = auditor.catalog
    prefilter = catalog.prefilters[""]
    by_suffix = dict(catalog.prefilters)
    for path in paths:
        # `read_file` inlined for the common case: a small file, one read.
        data: bytes | None = None
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                data = os.read(fd, FIRST_READ)
                if len(data) == FIRST_READ:
                    data = _read_rest(fd, data, max_size)
            finally:
                os.close(fd)
        except OSError:
            data = None  # `read_file` says why
        if data is None or len(data) > max_size:
            data, failed = read_file(path, max_size)
            if data is None:
                chunk.results.append(failed)  # type: ignore[arg-type]
                continue
        kind = file_type(path)
        if is_entry(path):  # few files: what a package imports, for `links`
            chunk.entries[path] = import_specs(path, decode(data, path.endswith(".py"))[0])
        searched = data.find(b"\0", 0, BINARY_PROBE) < 0
        if searched:
            dot = path.rfind(".")  # as `Catalog.prefilter_for`, inlined
            if not (by_suffix.get(path[dot:].lower(), prefilter) if dot >= 0 else prefilter)(data) \
                    and not auditor.takes_apart(path, data):
                clean[kind] += 1
                continue
        result = auditor.scan(path, data, prefiltered=searched)  # (the triggers are not searched for twice)
        if result.skipped == "binary":
            chunk.binary += 1
        elif result.findings or result.skipped or result.notes or result.suppressed:
            chunk.results.append(result)
        elif result.calls_segment or result.reads_fields or result.joins:
            chunk.results.append(result)  # for `links` and `shared`; `links` counts it clean if it stays so
        else:
            clean[kind] += 1
    chunk.precise = auditor.precise - before
    return chunk

