import pytest
import yaml

from assistant.errors import InvalidInput
from assistant.query_expansion import QUERY_TERMS, Thesaurus, aliases, expand
from assistant.retrieval import HybridRetriever
from assistant.tokenizer import Tokenizer
from tests.conftest import LAWS


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(
        "labour:\n"
        "  单位: [用人单位]\n"
        "  加班: [延长工作时间, 加班费]\n"
        "  加班费: [工资报酬]\n"
        "  n+1: [经济补偿]\n"
        "other:\n"
        "  加班: [休息日]\n",
        encoding="utf-8",
    )
    return Thesaurus.load(path)


def test_colloquial_words_bring_their_statutory_terms():
    terms = expand("老板能随便开除怀孕的员工吗")
    assert {"用人单位", "解除劳动合同", "孕期", "劳动者"} <= set(terms)
    assert expand("请问这条规定什么时候施行") == []


def test_longest_phrase_wins_and_its_span_is_not_matched_again(small):
    assert small.expand("加班费怎么算") == ["工资报酬"]
    assert small.expand("周末加班") == ["延长工作时间", "加班费", "休息日"]  # domains merge


def test_no_expansion_inside_a_statutory_term_already_asked_for(small):
    assert small.expand("用人单位安排加班") == ["延长工作时间", "加班费", "休息日"]
    assert small.expand("单位安排加班") == ["延长工作时间", "加班费", "休息日", "用人单位"]


def test_aliases_are_the_abbreviations_not_the_associations(small):
    # 单位 is a run inside 用人单位 (not an abbreviation); 加班 → 延长工作时间 is an association.
    assert small.aliases("单位安排加班") == []
    assert aliases("年终奖的个税怎么算") == ["个人所得税"]
    assert "社会保险" in aliases("社保断缴了怎么办") and "行政许可" not in aliases("开饭店要办什么证")


def test_terms_the_query_has_are_not_repeated_and_latin_is_case_blind(small):
    assert small.expand("加班和延长工作时间") == ["加班费", "休息日"]
    assert small.expand("N+1 能拿到吗") == ["经济补偿"]


@pytest.mark.parametrize(
    "text", ["- 老板\n", "labour: [老板]\n", "labour:\n  老板: 用人单位\n", "labour:\n  老板: ['']\n"]
)
def test_malformed_thesaurus_is_rejected(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput):
        Thesaurus.load(path)


def test_packaged_thesaurus_is_broad_and_has_no_silently_overridden_phrase():
    # PyYAML keeps the last of two equal keys; a phrase written twice in one domain would lose its first terms.
    root = yaml.compose(QUERY_TERMS.read_text(encoding="utf-8"))
    for _domain, entries in root.value:
        keys = [k.value for k, _ in entries.value]
        assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    t = Thesaurus.load()
    assert len(t.terms) >= 200
    assert all(set(v) - {k} for k, v in t.terms.items()), "an entry that maps a phrase only to itself"


def test_expansion_terms_tokenize_into_index_words():
    tokens = Tokenizer()(" ".join(expand("工人加班")))
    assert {"劳动者", "延长", "工作", "时间"} <= set(tokens)


def test_expansion_lifts_the_article_a_colloquial_question_is_about(components):
    law = "社会法/劳动合同法(2012-12-28).md"
    components.ingester().run([LAWS / law], root=LAWS)
    q = "老板能随便开除怀孕的员工吗"

    def rank(expansion: bool) -> int:
        hits = HybridRetriever(components.index, mode="bm25", expansion=expansion).run(q, k=50).hits
        articles = [h.chunk.article for h in hits]
        return articles.index("第四十二条") + 1 if "第四十二条" in articles else 99

    assert components.settings.query_expansion and HybridRetriever(components.index).expansion
    assert rank(True) < rank(False)
    assert rank(True) <= 3

    # a follow-up's standalone query also carries the earlier question: only what expand_from says is expanded
    bm25 = HybridRetriever(components.index, mode="bm25")
    plain = [h.chunk.id for h in HybridRetriever(components.index, mode="bm25", expansion=False).run(q, k=10).hits]
    assert [h.chunk.id for h in bm25.run(q, k=10, expand_from="").hits] == plain
    assert [h.chunk.id for h in bm25.run(q, k=10, expand_from=q).hits] == [h.chunk.id for h in bm25.run(q, k=10).hits]
