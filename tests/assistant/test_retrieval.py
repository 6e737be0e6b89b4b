import numpy as np
import pytest

from assistant.errors import InvalidInput
from assistant.retrieval import HybridRetriever, SearchFilters
from tests.conftest import LAWS

REAL = ["行政法规/职工带薪年休假条例(2007-12-14).md", "社会法/劳动合同法(2012-12-28).md"]


@pytest.fixture
def real_index(components):
    components.ingester().run([LAWS / p for p in REAL], root=LAWS)
    return components


def test_finds_the_article_on_real_laws_in_every_mode(real_index):
    q = "员工累计工作满12年，每年能休几天带薪年假？"
    for mode in ("hybrid", "dense", "bm25"):
        hits = HybridRetriever(real_index.index, mode=mode).run(q, k=5).hits
        top = [(h.chunk.source, h.chunk.article) for h in hits]
        assert (REAL[0], "第三条") in top, (mode, top)
    # the article that answers carries its citation fields (the next article, 第四条, shares the question's
    # 累计工作满…年 three times and may rank beside it)
    hit = next(h for h in real_index.retriever.run(q, k=2).hits if h.chunk.article == "第三条")
    assert hit.chunk.title and hit.chunk.version_date == "2007-12-14" and "10天" in hit.chunk.text
    assert hit.dense_rank or hit.bm25_rank


def test_filters_restrict_sources_and_types(real_index):
    r = real_index.retriever
    only = r.run("劳动合同", k=5, filters=SearchFilters(sources={REAL[1]})).hits
    assert only and {h.chunk.source for h in only} == {REAL[1]}
    assert r.run("劳动合同", k=5, filters=SearchFilters(doc_types={"guide"})).hits == []


@pytest.mark.parametrize("query", ["", "   ", "字" * 2001])
def test_bad_queries_raise_invalid_input(real_index, query):
    with pytest.raises(InvalidInput):
        real_index.retriever.run(query)


def test_empty_corpus_returns_no_hits(components):
    assert components.retriever.run("任何问题").hits == []


def test_langchain_retriever_returns_the_same_hits_as_documents(real_index):
    from langchain_core.documents import Document

    from assistant.langchain_retriever import HuiqiRetriever

    q = "员工累计工作满12年，每年能休几天带薪年假？"
    lc = HuiqiRetriever.from_components(real_index, k=3)
    docs = lc.invoke(q)
    hits = real_index.retriever.run(q, k=3).hits
    assert all(isinstance(d, Document) for d in docs)
    assert [d.id for d in docs] == [h.chunk.id for h in hits]
    assert docs[0].page_content == hits[0].chunk.text
    assert {"source", "article", "title", "version_date", "status", "score"} <= set(docs[0].metadata)
    scoped = HuiqiRetriever.from_components(real_index, k=5, filters=SearchFilters(sources={REAL[1]}))
    assert {d.metadata["source"] for d in scoped.invoke("劳动合同")} == {REAL[1]}


NATIONAL = "行政法规/劳动保障监察条例(2004-11-01).md"
ZHEJIANG = "浙江地方法规/地方性法规/浙江/浙江省劳动保障监察条例(2020-09-24).md"
ELSEWHERE = "广东地方法规/地方性法规/广东/云浮市优化营商环境条例(2023-03-03).md"
UNPAID_WAGES = "员工投诉公司拖欠工资，劳动保障监察调查时，公司要提供什么证据？拿不出来怎么认定？"


@pytest.fixture
def two_levels(components):
    """A national regulation and a province's regulation on the same subject, and another province's rules."""
    components.ingester().run([LAWS / NATIONAL, LAWS / ZHEJIANG, LAWS / ELSEWHERE], root=LAWS)
    return components


def _order(index, monkeypatch, query, **settings):
    monkeypatch.setattr(index, "settings", index.settings.model_copy(update=settings))
    return [h.chunk.source for h in HybridRetriever(index).run(query, k=10).hits]


def test_a_question_naming_no_place_is_answered_from_national_law_first(two_levels, monkeypatch):
    index = two_levels.index
    plain = _order(index, monkeypatch, UNPAID_WAGES, elsewhere_weight=1.0)
    assert plain[0] == ZHEJIANG  # by words alone the province's article fits best
    assert _order(index, monkeypatch, UNPAID_WAGES, elsewhere_weight=0.5)[0] == NATIONAL
    # the province's own rules count in full where the question is about it: named, or the home region
    assert _order(index, monkeypatch, "我们是宁波的企业，" + UNPAID_WAGES, elsewhere_weight=1.0) == \
        _order(index, monkeypatch, "我们是宁波的企业，" + UNPAID_WAGES, elsewhere_weight=0.5)
    assert _order(index, monkeypatch, UNPAID_WAGES, elsewhere_weight=0.5, home_region="浙江") == plain
    # a question about another region weighs them less
    assert _order(index, monkeypatch, "我们在上海，" + UNPAID_WAGES, elsewhere_weight=0.5)[0] == NATIONAL


def test_the_one_province_of_a_stores_local_documents_is_its_home(components, monkeypatch):
    # a county's deployment: its province's rules and national law, no home region configured
    components.ingester().run([LAWS / NATIONAL, LAWS / ZHEJIANG], root=LAWS)
    index = components.index
    assert _order(index, monkeypatch, UNPAID_WAGES, elsewhere_weight=0.5) == \
        _order(index, monkeypatch, UNPAID_WAGES, elsewhere_weight=1.0)
    assert _order(index, monkeypatch, UNPAID_WAGES, elsewhere_weight=1.0)[0] == ZHEJIANG


