"""Eligibility conditions (申报条件) and benefit policies, each condition with the text it comes from."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

ConditionKind = Literal[
    "region", "industry", "industry_excluded", "size", "years", "headcount", "revenue", "assets",
    "taxable_income", "rd_ratio", "certification", "taxpayer", "exclusion", "window", "text",
]
#: Kinds compared against a number in the profile, with the profile field and the unit.
METRICS = {"headcount": "人", "revenue": "万元", "assets": "万元", "taxable_income": "万元"}
#: Exclusion flags (不予支持情形) a profile can state.
EXCLUSIONS = {
    "serious_dishonesty": "被列入严重失信主体名单",
    "abnormal_operation": "被列入经营异常名录",
    "major_accident": "近年发生重大安全、质量、环境污染事故",
    "arrears": "欠缴社会保险费或拖欠职工工资",
}


class Citation(BaseModel):
    """Where a condition's text sits: the policy document and its section (e.g. 三、申报条件 2.)."""

    source: str
    title: str
    article: str = ""
    version_date: str | None = None


class Condition(BaseModel):
    """One eligibility condition; ``text`` is the policy's own words, ``kind`` says how it is checked.

    ``text`` conditions could not be structured: they are shown as "to confirm" and never decide a class.
    """

    kind: ConditionKind
    text: str
    citation: Citation
    op: Literal["<=", ">=", "<", ">"] | None = None
    value: float | None = None
    unit: str | None = None
    values: list[str] = Field(default_factory=list)  # sizes, sector codes, certifications (any of), a flag
    tiers: list[tuple[float | None, float]] = Field(default_factory=list)  # rd_ratio: (revenue up to, min %)

    def describe(self) -> str:
        """A short reading of the structured condition (the text stays the authority)."""
        if self.kind in METRICS or self.kind == "years":
            return f"{self.kind} {self.op} {self.value:g}{self.unit or ''}"
        if self.kind == "rd_ratio":
            return "rd_ratio ≥ " + "; ".join(f"{p:g}% (revenue ≤ {u:g}万元)" if u else f"{p:g}%" for u, p in self.tiers)
        return f"{self.kind}: {', '.join(self.values)}" if self.values else self.kind


class ApplyWindow(BaseModel):
    """申报（享受）期间."""

    start: dt.date | None = None
    end: dt.date | None = None


class Policy(BaseModel):
    """A benefit policy (惠企政策) as matching sees it: what it pays, when, who cashes out, and its conditions."""

    id: str
    title: str
    source: str
    version_date: str | None = None
    region: str | None = None
    doc_number: str | None = None
    department: str | None = None
    amount: str | None = None
    amount_value: float | None = None  # the largest sum in 万元, for ordering by value
    window: ApplyWindow = Field(default_factory=ApplyWindow)
    conditions: list[Condition] = Field(default_factory=list)

    def structured(self) -> list[Condition]:
        return [c for c in self.conditions if c.kind != "text"]

    def to_confirm(self) -> list[Condition]:
        return [c for c in self.conditions if c.kind == "text"]
