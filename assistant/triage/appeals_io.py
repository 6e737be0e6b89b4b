"""Reading appeals and labelled history from JSONL or CSV files, and the triage components a command line needs."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from assistant.errors import InvalidInput
from assistant.triage.learned import LabelledAppeal
from assistant.triage.triager import Appeal

_TEXT_FIELDS = ("text", "content", "诉求内容", "内容")
_ID_FIELDS = ("id", "编号", "工单号")
_DATE_FIELDS = ("received", "date", "受理日期", "日期")


def _rows(path: Path) -> list[dict]:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InvalidInput(f"cannot read {path}: {e.strerror or e}") from e
    if path.suffix.lower() == ".csv":
        return list(csv.DictReader(raw.splitlines()))
    rows = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise InvalidInput(f"{path}:{n}: not valid JSON: {e.msg}") from e
        if not isinstance(row, dict):
            raise InvalidInput(f"{path}:{n}: each line must be a JSON object")
        rows.append(row)
    return rows


def _first(row: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return str(value)
    return None


def read_appeals(path: Path) -> list[Appeal]:
    """Appeals of a JSONL or CSV file (a ``text`` column; optional ``id`` and ``received`` ISO date)."""
    appeals = []
    for n, row in enumerate(_rows(path), 1):
        text = _first(row, _TEXT_FIELDS)
        if text is None:
            raise InvalidInput(f"{path}: record {n} has no text field ({', '.join(_TEXT_FIELDS)})")
        date = _first(row, _DATE_FIELDS)
        try:
            received = dt.date.fromisoformat(date[:10]) if date else None
        except ValueError:
            raise InvalidInput(f"{path}: record {n}: received date {date!r} is not YYYY-MM-DD") from None
        appeals.append(Appeal(text=text, id=_first(row, _ID_FIELDS) or str(n), received=received))
    return appeals


def read_history(path: Path) -> list[LabelledAppeal]:
    """Labelled appeals (``text``, ``department``, optional ``type`` and ``also_ok``) of a JSONL or CSV file."""
    history = []
    for n, row in enumerate(_rows(path), 1):
        text, dept = _first(row, _TEXT_FIELDS), _first(row, ("department", "部门"))
        if text is None or dept is None:
            raise InvalidInput(f"{path}: record {n} needs text and department")
        also = row.get("also_ok") or []
        if isinstance(also, str):
            also = [a for a in also.replace("；", ";").split(";") if a]
        history.append(LabelledAppeal(text, dept, _first(row, ("type", "类型")), list(also)))
    return history
