"""What every chunker shares: paragraphs, stable ids, and packing text under a size limit."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from assistant.documents import Chunk, SourceDocument, content_hash

#: Marks the end of the LawRefBook header (title and promulgation lines).
INFO_END = "<!-- INFO END -->"
#: Invisible characters some sources put on otherwise empty lines.
_INVISIBLE = "\u200b\u200c\u200d\ufeff"
_SENTENCE_END = re.compile(r"(?<=[。；！？;!?])")
PATH_SEP = " > "


def body_text(text: str) -> str:
    """The text after a LawRefBook header, or the whole text when there is none."""
    return text.split(INFO_END, 1)[1] if INFO_END in text else text


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, trimmed of ASCII, full-width and zero-width whitespace."""
    out = []
    for line in text.splitlines():
        line = line.strip().strip(_INVISIBLE).strip()
        if line and line.strip("#"):  # a bare "##" is an empty heading, not text
            out.append(line)
    return out


def squash_spaces(text: str) -> str:
    """Runs of whitespace become one space: "第一章  基本规定" → "第一章 基本规定"."""
    return re.sub(r"\s+", " ", text).strip()


def chunk_id(*parts: object) -> str:
    """sha1 of the identifying parts, 24 hex chars: the same parts always give the same id."""
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


class ChunkSink:
    """Collects one document's chunks in order, giving each a stable, unique id."""

    def __init__(self, doc: SourceDocument):
        self.doc = doc
        self.chunks: list[Chunk] = []
        self._ids: set[str] = set()

    def add(
        self,
        text: str,
        *,
        article: str = "",
        chapter: str = "",
        part: int = 0,
        key: object = "",
        id_suffix: str = "",
    ) -> Chunk:
        """Append a chunk; ``key`` tells apart chunks that share an article label (a row index, a path)."""
        doc = self.doc
        base = chunk_id(doc.source, doc.version_date, article, part, key)
        cid, n = base, 1
        # A label repeated inside one document (rare, e.g. a quoted amendment) still gets its own id,
        # and the same one on every run because the document is read in order.
        while cid in self._ids:
            n += 1
            cid = chunk_id(doc.source, doc.version_date, article, part, key, n)
        self._ids.add(cid)
        chunk = Chunk(
            id=cid + id_suffix,
            text=text,
            embed_text=" ".join(s for s in (doc.title, chapter, text) if s),
            source=doc.source,
            title=doc.title,
            doc_type=doc.doc_type,
            position=len(self.chunks),
            article=article,
            chapter=chapter,
            part=part,
            version_date=doc.version_date,
            authority=doc.authority,
            region=doc.region,
            status=doc.status or "in_force",
            hash=content_hash(text),
        )
        self.chunks.append(chunk)
        return chunk


def split_long_paragraph(paragraph: str, limit: int) -> list[str]:
    """Cut one over-long paragraph at sentence ends (。；), and hard-cut a sentence longer than ``limit``."""
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in _SENTENCE_END.split(paragraph) if s):
        while len(sentence) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:limit])
            sentence = sentence[limit:]
        if current and len(current) + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def pack(paragraphs: Iterable[str], limit: int, first_limit: int | None = None) -> list[list[str]]:
    """Group paragraphs in order into parts whose joined length (with newlines) stays within ``limit``.

    The first part may have its own limit (it carries no continuation header). A paragraph longer
    than a whole part is cut at sentence ends so that no text is lost.
    """
    parts: list[list[str]] = []
    current: list[str] = []
    size = 0

    def cap() -> int:
        return first_limit if (first_limit is not None and not parts) else limit

    for para in paragraphs:
        pieces = [para] if len(para) <= cap() else split_long_paragraph(para, min(limit, cap()))
        for piece in pieces:
            extra = len(piece) + (1 if current else 0)
            if current and size + extra > cap():
                parts.append(current)
                current, size = [], 0
                extra = len(piece)
            current.append(piece)
            size += extra
    if current:
        parts.append(current)
    return parts
