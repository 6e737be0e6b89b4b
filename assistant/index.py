"""The corpus index: manifest + vector store + keyword index + embedder, and the live snapshot readers use."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from assistant.articles import normalize_article
from assistant.documents import Chunk
from assistant.embeddings.base import Embedder
from assistant.settings import Settings
from assistant.store.keyword import KeywordIndex
from assistant.store.manifest import Manifest
from assistant.store.vector import VectorStore
from assistant.tokenizer import Tokenizer
from ingest.versions import SupersededArticle, in_effect, load_superseded_articles, title_key


@dataclass
class Snapshot:
    """An immutable view of the live corpus at one manifest generation."""

    generation: int
    chunks: list[Chunk]
    keyword: KeywordIndex
    position: dict[str, int] = field(default_factory=dict)
    overridden: list[SupersededArticle] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.in_force = np.array([c.status == "in_force" for c in self.chunks], dtype=bool)
        if self.overridden:
            self.in_force &= ~self._overridden_articles()

    def __len__(self) -> int:
        return len(self.chunks)

    def _overridden_articles(self) -> np.ndarray:
        """The chunks of articles a later or higher rule overrides, once that rule's document is in the store."""
        keys = [title_key(c.title) for c in self.chunks]
        off = {(title_key(a.document), normalize_article(a.article)) for a in in_effect(self.overridden, set(keys))}
        if not off:
            return np.zeros(len(self.chunks), dtype=bool)
        return np.array([bool(c.article) and (k, normalize_article(c.article)) in off
                         for c, k in zip(self.chunks, keys)], dtype=bool)

    @cached_property
    def sole_region(self) -> str | None:
        """The one region of all local documents, if there is one (a county's deployment: its province's rules
        beside national law)."""
        regions = {c.region for c in self.chunks if c.region}
        return next(iter(regions)) if len(regions) == 1 else None

    def mask(self, in_force_only: bool, doc_types: set[str] | None, region: str | None) -> np.ndarray | None:
        """Boolean filter over chunks, or None when nothing is filtered."""
        if not in_force_only and not doc_types and not region:
            return None
        m = self.in_force.copy() if in_force_only else np.ones(len(self.chunks), dtype=bool)
        if doc_types:
            m &= np.array([c.doc_type in doc_types for c in self.chunks], dtype=bool)
        if region:
            m &= np.array([region_matches(c.region, region) for c in self.chunks], dtype=bool)
        return m


def region_matches(chunk_region: str | None, wanted: str) -> bool:
    """National documents (no region) apply everywhere; a local one only where its region matches."""
    if not chunk_region:
        return True
    return wanted in chunk_region or chunk_region in wanted


class CorpusIndex:
    """Everything one huiqi deployment stores, behind one object. Light to construct."""

    def __init__(self, settings: Settings, embedder: Embedder, tokenizer: Tokenizer | None = None):
        self.settings = settings
        self.embedder = embedder
        self.tokenizer = tokenizer or Tokenizer(settings.user_dict)
        self.manifest = Manifest(settings.data_dir / "manifest.sqlite3")
        self._vectors: VectorStore | None = None
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._overridden = load_superseded_articles(settings.replacements_file)

    @property
    def vectors(self) -> VectorStore:
        if self._vectors is None:
            self.embedder.warm_up()
            s = self.settings
            self._vectors = VectorStore(
                s.collection,
                self.embedder.name,
                self.embedder.dim,
                path=None if s.chroma_url else s.chroma_path,
                url=s.chroma_url,
            )
        return self._vectors

    def warm_up(self) -> None:
        """Load the embedder, jieba and the current snapshot; open the vector store."""
        self.embedder.warm_up()
        self.tokenizer.warm_up()
        self.vectors.ping()
        self.snapshot()

    def snapshot(self) -> Snapshot:
        """The live snapshot, reloaded when the manifest's generation has moved."""
        gen = self.manifest.generation()
        snap = self._snapshot
        if snap is not None and snap.generation == gen:
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is not None and snap.generation == gen:
                return snap
            chunks, tokens = self.manifest.live_chunks()
            keyword = KeywordIndex.load(self.settings.index_dir)
            if keyword is None or keyword.generation != gen or keyword.ids != [c.id for c in chunks]:
                # The published index lags the manifest (an ingest died before publishing): rebuild it.
                keyword = KeywordIndex.build([c.id for c in chunks], tokens, gen)
                keyword.save(self.settings.index_dir)
            self._snapshot = Snapshot(gen, chunks, keyword, overridden=self._overridden)
            return self._snapshot

    def publish(self) -> Snapshot:
        """Rebuild and publish the keyword index for the manifest's current generation."""
        with self._lock:
            chunks, tokens = self.manifest.live_chunks()
            gen = self.manifest.generation()
            keyword = KeywordIndex.build([c.id for c in chunks], tokens, gen)
            keyword.save(self.settings.index_dir)
            self._snapshot = Snapshot(gen, chunks, keyword, overridden=self._overridden)
            return self._snapshot
