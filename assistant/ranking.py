"""Second-stage ranking of fused candidates: article and document evidence, combined by learned weights.

Rank fusion alone treats every chunk on its own. A question about "过期牛肉干赔一千块" is about one law
and one article of it: the right document usually contributes several candidates from both retrievers,
its title shares words with the question, and the right article covers more of the question's words
than its neighbours. These signals are features of each candidate; a logistic model (trained by
``python -m evals train-ranker``, weights shipped in ``assistant/data/ranker.json``) combines them.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.documents import Hit

WEIGHTS_FILE = Path(__file__).parent / "data" / "ranker.json"

FEATURES = (
    "rrf",  # the fused score (settings.fusion; the name is from rank fusion), scaled to the best candidate
    "dense",  # cosine similarity of the query and the chunk, minus the best candidate's
    "dense_rr",  # 1/rank in the dense list (0 when absent)
    "bm25_rr",  # 1/rank in the BM25 list (0 when absent)
    "doc_rrf",  # the document's summed fused score over the best document's
    "doc_dense",  # the document's best dense similarity, minus the best document's
    "doc_share",  # share of all candidates that come from this document
    "title",  # how much of the document's title (its core words) the question contains
    "cover",  # share of the question's content bigrams that the chunk text contains
    "cover_doc",  # the best cover among the document's candidates
)

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?")
_TITLE_NOISE = re.compile(r"^中华人民共和国|[（(].*?[)）]|(实施条例|实施细则|暂行条例|暂行规定|暂行办法|条例|规定|办法|细则|法)$")
#: Bigrams that say how a question is asked, not what it is about.
_ASKING = frozenset(
    "我们 你们 他们 公司 企业 单位 请问 什么 怎么 怎样 如何 哪些 哪个 多少 多久 几天 能否 能不能 可不可 不可以 "
    "可以 是否 是不 不是 有没 没有 应该 需要 要求 规定 按照 依照 根据 法律 这个 那个 这种 一个 现在 已经 时候 "
    "情况 问题 一下 还是 或者 如果 的话 吗？ 呢？ 了吗 了， 我们的 老板 员工们".split()
)


def _bigrams(text: str) -> set[str]:
    out: set[str] = set()
    for run in _CJK_RUN.findall(text):
        if run.isascii():
            out.add(run.lower())
            continue
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out - _ASKING


def _title_core(title: str) -> str:
    core = title
    for _ in range(2):
        core = _TITLE_NOISE.sub("", core)
    return core or title


def title_match(question: str, title: str) -> float:
    """Share of the title's core bigrams that occur in the question (促进个体工商户发展 vs the question)."""
    grams = _bigrams(_title_core(title))
    if not grams:
        return 0.0
    return len(grams & _bigrams(question)) / len(grams)


@dataclass
class RankerWeights:
    """A logistic model over FEATURES: score = bias + Σ w·x."""

    weights: dict[str, float]
    bias: float = 0.0
    trained_on: str = ""

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> RankerWeights:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(weights=data["weights"], bias=data.get("bias", 0.0), trained_on=data.get("trained_on", ""))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"features": list(FEATURES), "weights": self.weights, "bias": self.bias,
                                    "trained_on": self.trained_on}, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")

    def vector(self) -> np.ndarray:
        return np.array([self.weights.get(f, 0.0) for f in FEATURES])


def candidate_features(question: str, hits: list[Hit], dense_sims: np.ndarray) -> np.ndarray:
    """One row of FEATURES per hit (``dense_sims``: the query's cosine with each hit's chunk)."""
    n = len(hits)
    x = np.zeros((n, len(FEATURES)))
    if n == 0:
        return x
    col = {f: i for i, f in enumerate(FEATURES)}
    rrf = np.array([h.score for h in hits])
    q_grams = _bigrams(question)
    cover = np.array([len(q_grams & _bigrams(h.chunk.text)) / max(1, len(q_grams)) for h in hits])
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(hits):
        by_doc[h.chunk.source].append(i)
    doc_rrf = {d: rrf[ix].sum() for d, ix in by_doc.items()}
    doc_dense = {d: dense_sims[ix].max() for d, ix in by_doc.items()}
    doc_cover = {d: cover[ix].max() for d, ix in by_doc.items()}
    best_doc_rrf = max(doc_rrf.values()) or 1.0
    best_doc_dense = max(doc_dense.values())
    titles: dict[str, float] = {}
    for i, h in enumerate(hits):
        d = h.chunk.source
        if d not in titles:
            titles[d] = title_match(question, h.chunk.title)
        x[i, col["rrf"]] = rrf[i] / (rrf.max() or 1.0)
        x[i, col["dense"]] = dense_sims[i] - dense_sims.max()
        x[i, col["dense_rr"]] = 1.0 / h.dense_rank if h.dense_rank else 0.0
        x[i, col["bm25_rr"]] = 1.0 / h.bm25_rank if h.bm25_rank else 0.0
        x[i, col["doc_rrf"]] = doc_rrf[d] / best_doc_rrf
        x[i, col["doc_dense"]] = doc_dense[d] - best_doc_dense
        x[i, col["doc_share"]] = len(by_doc[d]) / n
        x[i, col["title"]] = titles[d]
        x[i, col["cover"]] = cover[i]
        x[i, col["cover_doc"]] = doc_cover[d]
    return x


class CandidateRanker:
    """Re-orders fused candidates by the learned model; light to construct, weights read on first use."""

    def __init__(self, weights: RankerWeights | None = None, path: Path = WEIGHTS_FILE):
        self._weights = weights
        self.path = path

    @property
    def weights(self) -> RankerWeights:
        if self._weights is None:
            self._weights = RankerWeights.load(self.path)
        return self._weights

    def scores(self, question: str, hits: list[Hit], dense_sims: np.ndarray) -> np.ndarray:
        """The model's belief that each hit is the article the question is about: a softmax over the candidates."""
        x = candidate_features(question, hits, dense_sims)
        z = x @ self.weights.vector() + self.weights.bias
        z = np.exp(z - z.max())
        return z / z.sum()

    def rerank(self, question: str, hits: list[Hit], dense_sims: np.ndarray) -> list[Hit]:
        """``hits`` re-scored (Hit.score becomes the model's belief) and re-ordered, best first."""
        if not hits:
            return hits
        p = self.scores(question, hits, dense_sims)
        for h, s in zip(hits, p):
            h.score = float(s) if math.isfinite(s) else 0.0
        order = sorted(range(len(hits)), key=lambda i: (-hits[i].score, hits[i].chunk.source, hits[i].chunk.position))
        return [hits[i] for i in order]
