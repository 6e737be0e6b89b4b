"""Structure-aware chunking: articles of laws, sections of policies, rows of lists, service guides."""

from __future__ import annotations

from assistant.documents import Chunk, SourceDocument
from assistant.errors import InvalidInput
from ingest.chunking.base import ChunkSink, body_text, paragraphs
from ingest.chunking.laws import chunk_law_paragraphs, count_article_paragraphs
from ingest.chunking.policy import chunk_policy_paragraphs
from ingest.chunking.records import chunk_guides, chunk_list, guide_id_of

__all__ = ["chunk_document", "guide_id_of", "MIN_MAX_CHARS"]

#: Below this a chunk could not hold an article heading with any text.
MIN_MAX_CHARS = 100
#: A text not declared a law is chunked as one when this many paragraphs open an article (第X条).
_ARTICLES_FOR_LAW = 2


def chunk_document(doc: SourceDocument, max_chars: int = 1000) -> list[Chunk]:
    """Split a document into chunks by its structure (law articles, policy headings, records)."""
    if max_chars < MIN_MAX_CHARS:
        raise InvalidInput(f"max_chars must be at least {MIN_MAX_CHARS}, got {max_chars}")
    sink = ChunkSink(doc)
    if doc.records:
        if doc.doc_type == "guide":
            chunk_guides(sink)
        else:
            chunk_list(sink)
        return sink.chunks
    paras = paragraphs(body_text(doc.text))
    articles = count_article_paragraphs(paras)
    if articles and (doc.doc_type == "law" or articles >= _ARTICLES_FOR_LAW):
        chunk_law_paragraphs(sink, paras, max_chars)
    else:
        chunk_policy_paragraphs(sink, paras, max_chars)
    return sink.chunks
