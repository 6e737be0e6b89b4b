from __future__ import annotations

from assistant.checklist.guide import ServiceGuide
from assistant.checklist.selector import MatterCandidate, _prefer_echoed_sibling


def _cand(name: str, score: float) -> MatterCandidate:
    return MatterCandidate(ServiceGuide(id=name, name=name, department="d"), score, family=name)


def test_the_near_namesake_whose_own_words_the_request_uses_goes_first():
    ranked = [_cand("省内货物通行证核发", 30.0), _cand("出省货物通行证核发", 28.0), _cand("别的事项", 10.0)]
    _prefer_echoed_sibling("一批货要运出省，要办什么通行证？", ranked)
    assert [c.guide.name for c in ranked] == ["出省货物通行证核发", "省内货物通行证核发", "别的事项"]


def test_the_best_matter_stays_when_the_request_names_neither_or_it_is_far_ahead():
    ranked = [_cand("省内货物通行证核发", 30.0), _cand("出省货物通行证核发", 28.0)]
    _prefer_echoed_sibling("货物通行证要什么材料？", ranked)
    assert ranked[0].guide.name == "省内货物通行证核发"
    ranked = [_cand("省内货物通行证核发", 30.0), _cand("出省货物通行证核发", 20.0)]
    _prefer_echoed_sibling("一批货要运出省，要办什么通行证？", ranked)
    assert ranked[0].guide.name == "省内货物通行证核发"
