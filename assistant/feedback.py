"""Feedback on answers (👍/👎 with an optional comment), kept in SQLite beside the index."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.errors import InvalidInput
from assistant.store.sqlite import ThreadConnections

Rating = Literal["up", "down"]
RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 20_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    session_id TEXT,
    question TEXT,
    answer TEXT,
    comment TEXT,
    origin TEXT
);
CREATE INDEX IF NOT EXISTS feedback_created ON feedback(created_at);
"""


@dataclass
class Feedback:
    """One rating of one answer, as the widget or the console sends it."""

    rating: Rating
    session_id: str | None = None
    question: str | None = None
    answer: str | None = None
    comment: str | None = None
    origin: str | None = None  # the page the widget was embedded in, for telling sites apart
    id: int | None = None
    created_at: float | None = None

    def validate(self) -> Feedback:
        """Trimmed copy; InvalidInput for an unknown rating or an over-long field."""
        if self.rating not in RATINGS:
            raise InvalidInput(f"rating must be one of {', '.join(RATINGS)}, not {self.rating!r}")
        limits = {"comment": MAX_COMMENT_CHARS, "question": MAX_QUESTION_CHARS, "answer": MAX_ANSWER_CHARS,
                  "session_id": 100, "origin": 300}
        values: dict[str, Any] = {}
        for name, limit in limits.items():
            value = (getattr(self, name) or "").strip() or None
            if value is not None and len(value) > limit:
                raise InvalidInput(f"{name} is {len(value)} characters; at most {limit}")
            values[name] = value
        return Feedback(rating=self.rating, **values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FeedbackStore:
    """Append-only SQLite table of feedback; one connection per thread. Light to construct."""

    _COLUMNS = "id, created_at, rating, session_id, question, answer, comment, origin"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._connections = ThreadConnections(self.path, _SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        return self._connections.get()

    def add(self, feedback: Feedback) -> Feedback:
        """Store a validated copy and return it with its id and time."""
        fb = feedback.validate()
        fb.created_at = time.time()
        cur = self._conn().execute(
            "INSERT INTO feedback(created_at, rating, session_id, question, answer, comment, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (fb.created_at, fb.rating, fb.session_id, fb.question, fb.answer, fb.comment, fb.origin),
        )
        fb.id = cur.lastrowid
        return fb

    def list(self, limit: int = 100, offset: int = 0, rating: Rating | None = None,
             since: float | None = None) -> list[Feedback]:
        """Newest first."""
        where, args = [], []
        if rating is not None:
            where.append("rating = ?")
            args.append(rating)
        if since is not None:
            where.append("created_at >= ?")
            args.append(since)
        sql = f"SELECT {self._COLUMNS} FROM feedback"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
        rows = self._conn().execute(sql, (*args, limit, offset)).fetchall()
        return [_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        """How many ratings of each kind, and in all."""
        rows = dict(self._conn().execute("SELECT rating, COUNT(*) FROM feedback GROUP BY rating").fetchall())
        out = {r: int(rows.get(r, 0)) for r in RATINGS}
        out["total"] = sum(out.values())
        return out


def _row(r: tuple) -> Feedback:
    fid, created_at, rating, session_id, question, answer, comment, origin = r
    return Feedback(rating=rating, session_id=session_id, question=question, answer=answer,
                    comment=comment, origin=origin, id=fid, created_at=created_at)
