"""The guide catalogue: BM25 (jieba) over names and full text plus dense name vectors, cached on disk."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from assistant.checklist.guide import ServiceGuide
from assistant.checklist.text import bigrams, tokens
from assistant.embeddings.base import Embedder

_CACHE_FORMAT = 1


def name_text(g: ServiceGuide) -> str:
    """What a guide is called: its specific name, catalogue name and aliases."""
    return " ".join([g.title, g.catalogue or "", *g.keywords])


def full_text(g: ServiceGuide) -> str:
    """Everything a request might echo: names, department, conditions, materials."""
    return " ".join([name_text(g), g.department, g.conditions or "", *(m.name for m in g.materials)])


@dataclass
class Signals:
    """Per-guide match signals for one text, aligned with ``GuideCatalogue.guides``."""

    bm25_name: np.ndarray
    bm25_full: np.ndarray
    dense: np.ndarray
    coverage: np.ndarray  # share of the guide title's bigrams found in the text

    def combined(self) -> np.ndarray:
        """One score: the sum of the z-normalised signals (each signal weighs the same)."""
        return sum(_z(s) for s in (self.bm25_name, self.bm25_full, self.dense, self.coverage))


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-9)


class GuideCatalogue:
    """Searchable catalogue of service guides. Build with ``warm_up()``; vectors cached in ``cache_dir``."""

    def __init__(self, guides: list[ServiceGuide], embedder: Embedder | None, cache_dir: Path | None = None):
        self.guides = guides
        self.embedder = embedder
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self._bm25_name: bm25s.BM25 | None = None
        self._bm25_full: bm25s.BM25 | None = None
        self._vectors: np.ndarray | None = None
        self._title_grams: list[set[str]] = []
        self.by_id = {g.id: i for i, g in enumerate(guides)}

    def warm_up(self) -> None:
        """Index names and texts (BM25) and embed titles (or load them from the cache)."""
        if self._bm25_name is not None:
            return
        self._bm25_name = _bm25([name_text(g) for g in self.guides])
        self._bm25_full = _bm25([full_text(g) for g in self.guides])
        self._title_grams = [bigrams(_strip_brackets(g.title)) or bigrams(g.title) for g in self.guides]
        if self.embedder is not None:
            self._vectors = self._load_or_embed()

    def fingerprint(self) -> str:
        """Hash of what is embedded and by which model: the cache key."""
        h = hashlib.sha1(f"{_CACHE_FORMAT}|{getattr(self.embedder, 'name', '-')}".encode())
        for g in self.guides:
            h.update(f"\n{g.id}\t{g.title}".encode())
        return h.hexdigest()[:20]

    def _load_or_embed(self) -> np.ndarray:
        path = self.cache_dir / f"guide-vectors-{self.fingerprint()}.npy" if self.cache_dir else None
        if path is not None and path.is_file():
            vectors = np.load(path)
            if vectors.shape[0] == len(self.guides):
                return vectors
        vectors = np.asarray(self.embedder.embed_passages([g.title for g in self.guides]), dtype=np.float32)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
            (path.with_suffix(".json")).write_text(
                json.dumps({"embedder": getattr(self.embedder, "name", None), "guides": len(self.guides)})
            )
        return vectors

    def signals(self, text: str, query_vector: np.ndarray | None = None) -> Signals:
        """Match signals of every guide for ``text``."""
        self.warm_up()
        toks = list(tokens(text)) or ["_"]
        n = len(self.guides)
        name = self._bm25_name.get_scores(toks) if self._bm25_name is not None else np.zeros(n)
        full = self._bm25_full.get_scores(toks) if self._bm25_full is not None else np.zeros(n)
        if self._vectors is not None:
            if query_vector is None:
                query_vector = self.embed_query(text)
            dense = self._vectors @ query_vector
        else:
            dense = np.zeros(n, dtype=np.float32)
        grams = bigrams(text)
        coverage = np.array([len(tg & grams) / max(1, len(tg)) for tg in self._title_grams], dtype=np.float32)
        return Signals(np.asarray(name), np.asarray(full), np.asarray(dense), coverage)

    def keyword_scores(self, text: str) -> np.ndarray:
        """Plain BM25 over each guide's full text (the baseline the selector is measured against)."""
        self.warm_up()
        return np.asarray(self._bm25_full.get_scores(list(tokens(text)) or ["_"]))

    def embed_query(self, text: str) -> np.ndarray:
        """The query vector of ``text`` (zeros when there is no embedder)."""
        if self.embedder is None:
            return np.zeros(1, dtype=np.float32)
        return np.asarray(self.embedder.embed_queries([text]), dtype=np.float32)[0]

    def search(self, text: str, k: int = 10) -> list[tuple[ServiceGuide, float]]:
        """The ``k`` best guides for ``text`` by combined score."""
        scores = self.signals(text).combined()
        order = np.argsort(-scores)[:k]
        return [(self.guides[i], float(scores[i])) for i in order]


def _bm25(texts: list[str]) -> bm25s.BM25:
    index = bm25s.BM25()
    index.index([list(tokens(t)) or ["_"] for t in texts], show_progress=False)
    return index


_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")


def _strip_brackets(title: str) -> str:
    # sub-case brackets carry many bigrams a request never echoes; the head name decides coverage
    return _BRACKETS.sub("", title)
