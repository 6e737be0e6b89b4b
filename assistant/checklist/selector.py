"""Decide which matters (事项) a request needs: candidates, one guide per matter family, how many matters."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from assistant.checklist.asks import fit_to_asks
from assistant.checklist.catalogue import GuideCatalogue
from assistant.checklist.departments import DepartmentNames
from assistant.checklist.features import FEATURES, candidate_features, clause_orders, head_grams
from assistant.checklist.guide import ServiceGuide
from assistant.checklist.text import bigrams, clauses, expand
from assistant.checklist.variants import (
    EXCEPTIONAL,
    family_name,
    guide_variants,
    in_guangzhou,
    request_variants,
    stated_variants,
    title_variants,
)

#: Words that say outright that several matters are asked for: the bar for a further matter is lower.
STRONG_MULTI_CUES = ("分别", "两方面", "几方面", "几件事", "这两项", "这几项", "哪些证", "哪些手续", "各要", "各自")
STRONG_MULTI_FACTOR = 0.75

#: Guides with no material list cannot make a checklist (mostly 查询/咨询 services): pushed down, not removed.
NO_MATERIALS_PENALTY = 10.0

#: A request asks to apply for something: 查询 services (结果查询/信息查询) fit only a request that asks to look up.
LOOKUP_PENALTY = 5.0
#: A guide of the variant the request asks for (到期 → …续期审核) is raised; an exceptional variant not asked is lowered.
VARIANT_MATCH = 4.0  # an exceptional variant asked for (延续/变更/注销/补发); the usual new case gets a quarter
VARIANT_CLASH = 3.0
#: A guide of a department the request names (交通部门要办哪些审批) is raised.
DEPARTMENT_MATCH = 4.0

#: Logistic model over FEATURES for "this further matter is needed too", fitted on the dev set and our two probe
#: sets together (82 requests; `evals/checklist.py --calibrate` on the three refits it and reports leave-one-out
#: numbers).
WEIGHTS = (1.195, 0.542, 1.518, 0.165, 0.514, 0.594, 0.639, -0.927, 0.514, 0.709, 1.104, 1.509, 0.722)
INTERCEPT = -5.309
THRESHOLD = 0.4

#: A request to open a market entity (厂/店/公司 …): 企业开办 needs its establishment registration too.
OPENING = re.compile(
    r"(?:新开|开办|开设|成立|筹建|[开办](?:个|一个|一家|家|间|一间))[^，。；？,了]{0,10}"
    r"(?:厂|店|公司|门店|餐厅|饭店|超市|作坊|工作室)"
)
#: Names of establishment registrations (设立登记/营业执照).
ESTABLISHMENT = ("设立登记", "营业执照", "开业登记", "企业开办")


@dataclass
class MatterCandidate:
    """One matter family for a request: the guide chosen for it and its look-alikes."""

    guide: ServiceGuide
    score: float
    family: str
    alternatives: list[ServiceGuide] = field(default_factory=list)  # same matter, other variant/department
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 1.0


class MatterSelector:
    """Ranks matter families for a request and picks the ones it needs."""

    def __init__(
        self,
        catalogue: GuideCatalogue,
        pool: int = 60,
        families: int = 8,
        max_matters: int = 5,
        threshold: float = THRESHOLD,
        weights: tuple[float, ...] = WEIGHTS,
        intercept: float = INTERCEPT,
    ):
        if not 0 < threshold < 1:
            raise ValueError("threshold must be in (0, 1)")
        self.catalogue = catalogue
        self.pool = pool
        self.families = families
        self.max_matters = max_matters
        self.threshold = threshold
        self.weights = np.asarray(weights, dtype=np.float64)
        self.intercept = intercept
        self._has_materials: np.ndarray | None = None
        self._lookup: np.ndarray | None = None
        self._variant_marks: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._departments = DepartmentNames([])
        self._department_of = np.array([], dtype=object)

    def warm_up(self) -> None:
        """Build the catalogue index."""
        self.catalogue.warm_up()
        guides = self.catalogue.guides
        self._has_materials = np.array([g.has_materials for g in guides])
        self._lookup = np.array(["查询" in g.title for g in guides])
        titled = [title_variants(g) for g in guides]
        stated = [stated_variants(g) for g in guides]
        # per variant: guides whose title names it, and guides qualified only by exceptional variants incl. it
        self._variant_marks = {
            v: (
                np.array([v in t for t in titled]),
                np.array([v in s and s <= EXCEPTIONAL for s in stated]),
            )
            for v in {v for t in titled for v in t} | EXCEPTIONAL
        }
        self._families_of = [family_name(g) for g in guides]
        self._departments = DepartmentNames(g.department for g in guides)
        self._department_of = np.array([g.department for g in guides], dtype=object)

    def candidates(self, request: str) -> list[MatterCandidate]:
        """Matter families ranked for ``request``, each with its best-fitting guide and features."""
        if self._has_materials is None:
            self.warm_up()
        parts = [c for c in clauses(request) if len(c) >= 4]
        vectors = self._embed([request, *parts])
        prior = self._prior(request)
        scores = self._scores(request, vectors[0]) + prior
        ranked = self._families(request, scores)[: self.families]
        if not ranked:
            return []
        _prefer_echoed_sibling(request, ranked)
        clause_scores = [self._scores(c, v) + prior for c, v in zip(parts, vectors[1:])]
        orders = clause_orders(self._families_of, clause_scores, self.pool)
        candidate_features(request, ranked, orders, self.catalogue.by_id, self._departments.named(request))
        return ranked

    def select(self, request: str) -> tuple[list[MatterCandidate], list[MatterCandidate]]:
        """(chosen matters, the other candidates) for ``request``; the best family is always chosen."""
        ranked = self.candidates(request)
        if not ranked:
            return [], []
        chosen = [ranked[0]]
        rest = []
        bar = self.threshold * (STRONG_MULTI_FACTOR if any(c in request for c in STRONG_MULTI_CUES) else 1.0)
        for cand in ranked[1:]:
            cand.probability = self._probability(cand.features)
            if cand.probability >= bar and len(chosen) < self.max_matters:
                chosen.append(cand)
            else:
                rest.append(cand)
        # what the request says of its matters: one for each item it names (起名和登记), as many as it counts
        chosen, rest = fit_to_asks(request, chosen, rest)
        registration = self._establishment(request, chosen)
        if registration is not None:
            chosen.insert(0, registration)
        chosen.extend(self._after_name_check(request, chosen, rest))
        return chosen, rest

    def _after_name_check(
        self, request: str, chosen: list[MatterCandidate], rest: list[MatterCandidate]
    ) -> list[MatterCandidate]:
        """A name check (名称预先核准) is the first step of establishing that subject: add its registration too."""
        if not any(w in request for w in ("登记", "设立", "成立", "开业", "新设", "开一家", "开个")):
            return []
        out = []
        for cand in chosen:
            if not any(w in cand.guide.title for w in NAME_CHECK):
                continue
            subject = re.split("|".join(NAME_CHECK), cand.guide.title)[0][:6]
            if len(subject) < 2 or any(subject in c.guide.title and _is_setup(c.guide) for c in chosen):
                continue
            follow = next((c for c in rest if c.guide.title.startswith(subject) and _is_setup(c.guide)), None)
            if follow is None:
                follow = self._setup_from_catalogue(request, subject)
            else:
                rest.remove(follow)
            if follow is not None and follow not in out:
                out.append(follow)
        return out

    def _setup_from_catalogue(self, request: str, subject: str) -> MatterCandidate | None:
        """The set-up matter of ``subject`` anywhere in the catalogue, the guide of the request's jurisdiction."""
        guides = self.catalogue.guides
        pool = [i for i, g in enumerate(guides) if g.title.startswith(subject) and _is_setup(g) and g.has_materials]
        if not pool:
            return None
        scores = self.catalogue.signals(expand(request)).combined()
        fits = {
            i: scores[i] + _member_fit(guides[i], request_variants(request), in_guangzhou(request), request, bigrams(request))
            for i in pool
        }
        best = max(pool, key=fits.get)
        g = guides[best]
        return MatterCandidate(g, float(scores[best]), family_name(g), probability=0.5)

    def _establishment(self, request: str, chosen: list[MatterCandidate]) -> MatterCandidate | None:
        """The establishment registration a request to open a business needs, unless already chosen."""
        if not OPENING.search(request) or any(_is_establishment(c.guide) for c in chosen):
            return None
        pool = [i for i, g in enumerate(self.catalogue.guides) if _is_establishment(g) and g.has_materials]
        if not pool:
            return None
        scores = self.catalogue.signals(expand(request)).combined()
        best = max(pool, key=lambda i: scores[i])
        g = self.catalogue.guides[best]
        return MatterCandidate(g, float(scores[best]), family_name(g), probability=0.5)

    # -- scoring -------------------------------------------------------------------------------

    def _embed(self, texts: list[str]) -> list[np.ndarray | None]:
        if self.catalogue.embedder is None:
            return [None] * len(texts)
        return list(np.asarray(self.catalogue.embedder.embed_queries(texts), dtype=np.float32))

    def _scores(self, text: str, vector: np.ndarray | None) -> np.ndarray:
        sig = self.catalogue.signals(expand(text), vector)
        return sig.combined() - NO_MATERIALS_PENALTY * ~self._has_materials

    def _prior(self, request: str) -> np.ndarray:
        """Request-wide adjustments: 查询 services, variants the request does or does not ask for, the
        departments it names."""
        prior = np.zeros(len(self.catalogue.guides))
        named = self._departments.named(request)
        if named:
            prior += DEPARTMENT_MATCH * np.isin(self._department_of, list(named))
        if "查" not in request:
            prior -= LOOKUP_PENALTY * self._lookup
        asked = request_variants(expand(request))
        matched = np.zeros(len(prior))
        for v in asked & self._variant_marks.keys():
            weight = 1.0 if v in EXCEPTIONAL else 0.25
            matched = np.maximum(matched, weight * self._variant_marks[v][0])
        clash = np.zeros(len(prior), dtype=bool)
        for v in EXCEPTIONAL - asked:
            clash |= self._variant_marks[v][1]
        return prior + VARIANT_MATCH * matched - VARIANT_CLASH * (clash & (matched == 0))

    def _families(self, request: str, scores: np.ndarray) -> list[MatterCandidate]:
        guides = self.catalogue.guides
        asked = request_variants(request)
        guangzhou = in_guangzhou(request)
        request_grams = bigrams(request)
        groups: dict[str, list[tuple[float, float, ServiceGuide]]] = {}
        for i in np.argsort(-scores)[: self.pool]:
            g = guides[i]
            fit = scores[i] + _member_fit(g, asked, guangzhou, request, request_grams)
            groups.setdefault(family_name(g), []).append((fit, float(scores[i]), g))
        out = []
        for family, members in groups.items():
            members.sort(key=lambda m: -m[0])
            best = members[0][2]
            out.append(
                MatterCandidate(
                    guide=best,
                    score=max(m[1] for m in members),
                    family=family,
                    alternatives=[m[2] for m in members[1:]],
                )
            )
        out.sort(key=lambda c: -c.score)
        return out

    def _probability(self, features: dict[str, float]) -> float:
        x = np.array([features[f] for f in FEATURES])
        return float(1.0 / (1.0 + math.exp(-(x @ self.weights + self.intercept))))


