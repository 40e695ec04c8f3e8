"""The thin layer: walk trees, read files, scan them (on a process pool for
`jobs > 1`, fed while the walk goes on), and collect per-file results.
Nothing here raises for one bad file: a file that cannot be read becomes a
result with an error."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from migrator.audit.core import BINARY_PROBE, Auditor
from migrator.audit.model import FileResult, Finding
from migrator.audit.stats import file_type
from migrator.audit.walk import Walk
from migrator.ruleset import RuleSet

DEFAULT_MAX_SIZE = 5 * 1024 * 1024
FIRST_READ = 32 * 1024
CHUNK = 256
"""Files per pool task: enough to keep inter-process traffic low."""


@dataclass
class Chunk:
    """Results of some files: the ones worth reporting in full, the rest counted."""

    results: list[FileResult] = field(default_factory=list)
    clean: Counter[str] = field(default_factory=Counter)
    """File type → files read that have nothing to report."""
    binary: int = 0


@dataclass
class Run(Chunk):
    """Everything one audit run saw."""

    errors: list[str] = field(default_factory=list)
    """Problems with the run itself (a path that does not exist)."""
    notes: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def add(self, chunk: Chunk) -> None:
        self.results.extend(chunk.results)
        self.clean.update(chunk.clean)
        self.binary += chunk.binary


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
    short: read, probe for NUL, search the triggers of the file's suffix."""
    chunk = Chunk()
    clean = chunk.clean
    triggers_for = auditor.catalog.triggers_for
    for path in paths:
        data, failed = read_file(path, max_size)
        if data is None:
            chunk.results.append(failed)  # type: ignore[arg-type]
            continue
        kind = file_type(path)
        if data.find(b"\0", 0, BINARY_PROBE) < 0:
            for trigger in triggers_for(path):
                if trigger in data:
                    break
            else:
                clean[kind] += 1
                continue
        result = auditor.scan(path, data)
        if result.skipped == "binary":
            chunk.binary += 1
        elif result.findings or result.skipped or result.notes or result.suppressed:
            chunk.results.append(result)
        else:
            clean[kind] += 1
    return chunk


def audit_paths(
    roots: list[Path],
    rules: RuleSet,
    *,
    jobs: int = 1,
    max_size: int = DEFAULT_MAX_SIZE,
    use_gitignore: bool = True,
    precise: bool = True,
    auditor: Auditor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Run:
    """Audit every file under `roots`. `precise` reads Python files that may
    use the Config API with the codemod (when installed); `auditor` replaces
    the default one (serial runs only; tests use it)."""
    run = Run()
    walk = Walk()
    files = walk.files(roots, use_gitignore)
    if jobs <= 1:
        _serial(run, files, auditor or _auditor(rules, precise), max_size, progress)
    else:
        _parallel(run, files, rules, precise, jobs, max_size, progress)
    run.errors.extend(f"{printable(path)}: no such file or directory" for path in walk.missing)
    run.notes.extend(f"{printable(path)}: skipped, {reason}" for path, reason in walk.skipped)
    for result in run.results:
        if not result.path.isascii():
            _printable_paths(result)
    run.results.sort(key=lambda r: r.path)
    return run


def printable(path: str) -> str:
    """A file name that was not valid UTF-8 (kept as surrogates to open it),
    with replacement characters, for reports."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _printable_paths(result: FileResult) -> None:
    result.path = printable(result.path)
    result.findings = [replace(f, path=result.path) for f in result.findings]


def _serial(
    run: Run, files: Iterator[str], auditor: Auditor, max_size: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    done = 0
    for batch in _batches(files, CHUNK):
        run.add(scan_files(auditor, batch, max_size))
        done += len(batch)
        if progress:
            progress(done, done)


def _parallel(
    run: Run, files: Iterator[str], rules: RuleSet, precise: bool, jobs: int, max_size: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    batches = _batches(files, CHUNK)
    first = next(batches, None)
    if first is None:
        return
    if len(first) < CHUNK:  # a small tree: a pool would cost more than it saves
        _serial(run, iter(first), _auditor(rules, precise), max_size, progress)
        return
    walked = done = 0
    pending: list[tuple[Future[Chunk], int]] = []
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(rules, precise)) as pool:
        for batch in _chain(first, batches):
            pending.append((pool.submit(_scan_chunk, batch, max_size), len(batch)))
            walked += len(batch)
        for future, size in pending:
            run.add(future.result())
            done += size
            if progress:
                progress(done, walked)


def _batches(files: Iterator[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for path in files:
        batch.append(path)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


_WORKER: Auditor | None = None


def _auditor(rules: RuleSet, precise: bool) -> Auditor:
    return Auditor(rules) if precise else Auditor(rules, codemod=None)


def _init_worker(rules: RuleSet, precise: bool) -> None:
    global _WORKER
    _WORKER = _auditor(rules, precise)


def _scan_chunk(paths: list[str], max_size: int) -> Chunk:
    assert _WORKER is not None
    return scan_files(_WORKER, paths, max_size)


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
