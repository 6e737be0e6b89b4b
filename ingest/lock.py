"""One ingest at a time per data directory, across threads, worker processes and CLI runs (flock).

Chroma's embedded store is not safe for two writers in two processes: two ingests of the same data
directory at once can leave its segments disagreeing. Every ingest (CLI, API, evals) holds this lock.
It is re-entrant within a thread, so a caller may hold it around an ingest (e.g. while swapping an
uploaded file into place) and the ingest inside takes it again without blocking itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import IngestBusy

LOCK_FILE = "ingest.lock"
_threads = threading.Lock()  # flock is per open file: the threads of one process need their own guard
_held = threading.local()


@contextlib.contextmanager
def ingest_lock(data_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the data directory's ingest lock; wait up to ``wait`` seconds for it, else raise IngestBusy."""
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    deadline = time.monotonic() + wait
    got = _threads.acquire(timeout=wait) if wait > 0 else _threads.acquire(blocking=False)
    if not got:
        raise IngestBusy("another ingest is running in this process; try again when it has finished")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with open(data_dir / LOCK_FILE, "a+") as f:
            while True:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IngestBusy(
                            f"another ingest holds {data_dir / LOCK_FILE}; try again when it has finished"
                        ) from None
                    time.sleep(0.5)
            _held.depth = 1
            try:
                yield
            finally:
                _held.depth = 0
                fcntl.flock(f, fcntl.LOCK_UN)
    finally:
        _threads.release()
