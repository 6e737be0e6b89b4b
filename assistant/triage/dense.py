"""Dense evidence for a department: similarity of the appeal to each mandate clause (职责条目), through any Embedder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from assistant.embeddings.base import Embedder
from assistant.triage.catalogue import Catalogue
from assistant.triage.text import normalise


class MandateSimilarity:
    """Per department, the best cosine similarity between the appeal and one of its mandate clauses.

    Mandates are embedded with the *query* prompt, like appeals: both are short statements of a
    matter, and the symmetric use scored clearly better than passage-style embedding of mandates.
    Extra labelled texts (history) can be added as further "clauses" of their department.
    """

    def __init__(self, catalogue: Catalogue, embedder: Embedder, cache_dir: Path | None = None,
                 max_chars: int = 160):
        self.catalogue = catalogue
        self.embedder = embedder
        self.cache_dir = cache_dir
        self.max_chars = max_chars
        self._clauses: list[str] = []
        self._owner = np.zeros(0, dtype=np.int64)
        self._vectors: np.ndarray | None = None

    def _catalogue_clauses(self) -> tuple[list[str], list[str], list[int]]:
        texts, shown, owner = [], [], []
        for i, dept in enumerate(self.catalogue):
            for clause in dept.mandates:
                # The department's name in front anchors a short clause to its domain.
                texts.append(normalise(f"{dept.name}：{clause}"))
                shown.append(clause)
                owner.append(i)
        return texts, shown, owner

    def _cache_path(self, texts: list[str]) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha1(json.dumps([self.embedder.name, texts], ensure_ascii=False).encode()).hexdigest()[:20]
        return self.cache_dir / f"triage-mandates-{key}.npy"

    def warm_up(self) -> None:
        """Embed the mandate clauses once (read from the cache when the catalogue and model are unchanged)."""
        if self._vectors is not None:
            return
        texts, shown, owner = self._catalogue_clauses()
        path = self._cache_path(texts)
        vectors = None
        if path is not None and path.exists():
            vectors = np.load(path)
            if vectors.shape != (len(texts), self.embedder.dim):
                vectors = None
        if vectors is None:
            self.embedder.warm_up()
            vectors = self.embedder.embed_queries(texts)
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                np.save(path, vectors)
        self._clauses, self._owner, self._vectors = shown, np.asarray(owner), vectors

    def add_examples(self, texts: list[str], departments: list[int]) -> None:
        """Add labelled appeals as extra clauses of their departments (nearest-neighbour learning)."""
        self.warm_up()
        if not texts:
            return
        vectors = self.embed([normalise(t) for t in texts])
        self._clauses = self._clauses + list(texts)
        self._owner = np.concatenate([self._owner, np.asarray(departments)])
        self._vectors = np.vstack([self._vectors, vectors])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Query vectors of appeal texts (cut to ``max_chars``: the gist of an appeal comes first)."""
        # 160 characters scored the same as 256 on the dev and probe sets at about half the encoder time;
        # 96 lost items on dev.
        self.embedder.warm_up()
        return self.embedder.embed_queries([t[: self.max_chars] for t in texts])

    def score(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(n, departments) best similarity, and (n, departments) index of the best clause."""
        self.warm_up()
        sims = vectors @ self._vectors.T
        n, k = len(vectors), len(self.catalogue)
        best = np.full((n, k), -1.0, dtype=np.float32)
        arg = np.full((n, k), -1, dtype=np.int64)
        for d in range(k):
            cols = np.flatnonzero(self._owner == d)
            if len(cols) == 0:
                continue
            sub = sims[:, cols]
            j = sub.argmax(axis=1)
            best[:, d] = sub[np.arange(n), j]
            arg[:, d] = cols[j]
        return best, arg

    def clause(self, index: int) -> str:
        """The text of clause ``index`` (a mandate, or an added example)."""
        return self._clauses[index]
