"""Lexical evidence for a department: catalogue keywords found in the appeal, and BM25 over the catalogue's words."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.tokenizer import Tokenizer
from assistant.triage.catalogue import Catalogue
from assistant.triage.text import normalise

# A keyword followed by a 方位词 names where the matter happens, not what it is: 幼儿园旁边的商铺, 工地门口.
_LOCATIVE = re.compile(r"(斜?对面|旁边|边上|门口|附近|隔壁|楼下|楼上|周边|周围|对过)")

#: Domain terms jieba should keep whole (the catalogue keywords are added on top at warm-up).
TRIAGE_TERMS = Path(__file__).parent / "terms.txt"


@dataclass(frozen=True)
class KeywordMatch:
    """A catalogue keyword found in an appeal, with the departments that list it and its weight."""

    term: str
    start: int
    departments: tuple[int, ...]
    weight: float


class KeywordScorer:
    """Scores departments by the catalogue keywords (and names, aliases) an appeal contains.

    A keyword's weight grows with its length and falls with the number of departments listing it
    (an inverse document frequency over departments). A keyword found inside a longer matched one
    does not count again: 消防验收 (住建) must not also vote for 消防 (消防救援). A keyword used only as
    a place marker (学校对面的小卖部) counts ``locative_weight`` of its weight.
    """

    def __init__(self, catalogue: Catalogue, alias_boost: float = 1.5, locative_weight: float = 0.25):
        self.catalogue = catalogue
        self.alias_boost = alias_boost
        self.locative_weight = locative_weight
        owners: dict[str, set[int]] = {}
        boosted: set[str] = set()
        for i, dept in enumerate(catalogue):
            for term in (*dept.keywords, dept.name, *dept.aliases):
                term = normalise(term).lower()
                if len(term) >= 2:
                    owners.setdefault(term, set()).add(i)
            boosted.update(normalise(t).lower() for t in (dept.name, *dept.aliases))
        n = len(catalogue)
        self._terms: dict[str, tuple[tuple[int, ...], float]] = {}
        for term, depts in owners.items():
            idf = math.log(1 + n / len(depts))
            weight = idf * math.sqrt(min(len(term), 6)) * (alias_boost if term in boosted else 1.0)
            self._terms[term] = (tuple(sorted(depts)), weight)
        # Longest first, so the containment check below sees the longer term before its parts.
        self._ordered = sorted(self._terms, key=len, reverse=True)

    @property
    def terms(self) -> list[str]:
        return list(self._terms)

    def matches(self, text: str) -> list[KeywordMatch]:
        """Maximal keyword matches in a normalised, lower-cased appeal text."""
        spans: list[tuple[int, int]] = []
        found: list[KeywordMatch] = []
        for term in self._ordered:
            best: tuple[int, bool] | None = None  # (start, only a place marker)
            start = text.find(term)
            while start >= 0:
                end = start + len(term)
                if not any(s <= start and end <= e for s, e in spans):
                    locative = _LOCATIVE.match(text, end) is not None
                    if best is None or (best[1] and not locative):
                        best = (start, locative)
                    if not locative:
                        break
                start = text.find(term, start + 1)
            if best is not None:
                first, locative = best
                spans.append((first, first + len(term)))
                depts, weight = self._terms[term]
                found.append(KeywordMatch(term, first, depts, weight * (self.locative_weight if locative else 1.0)))
        return found

    def score(self, text: str) -> tuple[np.ndarray, list[KeywordMatch]]:
        """Per-department keyword score (sum of weights of distinct matched terms) and the matches."""
        found = self.matches(text)
        scores = np.zeros(len(self.catalogue), dtype=np.float32)
        for m in found:
            for d in m.departments:
                scores[d] += m.weight
        return scores, found


class CatalogueBM25:
    """BM25 of the appeal's words against each department's mandates, keywords and examples (one document each)."""

    def __init__(self, catalogue: Catalogue, tokenizer: Tokenizer, k1: float = 1.2, b: float = 0.5):
        self.catalogue = catalogue
        self.tokenizer = tokenizer
        self.k1, self.b = k1, b
        self._ready = False

    def warm_up(self) -> None:
        """Tokenize the catalogue once."""
        if self._ready:
            return
        docs = []
        for dept in self.catalogue:
            text = " ".join([dept.name, *dept.aliases, *dept.mandates, *dept.keywords, *dept.examples])
            docs.append(Counter(self.tokenizer(normalise(text))))
        n = len(docs)
        df = Counter(t for d in docs for t in d)
        self._vocab = {t: i for i, t in enumerate(df)}
        self._idf = np.array([math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in df], dtype=np.float32)
        lengths = np.array([sum(d.values()) for d in docs], dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * lengths / lengths.mean())
        tf = np.zeros((n, len(df)), dtype=np.float32)
        for i, d in enumerate(docs):
            for t, c in d.items():
                tf[i, self._vocab[t]] = c
        # Precomputed per (department, term): BM25 term weight, so a query is one gather and a sum.
        self._weights = (tf * (self.k1 + 1) / (tf + norm[:, None])) * self._idf[None, :]
        self._ready = True

    def score(self, text: str) -> np.ndarray:
        """Per-department BM25 score of a normalised appeal."""
        self.warm_up()
        ids = sorted({self._vocab[t] for t in self.tokenizer(text) if t in self._vocab})
        if not ids:
            return np.zeros(len(self.catalogue), dtype=np.float32)
        return self._weights[:, ids].sum(axis=1)
