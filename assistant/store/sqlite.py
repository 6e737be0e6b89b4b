"""Per-thread SQLite connections in WAL mode: how the manifest, sessions and feedback stores open their file."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path


class ThreadConnections:
    """One connection per thread and process (a forked worker opens its own: connections must not cross
    processes); autocommit, WAL, a 30 s busy timeout; ``schema`` runs once per new connection."""

    def __init__(self, path: Path, schema: str = ""):
        self.path = Path(path)
        self.schema = schema
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: statements autocommit; writes that belong together use BEGIN IMMEDIATE.
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            _set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if self.schema:
                conn.executescript(self.schema)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def close(self) -> None:
        """Close this thread's connection (the next ``get`` opens a new one)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


#: How long opening a connection waits for another process that holds the file while switching it to WAL.
WAL_SWITCH_TIMEOUT = 30.0


def _set_wal(conn: sqlite3.Connection) -> None:
    """WAL mode; retried while another process switches the same new file (SQLite answers "database is
    locked" there at once, without the busy handler, e.g. when two workers start on a fresh data dir)."""
    deadline = time.monotonic() + WAL_SWITCH_TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
