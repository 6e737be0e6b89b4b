from __future__ import annotations

import numpy as np
import pytest

from assistant.checklist.catalogue import GuideCatalogue
from assistant.checklist.loading import load_guides
from assistant.checklist.service import ChecklistService
from assistant.errors import InvalidInput, NoServiceGuides, NotFound


def _titles(checklist):
    return [m.guide.title for m in checklist.matters]


def test_one_matter_request_gets_that_matter_with_its_requirements(service):
    c = service.draft("供应商给我们的一张发票好像是伪造的，想请税务局鉴定真假，要带哪些东西？")
    assert _titles(c) == ["发票真伪鉴定"]
    m = c.matters[0]
    assert m.guide.department == "国家税务总局广东省税务局"
    assert [x.name for x in c.materials] == [x.name for x in m.guide.materials]
    d = m.to_dict()
    assert d["citation"]["url"] and "办事指南" in d["citation"]["title"]
    assert {"legal_time_limit", "promised_time_limit", "conditions", "basis", "department"} <= d.keys()


def test_a_request_naming_two_steps_gets_both_matters_merged_in_order(service):
    c = service.draft("我们打算发起成立一家慈善基金会，名称还没核准，核名和设立登记分别要交什么材料？")
    assert set(_titles(c)) == {"基金会名称预先核准", "基金会设立登记"}
    assert _titles(c)[0] == "基金会名称预先核准"  # the name check comes first
    all_materials = [x.name for m in c.matters for x in m.guide.materials]
    assert len(c.materials) == len({n for n in all_materials})  # nothing listed twice
    assert c.departments == [{"department": "广东省社会组织管理局", "matters": [m.guide.id for m in c.matters]}]


def test_the_variant_the_request_asks_for_is_chosen(service):
    c = service.draft("公司一名二级建造师的注册有效期快到了，要办延续注册，准备什么材料？")
    assert "延续" in c.matters[0].guide.title
    assert c.clarification is None
    first = service.draft("新来的项目经理刚考下二级建造师，以前从来没有注册过，注册到我们公司要什么材料？")
    assert "初始注册" in first.matters[0].guide.title


def test_a_guangzhou_request_gets_the_city_guide_and_elsewhere_the_province(service):
    city = service.draft("我们几位律师准备在广州天河合伙设立一家律师事务所，要交什么材料？")
    assert city.matters[0].guide.department == "广州市司法局"
    assert city.clarification is None


def test_an_ambiguous_jurisdiction_returns_the_candidates_and_one_question(service):
    c = service.draft("律师事务所设立许可需要准备哪些材料？")
    assert c.matters[0].guide.department == "广东省司法厅"  # the best guess is shown, not silently
    q = c.clarification
    assert q is not None and "广州市" in q.question and q.question.endswith("）")
    assert {x["department"] for x in q.candidates} == {"广东省司法厅", "广州市司法局"}
    assert c.matters[0].alternatives and c.to_dict()["clarification"]["candidates"]


def test_chosen_matter_ids_skip_selection(service):
    ids = [g.id for g in service.guides if g.name in ("实验动物生产许可", "实验动物使用许可")][:2]
    c = service.draft("续期", matter_ids=ids)
    assert sorted(m.guide.id for m in c.matters) == sorted(ids)


def test_bad_requests_raise_domain_errors(service, embedder):
    with pytest.raises(InvalidInput, match="empty"):
        service.draft("   ")
    with pytest.raises(InvalidInput, match="longer than"):
        service.draft("办" * 2001)
    with pytest.raises(NotFound, match="no service guide"):
        service.guide("nope")
    empty = ChecklistService([], embedder)
    with pytest.raises(NoServiceGuides):
        empty.warm_up()
    with pytest.raises(NoServiceGuides):
        empty.draft("开个厂")


def test_guide_vectors_are_cached_by_content_and_model(guide_slice, embedder, tmp_path):
    guides = load_guides([guide_slice])

    class CountingEmbedder:
        """The real embedder, counting the passages it is asked to embed."""

        name, dim = embedder.name, embedder.dim
        passages = 0

        def warm_up(self):
            embedder.warm_up()

        def embed_queries(self, texts):
            return embedder.embed_queries(texts)

        def embed_passages(self, texts):
            CountingEmbedder.passages += len(texts)
            return embedder.embed_passages(texts)

    first = GuideCatalogue(guides, CountingEmbedder(), tmp_path)
    first.warm_up()
    assert CountingEmbedder.passages == len(guides)
    again = GuideCatalogue(guides, CountingEmbedder(), tmp_path)
    again.warm_up()
    assert CountingEmbedder.passages == len(guides)  # loaded, not embedded again
    assert np.array_equal(first._vectors, again._vectors)
    assert len(list(tmp_path.glob("guide-vectors-*.npy"))) == 1
    changed = GuideCatalogue(guides[:-1], CountingEmbedder(), tmp_path)
    assert changed.fingerprint() != first.fingerprint()


def test_keyword_search_works_without_an_embedder(guide_slice):
    catalogue = GuideCatalogue(load_guides([guide_slice]), None)
    [(best, _)] = catalogue.search("发票真伪鉴定", k=1)
    assert best.name == "发票真伪鉴定"
