"""Which figure a question asks, of what, and when a text states it: pure functions, no index."""

from assistant.figures import asked_figure, asked_figures, asked_subject, states_figure


def test_asked_figures_lists_every_kind_asked():
    assert asked_figures("许可证有效期几年？补贴比例是多少？") == ["percent", "money", "duration"]
    assert asked_figures("需要提交哪些材料？") == []


def test_a_period_told_is_not_a_period_asked():
    assert asked_figure("员工入职好几个月了还没签合同，怎么办？") is None
    assert asked_figure("这几年没出过事故，还要重新审查吗？") is None
    assert asked_figure("每年的年假有几天？") == "duration"
    # "a few days / a dozen-odd years" in a story tells a period; 几天内 / 有几天时间 / 能要几个月的 ask one
    for told in ("招工想先收押金，防止干几天就跑，这样做行吗？", "我爸开了十几年的个体小卖部，想交给我经营", "工人在家歇了几天。"):
        assert asked_figures(told) == [], told
    for asked in ("想提异议，有几天时间？", "按规定他能要几个月的？", "去哪里报备？几天内？", "最多能往前追几年？"):
        assert asked_figures(asked) == ["duration"], asked


def test_amounts_per_head_or_period_and_bases_are_money():
    assert asked_figure("每个孩子每月能领多少？") == "money"
    assert asked_figure("缴存基数的上限和下限分别是多少？") == "money"
    assert asked_figure("每月最多加班多少小时？") == "duration"


def test_a_relative_figure_answers_only_a_derived_sum():
    share = "试用期报酬不得低于约定报酬的百分之八十"
    assert not states_figure(share, "money", "本市的最低报酬标准是多少钱？")
    assert states_figure("逾期的，按罚款数额的百分之三加处罚款", "money", "不交罚款要多交多少钱？")
    assert not states_figure("处骗取款项一倍以上五倍以下的罚款", "percent", "退费率是多少？")
    assert states_figure("处二万元以下的罚款", "money")


def test_a_fine_answers_only_a_question_about_a_fine():
    fine = "非法印制发票的，没收违法所得，并处一万元以上五万元以下的罚款。"
    assert not states_figure(fine, "money", "刻一套公章要花多少钱？")
    assert states_figure(fine, "money", "非法印发票会被罚多少钱？")
    assert states_figure("刻制公章的费用为每套200元；逾期的，处500元罚款。", "money", "刻一套公章要花多少钱？")


def test_asked_subject_is_the_head_of_what_the_figure_is_of():
    assert asked_subject("现在适用的出口退费率是多少？") == "费率"
    assert asked_subject("缴存基数的上限和下限分别是多少？") == "基数"
    assert asked_subject("罚款幅度是多少？") == "罚款"
    assert asked_subject("最长能停多久？") is None


def test_a_calendar_day_asked_is_answered_by_a_date_not_a_period():
    asked = "今年高新技术企业认定的申报几月几号截止？"
    assert asked_figures(asked) == ["date"]
    assert asked_figures("按天累计罚，从哪天开始算？") == []  # a starting event, not a day of the calendar
    assert states_figure("纳税人应当在取得所得的次年3月1日至6月30日内办理汇算清缴", "date")
    assert states_figure("于每年五月底前报送上一年度报告", "date")
    assert not states_figure("应当自受理之日起二十日内作出决定", "date")
    assert not states_figure("自收到之日起六个月内", "date")
