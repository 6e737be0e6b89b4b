"""YAML front matter between `---` lines at the top of our own Markdown documents."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from assistant.errors import LoadError

_FENCE = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)

DOC_TYPES = ("policy", "law", "text")
STATUSES = ("in_force", "superseded")

#: Keys that fill SourceDocument fields; every other key goes to meta.
_KNOWN = ("title", "version_date", "authority", "region", "doc_type", "status")


@dataclass
class FrontMatter:
    """Validated front-matter values; None where the author said nothing."""

    title: str | None = None
    version_date: str | None = None
    authority: str | None = None
    region: str | None = None
    doc_type: str | None = None
    status: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def split_front_matter(text: str, shown: str) -> tuple[FrontMatter | None, str]:
    """Split `---\\nyaml\\n---\\nbody` into parsed front matter and body; no fence → (None, text)."""
    match = _FENCE.match(text)
    if not match:
        return None, text
    try:
        data = yaml.safe_load(match.group("yaml"))
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: dates like 2024-13-45
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise LoadError(shown, f"invalid YAML front matter ({reason})") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LoadError(shown, "front matter must be a YAML mapping (key: value lines)")
    return _validate(data, shown), text[match.end() :]


def _validate(data: dict[Any, Any], shown: str) -> FrontMatter:
    values = {str(k): v for k, v in data.items()}
    doc_type = _text(values.get("doc_type"))
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise LoadError(shown, f"front matter doc_type {doc_type!r} is not one of {', '.join(DOC_TYPES)}")
    status = _text(values.get("status"))
    if status is not None and status not in STATUSES:
        raise LoadError(shown, f"front matter status {status!r} is not one of {', '.join(STATUSES)}")
    meta = {k: _plain(v) for k, v in values.items() if k not in _KNOWN}
    if "sample" in meta:
        meta["sample"] = _flag(meta["sample"], shown)
    return FrontMatter(
        title=_text(values.get("title")),
        version_date=_date(values.get("version_date"), shown),
        authority=_text(values.get("authority")),
        region=_text(values.get("region")),
        doc_type=doc_type,
        status=status,
        meta=meta,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _date(value: Any, shown: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise LoadError(shown, f"front matter version_date {text!r} is not a YYYY-MM-DD date") from exc


def _flag(value: Any, shown: str) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in {"true", "yes", "1"}:
        return True
    if str(value).strip().lower() in {"false", "no", "0", ""}:
        return False
    raise LoadError(shown, f"front matter sample {value!r} is not true or false")


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings so meta stays JSON-serialisable."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
