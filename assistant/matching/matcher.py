"""Matching: each policy's conditions checked against a profile → eligible / possibly eligible / not eligible."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from assistant.matching.conditions import METRICS, Citation, Condition, Policy
from assistant.matching.numbers import chinese_date
from assistant.matching.profile import Profile
from assistant.matching.sme import SIZE_NAMES, in_sectors, possible_sizes, sector_of

Outcome = Literal["eligible", "possibly_eligible", "not_eligible"]
Status = Literal["pass", "fail", "missing", "confirm"]
_OUTCOME_RANK = {"eligible": 0, "possibly_eligible": 1, "not_eligible": 2}
_UNIT = re.compile(r".+?(?:自治区|省|市|州|盟|县|区|旗)")
_OPS = {"<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, ">": lambda a, b: a > b}


class Check(BaseModel):
    """One condition checked against one profile, with the condition's own text and citation."""

    kind: str
    status: Status
    reason: str
    text: str
    citation: Citation
    missing: list[str] = Field(default_factory=list)


class Decision(BaseModel):
    """A policy's outcome for one profile, with what it rests on."""

    policy_id: str
    title: str
    doc_number: str | None = None
    outcome: Outcome
    reason: str
    amount: str | None = None
    amount_value: float | None = None
    department: str | None = None
    window_start: dt.date | None = None
    deadline: dt.date | None = None
    failing: list[Check] = Field(default_factory=list)
    missing_facts: list[str] = Field(default_factory=list)
    missing: list[Check] = Field(default_factory=list)
    passed: list[Check] = Field(default_factory=list)
    to_confirm: list[Check] = Field(default_factory=list)

    def basis(self) -> list[Check]:
        """The checks the outcome rests on: failing ones, else missing ones, else the passed ones."""
        return self.failing or self.missing or self.passed


def _regions(text: str) -> list[str]:
    return _UNIT.findall(text.replace(" ", "")) or [text]


class Matcher:
    """Checks profiles against policies as of one date (a closed application window fails)."""

    def __init__(self, policies: Iterable[Policy], as_of: dt.date | None = None):
        self.policies = list(policies)
        self.as_of = as_of or dt.date.today()

    def match(self, profile: Profile) -> list[Decision]:
        """Every policy's decision for ``profile``: eligible first, then by value and deadline."""
        return sorted((self.decide(p, profile) for p in self.policies), key=_order)

    def decide(self, policy: Policy, profile: Profile) -> Decision:
        """One policy's decision for ``profile``."""
        checks = [self.check(c, profile) for c in policy.conditions]
        failing = [c for c in checks if c.status == "fail"]
        missing = [c for c in checks if c.status == "missing"]
        facts: list[str] = []
        for c in missing:
            facts += [f for f in c.missing if f not in facts]
        if failing:
            outcome: Outcome = "not_eligible"
            reason = "不符合：" + "；".join(c.reason for c in failing)
        elif missing:
            outcome = "possibly_eligible"
            reason = "需补充：" + "、".join(facts)
        else:
            outcome = "eligible"
            reason = "符合全部可核验条件" + ("，另有条件待确认" if any(c.status == "confirm" for c in checks) else "")
        return Decision(
            policy_id=policy.id, title=policy.title, doc_number=policy.doc_number, outcome=outcome, reason=reason,
            amount=policy.amount, amount_value=policy.amount_value, department=policy.department,
            window_start=policy.window.start, deadline=policy.window.end, failing=failing, missing_facts=facts,
            missing=missing, passed=[c for c in checks if c.status == "pass"],
            to_confirm=[c for c in checks if c.status == "confirm"],
        )

    def check(self, cond: Condition, p: Profile) -> Check:
        """Check one condition; unknown facts make it "missing", unstructured text "confirm"."""
        status, reason, missing = self._check(cond, p)
        return Check(kind=cond.kind, status=status, reason=reason, text=cond.text, citation=cond.citation,
                     missing=missing)

    def _check(self, c: Condition, p: Profile) -> tuple[Status, str, list[str]]:
        kind = c.kind
        if kind == "text":
            return "confirm", "待人工确认", []
        if kind == "region":
            return _region(c.values[0], p.region)
        if kind in ("industry", "industry_excluded"):
            sector = sector_of(p.industry)
            if sector is None:
                return "missing", f"行业未知或无法识别（{p.industry or '未填'}）", ["industry"]
            inside = in_sectors(sector, tuple(c.values))
            if kind == "industry":
                return ("pass", f"行业 {sector} 属于适用行业", []) if inside else ("fail", f"行业 {sector} 不在适用行业内", [])
            return ("fail", f"行业 {sector} 属于不适用行业", []) if inside else ("pass", f"行业 {sector} 不在排除行业内", [])
        if kind == "size":
            return _size(c, p)
        if kind == "years":
            if p.founded is None:
                return "missing", "成立日期未知", ["founded"]
            years = _full_years(p.founded, self.as_of)
            ok = _OPS[c.op or ">="](years, c.value or 0)
            return ("pass" if ok else "fail"), f"成立{years}年（要求{c.op}{c.value:g}年）", []
        if kind in METRICS:
            value = getattr(p, kind)
            if value is None:
                return "missing", f"{kind} 未知", [kind]
            ok = _OPS[c.op or "<="](value, c.value or 0)
            return ("pass" if ok else "fail"), f"{kind} {value:g}{c.unit or ''}（要求 {c.op} {c.value:g}{c.unit or ''}）", []
        if kind == "rd_ratio":
            return _rd_ratio(c, p)
        if kind == "certification":
            if p.certifications is None:
                return "missing", "资质认定情况未知", ["certifications"]
            held = [v for v in c.values if v in p.certifications]
            if held:
                return "pass", f"持有{held[0]}", []
            return "fail", f"未取得{'或'.join(c.values)}", []
        if kind == "taxpayer":
            if p.taxpayer_type is None:
                return "missing", "纳税人类型未知", ["taxpayer_type"]
            ok = p.taxpayer_type in c.values
            return ("pass" if ok else "fail"), ("小规模纳税人" if ok else "不是小规模纳税人"), []
        if kind == "exclusion":
            flag = c.values[0]
            value = getattr(p, flag)
            if value is None:
                return "confirm", f"{flag} 未说明，请确认", []
            return ("fail", f"存在不予支持情形（{flag}）", []) if value else ("pass", f"无 {flag}", [])
        if kind == "window":
            return self._window(c)
        return "confirm", "待人工确认", []

    def _window(self, c: Condition) -> tuple[Status, str, list[str]]:
        start, end = (dt.date.fromisoformat(v) if v else None for v in (c.values + ["", ""])[:2])
        if end is not None and end < self.as_of:
            return "fail", f"申报期已于{chinese_date(end)}结束", []
        if start is not None and start > self.as_of:
            return "pass", f"申报期{chinese_date(start)}开始", []
        return "pass", "在申报期内" + (f"，{chinese_date(end)}截止" if end else ""), []


