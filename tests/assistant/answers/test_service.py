"""AnswerService on a small real index: citations, streaming, follow-ups, abstention, versions, LLM checks."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidInput, NotFound, UnknownBackend
from assistant.llm import create_chat_model

NEW = "行政法规/保障中小企业款项支付条例(2025-03-17).md"
QUESTION = "机关、事业单位从中小企业采购货物，最晚应当在多少日内支付款项？"


def test_extractive_answer_cites_the_version_in_force(service_for):
    answer = service_for().answer(QUESTION)
    assert not answer.abstained and answer.generator == "extractive"
    assert answer.citations[0].source == NEW
    assert all(c.status == "in_force" for c in answer.citations)
    assert answer.citations[0].quote in answer.answer and "出处" in answer.answer
    assert answer.session_id and answer.query == QUESTION
    assert "2020-07-05" in (answer.notice or "")  # the older version is named as no longer in force


def test_stream_events_in_order(service_for):
    events = list(service_for().stream(QUESTION))
    kinds = [e for e, _ in events]
    assert kinds[-2:] == ["citations", "done"] and set(kinds[:-2]) == {"delta"} and len(kinds) > 3
    text = "".join(d["text"] for e, d in events if e == "delta")
    assert text == events[-1][1]["answer"]
    assert events[-2][1]["citations"] == events[-1][1]["citations"]


def test_follow_up_is_rewritten_with_the_conversation(service_for, sessions):
    service = service_for()
    first = service.answer("职工累计工作满12年，每年带薪年休假有几天？")
    follow = service.answer("那满20年的呢？", first.session_id)
    assert follow.session_id == first.session_id
    assert "年休假" in follow.query and follow.query.startswith("那满20年的呢？")
    assert "职工带薪年休假条例" in follow.citations[0].title
    turns = sessions.history(first.session_id)
    assert [t.role for t in turns] == ["user", "assistant", "user", "assistant"]


def test_an_llm_rewrite_leads_the_follow_up_and_the_earlier_turn_still_follows(service_for):
    # Replies in order: the first answer, the rewrite of the follow-up (which dropped the topic), its answer.
    fake = create_chat_model("fake", replies=["职工累计工作已满10年不满20年的，年休假10天[1]。", "满20年的有几天？",
                                              "已满20年的，年休假15天[1]。"])
    service = service_for(fake)
    first = service.answer("职工累计工作满12年，每年带薪年休假有几天？", generator="llm")
    follow = service.answer("那满20年的呢？", first.session_id, generator="llm")
    assert follow.query == "满20年的有几天？ 职工累计工作满12年，每年带薪年休假有几天？"
    assert "职工带薪年休假条例" in follow.citations[0].title


def test_a_follow_up_keeps_the_earlier_answers_article_in_view(service_for, sessions):
    from assistant.answers.sessions import Turn

    service = service_for(articles=3)
    sid = sessions.create()
    leave = "行政法规/职工带薪年休假条例(2007-12-14).md"
    sessions.append(sid, Turn("user", "职工累计工作满12年，每年带薪年休假有几天？"))
    # the earlier answer cited an article that the follow-up's own search does not put in its top three
    sessions.append(sid, Turn("assistant", "……", citations=[{"source": leave, "article": "第五条"}]))
    follow = service.answer("那满20年的呢？", sid)
    assert len(follow.citations) == 4 and "第三条" in [c.article for c in follow.citations[:3]]
    assert (follow.citations[3].source, follow.citations[3].article) == (leave, "第五条")
    assert "第五条" in follow.answer


def test_an_earlier_article_that_does_not_bear_on_the_follow_up_is_left_out(service_for, sessions):
    from assistant.answers.sessions import Turn

    sid = sessions.create()
    sessions.append(sid, Turn("user", "职工累计工作满12年，每年带薪年休假有几天？"))
    sessions.append(sid, Turn("assistant", "……", citations=[
        {"source": "行政法规/职工带薪年休假条例(2007-12-14).md", "article": "第九条"}]))  # 国务院有关部门 … 办法
    follow = service_for(articles=3).answer("那满20年的呢？", sid)
    assert "第九条" not in [c.article for c in follow.citations] and len(follow.citations) == 3


def test_a_follow_up_shows_an_earlier_article_once(service_for):
    service = service_for(articles=3)
    first = service.answer("职工累计工作满12年，每年带薪年休假有几天？")
    follow = service.answer("那满20年的呢？", first.session_id)
    keys = [(c.source, c.article) for c in follow.citations]
    assert len(keys) == len(set(keys)) == 3  # the earlier articles are among its own: nothing is added


def test_a_follow_ups_own_words_bring_in_an_article_of_the_documents_in_view(service_for, sessions):
    from assistant.answers.followup import contextualize
    from assistant.answers.sessions import Turn

    service = service_for()
    sid = sessions.create()
    sessions.append(sid, Turn("user", QUESTION))
    sessions.append(sid, Turn("assistant", "……", citations=[{"source": NEW, "article": "第九条"}]))
    history = sessions.history(sid)
    said = "没约定利率的话，迟付的利息按多少算？"
    _, own = service._carried(contextualize(said, history), said, history)
    assert [(h.chunk.source, h.chunk.article) for h in own] == [(NEW, "第十七条")]  # 逾期利息
    # a follow-up with no words of its own shares nothing with any article of the document: nothing comes in
    said = "那又怎么算呢？"
    assert service._carried(contextualize(said, history), said, history)[1] == []


def test_abstains_without_unrelated_sources(service_for):
    answer = service_for().answer("小规模纳税人每个月销售额不超过多少可以免征增值税？")
    assert answer.abstained and answer.citations == []
    assert "12345" in answer.suggestion and "未在已收录" in answer.answer


def test_repealed_title_points_to_the_current_regulation(service_for):
    answer = service_for().answer("个体工商户条例现在还有效吗？现行的是哪部法规？")
    assert "已废止" in answer.notice and "促进个体工商户发展条例" in answer.notice
    assert answer.citations[0].title == "促进个体工商户发展条例"


def test_bad_input_errors(service_for):
    service = service_for()
    with pytest.raises(InvalidInput, match="empty"):
        service.answer("  ")
    with pytest.raises(InvalidInput, match="2000"):
        service.answer("问" * 2001)
    with pytest.raises(UnknownBackend, match="extractive, llm"):
        service.answer(QUESTION, generator="gpt")
    with pytest.raises(NotFound, match="nope"):
        service.answer(QUESTION, session_id="nope")


def test_llm_answer_with_valid_citation_is_kept(service_for):
    fake = create_chat_model("fake", replies=["应当自货物交付之日起30日内支付[1]。"])
    answer = service_for(fake).answer(QUESTION, generator="llm")
    assert answer.generator == "llm" and answer.answer.startswith("应当自货物交付之日起30日内支付")
    assert answer.citations and answer.citations[0].source == NEW


def test_llm_answer_with_invented_figure_falls_back_to_extractive(service_for):
    fake = create_chat_model("fake", replies=["应当在45日内支付[1]。"])
    events = list(service_for(fake).stream(QUESTION, generator="llm"))
    done = events[-1][1]
    assert done["generator"] == "extractive" and "校验" in done["notice"] and "45" in done["notice"]
    assert "45日" not in done["answer"] and done["citations"]


def test_llm_declining_grounded_articles_gives_the_articles_with_a_notice(service_for):
    fake = create_chat_model("fake", replies=["未找到依据"])
    answer = service_for(fake).answer(QUESTION, generator="llm")
    assert not answer.abstained and answer.generator == "extractive" and answer.citations
    assert "大模型未能依据条文作答" in answer.notice and answer.citations[0].source == NEW


def test_llm_generator_without_model_falls_back_with_notice(service_for):
    answer = service_for().answer(QUESTION, generator="llm")
    assert answer.generator == "extractive" and "未配置大模型" in answer.notice


@pytest.mark.parametrize("question", ["红烧肉怎么做好吃？", "推荐几部好看的电影", "How do I reset my iPhone password?"])
def test_off_topic_questions_are_declined_without_sources(service_for, question):
    a = service_for().answer(question)
    assert a.abstained and a.citations == [] and a.suggestion
    assert "未在已收录的法规政策中找到" in a.answer


def test_the_similarity_floor_is_the_packaged_models_unless_set(small_index):
    from assistant.answers.service import E5_MIN_SIMILARITY, min_similarity_for

    s = small_index.settings
    assert min_similarity_for(s) == E5_MIN_SIMILARITY
    assert min_similarity_for(s.model_copy(update={"embedding_model": "/models/bge-small-zh"})) == 0.0
    assert min_similarity_for(s.model_copy(update={"answer_min_similarity": 0.5})) == 0.5
