from __future__ import annotations

from dataclasses import dataclass

from assistant.checklist.asks import asked_items, fit_to_asks, item_echo, requested_count
from assistant.checklist.text import formalise


@dataclass
class _Guide:
    title: str


@dataclass
class _Candidate:
    guide: _Guide
    score: float
    probability: float


def _cand(title: str, score: float, probability: float) -> _Candidate:
    return _Candidate(_Guide(title), score, probability)


def test_a_stated_number_of_matters_is_exact_and_people_or_things_are_not_counted():
    assert requested_count("环评和排污这两项分别要交什么？") == (2, True)
    assert requested_count("建厂涉及三方面的审批，要准备什么？") == (3, True)
    assert requested_count("我们有两个孩子、两台车，想问一下营业执照怎么补办？") is None
    assert requested_count("一台二类超限运输车要跨省行驶，要申请什么？") is None  # 二类 is a class, not a count
    assert requested_count("这几件事分别要办什么？") == (2, False)  # several: at least two


def test_items_named_side_by_side_in_the_question_are_found():
    assert asked_items("我们想开一家民办幼儿园。核名和登记要怎么办？") == ["核名", "登记"]
    assert asked_items("项目在江边。取水、排污，还有航道那边的审批，分别要交什么材料？") == [
        "取水", "排污", "航道那边的审批",
    ]
    assert asked_items("我们和供应商有纠纷，想申请调解，要准备什么？") == []  # 和 outside the question
    assert asked_items("从核名到正式登记，要交哪些材料？") == ["核名", "正式登记"]


def test_an_item_is_echoed_by_its_formal_name_without_generic_words():
    assert formalise("核名") == "名称预先核准"
    assert formalise("装修完再恢复营业") == "装修完再复业"
    assert formalise("成立行业协会") == "成立行业社会团体"
    assert formalise("许可证原件不见了") == "许可证原件遗失补发"
    assert formalise("公司改名字") == "公司名称变更"  # 改名字 before 名字: formalise runs in order
    assert formalise("暂停营业") == "停业"
    assert formalise("代开专票") == "代开增值税专用发票"
    assert formalise("补缴社保") == "补缴社会保险"
    assert formalise("办取水证") == "办取水许可"
    assert item_echo("核名", "基金会名称预先核准") == 1.0
    assert item_echo("取水审批", "新增取水许可") == 1.0  # 审批 names no matter in particular
    assert item_echo("航标", "新增取水许可") == 0.0


def test_each_named_item_gets_its_matter_and_a_stated_count_caps_the_rest():
    top = _cand("设置专用航标审批", 30.0, 1.0)
    sea = _cand("临时海域使用权审批", 29.0, 0.6)
    lookalike = _cand("海域使用预审", 28.0, 0.5)
    works = _cand("通航水域水上水下施工作业审批", 25.0, 0.2)
    chosen, rest = fit_to_asks("用海、水上施工和航标分别要办什么？", [top, sea, lookalike], [works])
    assert chosen == [top, sea, works]  # works names 水上施工; three items, so the least probable other goes
    assert rest == [lookalike]


def test_a_stated_count_adds_a_probable_matter_but_not_an_improbable_one():
    top = _cand("甲许可", 30.0, 1.0)
    likely = _cand("乙备案", 20.0, 0.3)
    unlikely = _cand("丙审批", 19.0, 0.05)
    chosen, _ = fit_to_asks("这两项要准备什么材料？", [top], [unlikely, likely])
    assert chosen == [top, likely]
    chosen, _ = fit_to_asks("这两项要准备什么材料？", [top], [unlikely])
    assert chosen == [top]


def test_a_request_saying_nothing_about_its_matters_is_left_as_chosen():
    top = _cand("发票真伪鉴定", 30.0, 1.0)
    other = _cand("代开发票作废", 10.0, 0.5)
    assert fit_to_asks("供应商的发票像是假的，要带什么去鉴定？", [top, other], []) == ([top, other], [])
