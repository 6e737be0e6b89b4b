"""The checklist (办事清单): per-matter requirements and one merged list across matters (一件事一次办)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.checklist.guide import Material, ServiceGuide

#: Where a matter usually sits in an enterprise's sequence of steps (lower = earlier).
_STAGES = (
    (("名称预先核准", "名称预核准", "名称核准", "核名"), 0),
    (("设立登记", "成立登记", "注册登记", "营业执照", "开业登记"), 1),
    (("用地", "用海", "海域", "岸线", "取水", "选址", "规划许可", "初步设计", "预审"), 2),
    (("竣工", "验收"), 5),
    (("备案",), 4),
)
_DEFAULT_STAGE = 3


def stage(g: ServiceGuide) -> int:
    """Step of a matter in a typical sequence: name check, establishment, land/resources, permits, filings, acceptance."""
    for words, value in _STAGES:
        if any(w in g.title for w in words):
            return value
    return _DEFAULT_STAGE


@dataclass
class Citation:
    """Where a requirement comes from: the guide (and its URL) or a regulation article."""

    source: str
    title: str
    article: str = ""
    url: str | None = None


@dataclass
class MatterItem:
    """One matter of the checklist with everything an applicant needs for it."""

    guide: ServiceGuide
    citation: Citation
    alternatives: list[dict[str, str]] = field(default_factory=list)  # look-alikes: id, name, department
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of one matter."""
        g = self.guide
        return {
            "id": g.id,
            "name": g.name,
            "title": g.title,
            "department": g.department,
            "matter_type": g.matter_type,
            "region": g.region,
            "variants": g.variants,
            "conditions": g.conditions,
            "materials": [asdict(m) for m in g.materials],
            "legal_time_limit": g.legal_time_limit,
            "promised_time_limit": g.promised_time_limit,
            "location": g.location,
            "fees": g.fees,
            "basis": g.basis,
            "citation": asdict(self.citation),
            "alternatives": self.alternatives,
            "confidence": round(self.confidence, 3),
        }


@dataclass
class MergedMaterial:
    """A material once, with the matters that ask for it."""

    name: str
    matters: list[str]  # matter ids
    form: str | None = None
    copies: int | None = None
    note: str | None = None


@dataclass
class Clarification:
    """The one question that tells look-alike candidates apart, and the candidates."""

    question: str
    candidates: list[dict[str, str]]


@dataclass
class Checklist:
    """The answer to one request: matters, merged materials, departments in order, maybe a question."""

    request: str
    matters: list[MatterItem]
    materials: list[MergedMaterial]
    departments: list[dict[str, Any]]  # {"department", "matters": [ids]} in the order to visit them
    clarification: Clarification | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of the whole checklist."""
        return {
            "request": self.request,
            "matters": [m.to_dict() for m in self.matters],
            "materials": [asdict(m) for m in self.materials],
            "departments": self.departments,
            "clarification": asdict(self.clarification) if self.clarification else None,
        }


def merge_materials(guides: list[ServiceGuide]) -> list[MergedMaterial]:
    """Union of the guides' materials in order, a shared material (same normalised name) listed once."""
    merged: dict[str, MergedMaterial] = {}
    for g in guides:
        for m in g.materials:
            _add(merged, m, g.id)
    return list(merged.values())


def _add(merged: dict[str, MergedMaterial], m: Material, matter_id: str) -> None:
    item = merged.get(m.key)
    if item is None:
        merged[m.key] = MergedMaterial(m.name, [matter_id], m.form, m.copies, m.note)
    elif matter_id not in item.matters:
        item.matters.append(matter_id)
        item.copies = max(filter(None, (item.copies, m.copies)), default=None)


def order_matters(guides: list[ServiceGuide]) -> list[ServiceGuide]:
    """Matters in the order to apply: by stage, then as ranked (stable)."""
    return sorted(guides, key=stage)


def order_departments(guides: list[ServiceGuide]) -> list[dict[str, Any]]:
    """Departments in the order of their earliest matter; each with its matters."""
    out: dict[str, dict[str, Any]] = {}
    for g in order_matters(guides):
        out.setdefault(g.department, {"department": g.department, "matters": []})["matters"].append(g.id)
    return list(out.values())


def citation_for(g: ServiceGuide) -> Citation:
    """The guide itself as the citation of its requirements."""
    return Citation(source=g.source or "service-guides", title=f"{g.title}（{g.department}办事指南）", url=g.url)
