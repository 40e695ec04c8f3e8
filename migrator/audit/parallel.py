"""Scanning on several cores: by forking where that is the norm (Linux,
see `forked`); elsewhere with a pool of fresh processes, each compiling the
table, fed batches while the walk goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from migrator.audit.cache import PreciseCache
from migrator.audit.core import Auditor
from migrator.audit.reading import Chunk, scan_files
from migrator.ruleset import RuleSet

if TYPE_CHECKING:
    from concurrent.futures import Future

Progress = Callable[[int, int], None]
FORK = sys.platform == "linux"
"""Fork only where it is the norm: elsewhere system libraries may not survive it."""


def auditor_for(rules: RuleSet, precise: bool, cache: Path | None = None) -> Auditor:
    """`cache`: the directory keeping the codemod's findings between runs."""
    if not precise:
        return Auditor(rules, codemod=None)
    return Auditor(rules, cache=PreciseCache(cache, rules) if cache is not None else None)


def scan_parallel(
    batches: Iterator[list[str]], auditor: Auditor, rules: RuleSet, precise: bool, cache: Path | None,
    jobs: int, max_size: int, progress: Progress | None,
) -> Chunk:
    """Forked workers inherit `auditor`; fresh ones make theirs from `rules`."""
    if FORK:
        from migrator.audit.forked import scan_forked  # fcntl: not on every system

        return scan_forked(batches, auditor, jobs, max_size, progress)
    return _pooled(batches, rules, precise, cache, jobs, max_size, progress)


def _pooled(
    batches: Iterator[list[str]], rules: RuleSet, precise: bool, cache: Path | None, jobs: int,
    max_size: int, progress: Progress | None,
) -> Chunk:
    from concurrent.futures import ProcessPoolExecutor  # 10-20 ms: only where there is no fork

    out = Chunk()
    walked = done = 0
    pending: list[tuple[Future[Chunk], int]] = []
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(rules, precise, cache)) as pool:
        for batch in batches:
            pending.append((pool.submit(_scan_batch, batch, max_size), len(batch)))
            walked += len(batch)
        for future, size in pending:
            out.add(future.result())
            done += size
            if progress:
                progress(done, walked)
    return out


_WORKER: Auditor | None = None


def _init_worker(rules: RuleSet, precise: bool, cache: Path | None) -> None:
    global _WORKER
    _WORKER = auditor_for(rules, precise, cache)


def _scan_batch(paths: list[str], max_size: int) -> Chunk:
    assert _WORKER is not None
    return scan_files(_WORKER, paths, max_size)
