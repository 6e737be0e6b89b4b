"""A real index over corpus/policies (Chroma, the packaged e5, SQLite) for the matching tests."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.components import Components
from assistant.embeddings.cache import CachedEmbedder, EmbeddingCache
from assistant.embeddings.registry import EMBEDDING_CACHE_FILE
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[3]
POLICIES = REPO / "corpus" / "policies"
PROFILES = REPO / "evals" / "data" / "profiles.jsonl"


def policy_components(data_dir: Path, cache_dir: Path, embedder) -> Components:
    """Components whose index holds corpus/policies (vectors cached by content across sessions)."""
    settings = Settings(data_dir=data_dir, cache_dir=cache_dir, corpus_dir=REPO / "corpus", _env_file=None)
    cached = CachedEmbedder(embedder, EmbeddingCache(cache_dir / EMBEDDING_CACHE_FILE))
    comps = Components(settings, embedder=cached)
    report = comps.ingester().run([POLICIES])
    assert not report.failed, report.failed
    return comps


def demo_profiles() -> dict[str, dict]:
    """The eval's enterprise profiles by id."""
    rows = [json.loads(line) for line in PROFILES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}
