"""Benchmark: chunk every Markdown law under a folder and print counts and timing.

Usage: ``python -m ingest.chunking [FOLDER] [--max-chars N]`` (default folder ../shared/corpus/laws).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from assistant.articles import parse_article_label
from assistant.documents import SourceDocument
from ingest.chunking import chunk_document
from ingest.chunking.base import body_text, paragraphs

_DEFAULT = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "laws"


def law_document(path: Path, root: Path) -> SourceDocument:
    """A law file as a SourceDocument, the way a loader would give it (header kept: the chunker copes)."""
    text = path.read_text(encoding="utf-8")
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    title = first.lstrip("#").strip() if first.startswith("#") else path.stem
    return SourceDocument(source=path.relative_to(root).as_posix(), title=title, doc_type="law", text=text)


def main() -> None:
    """Print files, chunks, article chunks, split articles and the time taken."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=_DEFAULT)
    parser.add_argument("--max-chars", type=int, default=1000)
    args = parser.parse_args()
    root = args.folder.resolve()
    files = sorted(root.rglob("*.md"))
    docs = [law_document(p, root) for p in files]
    started = time.perf_counter()
    chunks = [c for doc in docs for c in chunk_document(doc, args.max_chars)]
    elapsed = time.perf_counter() - started
    article_chunks = [c for c in chunks if parse_article_label(c.article + " ")]
    articles = {(c.source, c.article) for c in article_chunks}
    source_paragraphs = sum(
        1 for doc in docs for p in paragraphs(body_text(doc.text)) if parse_article_label(p) is not None
    )
    print(f"files                      {len(files)}")
    print(f"chunks                     {len(chunks)}")
    print(f"article chunks             {len(article_chunks)}")
    print(f"articles                   {len(articles)}")
    print(f"paragraphs opening 第X条   {source_paragraphs}")
    print(f"articles split into parts  {len({(c.source, c.article) for c in chunks if c.part})}")
    print(f"other chunks               {len(chunks) - len(article_chunks)}")
    print(f"longest chunk (chars)      {max((len(c.text) for c in chunks), default=0)}")
    print(f"chunking time              {elapsed:.2f} s ({len(files) / elapsed:.0f} files/s)")


if __name__ == "__main__":
    main()
