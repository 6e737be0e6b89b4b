"""The embedder protocol every backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors.

    ``name`` identifies the model (recorded in the store, so vectors of two models never mix).
    ``embed_queries`` and ``embed_passages`` apply the model's own prompts (e5: ``query: `` /
    ``passage: ``); callers pass raw text.
    """

    name: str
    dim: int

    def warm_up(self) -> None:
        """Load weights (idempotent). Nothing heavy happens before this or the first call."""

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, normalised."""

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, normalised."""