def _region(policy_region: str, profile_region: str | None) -> tuple[Status, str, list[str]]:
    if not profile_region:
        return "missing", "所在地区未知", ["region"]
    want, have = _regions(policy_region), _regions(profile_region)
    if want[-1] in have:
        return "pass", f"位于{policy_region}", []
    if set(have) <= set(want):
        return "missing", f"所在地区只知道{profile_region}，需具体到{policy_region}", ["region"]
    return "fail", f"位于{profile_region}，政策适用于{policy_region}", []


def _size(c: Condition, p: Profile) -> tuple[Status, str, list[str]]:
    sector = sector_of(p.industry)
    sizes, unknown = possible_sizes(sector, {"headcount": p.headcount, "revenue": p.revenue, "assets": p.assets})
    allowed = set(c.values)
    wanted = "、".join(SIZE_NAMES[s] for s in c.values)
    shown = "、".join(SIZE_NAMES[s] for s in ("large", "medium", "small", "micro") if s in sizes)
    if sizes <= allowed:
        return "pass", f"企业规模为{shown}（要求{wanted}）", []
    if not sizes & allowed:
        return "fail", f"企业规模为{shown}，不属于{wanted}企业", []
    facts = (["industry"] if sector is None else []) + unknown
    return "missing", f"企业规模无法确定（可能为{shown}）", facts


def _rd_ratio(c: Condition, p: Profile) -> tuple[Status, str, list[str]]:
    facts = [f for f in ("revenue", "rd_expense") if getattr(p, f) is None]
    if facts:
        return "missing", "研发费用占比无法计算", facts
    revenue, rd = p.revenue or 0.0, p.rd_expense or 0.0
    need = next((pct for upper, pct in c.tiers if upper is None or revenue <= upper), c.tiers[-1][1])
    ratio = 100.0 * rd / revenue if revenue > 0 else 0.0
    status: Status = "pass" if ratio >= need else "fail"
    return status, f"研发费用占销售收入{ratio:.1f}%（要求不低于{need:g}%）", []


def _full_years(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _order(d: Decision) -> tuple:
    return (_OUTCOME_RANK[d.outcome], -(d.amount_value or 0.0), d.deadline or dt.date.max, d.policy_id)
