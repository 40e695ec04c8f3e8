"""Scanning on several cores.

Where processes can be forked (Linux), the tree is walked first; then this
process and `jobs - 1` forked workers take batches of the walked paths in
turn through a shared counter. The workers inherit the paths and the
compiled table, so nothing is sent to them, and each sends back one result
at the end. Elsewhere, a pool of fresh processes, each compiling the table,
is fed batches while the walk goes on.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import accumulate
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized

from migrator.audit.core import Auditor
from migrator.audit.reading import Chunk, scan_files
from migrator.ruleset import RuleSet

Progress = Callable[[int, int], None]
FORK = sys.platform == "linux"
"""Fork only where it is the norm: elsewhere system libraries may not survive it."""


def auditor_for(rules: RuleSet, precise: bool) -> Auditor:
    return Auditor(rules) if precise else Auditor(rules, codemod=None)


def scan_parallel(
    batches: Iterator[list[str]], rules: RuleSet, precise: bool, jobs: int, max_size: int,
    progress: Progress | None,
) -> Chunk:
    if FORK:
        return _forked(list(_walked(batches, progress)), auditor_for(rules, precise), jobs, max_size, progress)
    return _pooled(batches, rules, precise, jobs, max_size, progress)


def _walked(batches: Iterator[list[str]], progress: Progress | None) -> Iterator[list[str]]:
    walked = 0
    for batch in batches:
        walked += len(batch)
        if progress:
            progress(0, walked)
        yield batch


def _forked(batches: list[list[str]], auditor: Auditor, jobs: int, max_size: int, progress: Progress | None) -> Chunk:
    context = multiprocessing.get_context("fork")
    claimed = context.Value("i", 0)
    readers: list[Connection] = []
    workers = []
    for _ in range(min(jobs, len(batches)) - 1):
        reader, writer = context.Pipe(duplex=False)
        worker = context.Process(target=_work, args=(batches, auditor, claimed, max_size, writer), daemon=True)
        worker.start()
        writer.close()
        readers.append(reader)
        workers.append(worker)
    ends = list(accumulate(map(len, batches)))
    mine = Chunk()
    try:
        while (index := _claim(claimed)) < len(batches):
            mine.add(scan_files(auditor, batches[index], max_size))
            if progress:
                progress(ends[index], ends[-1])
        for reader in readers:
            try:
                outcome = reader.recv()
            except EOFError:
                outcome = RuntimeError("an audit worker died")
            if isinstance(outcome, BaseException):
                raise outcome
            mine.add(outcome)
    except BaseException:
        for worker in workers:
            worker.terminate()
        raise
    finally:
        for worker in workers:
            worker.join()
    return mine


def _claim(claimed: Synchronized[int]) -> int:
    with claimed.get_lock():
        index = claimed.value
        claimed.value = index + 1
    return index


def _work(
    batches: list[list[str]], auditor: Auditor, claimed: Synchronized[int], max_size: int, writer: Connection,
) -> None:
    """In a forked worker: batches until none is left, then one result, or
    the error for the parent to raise. Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    chunk = Chunk()
    try:
        while (index := _claim(claimed)) < len(batches):
            chunk.add(scan_files(auditor, batches[index], max_size))
    except Exception as exc:
        writer.send(exc)
    else:
        writer.send(chunk)
    finally:
        writer.close()


def _pooled(
    batches: Iterator[list[str]], rules: RuleSet, precise: bool, jobs: int, max_size: int,
    progress: Progress | None,
) -> Chunk:
    out = Chunk()
    walked = done = 0
    pending: list[tuple[Future[Chunk], int]] = []
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(rules, precise)) as pool:
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


def _init_worker(rules: RuleSet, precise: bool) -> None:
    global _WORKER
    _WORKER = auditor_for(rules, precise)


def _scan_batch(paths: list[str], max_size: int) -> Chunk:
    assert _WORKER is not None
    return scan_files(_WORKER, paths, max_size)
