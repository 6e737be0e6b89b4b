import pytest

from assistant.triage.appeal_type import APPEAL_TYPES, classify_type


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("举报：某厂夜里偷排废水，请去查一查", "举报"),
        ("建议政务大厅周六也开放半天", "建议"),
        ("请问个体户营业执照注销需要什么材料？", "咨询"),
        ("窗口工作人员态度很差，推诿扯皮，我要投诉", "投诉"),
        ("资金周转困难，麻烦帮忙协调一下银行续贷", "求助"),
        # Cues without the type's own word (written for these tests).
        ("有家汽修店把废油直接倒进下水道，味道很大", "举报"),
        ("社保系统一直报错，新来的员工参不了保", "求助"),
        ("食堂供应商资格年检去哪里办", "咨询"),
        ("办事大厅能不能增加一个周末窗口", "建议"),
        ("同样的许可，我们县的收费比邻县贵了一倍", "投诉"),
    ],
)
def test_clear_cues(text, expected):
    assert classify_type(text) == expected


def test_learned_probabilities_can_tip_the_balance():
    text = "电表过户一直办不下来"
    assert classify_type(text) in APPEAL_TYPES
    assert classify_type(text, {"求助": 0.9, "投诉": 0.1}) == "求助"
