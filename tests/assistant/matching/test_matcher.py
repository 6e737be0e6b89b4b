"""Matching demo profiles against the real policy index: classes, reasons, citations and order."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.matching.matcher import Matcher
from assistant.matching.profile import Profile
from tests.assistant.matching.corpus_index import demo_profiles

AS_OF = dt.date(2025, 3, 1)
PROFILES = demo_profiles()


def _decisions(matching, pid, as_of=AS_OF):
    return {d.policy_id: d for d in matching.match(Profile(**PROFILES[pid]), as_of)}


def test_eligible_decisions_rest_on_the_conditions_text(matching):
    d = _decisions(matching, "SLX-E01")["gaoxin-qiye-jiangli"]
    assert d.outcome == "eligible" and d.department == "示例县科学技术局" and d.deadline == dt.date(2025, 4, 30)
    rd = next(c for c in d.passed if c.kind == "rd_ratio")
    assert "研究开发费用总额占同期销售收入总额的比例" in rd.text and rd.citation.article == "三、申报条件 3."
    assert "4.8%" in rd.reason and d.basis() == d.passed
    assert all(c.status == "confirm" for c in d.to_confirm)


def test_not_eligible_names_the_failing_condition(matching):
    d = _decisions(matching, "SLX-E13")["gaoxin-qiye-jiangli"]  # R&D 2.5% of 8000万元 revenue; 4% needed
    assert d.outcome == "not_eligible" and [c.kind for c in d.failing] == ["rd_ratio"]
    assert "不低于4%" in d.reason and "比例" in d.failing[0].text
    d = _decisions(matching, "SLX-E07")["wengang-fanhuan-2025"]  # on the serious-dishonesty list
    assert d.outcome == "not_eligible" and d.failing[0].kind == "exclusion"
    assert "严重失信主体名单" in d.failing[0].text
    d = _decisions(matching, "SLX-E05")["zhaoyong-zhongdian-qunti"]  # another county
    assert d.outcome == "not_eligible" and d.failing[0].kind == "region"


def test_possibly_eligible_lists_the_missing_facts(matching):
    d = _decisions(matching, "SLX-E20")["gaoxin-qiye-jiangli"]  # R&D spend not given
    assert d.outcome == "possibly_eligible" and d.missing_facts == ["rd_expense"]
    d = _decisions(matching, "SLX-E19")["zhaoyong-zhongdian-qunti"]  # only the province is known
    assert d.outcome == "possibly_eligible" and d.missing_facts == ["region"]
    d = _decisions(matching, "SLX-E32")["shuzihua-gaizao"]
    assert d.outcome == "possibly_eligible" and set(d.missing_facts) >= {"industry", "headcount"}


def test_size_by_the_sme_classification(matching):
    assert _decisions(matching, "SLX-E04")["shuzihua-gaizao"].failing[0].kind == "size"  # large
    assert _decisions(matching, "SLX-E14")["rongzi-danbaofei-buzhu"].outcome == "not_eligible"  # medium
    assert _decisions(matching, "SLX-E14")["shuzihua-gaizao"].outcome == "eligible"


def test_ordered_by_class_then_value_then_deadline(matching):
    decisions = matching.match(Profile(**PROFILES["SLX-E01"]), AS_OF)
    rank = {"eligible": 0, "possibly_eligible": 1, "not_eligible": 2}
    keys = [(rank[d.outcome], -(d.amount_value or 0), d.deadline) for d in decisions]
    assert keys == sorted(keys)
    assert decisions[0].outcome == "eligible" and decisions[-1].outcome == "not_eligible"


def test_a_closed_window_fails(matching):
    d = _decisions(matching, "SLX-E01", dt.date(2025, 5, 1))["gaoxin-qiye-jiangli"]
    assert d.outcome == "not_eligible" and d.failing[0].kind == "window"
    assert "2025年4月30日" in d.failing[0].reason


def test_unknown_adverse_records_are_to_confirm_not_assumed(matching):
    profile = Profile(**{k: v for k, v in PROFILES["SLX-E01"].items() if k != "serious_dishonesty"})
    d = {x.policy_id: x for x in matching.match(profile, AS_OF)}["xina-gaoxiao-biyesheng"]
    assert d.outcome == "eligible"
    assert any(c.kind == "exclusion" and "严重失信" in c.text for c in d.to_confirm)


@pytest.mark.parametrize("pid", sorted(PROFILES))
def test_every_decision_has_a_basis_with_text(matching, pid):
    for d in Matcher(matching.policies(), AS_OF).match(Profile(**PROFILES[pid])):
        assert d.basis() and all(c.text and c.citation.title for c in d.basis()), (pid, d.policy_id)
