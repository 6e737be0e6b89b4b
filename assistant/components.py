"""Wires the components of one deployment from its Settings; each is built on first use."""

from __future__ import annotations

from functools import cached_property

from assistant.embeddings.base import Embedder
from assistant.index import CorpusIndex
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings


class Components:
    """The embedder, index and retriever of one deployment, shared by the CLI and the API."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self._embedder = embedder

    @cached_property
    def embedder(self) -> Embedder:
        if self._embedder is not None:
            return self._embedder
        from assistant.embeddings.cache import CachedEmbedder, EmbeddingCache
        from assistant.embeddings.registry import create_embedder

        inner = create_embedder(self.settings)
        return CachedEmbedder(inner, EmbeddingCache(self.settings.cache_dir / "embeddings.sqlite3"))

    @cached_property
    def index(self) -> CorpusIndex:
        return CorpusIndex(self.settings, self.embedder)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index)

    def ingester(self):
        from ingest.pipeline import Ingester

        return Ingester(self.index)
