"""Batch-triage throughput (appeals/s): `python -m evals triage --bench N --out DIR`.

Measures the deployed configuration (the Settings' embedder, batches, the lexical cascade that embeds
only uncertain appeals) beside baselines timed in the same run on the same texts: one appeal per call
with every appeal embedded (the unbatched path), batches that embed every appeal, and lexical only.
The embedder runs without its SQLite cache, so no appeal is served from an earlier run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from assistant.settings import Settings
from assistant.triage.text import mask_personal_data, normalise
from assistant.triage.triager import Triager
from evals.triage import deployment_embedder, embedding_cache_dir, read_set


def _appeals_per_s(triager: Triager, appeals: list[str], batch: int) -> float:
    triager.warm_up()
    triager.triage_batch(appeals[:2])  # first-call costs (jieba, ONNX session) are not throughput
    t0 = time.perf_counter()
    for i in range(0, len(appeals), batch):
        triager.triage_batch(appeals[i : i + batch])
    return round(len(appeals) / (time.perf_counter() - t0), 1)


def benchmark(set_path: Path, n: int, batch: int, embed: bool) -> dict:
    """Appeals/s of each configuration on ``n`` texts of the set (repeated when ``n`` exceeds it)."""
    texts = [i["text"] for i in read_set(set_path)]
    appeals = [texts[j % len(texts)] for j in range(n)]
    settings = Settings()
    embedder = deployment_embedder(cached=False) if embed else None
    cache_dir = embedding_cache_dir()
    result: dict = {"appeals": n, "batch": batch, "cores": os.cpu_count(),
                    "load_before": [round(x, 2) for x in os.getloadavg()],
                    "embedder": embedder.name if embedder else None}
    rates = {"batch_lexical_only": _appeals_per_s(Triager(embedder=None), appeals, batch)}
    if embedder is not None:
        deployed = Triager.from_settings(settings, embedder)
        rates["batch_cascade"] = _appeals_per_s(deployed, appeals, batch)
        cheap = deployed.classifier.evidence([normalise(mask_personal_data(t)) for t in texts], embed="none")
        result["embedded_fraction"] = round(float(deployed.classifier.uncertain(cheap).mean()), 3)
        every = Triager(embedder=embedder, cache_dir=cache_dir, dense_below=None)
        rates["batch_embed_all"] = _appeals_per_s(every, appeals, batch)
        rates["per_appeal_embed_all"] = _appeals_per_s(every, appeals, 1)
        result["dense_below"] = settings.triage_dense_below
    result["appeals_per_s"] = rates
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result
