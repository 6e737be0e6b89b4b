"""Word .docx: paragraphs in order, headings as Markdown lines, table rows as `a | b` lines."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.documents import SourceDocument
from assistant.errors import LoadError
from ingest.encoding import read_bytes
from ingest.loaders.files import date_from_name, source_of, title_from_name

#: Built-in English style names and the localised ones Chinese Word writes (标题 1).
_HEADING_STYLE = re.compile(r"^(?:Heading|标题)\s*(?P<level>[1-9])$", re.I)
_TITLE_STYLES = frozenset({"Title", "标题"})


def load(path: Path, root: Path) -> list[SourceDocument]:
    """One `text` document from a .docx file."""
    source = source_of(path, root)
    data = read_bytes(path, root)  # missing / empty files get the common messages
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as exc:
        raise LoadError(source, "not a valid .docx file (not a Word zip package)") from exc
    blocks: list[str] = []
    styled_title = ""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            line, is_title = _paragraph(item)
            if is_title and not styled_title:
                styled_title = line
                continue
            if line:
                blocks.append(line)
        elif isinstance(item, Table):
            blocks.extend(_table_rows(item))
    text = "\n\n".join(blocks)
    if not text.strip():
        raise LoadError(source, "Word document has no text")
    title = (document.core_properties.title or "").strip() or styled_title or title_from_name(path)
    return [
        SourceDocument(
            source=source,
            title=title,
            doc_type="text",
            text=text,
            version_date=date_from_name(path),
        )
    ]


def _paragraph(paragraph: Paragraph) -> tuple[str, bool]:
    """The paragraph as a Markdown line, and whether it is styled as the document title."""
    text = paragraph.text.strip()
    style = paragraph.style.name if paragraph.style is not None else ""
    if style in _TITLE_STYLES:
        return text, True
    match = _HEADING_STYLE.match(style or "")
    if match and text:
        return "#" * int(match.group("level")) + " " + text, False
    return text, False


def _table_rows(table: Table) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # a horizontally merged cell is returned once per grid column it spans
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows
