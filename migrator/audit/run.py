"""The thin layer: walk trees, read files, scan them (on a process pool for
`jobs > 1`), and collect per-file results. Nothing here raises for one bad
file: a file that cannot be read becomes a result with an error."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from migrator.audit.core import Auditor
from migrator.audit.model import FileResult
from migrator.files import discover
from migrator.ruleset import RuleSet

DEFAULT_MAX_SIZE = 5 * 1024 * 1024
# Files per pool task: big enough to keep inter-process traffic low.
MAX_CHUNK = 256


@dataclass
class Run:
    """Everything one audit run saw."""

    results: list[FileResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Problems with the run itself (a path that does not exist)."""
    notes: list[str] = field(default_factory=list)

    @property
    def findings(self):  # -> list[Finding]
        return [f for r in self.results for f in r.findings]


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working directory when below it: stable across machines."""
    if path.is_absolute():
        try:
            return path.relative_to(cwd).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def scan_path(auditor: Auditor, path: str, max_size: int) -> FileResult:
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_size + 1)
    except OSError as exc:
        return FileResult(path, error=f"cannot read: {exc.strerror or exc}")
    if len(data) > max_size:
        return FileResult(path, skipped=f"larger than {max_size} bytes (--max-size)")
    return auditor.scan(path, data)


def audit_paths(
    roots: list[Path],
    rules: RuleSet,
    *,
    jobs: int = 1,
    max_size: int = DEFAULT_MAX_SIZE,
    use_gitignore: bool = True,
    auditor: Auditor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Run:
    run = Run()
    cwd = Path.cwd()
    found = discover(roots, lambda _: True, use_gitignore=use_gitignore)
    for skipped in found.skipped:
        where = display_path(skipped.path, cwd)
        if skipped.reason == "no such file or directory":
            run.errors.append(f"{where}: {skipped.reason}")
        else:
            run.notes.append(f"{where}: skipped, {skipped.reason}")
    paths = [display_path(p, cwd) for p in found.files]
    total = len(paths)
    done = 0
    for result in _scan_all(paths, rules, jobs, max_size, auditor):
        run.results.append(result)
        done += 1
        if progress is not None:
            progress(done, total)
    run.results.sort(key=lambda r: r.path)
    return run


def _scan_all(
    paths: list[str], rules: RuleSet, jobs: int, max_size: int, auditor: Auditor | None
) -> Iterator[FileResult]:
    jobs = min(jobs, max(1, len(paths) // 64))
    if jobs <= 1:
        auditor = auditor or Auditor(rules)
        for path in paths:
            yield scan_path(auditor, path, max_size)
        return
    size = max(16, min(MAX_CHUNK, len(paths) // (jobs * 8) or 1))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(rules,)) as pool:
        for results in pool.map(_scan_chunk, chunks, [max_size] * len(chunks)):
            yield from results


_WORKER: Auditor | None = None


def _init_worker(rules: RuleSet) -> None:
    global _WORKER
    _WORKER = Auditor(rules)


def _scan_chunk(paths: list[str], max_size: int) -> list[FileResult]:
    assert _WORKER is not None
    return [scan_path(_WORKER, p, max_size) for p in paths]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
