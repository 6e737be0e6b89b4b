"""Department routing: keyword, BM25, mandate-similarity and history evidence fused into calibrated top-k candidates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.embeddings.base import Embedder
from assistant.tokenizer import Tokenizer
from assistant.triage.catalogue import Catalogue
from assistant.triage.dense import MandateSimilarity
from assistant.triage.learned import HistoryModel, LabelledAppeal
from assistant.triage.lexical import TRIAGE_TERMS, CatalogueBM25, KeywordMatch, KeywordScorer
from assistant.triage.text import normalise


@dataclass(frozen=True)
class FusionWeights:
    """Weights of each evidence's per-appeal z-scores in the fused score, and the softmax temperature.

    Set on the development set and two probe sets written apart from the catalogue (a handful of numbers,
    no per-department rules). ``keyword_spread`` floors the spread the keyword scores are divided by: one
    matched term is a one-hot row whose plain z-score is the same (about 5) whether the term is decisive
    (出口退税) or incidental (幼儿园 in "幼儿园旁边的商铺…"); with the floor a weak single term counts less and
    the mandate similarity can overrule it.
    """

    keywords: float = 1.0
    bm25: float = 1.0
    dense: float = 2.0
    history: float = 2.0
    temperature: float = 1.1
    keyword_spread: float = 3.0


@dataclass
class DepartmentCandidate:
    """A department proposed for an appeal, with its confidence and why."""

    id: str
    name: str
    score: float
    reason: str
    terms: list[str] = field(default_factory=list)
    mandate: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "score": round(self.score, 4), "reason": self.reason,
                "terms": self.terms, "mandate": self.mandate}


def _zscore(scores: np.ndarray, min_std: float = 0.0) -> np.ndarray:
    # Each evidence lives on its own scale; per-appeal standardisation puts them on one before weighting.
    mean = scores.mean(axis=1, keepdims=True)
    std = np.maximum(scores.std(axis=1, keepdims=True), min_std)
    return (scores - mean) / np.where(std > 1e-9, std, 1.0)


def _softmax(x: np.ndarray, temperature: float) -> np.ndarray:
    z = x / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class DepartmentClassifier:
    """Ranks the catalogue's departments for appeals; works from the catalogue alone, better with history.

    ``embedder`` is optional: without it, routing uses keywords and BM25 only (faster, a little less
    accurate on wordings the catalogue does not foresee). With it, only appeals whose cheap evidence
    (keywords, BM25, history) gives a top confidence below ``dense_below`` are embedded: the model is
    the slow part, and clear-cut appeals gain nothing from it (None embeds every appeal).
    """

    def __init__(self, catalogue: Catalogue, embedder: Embedder | None = None, *,
                 weights: FusionWeights | None = None, tokenizer: Tokenizer | None = None,
                 history: HistoryModel | None = None, cache_dir: Path | None = None,
                 dense_below: float | None = 0.9):
        self.catalogue = catalogue
        self.embedder = embedder
        self.weights = weights or FusionWeights()
        self.tokenizer = tokenizer or Tokenizer(user_dict=TRIAGE_TERMS)
        self.history = history
        self.dense_below = dense_below
        self.keywords = KeywordScorer(catalogue)
        self.bm25 = CatalogueBM25(catalogue, self.tokenizer)
        self.dense = MandateSimilarity(catalogue, embedder, cache_dir=cache_dir) if embedder is not None else None

    def warm_up(self) -> None:
        """Load jieba, index the catalogue and embed the mandates (idempotent)."""
        self.tokenizer.warm_up()
        self.bm25.warm_up()
        if self.dense is not None:
            self.dense.warm_up()

    def fit(self, history: list[LabelledAppeal]) -> HistoryModel:
        """Learn from labelled history; later rankings fuse the learned model in."""
        self.history = HistoryModel(self.catalogue).fit(history)
        return self.history

    def evidence(self, texts: list[str], embed: str = "cascade") -> dict[str, np.ndarray]:
        """Raw per-department scores of each evidence for normalised texts (for evals and fusion).

        ``embed``: "cascade" embeds only the uncertain appeals (rows of the others are NaN), "all"
        embeds every appeal, "none" none.
        """
        lowered = [t.lower() for t in texts]
        out: dict[str, np.ndarray] = {
            "keywords": np.vstack([self.keywords.score(t)[0] for t in lowered]),
            "bm25": np.vstack([self.bm25.score(t) for t in lowered]),
        }
        if self.history is not None and self.history.fitted:
            out["history"] = self.history.department_log_proba(texts)
        if self.dense is None or embed == "none":
            return out
        rows = np.arange(len(texts)) if embed == "all" else np.flatnonzero(self.uncertain(out))
        dense = np.full(out["keywords"].shape, np.nan, dtype=np.float32)
        clause = np.full(out["keywords"].shape, -1, dtype=np.int64)
        if len(rows):
            dense[rows], clause[rows] = self.dense.score(self.dense.embed([texts[i] for i in rows]))
        out["dense"], out["dense_clause"] = dense, clause
        return out

    def uncertain(self, evidence: dict[str, np.ndarray]) -> np.ndarray:
        """Rows whose cheap evidence alone is not confident enough (they get the embedding model)."""
        if self.dense_below is None:
            return np.ones(len(evidence["keywords"]), dtype=bool)
        cheap = {k: v for k, v in evidence.items() if k in ("keywords", "bm25", "history")}
        return self.fuse(cheap).max(axis=1) < self.dense_below

    def cascade(self, evidence: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Evidence as the cascade would have gathered it: dense dropped on the confident rows (for evals)."""
        if "dense" not in evidence:
            return evidence
        keep = self.uncertain(evidence)
        out = dict(evidence)
        out["dense"] = np.where(keep[:, None], evidence["dense"], np.nan)
        return out

    def fuse(self, evidence: dict[str, np.ndarray]) -> np.ndarray:
        """(n, departments) calibrated confidences that sum to 1 per appeal (NaN rows of an evidence count 0)."""
        w = self.weights
        total = np.zeros(evidence["keywords"].shape, dtype=np.float64)
        for name, weight in (("keywords", w.keywords), ("bm25", w.bm25), ("dense", w.dense), ("history", w.history)):
            if name in evidence and weight:
                floor = w.keyword_spread if name == "keywords" else 0.0
                total += weight * np.nan_to_num(_zscore(evidence[name].astype(np.float64), floor), nan=0.0)
        return _softmax(total, w.temperature)

    def rank(self, texts: list[str], k: int = 3) -> list[list[DepartmentCandidate]]:
        """Top-k departments per appeal text, best first, each with a reason."""
        if not texts:
            return []
        self.warm_up()
        norm = [normalise(t) for t in texts]
        evidence = self.evidence(norm)
        confidence = self.fuse(evidence)
        ranked = []
        for row, text in enumerate(norm):
            matches = self.keywords.matches(text.lower())
            order = np.argsort(-confidence[row])[:k]
            ranked.append([self._candidate(int(d), float(confidence[row, d]), text, matches,
                                           evidence.get("dense_clause"), row) for d in order])
        return ranked

    def _candidate(self, d: int, score: float, text: str, matches: list[KeywordMatch],
                   clause_index: np.ndarray | None, row: int) -> DepartmentCandidate:
        dept = self.catalogue.departments[d]
        terms = [m.term for m in sorted(matches, key=lambda m: -m.weight) if d in m.departments][:5]
        mandate = None
        if clause_index is not None and clause_index[row, d] >= 0:
            mandate = self.dense.clause(int(clause_index[row, d]))
        elif dept.mandates:
            grams = _bigrams(text)
            mandate = max(dept.mandates, key=lambda m: len(grams & _bigrams(normalise(m))))
        parts = []
        if terms:
            parts.append("命中关键词：" + "、".join(terms))
        if mandate:
            parts.append("职责：" + mandate)
        return DepartmentCandidate(dept.id, dept.name, score, "；".join(parts) or "与部门职责最相近", terms, mandate)
