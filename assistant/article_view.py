"""The article view (条文详情): one article's text, its neighbouring articles and its document's versions."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.articles import normalize_article
from assistant.documents import Chunk
from assistant.errors import InvalidArticleLabel, NotFound
from assistant.index import CorpusIndex
from ingest.versions import title_key

NEIGHBOURS = 2  # articles shown before and after the one asked for


@dataclass
class ArticleRef:
    """A pointer to an article: enough to list it and open it."""

    chunk_id: str
    article: str
    chapter: str
    text: str


@dataclass
class VersionRef:
    """One version of the document; ``chunk_id`` is the same article in that version, when it has one."""

    source: str
    title: str
    version_date: str | None
    status: str
    chunk_id: str | None
    current: bool


@dataclass
class ArticleView:
    """What the widget and the console show when a citation is opened."""

    chunk_id: str
    source: str
    title: str
    article: str
    chapter: str
    version_date: str | None
    status: str
    doc_type: str
    region: str | None
    authority: str | None
    text: str
    previous: list[ArticleRef] = field(default_factory=list)
    next: list[ArticleRef] = field(default_factory=list)
    versions: list[VersionRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Unit:
    """An article as readers see it: the parts an over-long article was split into, joined again."""

    parts: list[Chunk]

    @property
    def head(self) -> Chunk:
        return self.parts[0]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.parts)

    def ref(self) -> ArticleRef:
        return ArticleRef(self.head.id, self.head.article, self.head.chapter, self.text)


class _Catalogue:
    """The live corpus arranged by document and article, for one manifest generation."""

    def __init__(self, chunks: list[Chunk]):
        by_source: dict[str, list[Chunk]] = {}
        for c in chunks:
            by_source.setdefault(c.source, []).append(c)
        self.units: dict[str, list[_Unit]] = {}
        self.unit_of: dict[str, tuple[str, int]] = {}  # chunk id → (source, unit index)
        self.versions: dict[str, list[Chunk]] = {}  # title key → first chunk of each version
        for source, doc in by_source.items():
            doc.sort(key=lambda c: c.position)
            units: list[_Unit] = []
            for c in doc:
                # Parts (part > 0) of one over-long article follow each other under the same label.
                if units and c.part > 0 and c.article and units[-1].head.article == c.article:
                    units[-1].parts.append(c)
                else:
                    units.append(_Unit([c]))
                self.unit_of[c.id] = (source, len(units) - 1)
            self.units[source] = units
            self.versions.setdefault(title_key(doc[0].title), []).append(doc[0])

    def view(self, chunk_id: str) -> ArticleView:
        if chunk_id not in self.unit_of:
            raise NotFound(f"no article with chunk id {chunk_id!r} in the corpus")
        source, i = self.unit_of[chunk_id]
        units = self.units[source]
        unit = units[i]
        c = unit.head
        return ArticleView(
            chunk_id=c.id, source=c.source, title=c.title, article=c.article, chapter=c.chapter,
            version_date=c.version_date, status=c.status, doc_type=c.doc_type, region=c.region,
            authority=c.authority, text=unit.text,
            previous=[u.ref() for u in units[max(0, i - NEIGHBOURS):i]],
            next=[u.ref() for u in units[i + 1:i + 1 + NEIGHBOURS]],
            versions=self._versions(c),
        )

    def find(self, source: str, article: str) -> str:
        """The chunk id of an article of a document, by its label (第3条, 第三条 and 3 are one label)."""
        units = self.units.get(source)
        if units is None:
            raise NotFound(f"no document with source {source!r} in the corpus")
        wanted = normalize_article(article)
        for u in units:
            if _label(u.head.article) == wanted:
                return u.head.id
        raise NotFound(f"{source} has no article {article!r}")

    def _versions(self, chunk: Chunk) -> list[VersionRef]:
        docs = sorted(self.versions.get(title_key(chunk.title), []), key=lambda d: d.version_date or "", reverse=True)
        label = _label(chunk.article)
        out = []
        for d in docs:
            same = None
            if d.source == chunk.source:
                same = chunk.id
            elif label:
                same = next((u.head.id for u in self.units[d.source] if _label(u.head.article) == label), None)
            out.append(VersionRef(d.source, d.title, d.version_date, d.status, same, d.source == chunk.source))
        return out


def _label(article: str) -> str:
    """A stored label in canonical form; odd labels (headings, malformed numerals) compare as written."""
    try:
        return normalize_article(article)
    except InvalidArticleLabel:
        return article.strip()


class ArticleViews:
    """Article views over an index's live snapshot; the arrangement is rebuilt only when the corpus changes."""

    def __init__(self, index: CorpusIndex):
        self.index = index
        self._generation: int | None = None
        self._catalogue: _Catalogue | None = None
        self._lock = threading.Lock()

    def _current(self) -> _Catalogue:
        snap = self.index.snapshot()
        with self._lock:
            if self._catalogue is None or self._generation != snap.generation:
                self._catalogue = _Catalogue(snap.chunks)
                self._generation = snap.generation
            return self._catalogue

    def by_id(self, chunk_id: str) -> ArticleView:
        """The view of the article holding ``chunk_id`` (a part's id opens the whole article); NotFound otherwise."""
        return self._current().view(chunk_id)

    def by_label(self, source: str, article: str) -> ArticleView:
        """The view of article ``article`` (e.g. 第三条) of document ``source``; NotFound otherwise."""
        catalogue = self._current()
        return catalogue.view(catalogue.find(source, article))
