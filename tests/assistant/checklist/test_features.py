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


def test_a_further_matter_of_another_variant_the_request_asks_for_is_marked_novel():
    ranked = [_cand("注册造价工程师注销注册", 42.0), _cand("注册造价工程师变更注册", 39.5), _cand("注册监理工程师注销注册", 25.0)]
    index = {c.guide.id: i for i, c in enumerate(ranked)}
    orders = clause_orders([c.family for c in ranked], [np.array([42.0, 39.5, 25.0])], 10)
    # one engineer transfers in (变更), the other retires and no longer practises (注销)
    request = "一位造价工程师从别的公司调入，注册单位要改到我们公司；另一位已经退休不再执业。分别要办什么？"
    candidate_features(request, ranked, orders, index)
    assert ranked[1].features["variant_novel"] == 1.0
    assert ranked[2].features["variant_novel"] == 0.0  # the best matter's own variant again
    candidate_features("另一位已经退休不再执业，要办什么？", ranked, orders, index)
    assert ranked[1].features["variant_novel"] == 0.0  # 变更 is not asked for