def _scaled(xs: list[float]) -> list[float]:
    lo, hi = min(xs), max(xs)
    return [(x - lo) / (hi - lo) if hi > lo else 0.0 for x in xs]


def test_convex_fusion_is_the_weighted_sum_of_min_max_normalised_scores(real_index):
    index = real_index.index
    assert index.settings.fusion == "convex"
    # within one document of ~20 articles every chunk is a candidate and a hit, so the normalisation over the
    # candidates can be recomputed from the hits
    hits = HybridRetriever(index, answer_types=False).run("员工累计工作满12年，每年能休几天带薪年假？", k=100,
                                                          filters=SearchFilters(sources={REAL[0]})).hits
    assert (REAL[0], "第三条") in [(h.chunk.source, h.chunk.article) for h in hits[:2]]
    assert all(h.dense_score is not None and h.bm25_score is not None for h in hits)  # both scores, every candidate
    w = index.settings.dense_share
    expected = [w * d + (1 - w) * b for d, b in zip(_scaled([h.dense_score for h in hits]),
                                                    _scaled([h.bm25_score for h in hits]))]
    assert [h.score for h in hits] == pytest.approx(expected)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_keyword_only_candidate_is_scored_by_its_stored_vector_below_the_dense_list(real_index, monkeypatch):
    index = real_index.index
    # five candidates a retriever, so that the two lists differ on two documents
    monkeypatch.setattr(index, "settings", index.settings.model_copy(update={"candidates": 5}))
    hits = HybridRetriever(index).run("劳动合同期满 经济补偿 工作年限 每满一年", k=10).hits
    listed = [h.dense_score for h in hits if h.dense_rank]
    keyword_only = [h for h in hits if h.dense_rank is None]
    assert keyword_only and listed
    # scored from its own stored vector (not a placeholder), and no closer than the dense list's last
    vec = index.embedder.embed_queries(["劳动合同期满 经济补偿 工作年限 每满一年"])[0]
    stored = index.vectors.embeddings([h.chunk.id for h in keyword_only])
    for h in keyword_only:
        own = float(stored[h.chunk.id] @ vec / (np.linalg.norm(stored[h.chunk.id]) * np.linalg.norm(vec)))
        assert 0 < h.dense_score <= min(own, min(listed)) + 1e-6


def test_reciprocal_rank_fusion_is_one_setting_away(real_index, monkeypatch):
    index = real_index.index
    monkeypatch.setattr(index, "settings", index.settings.model_copy(update={"fusion": "rrf"}))
    r = HybridRetriever(index)
    assert r.fusion == "rrf"
    hits = r.run("员工累计工作满12年，每年能休几天带薪年假？", k=10).hits
    s = index.settings
    for h in hits:
        parts = [s.dense_weight / (s.rrf_k + h.dense_rank) if h.dense_rank else 0.0,
                 s.bm25_weight / (s.rrf_k + h.bm25_rank) if h.bm25_rank else 0.0]
        assert h.score == pytest.approx(sum(parts))
    assert (REAL[0], "第三条") in [(h.chunk.source, h.chunk.article) for h in hits[:3]]


def test_an_unknown_fusion_is_invalid_input(real_index):
    with pytest.raises(InvalidInput, match="unknown fusion"):
        HybridRetriever(real_index.index, fusion="max")


def test_articles_stating_no_asked_period_weigh_less(real_index, monkeypatch):
    from assistant.answer_types import asked_types, states_any

    index = real_index.index
    monkeypatch.setattr(index, "settings", index.settings.model_copy(update={"answer_type_weight": 0.5}))
    q = "试用期最长可以约定多久？"
    assert asked_types(q) == ["duration"]
    on = {h.chunk.id: h for h in HybridRetriever(index).run(q, k=30).hits}
    off = {h.chunk.id: h for h in HybridRetriever(index, answer_types=False).run(q, k=30).hits}
    shared = on.keys() & off.keys()
    stating = [i for i in shared if states_any(on[i].chunk.text, ["duration"], q)]
    silent = [i for i in shared if i not in stating]
    assert stating and silent
    assert all(on[i].score == pytest.approx(off[i].score) for i in stating)
    assert all(on[i].score == pytest.approx(0.5 * off[i].score) for i in silent)
    top = HybridRetriever(index).run(q, k=1).hits[0]
    assert (top.chunk.source, top.chunk.article) == (REAL[1], "第十九条")  # 试用期不得超过六个月 …


def test_a_follow_ups_context_scores_at_the_context_weight(real_index):
    """A follow-up's standalone query (its own words, then the earlier turns): the earlier turns' keywords count at
    CONTEXT_WEIGHT, the user's own words in full."""
    from assistant.retrieval import CONTEXT_WEIGHT

    said, earlier = "那怀孕的女职工呢？", "公司效益不好，想裁掉一批员工，要提前多久通知？"
    query = f"{said} {earlier}"
    bm25 = HybridRetriever(real_index.index, mode="bm25", expansion=False)
    snap, tok = real_index.index.snapshot(), real_index.index.tokenizer
    own = tok(said)
    context = [t for t in dict.fromkeys(tok(earlier)) if t not in set(own)]
    expected = snap.keyword.scores(own) + CONTEXT_WEIGHT * snap.keyword.scores(context)
    hits = bm25.run(query, k=10, expand_from=said).hits
    assert hits and all(h.bm25_score == pytest.approx(expected[snap.position[h.chunk.id]]) for h in hits)
    # the same words asked at once are all the user's own
    whole = snap.keyword.scores(tok(query))
    assert all(h.bm25_score == pytest.approx(whole[snap.position[h.chunk.id]]) for h in bm25.run(query, k=10).hits)
    assert 0 < CONTEXT_WEIGHT < 1
