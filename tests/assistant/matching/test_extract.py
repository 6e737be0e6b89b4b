"""Conditions extracted from the demo policies as read back from a real index."""

from __future__ import annotations

import datetime as dt

from assistant.matching.extract import PolicyExtractor
from assistant.matching.reading import PolicyDocument


def _policy(matching, pid):
    return matching.policy(pid)


def _kinds(policy, kind):
    return [c for c in policy.conditions if c.kind == kind]


def test_benefit_policies_in_force_are_listed(matching):
    ids = {p.id for p in matching.policies()}
    assert len(ids) >= 15
    assert "zhuanjing-texin-2025" in ids and "zhuanjing-texin-2023" not in ids  # superseded version left out
    assert "sheqi-suqiu-12345" not in ids  # a procedure, nothing to claim


def test_every_condition_carries_its_source_text(matching):
    for p in matching.policies():
        assert p.conditions, p.id
        for c in p.conditions:
            assert c.text and c.citation.source == p.source and c.citation.title == p.title, (p.id, c)
            if c.citation.article:
                assert c.citation.article[0] in "一二三四五六七八九十", (p.id, c.citation.article)


def test_thresholds_with_units(matching):
    p = _policy(matching, "kejixing-zhongxiao-qiye")
    got = {c.kind: (c.op, c.value, c.unit) for c in p.conditions if c.kind in ("headcount", "revenue", "assets")}
    assert got == {"headcount": ("<=", 500, "人"), "revenue": ("<=", 20000, "万元"), "assets": ("<=", 20000, "万元")}
    assert all("职工总数不超过500人" in c.text and c.citation.article == "一、支持对象" for c in _kinds(p, "headcount"))
    assert [c.values for c in _kinds(p, "certification")] == [["科技型中小企业"]]
    flags = {c.values[0] for c in _kinds(p, "exclusion")}
    assert flags == {"major_accident", "abnormal_operation", "serious_dishonesty"}


def test_rd_ratio_tiers_and_certification(matching):
    p = _policy(matching, "gaoxin-qiye-jiangli")
    (rd,) = _kinds(p, "rd_ratio")
    assert rd.tiers == [(5000, 5), (20000, 4), (None, 3)] and rd.citation.article == "三、申报条件 3."
    assert [c.values for c in _kinds(p, "certification")] == [["高新技术企业"]]
    assert p.window.start == dt.date(2025, 3, 1) and p.window.end == dt.date(2025, 4, 30)
    assert "申报时间为2025年3月1日至2025年4月30日" in _kinds(p, "window")[0].text
    assert p.department == "示例县科学技术局" and p.amount_value == 20


def test_any_of_certifications_years_and_size(matching):
    p = _policy(matching, "zhuanjing-texin-2025")
    (cert,) = _kinds(p, "certification")
    assert set(cert.values) == {"创新型中小企业", "专精特新中小企业", "专精特新“小巨人”企业", "制造业单项冠军"}
    assert [(c.op, c.value) for c in _kinds(p, "years")] == [(">=", 2)]
    assert [c.values for c in _kinds(p, "size")] == [["medium", "small", "micro"]]
    assert p.region == "浙江省示例县"


def test_industry_exclusions_and_claim_conditions_to_confirm(matching):
    yanfa = _policy(matching, "yanfa-feiyong-jiakou")
    excluded = {v for c in _kinds(yanfa, "industry_excluded") for v in c.values}
    assert excluded == {"C16", "H61", "H62", "F51", "F52", "K", "L", "R90"}
    jishu = _policy(matching, "jishu-gaizao-buzhu")
    assert [c.values for c in _kinds(jishu, "industry")] == [["B", "C", "D"]]
    # the 小型、微型企业 of the investment thresholds is about the project, not who may apply
    assert not _kinds(jishu, "size")
    assert any("不低于200万元" in c.text for c in _kinds(jishu, "text"))
    assert [c.values for c in _kinds(_policy(matching, "xiaoguimo-nashuiren-zengzhishui"), "taxpayer")] == [
        ["small_scale"]]


def test_text_alone_gives_window_department_and_to_confirm():
    doc = PolicyDocument(
        source="p/x.md", title="某县研发奖励办法", version_date="2025-01-01", region="浙江省某县", authority=None,
        lines=["一、支持对象", "在本县登记注册满3年、从业人员不少于50人的企业，且拥有自主知识产权。",
               "二、奖励标准", "对符合条件的企业给予一次性奖励10万元。",
               "三、申报程序", "申报时间为2025年5月1日至2025年6月30日，由县科学技术局受理。"],
    )
    p = PolicyExtractor().run(doc)
    assert p.id == "x" and p.amount_value == 10
    assert (p.window.start, p.window.end) == (dt.date(2025, 5, 1), dt.date(2025, 6, 30))
    assert p.department == "县科学技术局"
    assert {(c.kind, c.value) for c in p.conditions if c.kind in ("years", "headcount")} == {
        ("years", 3), ("headcount", 50)}
    assert [c.text for c in p.to_confirm()] == ["在本县登记注册满3年、从业人员不少于50人的企业，且拥有自主知识产权。"]
