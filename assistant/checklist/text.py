"""Chinese text helpers for matching requests to guides: tokens, bigrams, places."""

from __future__ import annotations

import re
from functools import lru_cache

import jieba

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on first use

_HAN_OR_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_STOP = frozenset(
    "的 了 和 与 及 或 等 是 在 我们 我 公司 一 个 一家 要 想 需要 什么 哪些 怎么 如何 办 办理 准备 材料 交 吗 呢 还 也 "
    "这 那 就 都 把 被 对 向 从 到 给 有 没有 已经 现在 准备 打算 请问 这个 一下 可以 能 能不能 应该 "
    "申请 需 所 其 之 为 以 于 上 下 中 后 前 时 ， 。 ？ 、".split()
)


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """jieba search-mode tokens without stop words or punctuation (for BM25)."""
    out = []
    for tok in jieba.cut_for_search(text):
        tok = tok.strip().lower()
        if tok and tok not in _STOP and _HAN_OR_WORD.fullmatch(tok):
            out.append(tok)
    return tuple(out)


def bigrams(text: str) -> set[str]:
    """Character bigrams inside runs of Han characters/letters/digits."""
    grams: set[str] = set()
    for run in _HAN_OR_WORD.findall(text.lower()):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            grams.add(run)
    return grams


def clauses(text: str) -> list[str]:
    """The request cut at sentence and clause punctuation (each clause often names one matter)."""
    return [c for c in re.split(r"[，,。；;？?！!\n]+", text) if c.strip()]
