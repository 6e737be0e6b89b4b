"""An SQLite cache of embeddings keyed by (embedder name, sha1 of prompt + text)."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np

from assistant.embeddings.base import Embedder

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    key   TEXT NOT NULL,
    dim   INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, key)
) WITHOUT ROWID
"""
_LOOKUP_CHUNK = 500  # stays under SQLite's bound-parameter limit


def text_key(prompt: str, text: str) -> str:
    """sha1 hex of the exact string the model sees."""
    return hashlib.sha1((prompt + text).encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors stored as float32 blobs; one connection guarded by a lock (safe across threads of a process)."""

    def __init__(self, path: Path):
        self.path = Path(path).expanduser()
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")  # readers in other processes don't block writers
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._conn = conn
        return self._conn

    def get_many(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``keys`` for ``model``."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            conn = self._connection()
            for start in range(0, len(unique), _LOOKUP_CHUNK):
                chunk = unique[start : start + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT key, dim, vector FROM embeddings WHERE model = ? AND key IN ({marks})",
                    [model, *chunk],
                )
                for key, dim, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store (or replace) vectors for ``model``."""
        rows = [
            (model, key, int(vec.shape[-1]), np.ascontiguousarray(vec, dtype=np.float32).tobytes())
            for key, vec in items.items()
        ]
        with self._lock:
            conn = self._connection()
            with conn:
                conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)

    def count(self, model: str | None = None) -> int:
        """Number of cached vectors (for one model, or all)."""
        with self._lock:
            conn = self._connection()
            if model is None:
                return conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
            return conn.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", (model,)).fetchone()[0]

    def close(self) -> None:
        """Close the connection (reopened on next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class CachedEmbedder:
    """Wraps an Embedder: cached vectors are reused, the misses embedded in one batch and stored."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache):
        self.inner = inner
        self.cache = cache

    @property
    def name(self) -> str:
        """The inner embedder's name: cached vectors are interchangeable with fresh ones."""
        return self.inner.name

    @property
    def dim(self) -> int:
        """The inner embedder's dimension."""
        return self.inner.dim

    def warm_up(self) -> None:
        """Warm up the inner embedder."""
        self.inner.warm_up()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Cached query vectors; misses go to the inner embedder."""
        prompt = getattr(self.inner, "query_prefix", "\0query\0")
        return self._embed(texts, prompt, self.inner.embed_queries)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Cached passage vectors; misses go to the inner embedder in one batch."""
        prompt = getattr(self.inner, "passage_prefix", "\0passage\0")
        return self._embed(texts, prompt, self.inner.embed_passages)

    def _embed(self, texts: list[str], prompt: str, embed) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.inner.dim), dtype=np.float32)
        model = self.inner.name
        keys = [text_key(prompt, t) for t in texts]
        found = self.cache.get_many(model, keys)
        missing = {k: t for k, t in zip(keys, texts) if k not in found}  # also dedupes repeats
        if missing:
            fresh = embed(list(missing.values()))
            stored = dict(zip(missing.keys(), fresh))
            self.cache.put_many(model, stored)
            found.update(stored)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
