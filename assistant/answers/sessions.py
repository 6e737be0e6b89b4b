"""Conversations (会话) kept for follow-ups: turns in SQLite by default, in Redis when several hosts share them."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from assistant.errors import NotFound, StoreUnavailable
from assistant.store.sqlite import ThreadConnections

#: Turns kept per conversation; older ones are dropped (a follow-up only reads the last few).
MAX_TURNS_KEPT = 200
#: How many turns history() returns when the caller names no limit.
DEFAULT_TURNS = 6


@dataclass
class Turn:
    """One message of a conversation: the user's question or the assistant's answer."""

    role: Literal["user", "assistant"]
    content: str
    query: str | None = None  # the standalone query the turn was answered with
    citations: list[dict] = field(default_factory=list)
    created_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Turn:
        return cls(role=d["role"], content=d["content"], query=d.get("query"),
                   citations=list(d.get("citations") or []), created_at=float(d.get("created_at") or 0))


class SessionStore(Protocol):
    """Where conversations live. Unknown or expired session ids raise NotFound (history, append, delete)."""

    def create(self) -> str: ...

    def exists(self, sid: str) -> bool: ...

    def history(self, sid: str, limit: int | None = None) -> list[Turn]:
        """The last ``limit`` turns, oldest first."""
        ...

    def append(self, sid: str, turn: Turn) -> None: ...

    def delete(self, sid: str) -> None: ...


def new_session_id() -> str:
    return uuid.uuid4().hex


def _missing(sid: str) -> NotFound:
    return NotFound(f"session {sid!r} not found (unknown or expired)")


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated_at);
CREATE TABLE IF NOT EXISTS turns (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    query TEXT,
    citations TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_session ON turns(session_id, n);
"""


