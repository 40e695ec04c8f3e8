"""Scanning on several cores by forking (Linux): workers inherit the compiled
table, and the codemod already imported, so they start at once.

This process walks the tree and sends batches of paths down one pipe that
the workers share; a batch that would not fit in the pipe it scans itself
instead of waiting, and once the walk is done it takes batches from the pipe
like a worker. So every core reads files while the walk goes on, nothing but
paths goes to the workers, and each worker sends back one result at the end.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.context import ForkProcess
from typing import Any

from migrator.audit.core import Auditor
from migrator.audit.reading import Chunk, scan_files

PIPE_SIZE = 1 << 20
"""Asked for the pipe, so that the walk can run far ahead of the workers."""
HEADER = 16
"""Bytes of framing counted per message (`Connection` writes 4 or 12)."""
SEP = "\0"
"""Between the paths of a batch: no path holds it."""


class Feed:
    """The pipe of batches, shared by the workers and this process. A message
    is taken under a lock, so each goes to one reader whole; `taken` counts
    them, so the sender knows how much the pipe holds without asking it."""

    def __init__(self, jobs: int) -> None:
        context = multiprocessing.get_context("fork")
        self.reader, self.writer = context.Pipe(duplex=False)
        try:
            fcntl.fcntl(self.writer.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        except OSError:
            pass  # the default size: the walk runs less far ahead
        # Half, for the kernel's partly filled pages; room for the end marks.
        self.room = fcntl.fcntl(self.writer.fileno(), fcntl.F_GETPIPE_SZ) // 2 - HEADER * jobs
        self.lock = context.Lock()
        self.taken: Any = context.Value("q", 0, lock=False)  # guarded by `lock`
        self.ends: list[int] = []
        """Bytes sent up to the end of each message."""
        self.files: list[int] = []
        """Paths sent up to the end of each message."""

    def offer(self, batch: list[str]) -> bool:
        """Send a batch if the pipe has room for it now; never waits."""
        message = SEP.join(batch).encode("utf-8", "surrogateescape")
        sent = self.ends[-1] if self.ends else 0
        taken = self.taken.value  # may be stale: then it says the pipe holds more
        read = self.ends[taken - 1] if taken else 0
        if sent - read + len(message) + HEADER > self.room:
            return False
        self.writer.send_bytes(message)
        self.ends.append(sent + len(message) + HEADER)
        self.files.append((self.files[-1] if self.files else 0) + len(batch))
        return True

    def files_taken(self) -> int:
        taken = min(self.taken.value, len(self.files))
        return self.files[taken - 1] if taken else 0

    def close(self, readers: int) -> None:
        """After the last batch: one end mark (an empty message) per worker."""
        for _ in range(readers):
            self.writer.send_bytes(b"")

    def take(self, until: int | None = None) -> list[str] | None:
        """The next batch; None at an end mark, or once `until` messages
        have been taken (this process stops before the end marks)."""
        with self.lock:
            if until is not None and self.taken.value >= until:
                return None
            message = self.reader.recv_bytes()
            self.taken.value += 1
        return message.decode("utf-8", "surrogateescape").split(SEP) if message else None


def scan_forked(
    batches: Iterator[list[str]], auditor: Auditor, jobs: int, max_size: int,
    progress: Callable[[int, int], None] | None,
) -> Chunk:
    feed = Feed(jobs)
    context = multiprocessing.get_context("fork")
    workers: list[tuple[ForkProcess, Connection]] = []
    for _ in range(jobs - 1):
        reader, writer = context.Pipe(duplex=False)
        worker = context.Process(target=_work, args=(feed, auditor, max_size, writer), daemon=True)
        worker.start()
        writer.close()
        workers.append((worker, reader))
    mine = Chunk()
    walked = scanned = 0
    try:
        for batch in batches:
            walked += len(batch)
            if not feed.offer(batch):
                mine.add(scan_files(auditor, batch, max_size))
                scanned += len(batch)
            if progress:
                progress(scanned + feed.files_taken(), walked)
        feed.close(len(workers))
        while (batch := feed.take(until=len(feed.ends))) is not None:
            mine.add(scan_files(auditor, batch, max_size))
            if progress:
                progress(scanned + feed.files_taken(), walked)
        for _, reader in workers:
            try:
                outcome = reader.recv()
            except EOFError:
                outcome = RuntimeError("an audit worker died")
            if isinstance(outcome, BaseException):
                raise outcome
            mine.add(outcome)
            if progress:
                progress(walked, walked)
    except BaseException:
        for worker, _ in workers:
            worker.terminate()
        raise
    finally:
        for worker, _ in workers:
            worker.join()
    return mine


def _work(feed: Feed, auditor: Auditor, max_size: int, writer: Connection) -> None:
    """In a forked worker: batches until the end mark, then one result, or
    the error for the parent to raise. Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    feed.writer.close()  # so that the pipe ends if this process's parent does
    chunk = Chunk()
    try:
        while (batch := feed.take()) is not None:
            chunk.add(scan_files(auditor, batch, max_size))
    except Exception as exc:
        writer.send(exc)
    else:
        writer.send(chunk)
    finally:
        writer.close()
