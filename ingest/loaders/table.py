"""Lists (清单) in .csv/.tsv/.xlsx: one Record per row, fields named by the header row.

Layout understood: optional single-cell title rows (often one merged cell) above the header row,
then data rows. Each non-hidden sheet of a workbook is its own document. Vertically merged cells
(a category spanning several rows) are filled down so every row carries its own value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from assistant.documents import Record, SourceDocument
from assistant.errors import LoadError
from ingest.encoding import read_bytes, read_text_with_encoding
from ingest.loaders.files import date_from_name, source_of, title_from_name

#: Only this many leading single-cell rows are taken as title/notes before the header row.
_MAX_TITLE_ROWS = 4
_DEFAULT_SHEET = re.compile(r"^(?:Sheet|工作表)\s*\d*$", re.I)
_NUMBER = re.compile(r"^[\d.\s]+$")


@dataclass
class _Sheet:
    name: str
    rows: list[list[str]]
    #: (first_row, last_row, column) of vertically merged cells, 0-based
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)


def load(path: Path, root: Path) -> list[SourceDocument]:
    """One `list` document per sheet (one for a CSV) that has a header row and data rows."""
    source = source_of(path, root)
    meta: dict[str, Any] = {}
    if path.suffix.lower() in (".csv", ".tsv"):
        decoded = read_text_with_encoding(path, root)
        sheets = [_Sheet("", _csv_rows(decoded.text, path.suffix.lower() == ".tsv"))]
        meta["encoding"] = decoded.encoding
    else:
        sheets = _workbook_sheets(path, root, source)
    named = len(sheets) > 1
    docs = [doc for sheet in sheets if (doc := _document(sheet, path, source, named, meta))]
    if not docs:
        raise LoadError(source, "no rows found (a list needs a header row and at least one data row)")
    return docs


def _csv_rows(text: str, tabs: bool) -> list[list[str]]:
    if tabs:
        dialect: Any = csv.excel_tab
    else:
        try:
            dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
        except csv.Error:
            dialect = csv.excel
    # a StringIO, not splitlines(): quoted cells may hold line breaks
    return [[_cell_text(value) for value in row] for row in csv.reader(io.StringIO(text), dialect)]


def _workbook_sheets(path: Path, root: Path, source: str) -> list[_Sheet]:
    data = read_bytes(path, root)  # missing / empty files get the common messages
    try:
        # not read_only: merged-cell ranges are only known in the full model
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise LoadError(source, "not a valid .xlsx file (not an Excel zip package)") from exc
    sheets: list[_Sheet] = []
    for worksheet in workbook.worksheets:
        if worksheet.sheet_state != "visible":
            continue  # hidden sheets hold lookup tables, not lists
        rows = [[_cell_text(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
        merged = [
            (r.min_row - 1, r.max_row - 1, r.min_col - 1)
            for r in worksheet.merged_cells.ranges
            if r.max_row > r.min_row
        ]
        sheets.append(_Sheet(worksheet.title, rows, merged))
    workbook.close()
    return sheets


def _document(
    sheet: _Sheet, path: Path, source: str, named: bool, meta: dict[str, Any]
) -> SourceDocument | None:
    rows = sheet.rows
    filled = [i for i, row in enumerate(rows) if any(row)]
    if not filled:
        return None
    header_at, title_rows = _find_header(rows, filled)
    first_data = header_at + 1
    for top, bottom, column in sheet.merged_down:
        if top >= first_data:
            for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
                _set(rows[r], column, rows[top][column] if column < len(rows[top]) else "")
    width = max(_last_filled(rows[i]) for i in filled) + 1
    columns = _column_names(rows[header_at][:width], width)
    records = [_record(columns, rows[i][:width]) for i in filled if i >= first_data]
    if not records:
        return None
    title_lines = [next(cell for cell in rows[i] if cell) for i in title_rows]
    title = title_lines[0] if title_lines else title_from_name(path)
    if not title_lines and named and not _DEFAULT_SHEET.match(sheet.name):
        title = f"{title_from_name(path)}·{sheet.name}"
    doc_meta = dict(meta, header_row=header_at + 1, rows=len(records))
    if sheet.name:
        doc_meta["sheet"] = sheet.name
    if len(title_lines) > 1:
        doc_meta["notes"] = title_lines[1:]
    return SourceDocument(
        source=source,
        title=title,
        doc_type="list",
        records=records,
        version_date=date_from_name(path),
        columns=columns,
        meta=doc_meta,
    )


def _find_header(rows: list[list[str]], filled: list[int]) -> tuple[int, list[int]]:
    """The header row: the first with two or more cells, after at most a few single-cell rows."""
    for position, i in enumerate(filled[: _MAX_TITLE_ROWS + 1]):
        if sum(1 for cell in rows[i] if cell) >= 2:
            return i, filled[:position]
    return filled[0], []  # a one-column list


def _column_names(header: list[str], width: int) -> list[str]:
    names: list[str] = []
    for index in range(width):
        name = " ".join(header[index].split()) if index < len(header) else ""
        name = name or f"列{index + 1}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _record(columns: list[str], row: list[str]) -> Record:
    fields = {name: value for name, value in zip(columns, row, strict=False) if value}  # short CSV rows
    values = list(fields.values())
    # the first cell is often a running number (序号): the first word-like cell names the row
    label = next((v for v in values if not _NUMBER.match(v)), values[0] if values else "")
    return Record(fields=fields, label=label)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _last_filled(row: list[str]) -> int:
    return max((i for i, cell in enumerate(row) if cell), default=0)


def _set(row: list[str], column: int, value: str) -> None:
    if column < len(row) and not row[column]:
        row[column] = value
