"""Figures, validation and follow-up rewriting: pure functions, no index."""

from types import SimpleNamespace

from assistant.figures import asked_figure, figures_in, states_figure
from assistant.answers.followup import contextualize, leans_on_history
from assistant.answers.validation import check_answer


def test_asked_figure_kinds():
    assert asked_figure("罚款比例是百分之几？") == "percent"
    assert asked_figure("最长能停多久？") == "duration"
    assert asked_figure("需要办什么手续？") is None


def test_states_figure():
    assert states_figure("应当在60日内支付", "duration")
    assert not states_figure("具体比例由国务院劳动行政部门规定", "percent")


def test_figures_ignore_labels_and_markers():
    assert figures_in("依据第十五条[1]，应在三十日内付款") == {30.0}


def test_check_answer_accepts_grounded_figures():
    check = check_answer("应在60日内付款[1]。", ["大型企业应当自货物交付之日起60日内支付款项。"])
    assert check.ok and check.cited == [1]


def test_check_answer_rejects_unknown_number_and_bad_marker():
    sources = ["大型企业应当自货物交付之日起60日内支付款项。"]
    assert "90" in check_answer("应在90日内付款[1]。", sources).problem
    assert "not retrieved" in check_answer("应在60日内付款[3]。", sources).problem
    assert "no article" in check_answer("应在60日内付款。", sources).problem


def test_contextualize_joins_earlier_turns_only_when_leaning():
    history = [SimpleNamespace(role="user", content="劳务派遣可以用在哪些岗位？"),
               SimpleNamespace(role="assistant", content="…")]
    assert leans_on_history("其中临时性的那种，最长能用多久？")
    assert contextualize("其中临时性的那种，最长能用多久？", history) == "其中临时性的那种，最长能用多久？ 劳务派遣可以用在哪些岗位？"
    assert contextualize("那呢？", [SimpleNamespace(role="user", content="问" * 500)]).startswith("那呢？ 问")
    long_new = "我们公司想了解一下企业所得税法关于公益性捐赠支出在计算应纳税所得额时如何扣除的具体规定"
    assert contextualize(long_new, history) == long_new
    # long turns lean too when they speak of someone mentioned before or suppose a case of the situation told
    assert leans_on_history("安监那边说下礼拜要来厂里检查，查到没给他们做过安全培训的话，会怎么处理？罚得重吗？")
    assert leans_on_history("可工人家属不太乐意，单位一直不去报的话，本人自己能不能去申请呢？有没有时间限制？")
    assert leans_on_history("我们公司想了解一下，要是外资企业在境内再投资设立子公司，需要办理哪些登记手续？")
    assert not leans_on_history("我们公司想了解一下外资企业和其他企业在境内再投资设立子公司时需要办理哪些登记手续")
    # An LLM's rewrite leads in the question's place; the earlier turns still follow (a 1.5B model's rewrite of
    # "有没有时间限制？" often keeps no topic at all).
    assert contextualize("有没有时间限制？", history, lead="办理有没有时间限制？") == "办理有没有时间限制？ 劳务派遣可以用在哪些岗位？"
