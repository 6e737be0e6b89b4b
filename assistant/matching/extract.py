"""Eligibility conditions from a policy's text: rules over the Chinese wording, each kept with its sentence.

Sections are read by role: who may apply (支持对象, 申报条件, 不予…情形) gives the conditions; what is
paid (奖励标准, 支持政策) gives the amount and, when every grant names one, the certifications it is for.
A sentence that no rule can structure becomes a "to confirm" text condition.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from assistant.matching.conditions import ApplyWindow, Citation, Condition, Policy
from assistant.matching.numbers import chinese_date, date_range, largest_amount, to_wan
from assistant.matching.reading import PolicyDocument
from assistant.matching.sme import sectors_named
from assistant.matching.vocabulary import (
    certifications_in,
    exclusion_flags,
    without_book_titles,
    without_certifications,
)

_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_SUB = re.compile(r"^（[一二三四五六七八九十]+）")
_ITEM = re.compile(r"^(\d+)\.\s*")
_ELIGIBILITY = re.compile(r"对象|条件|适用范围|不予")
_BENEFIT = re.compile(r"奖励|补助|补贴|优惠|支持政策|支持内容|标准|贷款|返还")
_PROCESS = re.compile(r"申报|程序|流程|办理|享受方式")
_EXCLUDING = re.compile(r"不予|不得|不适用|不享受|情形之一")
_PROJECT = re.compile(r"项目|投资|投入|采购|招用|吸纳|劳动合同|保单|出口额|担保|贷款|保费")
_BOILERPLATE = re.compile(r"(?:下列|以下).{0,6}(?:条件|情形|标准)|应当同时符合|情形之一")
_DEFINITION = re.compile(r"所称|是指|包括|的为|为准|确定")
_KEEP_DEFINITION = re.compile(r"限制|禁止")
_REGION = re.compile(r"本县.{0,4}(?:登记|注册|依法|创业|参加|经营)|(?:登记|注册|税收解缴关系)在本县|在本县.{0,8}(?:登记|注册)")
_INDUSTRY = {"工业企业": ("B", "C", "D"), "制造业企业": ("C",)}
_SIZE_SME = re.compile(r"中小微?型?企业")
_SIZE_SMALL = re.compile(r"小型[、和及与]?微型企业|小微型?企业")
_METRIC = re.compile(
    r"(?P<noun>职工总数|从业人数|从业人员|职工人数|员工人数|年?销售收入|年?营业收入|年?主营业务收入|资产总额|应纳税所得额)"
    r"(?P<mid>[^\d，；。、]{0,6}?)(?P<num>\d+(?:\.\d+)?)(?P<unit>亿元|万元|人)(?:（含）)?(?P<tail>及以上|及以下|以上|以下)?"
)
_NOUN_KIND = {"职工": "headcount", "从业": "headcount", "员工": "headcount", "收入": "revenue", "资产": "assets",
              "所得额": "taxable_income"}
_YEARS = re.compile(r"(?:登记注册|注册|成立|设立)(?:时间)?满(\d+)(?:周)?年|成立(\d+)年以上")
_RD_TIER = re.compile(r"(\d+(?:\.\d+)?)(亿元|万元)（含）的不低于(\d+(?:\.\d+)?)%")
_RD_TOP = re.compile(r"(\d+(?:\.\d+)?)(亿元|万元)以上的不低于(\d+(?:\.\d+)?)%")
_GRANT = re.compile(r"给予.*?\d+(?:\.\d+)?(?:万元|元)|\d+(?:\.\d+)?(?:万元|元).*?给予")
_DEPARTMENT = re.compile(r"(?:示例县|[\u4e00-\u9fff]{2,6}[县市区])?[\u4e00-\u9fff]{2,10}?局")


def _cmp(mid: str, tail: str | None) -> str | None:
    for words, op in ((("不超过", "不高于", "以下", "以内"), "<="), (("不低于", "不少于", "达到", "以上"), ">="),
                      (("超过", "高于", "大于"), ">"), (("低于", "小于"), "<")):
        if any(w in mid for w in words) or (tail and any(w in tail for w in words)):
            return op
    return None


@dataclass
class _Context:
    """Where a line sits: its section heading, sub-item and list item, and the lead-in it continues."""

    heading: str = ""
    sub: str = ""
    item: str = ""
    lead: str = ""

    def article(self) -> str:
        return "".join(p for p in (self.heading, self.sub, f" {self.item}" if self.item else "") if p).strip()


@dataclass
class _Found:
    conditions: list[Condition] = field(default_factory=list)
    grants: list[tuple[str, Citation]] = field(default_factory=list)
    process: list[tuple[str, Citation]] = field(default_factory=list)

    def add(self, cond: Condition) -> None:
        for c in self.conditions:
            same = c.kind == cond.kind and c.values == cond.values and c.op == cond.op and c.value == cond.value
            if same and (c.kind != "text" or c.text == cond.text):
                return
        self.conditions.append(cond)


class PolicyExtractor:
    """Turns a policy document into a :class:`Policy` with structured and "to confirm" conditions."""

    def run(self, doc: PolicyDocument, policy_id: str | None = None) -> Policy:
        """Extract one policy."""
        found = _Found()
        ctx = _Context()
        for line in doc.lines:
            if line == doc.title:
                continue
            if _HEADING.match(line):
                ctx = _Context(heading=line)
                continue
            sub = _SUB.match(line)
            item = _ITEM.match(line)
            if sub:
                ctx.sub, ctx.item, ctx.lead = sub.group(0), "", ""
            elif item:
                ctx.item = item.group(0).strip()
            else:
                ctx.item, ctx.lead = "", ""
            cite = Citation(source=doc.source, title=doc.title, article=ctx.article(), version_date=doc.version_date)
            if _ELIGIBILITY.search(ctx.heading):
                self._eligibility(line, ctx, cite, doc, found)
            elif _BENEFIT.search(ctx.heading):
                self._benefit(line, ctx, cite, found)
            if _PROCESS.search(ctx.heading):
                found.process.append((line, cite))
            if line.endswith("：") and not item:
                ctx.lead = line
        return self._policy(doc, policy_id, found)

    # -- who may apply ---------------------------------------------------------------------
    def _eligibility(self, line: str, ctx: _Context, cite: Citation, doc: PolicyDocument, found: _Found) -> None:
        lead = ctx.lead if ctx.item else ""
        shown = f"{lead}{line}" if lead else line
        excluding = bool(_EXCLUDING.search(lead)) or "不予" in ctx.heading
        if lead and "行业" in lead and excluding:
            codes = sectors_named(line)
            found.add(Condition(kind="industry_excluded", text=shown, citation=cite, values=list(codes)) if codes
                      else _text(shown, cite))
            return
        if lead and _PROJECT.search(lead):
            found.add(_text(shown, cite))  # a list under "项目…达到以下标准" is about the claim, not the enterprise
            return
        if excluding and ctx.item or ("不予" in ctx.heading and ctx.sub):
            flags = exclusion_flags(line)
            for flag in flags:
                found.add(Condition(kind="exclusion", text=shown, citation=cite, values=[flag]))
            if not flags:
                found.add(_text(shown, cite))
            return
        if line.endswith("：") and not _KEEP_DEFINITION.search(line):
            return  # a lead-in: its words are carried into each item below it
        if re.search(r"研究开发费用|研发费用", line) and "比例" in line:
            tiers = _rd_tiers(line)
            if tiers:
                found.add(Condition(kind="rd_ratio", text=line, citation=cite, tiers=tiers, unit="%"))
                return
        unsure = False
        for sentence in re.split(r"(?<=。)", line):
            if not sentence.strip():
                continue
            if _DEFINITION.search(sentence) and not _KEEP_DEFINITION.search(sentence):
                continue
            for clause in re.split(r"[，；。]", sentence):
                if clause.strip() and not self._clause(clause, line, cite, doc, found):
                    unsure = True
        if unsure:
            found.add(_text(line, cite))

    def _clause(self, clause: str, line: str, cite: Citation, doc: PolicyDocument, found: _Found) -> bool:
        """Structure one clause; False when some of it is left for a person to confirm."""
        clause = _SUB.sub("", _ITEM.sub("", clause.strip()))
        if _BOILERPLATE.search(clause):
            return True
        new: list[Condition] = [Condition(kind="exclusion", text=line, citation=cite, values=[f])
                                for f in exclusion_flags(clause)]
        if _REGION.search(clause) and doc.region:
            new.append(Condition(kind="region", text=line, citation=cite, values=[doc.region]))
        new += [Condition(kind="industry", text=line, citation=cite, values=list(codes))
                for word, codes in _INDUSTRY.items() if word in clause]
        new += [Condition(kind="certification", text=line, citation=cite, values=[cert])
                for cert in certifications_in(clause)]
        project = bool(_PROJECT.search(clause))
        if not project:
            new += _sizes_and_numbers(clause, line, cite)
        for cond in new:
            found.add(cond)
        if project:
            return False  # the claim itself (a project, a hire, a loan) is for the enterprise to confirm
        return bool(new) or len(re.findall(r"[\u4e00-\u9fff]", clause)) < 6

    # -- what is paid ----------------------------------------------------------------------
    def _benefit(self, line: str, ctx: _Context, cite: Citation, found: _Found) -> None:
        if ctx.item and ctx.lead and "条件" in ctx.lead:
            found.add(_text(f"{ctx.lead}{line}", cite))
        elif _GRANT.search(line.replace("再给予", "")):  # a top-up (再给予) is no grant of its own
            found.grants.append((line, cite))

    # -- the policy ------------------------------------------------------------------------
    def _policy(self, doc: PolicyDocument, policy_id: str | None, found: _Found) -> Policy:
        meta = doc.meta
        conds = found.conditions
        grant_certs = [certifications_in(text) for text, _ in found.grants]
        required = {v for c in conds if c.kind == "certification" for v in c.values}
        union = sorted({c for cs in grant_certs for c in cs})
        if found.grants and all(grant_certs) and not required & set(union):
            text = "\n".join(t for t, _ in found.grants)
            conds.append(Condition(kind="certification", text=text, citation=found.grants[0][1], values=union))
        if "小规模纳税人" in doc.title:
            cite, text = _first_mention(doc, "小规模纳税人")
            conds.append(Condition(kind="taxpayer", text=text, citation=cite, values=["small_scale"]))
        if doc.region and not any(c.kind == "region" for c in conds):
            cite = Citation(source=doc.source, title=doc.title, version_date=doc.version_date)
            conds.insert(0, Condition(kind="region", text=f"适用地区：{doc.region}", citation=cite, values=[doc.region]))
        window = _window(meta, found, doc)
        if window is not None:
            conds.append(window[1])
        amount = meta.get("amount") or "；".join(t for t, _ in found.grants[:3]) or None
        return Policy(
            id=policy_id or PurePosixPath(doc.source).stem,
            title=doc.title,
            source=doc.source,
            version_date=doc.version_date,
            region=doc.region,
            doc_number=meta.get("doc_number"),
            department=meta.get("department") or _department(found),
            amount=amount,
            amount_value=largest_amount(amount) if amount else None,
            window=window[0] if window else ApplyWindow(),
            conditions=_ordered(conds),
        )


def _sizes_and_numbers(clause: str, line: str, cite: Citation) -> list[Condition]:
    """Size words (中小企业, 小微企业), thresholds (职工总数不超过500人) and years since registration."""
    out: list[Condition] = []
    plain = without_certifications(clause)
    if _SIZE_SMALL.search(plain):
        out.append(Condition(kind="size", text=line, citation=cite, values=["small", "micro"]))
    elif _SIZE_SME.search(plain):
        out.append(Condition(kind="size", text=line, citation=cite, values=["medium", "small", "micro"]))
    for m in _METRIC.finditer(clause):
        op = _cmp(m.group("mid"), m.group("tail"))
        if op is None:
            continue  # a figure without a comparison is a definition or an example, not a threshold
        kind = next(k for w, k in _NOUN_KIND.items() if w in m.group("noun"))
        people = m.group("unit") == "人"
        value = float(m.group("num")) if people else to_wan(m.group("num"), m.group("unit"))
        out.append(Condition(kind=kind, text=line, citation=cite, op=op, value=value, unit="人" if people else "万元"))
    for m in _YEARS.finditer(clause):
        out.append(Condition(kind="years", text=line, citation=cite, op=">=", value=float(m.group(1) or m.group(2)),
                             unit="年"))
    return out


_ORDER = ("region", "industry", "industry_excluded", "size", "years", "headcount", "revenue", "assets",
          "taxable_income", "rd_ratio", "certification", "taxpayer", "exclusion", "window", "text")


def _ordered(conds: list[Condition]) -> list[Condition]:
    return sorted(conds, key=lambda c: _ORDER.index(c.kind))


def _text(text: str, cite: Citation) -> Condition:
    return Condition(kind="text", text=text, citation=cite)


def _rd_tiers(line: str) -> list[tuple[float | None, float]]:
    tiers: list[tuple[float | None, float]] = [(to_wan(n, u), float(p)) for n, u, p in _RD_TIER.findall(line)]
    tiers.sort(key=lambda t: t[0] or 0)
    tiers += [(None, float(p)) for _, _, p in _RD_TOP.findall(line)]
    return tiers


def _first_mention(doc: PolicyDocument, word: str) -> tuple[Citation, str]:
    heading = ""
    for line in doc.lines:
        if _HEADING.match(line):
            heading = line
        elif word in without_book_titles(line) and line != doc.title:
            return Citation(source=doc.source, title=doc.title, article=heading, version_date=doc.version_date), line
    return Citation(source=doc.source, title=doc.title, version_date=doc.version_date), doc.title


def _window(meta: dict, found: _Found, doc: PolicyDocument) -> tuple[ApplyWindow, Condition] | None:
    """The application window: the front matter's, cited to the sentence that states it when there is one."""
    declared = meta.get("apply_window") if isinstance(meta.get("apply_window"), dict) else None
    start = end = None
    if declared:
        try:
            start = dt.date.fromisoformat(str(declared.get("start"))) if declared.get("start") else None
            end = dt.date.fromisoformat(str(declared.get("end"))) if declared.get("end") else None
        except ValueError:
            start = end = None
    for text, cite in found.process:
        span = date_range(text)
        if span and (start is None or span == (start, end)):
            start, end = span
            return ApplyWindow(start=start, end=end), Condition(kind="window", text=text, citation=cite,
                                                                values=_iso(start, end))
    if start is None and end is None:
        return None
    shown = f"申报期间：{chinese_date(start) if start else '—'}至{chinese_date(end) if end else '—'}"
    cite = Citation(source=doc.source, title=doc.title, version_date=doc.version_date)
    return ApplyWindow(start=start, end=end), Condition(kind="window", text=shown, citation=cite,
                                                        values=_iso(start, end))


def _iso(start: dt.date | None, end: dt.date | None) -> list[str]:
    return [start.isoformat() if start else "", end.isoformat() if end else ""]


def _department(found: _Found) -> str | None:
    for text, _ in found.process:
        m = _DEPARTMENT.search(text)
        if m:
            return m.group(0).lstrip("由向经会同报送")  # 由县科学技术局受理 → 县科学技术局
    return None
