"""When look-alike guides fit a request equally well, name them and ask the one question that separates them."""

from __future__ import annotations

from assistant.checklist.checklist import Clarification
from assistant.checklist.guide import ServiceGuide
from assistant.checklist.selector import MatterCandidate
from assistant.checklist.variants import GUANGZHOU_PLACES, guide_variants, in_guangzhou, request_variants

_MAX_CHOICES = 6


def clarification(request: str, chosen: list[MatterCandidate]) -> Clarification | None:
    """The first open ambiguity among the chosen matters (variant, then jurisdiction, then department)."""
    for cand in chosen:
        question = _variant_question(request, cand) or _jurisdiction_question(request, cand)
        if question:
            return question
    return None


def _summary(g: ServiceGuide) -> dict[str, str]:
    return {"id": g.id, "name": g.title, "department": g.department, "region": g.region or ""}


def _variant_question(request: str, cand: MatterCandidate) -> Clarification | None:
    if request_variants(request):
        return None
    same_department = [a for a in cand.alternatives if a.department == cand.guide.department]
    options = [g for g in (cand.guide, *same_department) if g.title != cand.guide.title or g is cand.guide]
    labels = _unique(_case_label(g) for g in options)
    if len(labels) < 2 or not any(guide_variants(g) for g in options):
        return None
    shown = labels[:_MAX_CHOICES]
    return Clarification(
        question=f"「{cand.family}」分几种情形，您要办理的是哪一种：{'、'.join(shown)}？",
        candidates=[_summary(g) for g in options[:_MAX_CHOICES]],
    )


def _jurisdiction_question(request: str, cand: MatterCandidate) -> Clarification | None:
    twins = [a for a in cand.alternatives if a.title == cand.guide.title and a.department != cand.guide.department]
    if not twins:
        return None
    options = [cand.guide, *twins][:_MAX_CHOICES]
    levels = {(g.region or "").endswith("市") for g in options}
    if len(levels) > 1 and not in_guangzhou(request):
        city = next(g for g in options if (g.region or "").endswith("市"))
        province = next(g for g in options if not (g.region or "").endswith("市"))
        question = (
            f"「{cand.guide.name}」省、市两级都能办理：企业或项目在广州市吗？"
            f"（在广州市的由{city.department}受理，其他地区由{province.department}受理）"
        )
    elif len(levels) == 1 and not any(_named(g.department, request) for g in options):
        departments = "、".join(_unique(g.department for g in options))
        question = f"「{cand.guide.name}」由不同部门按辖区分别办理（{departments}），您的项目位于哪个辖区？"
    else:
        return None
    return Clarification(question=question, candidates=[_summary(g) for g in options])


def _case_label(g: ServiceGuide) -> str:
    if g.variants:
        return g.variants[0]
    return g.title


def _named(department: str, request: str) -> bool:
    return any(p in department and p in request and p != "广州" for p in GUANGZHOU_PLACES)


def _unique(items) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
