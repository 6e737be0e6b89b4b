"""Features of a further matter candidate: how strongly the request asks for it besides the best matter."""

from __future__ import annotations

import math
import re
from collections.abc import Set as AbstractSet

import numpy as np

from assistant.checklist.guide import ServiceGuide
from assistant.checklist.text import bigrams, expand
from assistant.checklist.variants import request_variants, title_variants

#: Words that say a request asks for several things at once (一件事 with several matters).
MULTI_CUES = ("分别", "两方面", "几件事", "哪些证", "哪些手续", "整个流程", "从", "另外", "还", "以及", "两张", "两笔", "一起", "和")

FEATURES = (
    "multi_x_ratio", "multi", "ratio", "novel", "clause_top", "clause_ratio", "coverage", "log_rank",
    "clause_own", "lookalike", "clause_margin", "variant_novel", "department",
)

_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")


def head_grams(g: ServiceGuide) -> set[str]:
    """Bigrams of a guide's name without its sub-case brackets."""
    return bigrams(_BRACKETS.sub("", g.title)) or bigrams(g.title)


def clause_orders(families: list[str], clause_scores: list[np.ndarray], pool: int) -> list[tuple[list[str], np.ndarray, float]]:
    """Per clause: its families best first, its scores and its best score."""
    out = []
    for cs in clause_scores:
        order: list[str] = []
        for i in np.argsort(-cs)[:pool]:
            if families[i] not in order:
                order.append(families[i])
        out.append((order, cs, float(cs.max()) or 1e-6))
    return out


def candidate_features(
    request: str, ranked: list, orders: list, index: dict[str, int], departments: AbstractSet[str] = frozenset()
) -> None:
    """Set ``features`` on every ranked candidate (see FEATURES); ``departments``: those the request names."""
    top = ranked[0].score or 1e-6
    multi = 1.0 if any(c in request for c in MULTI_CUES) else 0.0
    request_grams = bigrams(request)
    top_grams = head_grams(ranked[0].guide) & request_grams
    heads = [head_grams(c.guide) for c in ranked]
    # clauses the best matter does not explain: a candidate topping one of them is a matter of its own
    free = [o for o in orders if o[0] and o[0][0] != ranked[0].family]
    first = [index[g.id] for g in (ranked[0].guide, *ranked[0].alternatives)]
    first_best = [max(cs[m] for m in first) for _, cs, _ in orders]  # the best matter's score in each clause
    asked = request_variants(expand(request))
    first_variants = title_variants(ranked[0].guide)
    for rank, cand in enumerate(ranked):
        members = [index[g.id] for g in (cand.guide, *cand.alternatives)]
        shared = heads[rank] & request_grams
        clause_rank = min((o.index(cand.family) if cand.family in o else 50 for o, _, _ in orders), default=50)
        best = [max(cs[m] for m in members) for _, cs, _ in orders]  # its score in each clause
        clause_ratio = max((b / cmax for b, (_, _, cmax) in zip(best, orders)), default=0.0)
        # a near-namesake of a better candidate (its 查询/补发/其他层级 twin) is rarely a second matter
        lookalike = max(
            (len(heads[rank] & h) / max(1, min(len(heads[rank]), len(h))) for h in heads[:rank]), default=0.0
        )
        # in the clause that speaks most for it, how far it outscores the best matter (a clause of its own need)
        margin = max(((b - f) / cmax for b, f, (_, _, cmax) in zip(best, first_best, orders)), default=0.0)
        cand.features = {
            "multi_x_ratio": multi * cand.score / top,
            "multi": multi,
            "ratio": cand.score / top,
            "novel": float(min(len(shared - top_grams), 4)),
            "clause_top": 1.0 if clause_rank == 0 else 0.0,
            "clause_ratio": float(clause_ratio),
            "coverage": len(shared) / max(1, len(heads[rank])),
            "log_rank": math.log1p(rank),
            "clause_own": 1.0 if rank and any(o[0] == cand.family for o, _, _ in free) else 0.0,
            "lookalike": float(lookalike),
            "clause_margin": float(min(1.0, max(-1.0, margin))),
            # it is the variant the request asks for beside the best matter's (one engineer changes, one leaves)
            "variant_novel": 1.0 if rank and (title_variants(cand.guide) & asked) - first_variants else 0.0,
            # the request names the department it deals with (水利部门要批哪些): one of its matters, or another's
            "department": (1.0 if cand.guide.department in departments else -1.0) if departments else 0.0,
        }
