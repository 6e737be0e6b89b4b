"""Retrieval eval: is the gold article of the gold document among the top hits? Hybrid vs BM25 vs dense."""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.articles import normalize_article
from assistant.ranking import CandidateRanker
from assistant.retrieval import FUSIONS, HybridRetriever
from evals.data import LAWS, core_files, eval_components, read_jsonl, write_jsonl

MODES = ("hybrid", "fused", "bm25", "dense")
#: rows of the metrics: the configured hybrid, its parts, the learned second stage forced on, the hybrid and
#: BM25 with query expansion off (the other rows follow settings.query_expansion), the hybrid and dense
#: scoring a chunk by its own vector only (not the best of it and its sentence vectors), and the hybrid without
#: the region prior (local documents of regions the question is not about at full weight), and the hybrid
#: fusing by reciprocal rank (the usual baseline of a convex combination; or the converse when settings choose rrf),
#: and the hybrid without the answer-type prior (articles stating no period where the question asks for one, ...)
ROWS = (*MODES, "ranker", "hybrid_no_expansion", "bm25_no_expansion", "hybrid_chunk_vectors", "dense_chunk_vectors",
        "hybrid_no_region_prior", "hybrid_other_fusion", "hybrid_no_answer_type")


def gold_rank(hits: list[dict], doc: str, articles: list[str]) -> int | None:
    """1-based rank of the first hit on a gold article of the gold document."""
    gold = {normalize_article(a) for a in articles}
    for i, h in enumerate(hits, 1):
        if h["source"] == doc and normalize_article(h["article"]) in gold:
            return i
    return None


def metrics_from_ranks(ranks: list[int | None]) -> dict:
    n = len(ranks) or 1
    return {
        "n": len(ranks),
        "r@1": round(sum(1 for r in ranks if r and r <= 1) / n, 4),
        "r@5": round(sum(1 for r in ranks if r and r <= 5) / n, 4),
        "r@10": round(sum(1 for r in ranks if r and r <= 10) / n, 4),
        "mrr@10": round(sum(1.0 / r for r in ranks if r and r <= 10) / n, 4),
    }


def item_query(item: dict) -> str:
    """The question of an item; for a conversation, its turns joined (retrieval has no session)."""
    if "question" in item:
        return item["question"]
    return " ".join(item.get("turns", []))


def run(set_path: Path, out: Path, k: int = 10) -> dict:
    """Evaluate retrieval on ``set_path``; write metrics.json and predictions.jsonl into ``out``."""
    items = [i for i in read_jsonl(set_path) if i.get("answerable", True) and i.get("doc")]
    comps = eval_components(core_files(), LAWS)
    retrievers = {m: HybridRetriever(comps.index, mode=m) for m in MODES}
    retrievers["ranker"] = HybridRetriever(comps.index, ranker=CandidateRanker())
    retrievers["hybrid_no_expansion"] = HybridRetriever(comps.index, expansion=False)
    retrievers["bm25_no_expansion"] = HybridRetriever(comps.index, mode="bm25", expansion=False)
    retrievers["hybrid_chunk_vectors"] = HybridRetriever(comps.index, sentences=False)
    retrievers["dense_chunk_vectors"] = HybridRetriever(comps.index, mode="dense", sentences=False)
    retrievers["hybrid_no_region_prior"] = HybridRetriever(comps.index, region_prior=False)
    other = next(f for f in FUSIONS if f != comps.index.settings.fusion)
    retrievers["hybrid_other_fusion"] = HybridRetriever(comps.index, fusion=other)
    retrievers["hybrid_no_answer_type"] = HybridRetriever(comps.index, answer_types=False)
    ranks: dict[str, list[int | None]] = {m: [] for m in ROWS}
    latencies: list[float] = []
    predictions = []
    for item in items:
        q = item_query(item)
        for mode, r in retrievers.items():
            t0 = time.perf_counter()
            hits = [h.to_dict() for h in r.run(q, k=k).hits]
            if mode == "hybrid":
                latencies.append((time.perf_counter() - t0) * 1000)
                predictions.append({
                    "id": item["id"],
                    "hits": [{"source": h["source"], "article": h["article"], "score": h["score"]} for h in hits],
                })
            ranks[mode].append(gold_rank(hits, item["doc"], item.get("articles", [])))
    latencies.sort()
    metrics = {
        "set": str(set_path),
        "items": len(items),
        "chunks": len(comps.index.snapshot()),
        "embedding_model": comps.embedder.name,
        "fusion": {"hybrid": comps.index.settings.fusion, "hybrid_other_fusion": other},
        **{mode: metrics_from_ranks(r) for mode, r in ranks.items()},
        "hybrid_latency_ms": {
            "p50": round(latencies[len(latencies) // 2], 1) if latencies else None,
            "p95": round(latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
        },
        "misses": [i["id"] for i, r in zip(items, ranks["hybrid"]) if not r or r > 5],
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2))
    write_jsonl(out / "predictions.jsonl", predictions)
    return metrics
