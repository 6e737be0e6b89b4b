"""Service guides (办事指南) from .jsonl, .json or .yaml files: one `guide` document per file.

- .jsonl: one guide object a line. A bad line is skipped and reported in meta["warnings"];
  the file is refused only when no line holds a valid guide.
- .json: a list of guides, one guide object, or `{"kind": "service_guides", "guides": [...]}`.
- .yaml/.yml: `kind: service_guides` and `guides: [...]` at the top level (our schema).

Optional top-level keys of the wrapped forms: title, region, authority, version_date.
Each guide's format (the Guangdong portal's or ours) is detected per record: see guide_schema.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from assistant.documents import Record, SourceDocument
from assistant.errors import LoadError
from ingest.encoding import read_text
from ingest.loaders.files import date_from_name, source_of, title_from_name
from ingest.loaders.guide_schema import BadGuide, to_record
from ingest.loaders.regions import normalize_region

GUIDES_KIND = "service_guides"
_WRAPPED_HINT = f"expected top-level `kind: {GUIDES_KIND}` and `guides: [...]`"


def load(path: Path, root: Path) -> list[SourceDocument]:
    """One `guide` document holding a Record per valid guide in the file."""
    source = source_of(path, root)
    text = read_text(path, root)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        entries, header = _jsonl_entries(text), {}
    elif suffix == ".json":
        entries, header = _json_entries(text, source)
    else:
        entries, header = _yaml_entries(text, source)
    records: list[Record] = []
    mappings: Counter[str] = Counter()
    warnings: list[str] = []
    for where, raw in entries:
        if isinstance(raw, BadGuide):
            warnings.append(f"{where}: {raw}")
            continue
        try:
            record, mapping = to_record(raw)
        except BadGuide as exc:
            warnings.append(f"{where}: {exc}")
            continue
        records.append(record)
        mappings[mapping] += 1
    if not records:
        first = f" ({warnings[0]})" if warnings else ""
        raise LoadError(source, f"no valid service guide in the file{first}")
    return [
        SourceDocument(
            source=source,
            title=_text(header.get("title")) or title_from_name(path),
            doc_type="guide",
            records=records,
            version_date=_date(header.get("version_date"), source) or date_from_name(path),
            authority=_text(header.get("authority")) or None,
            region=_region(header, records),
            meta={"mappings": dict(mappings), "warnings": warnings},
        )
    ]


def _jsonl_entries(text: str) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            entries.append((f"line {number}", BadGuide(f"invalid JSON: {exc.msg} (column {exc.colno})")))
    return entries


def _json_entries(text: str, source: str) -> tuple[list[tuple[str, Any]], dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(source, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    if isinstance(data, list):
        return _numbered(data), {}
    if isinstance(data, dict) and "guides" in data:
        return _wrapped(data, source)
    if isinstance(data, dict) and ("name" in data or "matter_name" in data):
        return [("guide 1", data)], {}
    raise LoadError(source, f"not a service-guide file: expected a list of guides or {_WRAPPED_HINT}")


def _yaml_entries(text: str, source: str) -> tuple[list[tuple[str, Any]], dict[str, Any]]:
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: dates like 2024-13-45
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LoadError(source, f"invalid YAML ({reason})") from exc
    if not isinstance(data, dict) or data.get("kind") != GUIDES_KIND:
        raise LoadError(source, f"not a service-guide file: {_WRAPPED_HINT}")
    return _wrapped(data, source)


def _wrapped(data: dict[str, Any], source: str) -> tuple[list[tuple[str, Any]], dict[str, Any]]:
    kind = data.get("kind", GUIDES_KIND)
    if kind != GUIDES_KIND:
        raise LoadError(source, f"not a service-guide file: kind is {kind!r}, {_WRAPPED_HINT}")
    guides = data.get("guides")
    if not isinstance(guides, list):
        raise LoadError(source, "`guides` must be a list of guides")
    return _numbered(guides), data


def _numbered(guides: list[Any]) -> list[tuple[str, Any]]:
    return [(f"guide {i}", guide) for i, guide in enumerate(guides, start=1)]


def _region(header: dict[str, Any], records: list[Record]) -> str | None:
    """The file's region, else the one region all its guides share (None = national)."""
    if header.get("region"):
        return normalize_region(str(header["region"]))
    regions = {normalize_region(str(r.fields.get("region") or "")) for r in records}
    return regions.pop() if len(regions) == 1 else None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any, source: str) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise LoadError(source, f"version_date {text!r} is not a YYYY-MM-DD date") from exc
