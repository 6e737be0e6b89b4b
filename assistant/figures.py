"""Figures (数字) in questions and articles: which kind a question asks for, and which numbers a text states."""

from __future__ import annotations

import re

from assistant.articles import cn_to_int
from assistant.errors import InvalidArticleLabel

_CN = "〇零一二两三四五六七八九十百千万亿"
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_CHINESE = re.compile(rf"[{_CN}]+")
_LABEL = re.compile(rf"第[{_CN}\d]+[条章节款项]")
_MARKER = re.compile(r"\[\d+\]")

#: What a question asks for when it wants a figure, and what an article must state to give it.
#: Order matters: the first kind whose question pattern matches is the one asked.
_NUM = rf"(?:\d+(?:\.\d+)?|[{_CN}]+)"
_UNIT_AFTER = r"(?![天日年月人名个小时次倍%％])"  # 多少天/多少人 … ask another kind than an amount
#: 好几个月, 这几年, 那几天, 十几年, 歇了几天, 干几天就跑 tell a period, they do not ask one.
FIGURE_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "percent": (
        re.compile(r"百分之几|百分比|比例|费率|税率|退税率|几成|百分之多少|占.{0,8}多少|多少%|几倍|多少倍"),
        re.compile(rf"百分之{_NUM}|{_NUM}\s*[%％‰]|[{_CN}]成|万分之|千分之"),
    ),
    "money": (
        re.compile(r"多少钱|多少元|多少万|几万|金额是多少|标准是多少|发放标准|补贴.{0,6}多少|奖励.{0,6}多少|罚款.{0,6}多少|多少块"
                   rf"|(?:基数|额度|限额|数额|金额).{{0,12}}多少{_UNIT_AFTER}|每(?:个|位|名|人|月|年).{{0,8}}多少{_UNIT_AFTER}"),
        re.compile(rf"{_NUM}\s*(?:万元|元|亿元)"),
    ),
    "count": (
        re.compile(r"多少人|几个人|人数|多少名|多少平方米|多少平米|多少亩|多少吨"),
        re.compile(rf"{_NUM}\s*(?:人|名|家|平方米|亩|吨)"),
    ),
    "duration": (
        re.compile(r"(?<![好这那十了干歇过前])(?:几年|几天|几日|几个月)(?!就)|多久|多长时间|多长的|多少天|多少日|多少年|多少个工作日|几个工作日|什么时候|期限是|有效期|时限|几小时|多少小时|几点"),
        re.compile(rf"{_NUM}\s*(?:个)?(?:年|日|天|月|小时|工作日|周|点)|即时|立即|当场|当日|次日|届满前|之日起|半年|季度|同步"),
    ),
    # a day of the calendar (几月几号截止): a period (三十日内) does not name one
    "date": (
        re.compile(r"几月几[号日]|几月份|几号(?:截止|之前|前)|哪一?天截止|截止日期|具体日期"),
        re.compile(rf"{_NUM}\s*月\s*(?:{_NUM}\s*[日号]|[底初中])|每年\s*{_NUM}\s*月"),
    ),
}

#: A figure relative to another amount (三倍, 百分之三, 110%): it answers an amount or a rate only when the
#: question is about a sum computed from another one (a fine, damages, a surcharge, overtime pay), not when it
#: asks for a standard, a base or a rate itself (最低工资标准, 缴费基数, 退税率).
_RELATIVE = re.compile(rf"{_NUM}\s*倍|百分之{_NUM}|{_NUM}\s*[%％‰]|万分之|千分之")
_DERIVED_SUM = re.compile(r"罚|赔|补偿|滞纳|违约|利息|加班|倍")
#: The clause stating a fine (并处一万元以上五万元以下的罚款): its amount is not the cost of anything.
_FINE_CLAUSE = re.compile(r"[^，,。；;]*罚[款金][^，,。；;]*")


#: "X是多少 / X为百分之几": the copula names what the figure is of. X's generic measure words (标准, 比例,
#: 上限 …) and hedges (具体, 一般, 每月 …) are not the subject; what is left ends with its head (基数, 税率, 工资).
_HEDGE = r"(?:具体|一般|大概|大约|现在|目前|分别|最高|最低|最多|最少|每[人月年个天日次])*"
_COPULA_ASK = re.compile(rf"([\u4e00-\u9fff]+?){_HEDGE}[是为]{_HEDGE}(?:多少|百分之几|几)")
_NOT_SUBJECT = re.compile(r"(?:的|和|与|及|比例|标准|金额|数额|幅度|范围|上限|下限|具体|一般|大概|大约|现在|目前|分别"
                          r"|最高|最低|最多|最少|每[人月年个天日次])+$")


def asked_subject(question: str) -> str | None:
    """The head (last two characters) of what a "X是多少" question asks the figure of, or None."""
    m = _COPULA_ASK.search(question)
    if not m:
        return None
    subject = _NOT_SUBJECT.sub("", m.group(1))
    return subject[-2:] if len(subject) >= 2 else None


def asked_figures(question: str) -> list[str]:
    """Every kind of figure a question demands (a question may ask a period and an amount)."""
    return [kind for kind, (asks, _) in FIGURE_KINDS.items() if asks.search(question)]


def asked_figure(question: str) -> str | None:
    """The kind of figure a question demands (percent, money, count, duration), or None."""
    kinds = asked_figures(question)
    return kinds[0] if kinds else None


def states_figure(text: str, kind: str, question: str = "") -> bool:
    """Whether ``text`` states a figure of ``kind`` (an answer to ``question``, when given).

    A multiple or a percentage (三倍, 百分之八十) counts as an amount, and a multiple as a rate, only for a
    question about a derived sum (罚款, 赔偿, 滞纳金, 加班费 …) or one that asks 几倍. A fine's amount answers
    only a question about a fine (刻公章要花多少钱 is not answered by 处一万元以上的罚款).
    """
    if kind == "money" and question and "罚" not in question:
        text = _FINE_CLAUSE.sub("", text)  # a fine's amount answers only a question about a fine
    if FIGURE_KINDS[kind][1].search(text):
        return True
    return kind in ("money", "percent") and bool(_DERIVED_SUM.search(question)) and bool(_RELATIVE.search(text))


def numbers_in(text: str) -> set[float]:
    """The numbers a text states, Arabic or Chinese; article labels and [n] markers are not figures."""
    text = _MARKER.sub(" ", _LABEL.sub(" ", text))
    out: set[float] = {float(m) for m in _ARABIC.findall(text)}
    for m in _CHINESE.findall(text):
        try:
            out.add(float(cn_to_int(m)))
        except InvalidArticleLabel:  # e.g. 亿 combinations cn_to_int does not read: keep the digits only
            continue
    return out


def figures_in(text: str) -> set[float]:
    """The numbers of ``text`` worth checking against a source: Arabic ones and multi-character Chinese ones.

    A lone 一/二 inside words (一般, 统一, 二者) is not a figure anyone states; lone Chinese digits are skipped.
    """
    text = _MARKER.sub(" ", _LABEL.sub(" ", text))
    out: set[float] = {float(m) for m in _ARABIC.findall(text)}
    for m in _CHINESE.findall(text):
        if len(m) < 2 or m in ("万", "千", "百", "亿"):
            continue
        try:
            out.add(float(cn_to_int(m)))
        except InvalidArticleLabel:
            continue
    return out
