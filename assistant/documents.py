"""The domain objects that flow from loaders to chunker to stores to answers."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocType = Literal["law", "policy", "guide", "list", "text"]
Status = Literal["in_force", "superseded"]


def content_hash(text: str) -> str:
    """Stable short hash of a text (sha1, 16 hex chars)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Record:
    """One row of a list (清单) or one service guide (办事指南): field name → value."""

    fields: dict[str, Any]
    label: str = ""  # e.g. the row's first cell or the guide's matter name


@dataclass
class SourceDocument:
    """What a loader yields: one document, before chunking.

    Prose documents carry ``text`` (Markdown-ish, headings kept). Lists and guides carry
    ``records`` instead. ``version_date`` is ISO ``YYYY-MM-DD`` when known.
    """

    source: str  # path relative to the ingest root, POSIX separators
    title: str
    doc_type: DocType = "text"
    text: str = ""
    records: list[Record] = field(default_factory=list)
    version_date: str | None = None
    authority: str | None = None  # issuing authority (制定机关) where known
    region: str | None = None  # e.g. 浙江省, 广东省; None = national
    status: Status | None = None  # explicit override; otherwise decided by version grouping
    columns: list[str] = field(default_factory=list)  # list headers, for lists
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chunk:
    """One retrievable unit: a law article (条), a policy section, a list row, a guide."""

    id: str
    text: str  # what is shown and quoted
    embed_text: str  # what is embedded and BM25-indexed: title/chapter prefix + text
    source: str
    title: str
    doc_type: DocType
    position: int  # order inside the document
    article: str = ""  # 第X条, or a section heading, or a row label
    chapter: str = ""  # 第X章 … / 第X节 …
    part: int = 0  # >0 when an over-long article is split at 款 boundaries
    version_date: str | None = None
    authority: str | None = None
    region: str | None = None
    status: Status = "in_force"
    hash: str = ""

    def metadata(self) -> dict[str, Any]:
        """Flat metadata for a vector store (no None values)."""
        d = asdict(self)
        d.pop("id")
        d.pop("text")
        d.pop("embed_text")
        return {k: v for k, v in d.items() if v is not None}


@dataclass
class Hit:
    """A retrieved chunk with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None
    bm25_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "id": c.id,
            "source": c.source,
            "title": c.title,
            "article": c.article,
            "chapter": c.chapter,
            "version_date": c.version_date,
            "status": c.status,
            "doc_type": c.doc_type,
            "region": c.region,
            "score": round(self.score, 6),
            "dense_rank": self.dense_rank,
            "bm25_rank": self.bm25_rank,
            "dense_score": None if self.dense_score is None else round(self.dense_score, 4),
            "text": c.text,
        }
