"""The extractive answer's lead sentence: the asked figure first, from whichever quoted article states it."""

from assistant.answers.evidence import Article
from assistant.answers.extractive import extractive_answer
from assistant.documents import Chunk, Hit


def article(text: str, label: str) -> Article:
    chunk = Chunk(id=label, text=text, embed_text=text, source="示例条例.md", title="示例条例", doc_type="law",
                  position=0, article=label)
    return Article(Hit(chunk, 1.0), text)


def test_lead_is_the_sentence_stating_the_asked_figure():
    articles = [article("第一条 申请人应当向主管部门提交书面申请。", "第一条"),
                article("第二条 主管部门应当自受理申请之日起20日内作出决定。", "第二条")]
    text, citations = extractive_answer("提交申请以后，主管部门多久作出决定？", articles)
    assert text.startswith("根据《示例条例》第二条：主管部门应当自受理申请之日起20日内作出决定。[2]")
    assert [c.article for c in citations] == ["第一条", "第二条"]


def test_lead_of_a_question_without_figure_is_from_the_best_article():
    articles = [article("第一条 申请人应当向主管部门提交书面申请。", "第一条"),
                article("第二条 主管部门应当自受理申请之日起20日内作出决定。", "第二条")]
    text, _ = extractive_answer("申请人应当提交什么？", articles)
    assert text.startswith("根据《示例条例》第一条：申请人应当向主管部门提交书面申请。[1]")
