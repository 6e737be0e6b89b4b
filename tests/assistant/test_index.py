"""The live snapshot on a real index: which chunks are in force."""

from assistant.documents import Chunk
from assistant.answers.versions import VersionGuide
from assistant.retrieval import HybridRetriever, SearchFilters
from tests.conftest import LAWS

RULES = "部门规章/市场监督管理总局/市场主体登记管理条例实施细则(2022-03-01).md"
LATER = "行政法规/促进个体工商户发展条例(2022-10-01).md"
ASK = "个体工商户变更经营者，要先办注销登记再由新经营者重新申请登记吗？"


def _articles(components, in_force_only: bool) -> set[tuple[str, str]]:
    filters = SearchFilters(in_force_only=in_force_only)
    return {(h.chunk.source, h.chunk.article) for h in components.retriever.run(ASK, k=20, filters=filters).hits}


def test_an_overridden_article_leaves_the_in_force_search_once_the_overriding_rule_is_in(components):
    components.ingester().run([LAWS / RULES], root=LAWS)
    # alone, the implementing rules are the only basis there is: their article stays in force
    assert (RULES, "第三十八条") in _articles(components, True)
    components.ingester().run([LAWS / LATER], root=LAWS)
    snap = components.index.snapshot()
    assert {c.article for c, ok in zip(snap.chunks, snap.in_force) if not ok} == {"第三十八条"}
    found = _articles(components, True)
    assert (RULES, "第三十八条") not in found and (LATER, "第十三条") in found
    assert any(s == RULES for s, _ in found)  # the rules' other articles stay in force
    assert (RULES, "第三十八条") in _articles(components, False)


def test_an_answer_citing_the_overriding_article_says_which_rule_it_replaces():
    def chunk(title: str, article: str) -> Chunk:
        return Chunk(id=f"{title}{article}", text="", embed_text="", source=f"{title}.md", title=title,
                     doc_type="law", position=0, article=article)

    guide = VersionGuide.from_chunks([chunk("促进个体工商户发展条例", "第十三条"),
                                      chunk("中华人民共和国市场主体登记管理条例实施细则", "第三十八条")])
    note = guide.override_notice([("促进个体工商户发展条例", "第十三条")])
    assert note and "市场主体登记管理条例实施细则》第三十八条" in note and "不必先注销" in note
    assert guide.override_notice([("促进个体工商户发展条例", "第十二条")]) is None
    # without the overriding document in the store there is nothing to say
    assert VersionGuide.from_chunks([chunk("中华人民共和国市场主体登记管理条例实施细则", "第三十八条")]).overrides == {}
