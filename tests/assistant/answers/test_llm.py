"""The LLM prompt on hand-made articles: focused article text, a constant prefix, attribution, declines."""

from langchain_core.messages import HumanMessage

from assistant.answers.evidence import Article
from assistant.answers.llm import (
    GAP,
    PROMPT_ARTICLES,
    attribute,
    build_messages,
    declined,
    focus_articles,
    prompt_sources,
    quoted_basis,
)
from assistant.answers.validation import check_answer
from assistant.documents import Chunk, Hit

LONG = (
    "第十二条 示范企业应当建立安全管理制度，明确各岗位的安全责任，定期组织员工参加安全培训和应急演练。"
    "示范企业应当配备与其规模相适应的专职安全管理人员，并保证其履行职责所需的工作条件和经费投入。"
    "示范企业申请延续经营许可的，应当在许可有效期届满30日前向原发证机关提出申请。"
    "发证机关应当对示范企业的安全生产条件进行现场核查，核查结果应当书面告知申请人并在门户网站上公开。"
    "本条所称示范企业，是指经省级主管部门认定并向社会公布名单的企业。"
)


def article(text: str, label: str = "第十二条", title: str = "中华人民共和国示范条例") -> Article:
    chunk = Chunk(id=f"{title}-{label}", text=text, embed_text=text, source=f"{title}.md", title=title,
                  doc_type="law", position=0, article=label)
    return Article(Hit(chunk, 1.0, dense_score=0.9), text)


QUESTION = "示范企业的经营许可快到期了，要提前多少天申请延续？"
ARTICLES = [article(LONG), article("第三条 本条例自公布之日起施行。", "第三条"),
            article("第九条 示范企业名单每年公布一次。", "第九条")]


def test_focus_keeps_the_sentence_answering_the_question_under_the_budget():
    texts = focus_articles(QUESTION, ARTICLES, budget=120)
    assert "在许可有效期届满30日前向原发证机关提出申请" in texts[0]
    assert "专职安全管理人员" not in texts[0] and GAP in texts[0]  # irrelevant sentences skipped, gaps shown
    assert not texts[0].startswith("第十二条")  # the label is shown once, in the article's header
    assert sum(len(t) for t in texts) <= 120 + 2 * len(GAP)
    assert texts[1] == "本条例自公布之日起施行。"  # every article keeps its best sentence


def test_short_articles_are_shown_whole_and_in_order():
    text = "第五条 申请人应当提交申请书。主管部门应当在20日内答复。"
    assert focus_articles("提交什么材料？", [article(text, "第五条")]) == ["申请人应当提交申请书。主管部门应当在20日内答复。"]


def test_prompt_sources_are_exactly_what_the_prompt_shows():
    messages = build_messages(QUESTION, ARTICLES)
    shown = messages[-1].content
    sources = prompt_sources(QUESTION, ARTICLES)
    assert len(sources) == PROMPT_ARTICLES < len(ARTICLES)  # the later articles are left out of the prompt
    for i, text in enumerate(sources, 1):
        assert f"[{i}]《示范条例》" in shown and text in shown  # the title without 中华人民共和国
    assert f"[{PROMPT_ARTICLES + 1}]" not in shown and shown.endswith(f"问题：{QUESTION}")


def test_the_prompt_prefix_is_the_same_for_every_question():
    a = build_messages(QUESTION, ARTICLES)
    b = build_messages("示范企业名单多久公布一次？", ARTICLES[1:])
    assert [m.content for m in a[:-1]] == [m.content for m in b[:-1]]  # llama.cpp reuses its KV cache for it
    assert isinstance(a[-1], HumanMessage) and a[-1].content != b[-1].content


def test_attribute_marks_a_copied_sentence_with_its_article():
    sources = prompt_sources(QUESTION, ARTICLES)
    reply = "应当在许可有效期届满30日前向原发证机关提出申请[3]。"
    fixed = attribute(reply, sources)
    assert fixed == "应当在许可有效期届满30日前向原发证机关提出申请[1]。"
    assert check_answer(fixed, sources).ok


def test_attribute_keeps_a_marker_whose_article_holds_the_sentence():
    sources = ["销售食用农产品和仅销售预包装食品的，不需要取得许可。", "药品零售企业销售特定食品的，不需要取得食品经营许可。"]
    assert attribute("不需要取得食品经营许可[1]。", sources) == "不需要取得食品经营许可[1]。"
    assert attribute("不需要取得食品经营许可。", sources) == "不需要取得食品经营许可[2]。"


def test_attribute_keeps_the_model_markers_of_sentences_from_no_article():
    sources = prompt_sources(QUESTION, ARTICLES)
    assert attribute("要提前45天申请。[2]", sources) == "要提前45天申请[2]。"  # the figure check still fails
    assert not check_answer(attribute("要提前45天申请。[2]", sources), sources).ok
    assert attribute("可以[7]。", sources) == "可以[7]。"


def test_quoted_basis_quotes_the_cited_articles_whole():
    basis = quoted_basis(ARTICLES, [2, 1])
    assert basis.startswith("\n\n依据：\n[2] 《中华人民共和国示范条例》第三条：")
    assert LONG in basis and quoted_basis(ARTICLES, []) == ""


def test_declined_replies():
    assert declined("未找到依据。")
    assert declined("[1]") and declined("[1][2]。")
    assert declined("示范企业的经营许可快到期了，要提前多少天申请延续[1]？", QUESTION)
    assert not declined("应当在许可有效期届满30日前提出申请[1]。", QUESTION)
    assert not declined("可以延期[1]。", "可以延期吗？")  # a short answer may echo the question's words
