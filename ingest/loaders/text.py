"""Plain .txt files: the whole text as one document, titled by its file name."""

from __future__ import annotations

from pathlib import Path

from assistant.documents import SourceDocument
from ingest.encoding import read_text_with_encoding
from ingest.loaders.files import date_from_name, source_of, title_from_name


def load(path: Path, root: Path) -> list[SourceDocument]:
    """One `text` document holding the whole file."""
    decoded = read_text_with_encoding(path, root)
    text = decoded.text.strip()
    return [
        SourceDocument(
            source=source_of(path, root),
            title=title_from_name(path),
            doc_type="text",
            text=text,
            version_date=date_from_name(path),
            meta={"encoding": decoded.encoding},
        )
    ]
