"""Evidence: the retrieved articles an answer may rest on, whole, and whether they support an answer at all."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.answers.figures import FIGURE_KINDS, states_figure
from assistant.documents import Chunk, Hit

_DATA = Path(__file__).resolve().parents[1] / "data"
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


@dataclass
class Article:
    """One retrieved article (条), with its parts joined when the chunker split it at 款 boundaries."""

    hit: Hit
    text: str

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    def label(self) -> str:
        return f"《{self.chunk.title}》{self.chunk.article}".strip()


def article_key(chunk: Chunk) -> tuple[str, str]:
    """What makes two chunks the same article: its document and label (the parts of a split article share it)."""
    return chunk.source, chunk.article or chunk.id


def select_articles(hits: list[Hit], siblings: dict[tuple[str, str], list[Chunk]] | None = None,
                    limit: int = 3) -> list[Article]:
    """The first ``limit`` distinct articles of ``hits``, each with its whole text (all its parts)."""
    out: list[Article] = []
    seen: set[tuple[str, str]] = set()
    for h in hits:
        c = h.chunk
        key = article_key(c)
        if key in seen:
            continue
        seen.add(key)
        parts = (siblings or {}).get(key) or [c]
        text = "\n".join(p.text for p in sorted(parts, key=lambda p: (p.part, p.position)))
        out.append(Article(h, text))
        if len(out) >= limit:
            break
    return out


def sentences(text: str) -> list[str]:
    """The sentences (and 款 lines) of an article, in order."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def best_sentence(question: str, text: str) -> str:
    """The sentence of ``text`` sharing the most character bigrams with ``question`` (the article label stripped)."""
    q = _bigrams(question)
    best, best_score = "", -1.0
    for s in sentences(text):
        s_clean = re.sub(r"^第[〇零一二两三四五六七八九十百千万\d]+条(之[一二三四五六七八九十]+)?\s*", "", s)
        if len(s_clean) < 4:
            continue
        score = len(q & _bigrams(s_clean)) / (len(s_clean) ** 0.3)
        if score > best_score:
            best, best_score = s_clean, score
    return best


@lru_cache(maxsize=1)
def policy_terms() -> tuple[str, ...]:
    """Named policy concepts (专精特新, 稳岗返还, 小规模纳税人 …) from the packaged user dictionary, longest first."""
    path = _DATA / "policy_terms.txt"
    if not path.exists():
        return ()
    terms = {line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.split()}
    return tuple(sorted((t for t in terms if len(t) >= 3), key=len, reverse=True))


@dataclass
class Verdict:
    """Whether the evidence supports an answer; when not, why (for logs and evals)."""

    grounded: bool
    reason: str = ""


class SupportJudge:
    """Decides when evidence is too weak to answer (calibrated on the qa dev set, see evals/qa.py).

    Three signs of no basis, all cheap and deterministic:
    - no retrieved article is semantically close to the question (an off-topic question: the best dense
      similarity is below ``min_similarity``, calibrated per embedding model);
    - the question names a policy concept the corpus never mentions (e.g. a tax rule outside the loaded laws);
    - the question asks for a figure (a rate, an amount, a headcount, a period) and none of the top
      articles states a figure of that kind: the law delegates it ("具体比例由…规定"), so quoting it
      would answer a different question.
    """

    def __init__(self, corpus_text: str = "", figure_articles: int = 3, min_similarity: float = 0.0):
        self.figure_articles = figure_articles
        self.min_similarity = min_similarity
        self.unknown_terms = tuple(t for t in policy_terms() if corpus_text and t not in corpus_text)

    def judge(self, question: str, context: str, articles: list[Article]) -> Verdict:
        """``question`` is the user's own words (the figure asked), ``context`` the standalone query."""
        if not articles:
            return Verdict(False, "no article retrieved")
        closest = max((a.hit.dense_score or 0.0) for a in articles)
        if closest < self.min_similarity:  # nothing in the corpus is about this (天气, 电影, 菜谱 …)
            return Verdict(False, f"no article is close to the question (best similarity {closest:.3f})")
        for term in self.unknown_terms:
            if term in context:
                return Verdict(False, f"the corpus never mentions {term}")
        kinds = [k for k, (asks, _) in FIGURE_KINDS.items() if asks.search(question)]
        if kinds:
            top = articles[: self.figure_articles]
            if not any(states_figure(a.text, k) for a in top for k in kinds):
                return Verdict(False, f"no {'/'.join(kinds)} figure in the top articles")
        return Verdict(True)
