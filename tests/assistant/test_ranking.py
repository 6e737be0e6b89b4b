"""The second-stage ranker: its features, its shipped weights, and its place in hybrid retrieval."""

import numpy as np

from assistant.documents import Chunk, Hit
from assistant.ranking import FEATURES, CandidateRanker, RankerWeights, candidate_features, title_match
from assistant.retrieval import HybridRetriever
from tests.conftest import LAWS


def _hit(source, title, article, text, score, dense_rank=None, bm25_rank=None):
    c = Chunk(id=f"{source}:{article}", text=text, embed_text=text, source=source, title=title, doc_type="law",
              position=0, article=article)
    return Hit(c, score, dense_rank=dense_rank, bm25_rank=bm25_rank)


def test_title_match_reads_the_core_of_the_title():
    assert title_match("个体工商户想转让给亲戚经营", "促进个体工商户发展条例") > 0.3
    assert title_match("个体工商户想转让给亲戚经营", "中华人民共和国反垄断法") == 0.0


def test_features_favour_the_article_that_covers_the_question():
    hits = [
        _hit("a.md", "职工带薪年休假条例", "第二条", "机关、团体、企业的职工连续工作1年以上的，享受带薪年休假。", 0.03, 1, 2),
        _hit("a.md", "职工带薪年休假条例", "第三条", "职工累计工作已满10年不满20年的，年休假10天。", 0.029, 2, 1),
    ]
    x = candidate_features("累计工作满12年年休假几天", hits, np.array([0.85, 0.84]))
    assert x.shape == (2, len(FEATURES))
    cover = FEATURES.index("cover")
    assert x[1, cover] > x[0, cover]
    ranked = CandidateRanker(RankerWeights({"cover": 5.0, "rrf": 1.0})).rerank("累计工作满12年年休假几天", hits,
                                                                              np.array([0.85, 0.84]))
    assert ranked[0].chunk.article == "第三条" and 0 < ranked[1].score < ranked[0].score < 1
    assert abs(sum(h.score for h in ranked) - 1) < 1e-9  # a distribution over the candidates


def test_shipped_weights_cover_every_feature():
    w = RankerWeights.load()
    assert set(w.weights) == set(FEATURES) and w.trained_on


def test_off_by_default(components):
    assert HybridRetriever(components.index).ranker is None


def test_hybrid_reranks_and_fused_does_not(components):
    components.ingester().run([LAWS / "行政法规/职工带薪年休假条例(2007-12-14).md"], root=LAWS)
    q = "员工累计工作满12年，每年能休几天带薪年假？"
    hybrid = HybridRetriever(components.index, ranker=CandidateRanker()).run(q, k=3)
    fused = HybridRetriever(components.index, mode="fused").run(q, k=3)
    assert "rerank_ms" in hybrid.timings_ms and "rerank_ms" not in fused.timings_ms
    assert hybrid.hits[0].chunk.article == "第三条"
    # the ranker's scores are its beliefs (a distribution over the candidates); fused scores are the convex
    # combination's, the best near 1
    assert 0 < sum(h.score for h in hybrid.hits) <= 1 + 1e-9
    assert all(0 <= h.score <= 1 for h in fused.hits) and fused.hits[0].score > 0.5
