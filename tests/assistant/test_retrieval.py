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
    hit = real_index.retriever.run(q, k=1).hits[0]
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
