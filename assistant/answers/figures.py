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
FIGURE_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "percent": (
        re.compile(r"百分之几|百分比|比例|费率|税率|退税率|几成|百分之多少|占.{0,8}多少|多少%"),
        re.compile(rf"百分之{_NUM}|{_NUM}\s*[%％]|{_NUM}倍|[{_CN}]成|万分之|千分之"),
    ),
    "money": (
        re.compile(r"多少钱|多少元|多少万|几万|金额是多少|标准是多少|发放标准|补贴.{0,6}多少|奖励.{0,6}多少|罚款.{0,6}多少|多少块"),
        re.compile(rf"{_NUM}\s*(?:万元|元|亿元)|倍|百分之"),
    ),
    "count": (
        re.compile(r"多少人|几个人|人数|多少名|多少平方米|多少平米|多少亩|多少吨"),
        re.compile(rf"{_NUM}\s*(?:人|名|家|平方米|亩|吨)"),
    ),
    "duration": (
        re.compile(r"几年|几天|几日|几个月|多久|多长时间|多长的|多少天|多少日|多少年|多少个工作日|几个工作日|什么时候|期限是|有效期|时限|几小时|多少小时|几点"),
        re.compile(rf"{_NUM}\s*(?:个)?(?:年|日|天|月|小时|工作日|周|点)|即时|立即|当场|当日|次日|届满前|之日起|半年|季度|同步"),
    ),
}


def asked_figure(question: str) -> str | None:
    """The kind of figure a question demands (percent, money, count, duration), or None."""
    for kind, (asks, _) in FIGURE_KINDS.items():
        if asks.search(question):
            return kind
    return None


def states_figure(text: str, kind: str) -> bool:
    """Whether ``text`` states a figure of ``kind``."""
    return bool(FIGURE_KINDS[kind][1].search(text))


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
