"""The SQLite embedding cache: hits are not re-embedded, misses go in one batch."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from assistant.embeddings.cache import CachedEmbedder, EmbeddingCache, text_key


class CountingEmbedder:
    """Spy around a real embedder: records each batch it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name, self.query_prefix, self.passage_prefix = inner.name, inner.query_prefix, inner.passage_prefix
        self.calls: list[list[str]] = []

    @property
    def dim(self):
        return self.inner.dim

    def warm_up(self):
        self.inner.warm_up()

    def embed_queries(self, texts):
        self.calls.append(list(texts))
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts):
        self.calls.append(list(texts))
        return self.inner.embed_passages(texts)


@pytest.fixture
def spy(engine):
    return CountingEmbedder(engine)


ARTICLES = ["第一条 为了促进中小企业发展，制定本法。", "第二条 本法所称中小企业，是指在中国境内依法设立的企业。",
            "第三条 国家将促进中小企业发展作为长期发展战略。"]


def test_hits_are_not_re_embedded(tmp_path, spy):
    cached = CachedEmbedder(spy, EmbeddingCache(tmp_path / "e.sqlite"))
    first = cached.embed_passages(ARTICLES[:2])
    again = cached.embed_passages(ARTICLES)  # two hits, one miss
    assert spy.calls == [ARTICLES[:2], ARTICLES[2:]]
    np.testing.assert_array_equal(again[:2], first)
    np.testing.assert_allclose(again, spy.inner.embed_passages(ARTICLES), atol=1e-6)


def test_duplicates_are_embedded_once(tmp_path, spy):
    cached = CachedEmbedder(spy, EmbeddingCache(tmp_path / "e.sqlite"))
    out = cached.embed_passages([ARTICLES[0], ARTICLES[0], ARTICLES[1]])
    assert spy.calls == [[ARTICLES[0], ARTICLES[1]]]
    np.testing.assert_array_equal(out[0], out[1])


def test_queries_and_passages_are_kept_apart(tmp_path, spy):
    cached = CachedEmbedder(spy, EmbeddingCache(tmp_path / "e.sqlite"))
    p = cached.embed_passages(ARTICLES[:1])
    q = cached.embed_queries(ARTICLES[:1])
    assert len(spy.calls) == 2
    assert not np.array_equal(p, q)


def test_cache_persists_across_instances(tmp_path, spy):
    path = tmp_path / "e.sqlite"
    CachedEmbedder(spy, EmbeddingCache(path)).embed_passages(ARTICLES)
    reopened = EmbeddingCache(path)
    assert reopened.count(spy.name) == 3 and reopened.count("other-model") == 0
    CachedEmbedder(spy, reopened).embed_passages(ARTICLES)
    assert len(spy.calls) == 1


def test_concurrent_threads_share_one_cache(tmp_path):
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(50):
                key = text_key("passage: ", f"{n}-{i}")
                cache.put_many("m", {key: np.full(4, n, dtype=np.float32)})
                assert cache.get_many("m", [key])[key][0] == n
        except BaseException as exc:  # surfaced to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert cache.count("m") == 200
