"""Speed benchmarks. Every figure is printed beside a baseline measured in the same run."""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.components import Components
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings
from assistant.store.sentence_vectors import sentence_vectors
from evals.data import EVAL, LAWS, core_files, eval_components, read_jsonl
from ingest.chunking import chunk_document
from ingest.loaders import load_file


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _core_chunks(limit: int):
    chunks = []
    for f in core_files():
        for doc in load_file(f, LAWS):
            chunks.extend(chunk_document(doc))
    # A fixed, spread-out sample: every n-th article, so long and short ones are both represented.
    step = max(1, len(chunks) // limit)
    return chunks[::step][:limit], len(chunks)


def ingest(limit: int = 600) -> dict:
    """Embedding throughput (huiqi vs plain fp32 sentence-transformers) and a real ingest + re-ingest."""
    from assistant.embeddings.registry import create_embedder
    from assistant.embeddings.sentence_transformer import SentenceTransformerEmbedder

    settings = Settings()
    sample, total = _core_chunks(limit)
    texts = [c.embed_text for c in sample]

    ours = create_embedder(settings)
    ours.warm_up()
    ours.embed_passages(texts[:8])
    t0 = time.perf_counter()
    ours.embed_passages(texts)
    ours_s = time.perf_counter() - t0
    # What ingest really embeds per article: its own text and its sentences (assistant/store/sentence_vectors.py).
    sentences = [v.embed_text for v in sentence_vectors(sample)] if settings.sentence_vectors else []
    t0 = time.perf_counter()
    ours.embed_passages(texts + sentences)
    with_sentences_s = time.perf_counter() - t0

    base = SentenceTransformerEmbedder(
        settings.embedding_model, settings.cache_dir, settings.query_prefix, settings.passage_prefix, quantize=False
    )
    base.warm_up()
    model = base._backend.model  # plain fp32 sentence-transformers, batches in input order: the peers' way
    model.encode(texts[:8])
    t0 = time.perf_counter()
    for i in range(0, len(texts), 32):
        model.encode([settings.passage_prefix + t for t in texts[i : i + 32]], batch_size=32, normalize_embeddings=True)
    base_s = time.perf_counter() - t0

    # A whole ingest of the core set into a fresh store (vectors cached by content hash are reused,
    # so the figure is for the full pipeline: load, chunk, tokenize, Chroma writes, BM25 publish).
    tmp = Path(tempfile.mkdtemp(prefix="huiqi-bench-"))
    try:
        s2 = settings.model_copy(update={"data_dir": tmp})
        comps = Components(s2)
        t0 = time.perf_counter()
        first = comps.ingester().run(core_files(), root=LAWS)
        first_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = Components(s2).ingester().run(core_files(), root=LAWS)
        again_s = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "sample_articles": len(texts),
        "core_articles": total,
        "embed_units_per_s": {
            "huiqi": round(len(texts) / ours_s, 1),
            "huiqi_with_sentence_vectors": round(len(texts) / with_sentences_s, 1),
            "sentence_vectors": len(sentences),
            "baseline_fp32_sentence_transformers": round(len(texts) / base_s, 1),
            "ratio": round(base_s / ours_s, 2),
        },
        "ingest_core": {
            "chunks": first.chunks_written,
            "embedded_now": first.embedded,
            "seconds": round(first_s, 1),
            "units_per_s": round(first.chunks_written / first_s, 1) if first_s else None,
        },
        "reingest_unchanged_s": round(again_s, 2),
        "reingest_unchanged_files": again.count("unchanged"),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _latencies(fn, queries: list[str]) -> dict:
    out = []
    for q in queries:
        t0 = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t0) * 1000)
    a = np.array(out)
    return {"n": len(out), "p50_ms": round(float(np.percentile(a, 50)), 1), "p95_ms": round(float(np.percentile(a, 95)), 1)}


def _bm25_rebuilt_per_query(comps: Components):
    """The baseline some peers ship: re-index every stored chunk for every query."""
    from assistant.store.keyword import KeywordIndex

    chunks, tokens = comps.index.manifest.live_chunks()
    ids = [c.id for c in chunks]

    def run(q: str):
        idx = KeywordIndex.build(ids, tokens, 0)
        scores = idx.scores(comps.index.tokenizer(q))
        return np.argsort(-scores)[:8]

    return run


def search(whole: bool = False, n_queries: int = 200) -> dict:
    """p50/p95 latency of hybrid search on the core set (and the whole laws folder with ``whole``)."""
    questions = [i.get("question") or " ".join(i["turns"]) for i in read_jsonl(EVAL / "qa_dev.jsonl")]
    queries = [questions[i % len(questions)] for i in range(n_queries)]
    corpora = {"core": (core_files(), "core")}
    if whole:
        corpora["laws"] = (sorted(LAWS.rglob("*.md")), "laws")
    result: dict = {}
    for label, (files, name) in corpora.items():
        comps = eval_components(files, LAWS, name=name)
        # Every query pays its own embedding: the content-hash cache (which holds these dev questions from the
        # evals) is bypassed, as it would be for a question never asked before.
        comps.index.embedder = getattr(comps.embedder, "inner", comps.embedder)
        r = HybridRetriever(comps.index)
        r.run(queries[0])  # warm
        base = _bm25_rebuilt_per_query(comps)
        result[label] = {
            "chunks": len(comps.index.snapshot()),
            "hybrid": _latencies(lambda q: r.run(q, k=8), queries),
            "baseline_bm25_rebuilt_per_query": _latencies(base, queries[:10]),
        }
        result[label]["speedup_vs_baseline_p50"] = round(
            result[label]["baseline_bm25_rebuilt_per_query"]["p50_ms"] / max(result[label]["hybrid"]["p50_ms"], 0.01), 1
        )
    result["peak_rss_mb"] = _peak_rss_mb()
    return result
