"""Policy chunking: a heading with its body, nested chapter paths, tiny siblings merged, long ones split."""

from __future__ import annotations

from assistant.documents import SourceDocument
from ingest.chunking import chunk_document
from ingest.chunking.base import paragraphs

LONG_MEASURE = "对首次认定的企业，按照有关规定给予资金奖励，所需资金由同级财政统筹安排。"

POLICY = "\n\n".join(
    [
        "# 示例县支持企业创新发展的若干措施",
        "为支持企业加大创新投入，结合本县实际，制定以下措施。",
        "一、总体要求",
        "坚持企业主体地位，完善创新政策体系，力争三年内高新技术企业数量翻一番。",
        "二、支持措施",
        "（一）研发投入",
        "1.对研发费用较上年增长的企业，按增量部分的一定比例给予补助，单个企业每年补助总额不超过规定上限。",
        "2.补助资金实行年度总额控制，超出年度总额的，按各企业应补助金额等比例核减后拨付。",
        "（二）人才引进。对企业引进的高层次人才，按照人才层次分别给予安家补贴，并在子女入学、医疗保障等方面提供便利。",
        "（三）高企培育",
        *[LONG_MEASURE] * 30,
        "（四）融资支持",
        "设立风险补偿资金池。",
        "（五）用地保障",
        "优先保障创新项目用地。",
        "三、附则",
        "本措施自印发之日起施行，由县科技局负责解释。",
    ]
)


def _doc(text: str = POLICY, doc_type: str = "policy") -> SourceDocument:
    return SourceDocument(
        source="policies/示例措施.md",
        title="示例县支持企业创新发展的若干措施",
        doc_type=doc_type,  # type: ignore[arg-type]
        text=text,
        version_date="2025-01-01",
        region="浙江省示例县",
    )


def test_heading_with_body_and_chapter_path():
    chunks = chunk_document(_doc(), max_chars=400)
    by_article = {c.article: c for c in chunks}
    assert by_article["一、总体要求"].chapter == ""
    assert by_article["一、总体要求"].text.startswith("一、总体要求\n坚持企业主体地位")
    research = by_article["（一）研发投入"]
    assert research.chapter == "二、支持措施"
    assert research.text == "\n".join(paragraphs(POLICY)[5:8])


def test_preamble_is_its_own_chunk_and_the_title_line_is_dropped():
    chunks = chunk_document(_doc(), max_chars=400)
    assert (chunks[0].article, chunks[0].text) == ("", "为支持企业加大创新投入，结合本县实际，制定以下措施。")
    assert all("# " not in c.text for c in chunks)


def test_inline_lead_is_a_heading_without_repeating_it():
    chunks = chunk_document(_doc(), max_chars=400)
    c = next(c for c in chunks if c.article.startswith("（二）人才引进"))
    assert c.article == "（二）人才引进"
    assert c.text == paragraphs(POLICY)[8]


def test_long_section_splits_with_heading_repeated():
    parts = [c for c in chunk_document(_doc(), max_chars=400) if c.article == "（三）高企培育"]
    assert len(parts) >= 3 and [c.part for c in parts] == list(range(1, len(parts) + 1))
    assert parts[0].text.startswith("（三）高企培育\n")
    assert all(c.text.startswith("（三）高企培育（续）\n") for c in parts[1:])
    assert all(len(c.text) <= 400 for c in parts)
    measures = [line for c in parts for line in c.text.split("\n")[1:]]
    assert measures == [LONG_MEASURE] * 30
    assert {c.chapter for c in parts} == {"二、支持措施"}


def test_tiny_siblings_merge_up_to_the_limit():
    chunks = chunk_document(_doc(), max_chars=400)
    merged = next(c for c in chunks if "（四）融资支持" in c.text)
    assert "（五）用地保障" in merged.text
    assert merged.article == "（四）融资支持；（五）用地保障"
    assert merged.chapter == "二、支持措施"


def test_whole_document_fits_into_one_chunk_per_top_section_when_large_enough():
    chunks = chunk_document(_doc(POLICY.replace("\n\n".join([LONG_MEASURE] * 30), LONG_MEASURE)), max_chars=4000)
    # every top-level section fits whole; tiny ones merge with their neighbours
    assert all(c.chapter == "" for c in chunks)
    assert "（一）研发投入" in chunks[1].text or "（一）研发投入" in chunks[2].text


def test_every_paragraph_is_kept_and_ids_are_stable():
    doc = _doc()
    chunks = chunk_document(doc, max_chars=400)
    text = "\n".join(c.text for c in chunks)
    chapters = " ".join(c.chapter for c in chunks)
    for para in paragraphs(POLICY)[1:]:
        assert para in text or para in chapters  # a heading too large to chunk whole heads its children
    assert [c.id for c in chunk_document(doc, max_chars=400)] == [c.id for c in chunks]
    assert len({c.id for c in chunks}) == len(chunks)
    assert {(c.doc_type, c.region, c.version_date) for c in chunks} == {("policy", "浙江省示例县", "2025-01-01")}
    assert chunks[1].embed_text == f"{doc.title} {chunks[1].chapter} {chunks[1].text}".replace("  ", " ")


def test_markdown_sections_nest_with_chinese_levels():
    text = "## 一、申报条件\n\n（一）企业条件\n\n在本县注册。\n\n二、申报材料\n\n申请书。\n"
    tiny = chunk_document(_doc(text), max_chars=200)
    assert [(c.article, c.chapter) for c in tiny] == [("一、申报条件；二、申报材料", "")]
    long_text = text.replace("在本县注册。", "在本县注册。" * 40)
    got = [(c.article, c.chapter) for c in chunk_document(_doc(long_text), max_chars=200)]
    assert ("（一）企业条件", "一、申报条件") in got
    assert got[-1] == ("二、申报材料", "")


def test_long_numbered_sentences_are_body_not_headings():
    text = (
        "三、任职条件\n\n1．热爱祖国，遵守宪法和法律，积极为本地经济建设贡献自己的力量。\n\n"
        "2．具备履行职责的能力。\n"
    )
    chunks = chunk_document(_doc(text), max_chars=300)
    assert len(chunks) == 1 and chunks[0].article == "三、任职条件"
