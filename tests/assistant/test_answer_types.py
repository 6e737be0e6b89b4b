"""Which kind of answer a question expects and whether a text gives it: pure functions, no index."""

from assistant.answer_types import SANCTION, asked_types, states_any


def test_a_question_asks_for_a_period_an_amount_or_a_sanction():
    assert asked_types("危险化学品买完之后几天内要去报备？") == ["duration"]
    assert asked_types("被查到罚多少？") == [SANCTION]
    assert asked_types("老板让先开工，万一被查到会怎么罚？") == [SANCTION]
    assert asked_types("加班工资按工资的几倍付？") == ["percent"]
    assert asked_types("办食品经营许可要准备哪些材料？") == []


def test_an_article_gives_the_asked_type_only_when_it_states_one():
    deadline = "购买单位应当在购买后5日内，将所购买的易制爆危险化学品的品种、数量以及流向信息报所在地县级人民政府公安机关备案。"
    subject = "购买易制爆危险化学品的单位应当如实记录所购买的品种、数量和用途。"
    assert states_any(deadline, ["duration"]) and not states_any(subject, ["duration"])
    penalty = "违反本法规定的，由生态环境主管部门责令改正，处二万元以上二十万元以下的罚款。"
    duty = "建设单位应当在投入生产前对配套建设的环境保护设施进行验收。"
    assert states_any(penalty, [SANCTION]) and states_any(penalty, ["money"], "罚多少")
    assert not states_any(duty, [SANCTION, "money"], "罚多少")


def test_a_consequence_after_a_breach_is_asked_as_a_sanction():
    assert asked_types("要是没验收就先投产了，会怎么样？") == [SANCTION]
    assert asked_types("拖着不签合同，公司要承担什么后果？") == [SANCTION]
    assert asked_types("这样做的后果我们都清楚，现在要办哪些手续？") == []
