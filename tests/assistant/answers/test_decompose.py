"""Compound questions are searched part by part, and the parts' best articles lead the merged hits."""

from assistant.answers.decompose import merge_hits, question_parts
from assistant.documents import Chunk, Hit


def _hit(source, article):
    return Hit(Chunk(id=f"{source}{article}", text="", embed_text="", source=source, title="", doc_type="law",
                     position=0, article=article), 0.0)


def test_parts_carry_the_topic_of_the_first_without_its_asking_words():
    q = "几家同行商量好统一涨价，这属于什么违法行为？真被查处的话，罚款大概在什么范围？"
    parts = question_parts(q)
    assert parts == ["几家同行商量好统一涨价，这属于什么违法行为？",
                     "几家同行商量好统一涨价 这属于 违法行为 真被查处的话，罚款大概在什么范围？"]


def test_a_single_question_is_not_split():
    assert question_parts("员工累计工作满12年，每年能休几天带薪年假？") == []
    assert question_parts("能休几天？多久？") == []  # parts too short to search alone


def test_merge_puts_each_lists_best_first_and_keeps_articles_once():
    full = [_hit("a", "第十七条"), _hit("a", "第十八条"), _hit("b", "第一条")]
    penalty = [_hit("a", "第五十六条"), _hit("a", "第十七条")]
    merged = merge_hits([full, penalty])
    assert [(h.chunk.source, h.chunk.article) for h in merged] == [
        ("a", "第十七条"), ("a", "第五十六条"), ("a", "第十八条"), ("b", "第一条")]


def test_a_part_whose_best_is_taken_offers_its_next_article():
    # the second part's search still ranks the first part's article first: its next one is offered instead
    full = [_hit("a", "第六十七条"), _hit("a", "第六十六条"), _hit("a", "第六十一条"), _hit("a", "第七十二条")]
    overdue = [_hit("a", "第六十七条"), _hit("a", "第七十二条"), _hit("a", "第六十六条")]
    merged = merge_hits([full, overdue])
    assert [h.chunk.article for h in merged][:2] == ["第六十七条", "第七十二条"]


def test_a_later_part_offers_the_article_it_lifts_above_the_first_parts_ranking():
    # every part carries the first part's topic: the first part's neighbours (第七十八条, 第七十七条) lead the later
    # part's list too; the definition it asks for (第八十八条) is the one the first part ranks far lower
    whole = [_hit("a", "第四十三条"), _hit("a", "第七十八条"), _hit("a", "第七十七条"), _hit("a", "第八十八条")]
    first = [_hit("a", "第四十三条"), _hit("a", "第七十八条"), _hit("a", "第七十七条"), _hit("b", "第五十八条"),
             _hit("b", "第四十二条"), _hit("a", "第八条")]
    night = [_hit("a", "第四十三条"), _hit("a", "第七十七条"), _hit("b", "第五十八条"), _hit("a", "第八十八条")]
    merged = merge_hits([whole, first, night])
    assert [h.chunk.article for h in merged][:3] == ["第四十三条", "第七十八条", "第八十八条"]
