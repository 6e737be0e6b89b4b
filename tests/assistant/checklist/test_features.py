from __future__ import annotations

import numpy as np

from assistant.checklist.features import candidate_features, clause_orders
from assistant.checklist.guide import ServiceGuide
from assistant.checklist.selector import MatterCandidate


def _cand(name: str, score: float) -> MatterCandidate:
    return MatterCandidate(ServiceGuide(id=name, name=name, department="d"), score, family=name)


def test_a_clause_of_its_own_need_gives_a_further_matter_a_positive_margin():
    ranked = [_cand("变更取水许可", 36.0), _cand("河道管理范围内建设项目工程建设方案审批", 20.0), _cand("取水许可证查询", 19.0)]
    index = {c.guide.id: i for i, c in enumerate(ranked)}
    families = [c.family for c in ranked]
    # clause 1 (取水量不够用) is the best matter's; clause 2 (河道里建泵房) is the second's own need
    clause_scores = [np.array([44.0, 12.0, 30.0]), np.array([10.0, 41.6, 8.0])]
    request = "现有取水许可证批的取水量不够用，还要在河道管理范围内新建泵房，要批哪些？"
    candidate_features(request, ranked, clause_orders(families, clause_scores, 10), index)
    river, lookup = ranked[1].features, ranked[2].features
    assert river["clause_margin"] > 0.7  # (41.6 - 10) / 41.6
    assert lookup["clause_margin"] < 0  # never ahead of the best matter: no need of its own
    assert ranked[0].features["clause_margin"] == 0.0