class SQLiteSessionStore:
    """Sessions in one SQLite file (WAL): one connection per thread and process, expired sessions purged."""

    def __init__(self, path: str | Path, ttl: int = 7 * 86_400, turns: int = DEFAULT_TURNS,
                 purge_every: float = 60.0):
        self.path = Path(path)
        self.ttl = ttl
        self.turns = turns
        self.purge_every = purge_every
        self._last_purge = 0.0
        self._connections = ThreadConnections(self.path, _SCHEMA)
        self._connect()

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection (a forked worker opens its own)."""
        return self._connections.get()

    def _cutoff(self) -> float:
        return time.time() - self.ttl

    def create(self) -> str:
        sid = new_session_id()
        now = time.time()
        self._connect().execute("INSERT INTO sessions (id, created_at, updated_at) VALUES (?, ?, ?)", (sid, now, now))
        self._purge_now_and_then(now)
        return sid

    def exists(self, sid: str) -> bool:
        row = self._connect().execute("SELECT 1 FROM sessions WHERE id = ? AND updated_at >= ?",
                                      (sid, self._cutoff())).fetchone()
        return row is not None

    def history(self, sid: str, limit: int | None = None) -> list[Turn]:
        db = self._connect()
        if not self.exists(sid):
            raise _missing(sid)
        rows = db.execute(
            "SELECT role, content, query, citations, created_at FROM turns WHERE session_id = ? "
            "ORDER BY n DESC LIMIT ?", (sid, limit or self.turns),
        ).fetchall()
        return [Turn(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in reversed(rows)]

    def append(self, sid: str, turn: Turn) -> None:
        db = self._connect()
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            touched = db.execute("UPDATE sessions SET updated_at = ? WHERE id = ? AND updated_at >= ?",
                                 (now, sid, self._cutoff())).rowcount
            if not touched:
                raise _missing(sid)
            db.execute(
                "INSERT INTO turns (session_id, role, content, query, citations, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (sid, turn.role, turn.content, turn.query, json.dumps(turn.citations, ensure_ascii=False),
                 turn.created_at),
            )
            db.execute("DELETE FROM turns WHERE session_id = ? AND n <= "
                       "(SELECT n FROM turns WHERE session_id = ? ORDER BY n DESC LIMIT 1 OFFSET ?)",
                       (sid, sid, MAX_TURNS_KEPT))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def delete(self, sid: str) -> None:
        if not self._connect().execute("DELETE FROM sessions WHERE id = ?", (sid,)).rowcount:
            raise _missing(sid)

    def purge(self) -> int:
        """Drop the sessions idle for longer than the TTL (their turns go with them); how many went."""
        self._last_purge = time.time()
        return self._connect().execute("DELETE FROM sessions WHERE updated_at < ?", (self._cutoff(),)).rowcount

    def _purge_now_and_then(self, now: float) -> None:
        # Purging on every create would write for nothing; once a minute keeps the file small enough.
        if now - self._last_purge >= self.purge_every:
            self.purge()

    def close(self) -> None:
        self._connections.close()


class RedisSessionStore:
    """Sessions in Redis, shared by every worker and host; Redis expires idle sessions by itself (EXPIRE)."""

    def __init__(self, url: str, ttl: int = 7 * 86_400, turns: int = DEFAULT_TURNS, prefix: str = "huiqi:session:"):
        try:
            import redis
        except ModuleNotFoundError as e:
            raise StoreUnavailable("HUIQI_REDIS_URL is set but the redis client is missing: "
                                   "pip install 'huiqi[redis]'") from e
        self.url, self.ttl, self.turns, self.prefix = url, ttl, turns, prefix
        self._errors = (redis.RedisError,)
        self._redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=5)

    def _keys(self, sid: str) -> tuple[str, str]:
        return f"{self.prefix}{sid}", f"{self.prefix}{sid}:turns"

    def _call(self, fn):
        try:
            return fn()
        except self._errors as e:
            raise StoreUnavailable(f"Redis at {self.url} cannot be reached: {e}") from e

    def create(self) -> str:
        sid = new_session_id()
        meta, _ = self._keys(sid)
        self._call(lambda: self._redis.set(meta, str(time.time()), ex=self.ttl))
        return sid

    def exists(self, sid: str) -> bool:
        return bool(self._call(lambda: self._redis.exists(self._keys(sid)[0])))

    def history(self, sid: str, limit: int | None = None) -> list[Turn]:
        meta, turns = self._keys(sid)

        def read():
            pipe = self._redis.pipeline()
            pipe.exists(meta)
            pipe.lrange(turns, -(limit or self.turns), -1)
            return pipe.execute()

        found, rows = self._call(read)
        if not found:
            raise _missing(sid)
        return [Turn.from_dict(json.loads(r)) for r in rows]

    def append(self, sid: str, turn: Turn) -> None:
        meta, turns = self._keys(sid)
        row = json.dumps(turn.to_dict(), ensure_ascii=False)

        def write():
            # One MULTI: the turn is added and both keys' TTL renewed together.
            pipe = self._redis.pipeline()
            pipe.expire(meta, self.ttl)
            pipe.rpush(turns, row)
            pipe.ltrim(turns, -MAX_TURNS_KEPT, -1)
            pipe.expire(turns, self.ttl)
            return pipe.execute()

        renewed = self._call(write)[0]
        if not renewed:  # the session had expired or never was: take back the orphan turn
            self._call(lambda: self._redis.delete(turns))
            raise _missing(sid)

    def delete(self, sid: str) -> None:
        if not self._call(lambda: self._redis.delete(*self._keys(sid))):
            raise _missing(sid)


def sessions_from_settings(settings: Any) -> SessionStore:
    """Redis when ``redis_url`` is set, else SQLite at data_dir/sessions.sqlite3."""
    ttl, turns = settings.session_ttl, settings.session_turns
    if getattr(settings, "redis_url", None):
        return RedisSessionStore(settings.redis_url, ttl=ttl, turns=turns)
    return SQLiteSessionStore(Path(settings.data_dir) / "sessions.sqlite3", ttl=ttl, turns=turns)