#: Words of a name check and of setting up the named subject.
NAME_CHECK = ("名称预先核准", "名称预核准", "名称核准")
_SETUP = ("设立登记", "成立登记", "设立许可", "设立审批", "设立")


def _is_setup(g: ServiceGuide) -> bool:
    return any(w in g.title for w in _SETUP) and not any(w in g.title for w in NAME_CHECK + ("变更", "注销"))


def _is_establishment(g: ServiceGuide) -> bool:
    return any(w in g.title for w in ESTABLISHMENT) and not any(w in g.title for w in ("变更", "注销", "出质"))


def _member_fit(g: ServiceGuide, asked: set[str], guangzhou: bool, request: str, request_grams: set[str]) -> float:
    """How well one guide of a family fits the request's variant, jurisdiction and sub-case wording."""
    marks = guide_variants(g)
    if asked:
        variant = 1.0 if marks & asked else (-1.0 if marks else 0.0)
    else:  # nothing asked: the plain or new application is the usual case
        variant = 0.5 if not marks or "新申请" in marks else 0.0
    city = (g.region or "").endswith("市")
    region = 1.0 if city == guangzhou else 0.0
    # a special zone's office only when the request names the zone
    zone = -0.5 if guangzhou and "管理委员会" in g.department and not _zone_named(g.department, request) else 0.0
    # only the sub-case's own words tell sub-cases apart: those it shares with the head name match every sibling
    sub = bigrams(" ".join(re.findall(r"[（(]([^（）()]*)", g.title))) - head_grams(g)
    sub_cover = len(sub & request_grams) / len(sub) if sub else 0.0
    return 3 * variant + 3 * region + 3 * zone + 10 * sub_cover


#: A near-namesake this close to the best matter may take its place (出省… over 省内… when the request says 出省).
SIBLING_RATIO = 0.9
SIBLING_OVERLAP = 0.5


def _prefer_echoed_sibling(request: str, ranked: list[MatterCandidate]) -> None:
    """Put first the near-namesake of the best matter whose own words the request uses when the best's are not."""
    first = ranked[0]
    grams = bigrams(request)
    head = head_grams(first.guide)
    for i, cand in enumerate(ranked[1:3], 1):
        other = head_grams(cand.guide)
        if cand.score < SIBLING_RATIO * first.score or len(head & other) < SIBLING_OVERLAP * min(len(head), len(other)):
            continue
        own, theirs = other - head, head - other
        if own & grams and not theirs & grams:
            ranked[0], ranked[i] = cand, first
            return


def _zone_named(department: str, request: str) -> bool:
    head = department.replace("广州", "").replace("管理委员会", "")[:2]
    return bool(head) and head in request
