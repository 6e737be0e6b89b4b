"""PDF: the text layer, page by page. Scans without OCR have none and are refused."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from assistant.documents import SourceDocument
from assistant.errors import LoadError
from ingest.encoding import read_bytes
from ingest.loaders.files import date_from_name, source_of, title_from_name

#: Titles that PDF producers write on their own and that say nothing about the document.
_JUNK_TITLE_PREFIXES = ("microsoft word", "microsoft powerpoint", "untitled", "无标题", "wps")
_JUNK_TITLE_SUFFIXES = (".doc", ".docx", ".wps", ".pdf", ".txt", ".xls", ".xlsx")
_BROKEN = (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, IndexError, AttributeError)


def load(path: Path, root: Path) -> list[SourceDocument]:
    """One `text` document; `meta["page_starts"]` holds each page's offset in the text."""
    source = source_of(path, root)
    data = read_bytes(path, root)
    if b"%PDF-" not in data[:1024]:
        raise LoadError(source, "not a PDF file (no %PDF header)")
    reader = _open(data, source)
    pages = _page_texts(reader, source)
    if not any(page.strip() for page in pages):
        raise LoadError(source, "PDF has no text layer (scanned?)")
    text_parts: list[str] = []
    page_starts: list[int] = []
    offset = 0
    for page in pages:
        page_starts.append(offset)
        text_parts.append(page)
        offset += len(page) + 2  # the "\n\n" joining pages
    return [
        SourceDocument(
            source=source,
            title=_metadata_title(reader) or title_from_name(path),
            doc_type="text",
            text="\n\n".join(text_parts),
            version_date=date_from_name(path),
            meta={"pages": len(pages), "page_starts": page_starts},
        )
    ]


def _open(data: bytes, source: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
    except _BROKEN as exc:
        raise LoadError(source, f"broken PDF ({_reason(exc)})") from exc
    if reader.is_encrypted:
        # many PDFs are "encrypted" with an empty user password only to forbid editing
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:
            raise LoadError(
                source, f"PDF is encrypted and cannot be decrypted here ({_reason(exc)})"
            ) from exc
        if not opened:
            raise LoadError(source, "PDF is encrypted (a password is required)")
    return reader


def _page_texts(reader: PdfReader, source: str) -> list[str]:
    texts: list[str] = []
    try:
        for page in reader.pages:
            texts.append((page.extract_text() or "").strip())
    except FileNotDecryptedError as exc:
        raise LoadError(source, "PDF is encrypted (a password is required)") from exc
    except _BROKEN as exc:
        raise LoadError(source, f"broken PDF: page {len(texts) + 1} cannot be read ({_reason(exc)})") from exc
    return texts


def _metadata_title(reader: PdfReader) -> str:
    try:
        title = str((reader.metadata or {}).get("/Title") or "").strip()
    except _BROKEN:
        return ""  # a damaged info dictionary is no reason to refuse the text
    lowered = title.lower()
    if not title or lowered.startswith(_JUNK_TITLE_PREFIXES) or lowered.endswith(_JUNK_TITLE_SUFFIXES):
        return ""
    return title


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
