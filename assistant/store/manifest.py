"""The ingest manifest (SQLite): which files are in the store, their chunks, tokens and version status.

The manifest is the source of truth for what is *live*: a file's new chunks are written to the vector
store first, then the manifest switches to them in one SQLite transaction, then the old vectors are
deleted. A reader that only trusts chunk ids listed here never sees half of an old and half of a new
version of a file, whatever point an ingest is killed at.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.documents import Chunk
from assistant.store.sqlite import ThreadConnections

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    source TEXT PRIMARY KEY,
    root TEXT NOT NULL DEFAULT '',
    file_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    version_date TEXT,
    doc_type TEXT NOT NULL,
    status_override TEXT,
    status TEXT NOT NULL DEFAULT 'in_force',
    n_chunks INTEGER NOT NULL,
    ingested_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS files_title ON files(title_key);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    tokens TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class FileEntry:
    source: str
    file_hash: str
    title: str
    version_date: str | None
    doc_type: str
    status: str
    n_chunks: int
    root: str = ""


def chunk_to_json(chunk: Chunk) -> str:
    return json.dumps(chunk.__dict__, ensure_ascii=False)


def chunk_from_json(data: str) -> Chunk:
    return Chunk(**json.loads(data))


class Manifest:
    """SQLite-backed record of ingested files and their live chunks."""

    def __init__(self, path: Path):
        self.path = path
        self._connections = ThreadConnections(path, _SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        return self._connections.get()

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._conn().execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def generation(self) -> int:
        """A counter bumped by every committed change; readers reload when it moves."""
        return int(self.get_meta("generation") or 0)

    # -- files ------------------------------------------------------------------------------
    def file(self, source: str) -> FileEntry | None:
        row = self._conn().execute(
            "SELECT source, file_hash, title, version_date, doc_type, status, n_chunks, root FROM files WHERE source=?",
            (source,),
        ).fetchone()
        return FileEntry(*row) if row else None

    def sources(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT source FROM files ORDER BY source")]

    def files(self) -> list[FileEntry]:
        rows = self._conn().execute(
            "SELECT source, file_hash, title, version_date, doc_type, status, n_chunks, root FROM files ORDER BY source"
        )
        return [FileEntry(*r) for r in rows]

    def chunk_ids(self, source: str) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT id FROM chunks WHERE source=?", (source,))]

    def all_chunk_ids(self) -> set[str]:
        return {r[0] for r in self._conn().execute("SELECT id FROM chunks")}

    def replace_file(
        self,
        entry: FileEntry,
        title_key: str,
        status_override: str | None,
        chunks: list[Chunk],
        tokens: list[list[str]],
    ) -> list[str]:
        """Switch ``entry.source`` to ``chunks`` in one transaction; returns the ids no longer live."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            old = {r[0] for r in conn.execute("SELECT id FROM chunks WHERE source=?", (entry.source,))}
            conn.execute("DELETE FROM chunks WHERE source=?", (entry.source,))
            conn.executemany(
                "INSERT OR REPLACE INTO chunks(id, source, position, tokens, data) VALUES (?, ?, ?, ?, ?)",
                [(c.id, c.source, c.position, " ".join(t), chunk_to_json(c)) for c, t in zip(chunks, tokens)],
            )
            conn.execute(
                "INSERT OR REPLACE INTO files(source, root, file_hash, title, title_key, version_date, doc_type,"
                " status_override, status, n_chunks, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    entry.source, entry.root, entry.file_hash, entry.title, title_key, entry.version_date,
                    entry.doc_type, status_override, entry.status, len(chunks), time.time(),
                ),
            )
            self._bump(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return sorted(old - {c.id for c in chunks})

    def remove_file(self, source: str) -> list[str]:
        """Forget ``source``; returns its chunk ids (to delete from the vector store)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            ids = [r[0] for r in conn.execute("SELECT id FROM chunks WHERE source=?", (source,))]
            conn.execute("DELETE FROM chunks WHERE source=?", (source,))
            conn.execute("DELETE FROM files WHERE source=?", (source,))
            self._bump(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return ids

    # -- versions ---------------------------------------------------------------------------
    def version_group(self, title_key: str) -> list[tuple[str, str | None, str | None]]:
        """(source, version_date, status_override) of every file sharing a title."""
        rows = self._conn().execute(
            "SELECT source, version_date, status_override FROM files WHERE title_key=?", (title_key,)
        )
        return list(rows)

    def set_status(self, source: str, status: str) -> list[str]:
        """Set a file's status and its chunks' status; returns the chunk ids whose status changed."""
        conn = self._conn()
        row = conn.execute("SELECT status FROM files WHERE source=?", (source,)).fetchone()
        if row is None or row[0] == status:
            return []
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("UPDATE files SET status=? WHERE source=?", (status, source))
            rows = conn.execute("SELECT id, data FROM chunks WHERE source=?", (source,)).fetchall()
            for cid, data in rows:
                chunk = chunk_from_json(data)
                chunk.status = status  # type: ignore[assignment]
                conn.execute("UPDATE chunks SET data=? WHERE id=?", (chunk_to_json(chunk), cid))
            self._bump(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return [r[0] for r in rows]

    # -- bulk read for the keyword index -----------------------------------------------------
    def live_chunks(self) -> tuple[list[Chunk], list[list[str]]]:
        """Every live chunk with its tokens, in a stable order (source, position)."""
        rows = self._conn().execute("SELECT data, tokens FROM chunks ORDER BY source, position, id")
        chunks, tokens = [], []
        for data, toks in rows:
            chunks.append(chunk_from_json(data))
            tokens.append(toks.split(" ") if toks else [])
        return chunks, tokens

    def _bump(self, conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def close(self) -> None:
        self._connections.close()
