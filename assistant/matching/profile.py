"""The enterprise profile (企业画像): what matching knows about one enterprise; any field may be unknown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import BatchTooLarge, InvalidInput
from assistant.matching.vocabulary import canonical_certification, taxpayer_type

MAX_PROFILES = 5000
_LIST_SEPARATORS = ("；", ";", "、", "|", "，", ",")


class Profile(BaseModel):
    """One enterprise. ``None`` means unknown (matching then names it as a missing fact); money in 万元.

    ``certifications`` given as a list is taken as complete: a certification not in it is not held.
    Adverse records (``serious_dishonesty`` …) left unknown are shown as "to confirm", never assumed.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = Field(None, max_length=64, description="统一社会信用代码 or any stable id")
    name: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=60, description="e.g. 浙江省示例县")
    industry: str | None = Field(None, max_length=60, description="GB/T 4754 code (C3511) or words (软件开发)")
    founded: dt.date | None = Field(None, description="登记成立日期")
    headcount: int | None = Field(None, ge=0, le=10_000_000, description="从业人员")
    revenue: float | None = Field(None, ge=0, description="上年度营业收入, 万元")
    assets: float | None = Field(None, ge=0, description="资产总额, 万元")
    taxable_income: float | None = Field(None, description="年度应纳税所得额, 万元")
    rd_expense: float | None = Field(None, ge=0, description="上年度研究开发费用, 万元")
    certifications: list[str] | None = Field(None, max_length=50)
    taxpayer_type: Literal["small_scale", "general"] | None = None
    serious_dishonesty: bool | None = None
    abnormal_operation: bool | None = None
    major_accident: bool | None = None
    arrears: bool | None = None
    tags: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("certifications", "tags", mode="before")
    @classmethod
    def _split_text(cls, v: Any) -> Any:
        if isinstance(v, str):
            for sep in _LIST_SEPARATORS:
                v = v.replace(sep, "\n")
            return [p.strip() for p in v.splitlines() if p.strip()]
        return v

    @field_validator("certifications")
    @classmethod
    def _canonical(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        out: list[str] = []
        for name in v:
            canonical = canonical_certification(name) or name
            if canonical not in out:
                out.append(canonical)
        return out

    @field_validator("taxpayer_type", mode="before")
    @classmethod
    def _taxpayer(cls, v: Any) -> Any:
        if isinstance(v, str) and v.strip():
            found = taxpayer_type(v)
            if found is None:
                raise ValueError("taxpayer_type must be 小规模纳税人/small_scale or 一般纳税人/general")
            return found
        return v or None

    def label(self) -> str:
        """How the profile is named in messages and reports."""
        return self.name or self.id or "(unnamed profile)"


def profile_from_dict(data: Any, where: str = "profile") -> Profile:
    """Validate one profile; a clear InvalidInput naming the field otherwise."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: a profile is a JSON object")
    try:
        return Profile.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        raise InvalidInput(f"{where}: {loc}: {err.get('msg')}" if loc else f"{where}: {err.get('msg')}") from e


def _check_count(n: int, limit: int) -> None:
    if n > limit:
        raise BatchTooLarge(f"{n} profiles; at most {limit} in one batch")


def profiles_from_json(items: Any, limit: int = MAX_PROFILES) -> list[Profile]:
    """A JSON list of profile objects."""
    if not isinstance(items, list):
        raise InvalidInput("profiles must be a JSON list of objects")
    _check_count(len(items), limit)
    return [profile_from_dict(p, f"profile {i + 1}") for i, p in enumerate(items)]


def profiles_from_jsonl(text: str, limit: int = MAX_PROFILES) -> list[Profile]:
    """One JSON object a line (blank lines skipped)."""
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((n, json.loads(line)))
        except json.JSONDecodeError as e:
            raise InvalidInput(f"line {n}: not JSON ({e.msg})") from e
        _check_count(len(rows), limit)
    return [profile_from_dict(d, f"line {n}") for n, d in rows]


def profiles_from_csv(text: str, limit: int = MAX_PROFILES) -> list[Profile]:
    """A CSV with a header row of profile field names; empty cells are unknown."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = set(Profile.model_fields)
    unknown = [h for h in reader.fieldnames or [] if h not in fields]
    if not reader.fieldnames:
        raise InvalidInput("the CSV has no header row")
    if unknown:
        raise InvalidInput(f"unknown CSV column(s): {', '.join(unknown)}; valid: {', '.join(sorted(fields))}")
    out = []
    for n, row in enumerate(reader, 2):
        _check_count(n - 1, limit)
        data = {k: v for k, v in row.items() if k is not None and v is not None and v.strip() != ""}
        for flag in ("serious_dishonesty", "abnormal_operation", "major_accident", "arrears"):
            if flag in data:
                data[flag] = _yes_no(data[flag], f"line {n}: {flag}")
        out.append(profile_from_dict(data, f"line {n}"))
    return out


def _yes_no(value: str, where: str) -> bool:
    v = value.strip().lower()
    if v in ("1", "true", "yes", "y", "是", "有"):
        return True
    if v in ("0", "false", "no", "n", "否", "无"):
        return False
    raise InvalidInput(f"{where}: {value!r} is not yes/no (是/否, true/false)")


def parse_profiles(data: bytes | str, fmt: str, limit: int = MAX_PROFILES) -> list[Profile]:
    """Profiles from an upload: ``fmt`` is csv, jsonl or json."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gbk")
            except UnicodeDecodeError as e:
                raise InvalidInput("profiles are neither UTF-8 nor GBK text") from e
    else:
        text = data
    if fmt == "csv":
        return profiles_from_csv(text, limit)
    if fmt == "jsonl":
        return profiles_from_jsonl(text, limit)
    if fmt == "json":
        try:
            return profiles_from_json(json.loads(text), limit)
        except json.JSONDecodeError as e:
            raise InvalidInput(f"not JSON ({e.msg})") from e
    raise InvalidInput(f"unknown profile format '{fmt}'; valid: csv, jsonl, json")
