"""Tiny embedding benchmarks for evals: throughput over passages, latency of single queries."""

from __future__ import annotations

import time

import numpy as np

from assistant.embeddings.base import Embedder


def measure_throughput(embedder: Embedder, texts: list[str]) -> dict:
    """Embed ``texts`` as passages once (after warm-up); returns texts, seconds and texts_per_s."""
    embedder.warm_up()
    start = time.perf_counter()
    embedder.embed_passages(list(texts))
    seconds = time.perf_counter() - start
    return {"texts": len(texts), "seconds": seconds, "texts_per_s": len(texts) / seconds if seconds else float("inf")}


def measure_query_latency(embedder: Embedder, queries: list[str], repeats: int = 3) -> dict:
    """Embed each query alone ``repeats`` times; returns p50/p95/max in milliseconds."""
    embedder.warm_up()
    embedder.embed_queries(queries[:1])  # first call pays one-off allocations
    samples = []
    for _ in range(repeats):
        for query in queries:
            start = time.perf_counter()
            embedder.embed_queries([query])
            samples.append((time.perf_counter() - start) * 1000)
    ms = np.array(samples)
    return {"queries": len(samples), "p50_ms": float(np.percentile(ms, 50)),
            "p95_ms": float(np.percentile(ms, 95)), "max_ms": float(ms.max())}
