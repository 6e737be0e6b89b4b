"""Chinese tokenization for BM25: jieba search mode plus a user dictionary of policy terms."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import jieba

POLICY_TERMS = Path(__file__).parent / "data" / "policy_terms.txt"

# Function words and punctuation carry no retrieval signal in statutes; everything else is kept.
_STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 对 为 由 被 将 把 以 于 其 之 也 而 并 且 是 有 应 应当 可以 不得 "
    "本 该 按照 依照 根据 规定 有关 相关 我们 我 你 您 他 她 它 他们 请问 怎么 怎么办 什么 哪些 "
    "吗 呢 吧 啊 呀 嘛 么 如何 能否 能不能 是否 一个 这个 那个 这些 那些 个 中 上 下 ".split()
)
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")

jieba.setLogLevel(logging.WARNING)


class Tokenizer:
    """A jieba tokenizer with huiqi's policy dictionary; thread-safe, loaded on first use."""

    def __init__(self, user_dict: Path | None = None):
        self.user_dict = user_dict
        self._jieba: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load jieba's dictionary and the policy terms (about a second, once)."""
        with self._lock:
            if self._jieba is not None:
                return
            tok = jieba.Tokenizer()
            tok.initialize()
            tok.load_userdict(str(POLICY_TERMS))
            if self.user_dict is not None:
                tok.load_userdict(str(self.user_dict))
            self._jieba = tok

    def __call__(self, text: str) -> list[str]:
        """Tokens of ``text`` for BM25: search-mode words, stopwords and punctuation dropped."""
        if self._jieba is None:
            self.warm_up()
        assert self._jieba is not None
        out = []
        for w in self._jieba.cut_for_search(text.lower()):
            w = w.strip()
            if not w or w in _STOPWORDS or not _TOKEN_OK.search(w):
                continue
            out.append(w)
        return out
