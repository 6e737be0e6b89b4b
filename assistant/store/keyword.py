"""The BM25 keyword index (bm25s over jieba tokens), built at ingest and loaded once per generation.

The index is never rebuilt per query. Tokens are computed once per chunk at ingest and kept in the
manifest, so refreshing the index after an incremental ingest only re-counts, it never re-tokenizes.
Each build is written to its own folder and published by an atomic rename of a pointer file.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import bm25s
import numpy as np

_POINTER = "CURRENT"


class KeywordIndex:
    """A BM25 index over a list of chunk ids, with per-chunk tokens supplied by the caller."""

    def __init__(self, ids: list[str], model: bm25s.BM25 | None, generation: int):
        self.ids = ids
        self.model = model
        self.generation = generation
        self._vocab = model.vocab_dict if model is not None else {}

    @classmethod
    def build(cls, ids: list[str], tokens: list[list[str]], generation: int) -> "KeywordIndex":
        """Count term statistics for ``tokens`` (one list per chunk)."""
        if not ids:
            return cls([], None, generation)
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([t if t else ["∅"] for t in tokens], show_progress=False)
        return cls(ids, model, generation)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query (0 for chunks sharing no term)."""
        if self.model is None:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in query_tokens if t in self._vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)

    # -- persistence ----------------------------------------------------------------------
    def save(self, root: Path) -> None:
        """Write this index as ``root/gen-N`` and point ``root/CURRENT`` at it atomically."""
        root.mkdir(parents=True, exist_ok=True)
        folder = root / f"gen-{self.generation}"
        tmp = root / f".tmp-gen-{self.generation}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self.model is not None:
            self.model.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps({"generation": self.generation, "ids": self.ids}))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(tmp, folder)
        pointer_tmp = root / f".{_POINTER}.{os.getpid()}"
        pointer_tmp.write_text(folder.name)
        os.replace(pointer_tmp, root / _POINTER)
        for old in root.glob("gen-*"):
            if old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, root: Path) -> "KeywordIndex | None":
        """The published index under ``root``, or None when there is none (or it is unreadable)."""
        pointer = root / _POINTER
        if not pointer.exists():
            return None
        folder = root / pointer.read_text().strip()
        try:
            meta = json.loads((folder / "ids.json").read_text())
            model = bm25s.BM25.load(str(folder), mmap=False, show_progress=False) if meta["ids"] else None
        except (OSError, ValueError, KeyError):
            return None
        return cls(meta["ids"], model, int(meta["generation"]))
