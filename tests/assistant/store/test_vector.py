import numpy as np
import pytest

from assistant.documents import Chunk
from assistant.errors import EmbeddingModelMismatch, StoreUnavailable
from assistant.store.vector import VectorStore


def _chunks(n):
    return [Chunk(id=f"c{i}", text=f"第{i}条 内容", embed_text=f"T 第{i}条", source="a.md", title="T",
                  doc_type="law", position=i, article=f"第{i}条") for i in range(n)]


def test_upsert_query_filter_and_status_update(tmp_path, embedder):
    store = VectorStore("huiqi-test", embedder.name, embedder.dim, path=tmp_path / "chroma")
    chunks = _chunks(3)
    chunks[0].text = "劳动合同应当以书面形式订立"
    chunks[1].text = "增值税小规模纳税人征收率"
    chunks[2].text = "企业研发费用加计扣除"
    vecs = embedder.embed_passages([c.text for c in chunks])
    store.upsert(chunks, vecs)
    store.upsert(chunks, vecs)  # idempotent
    assert store.count() == 3
    q = embedder.embed_queries(["签劳动合同"])[0]
    assert store.query(q, 1)[0][0] == "c0"
    store.set_status(["c0"], "superseded")
    ids = [i for i, _ in store.query(q, 3, where={"status": "in_force"})]
    assert "c0" not in ids and set(ids) == {"c1", "c2"}
    store.delete(["c1"])
    assert sorted(store.ids()) == ["c0", "c2"]


def test_store_refuses_vectors_of_another_model(tmp_path):
    VectorStore("huiqi-test", "model-a", 4, path=tmp_path / "chroma").count()
    other = VectorStore("huiqi-test", "model-b", 4, path=tmp_path / "chroma")
    with pytest.raises(EmbeddingModelMismatch, match="model-a"):
        other.count()


def test_unreachable_server_is_store_unavailable():
    store = VectorStore("huiqi-test", "m", 4, url="http://127.0.0.1:9")
    with pytest.raises(StoreUnavailable, match="127.0.0.1:9"):
        store.query(np.zeros(4, dtype=np.float32), 1)
