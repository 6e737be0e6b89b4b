"""Law chunking on real files: one article = one chunk with all its 款, under its chapter."""

from __future__ import annotations

import re

import pytest

from assistant.articles import article_label
from assistant.documents import SourceDocument
from ingest.chunking import chunk_document
from tests.ingest.chunking.conftest import (
    ARTICLE_LINE,
    CIVIL_CODE_BOOKS,
    law_doc,
    source_articles,
    source_lines,
)

LABOUR_CONTRACT = "社会法/劳动合同法(2012-12-28).md"
COMPANY_2023 = "民法商法/公司法(2023-12-29).md"
COMPANY_2018 = "民法商法/公司法(2018-10-26).md"
ZHEJIANG = "浙江地方法规/地方性法规/浙江/浙江省民营企业发展促进条例(2020-01-16).md"
BUSINESS_ENV = "行政法规/优化营商环境条例(2019-10-22).md"
CIVIL_CODE = [f"民法典/{book}.md" for book in CIVIL_CODE_BOOKS]
DOCUMENTS = [LABOUR_CONTRACT, COMPANY_2023, ZHEJIANG, BUSINESS_ENV, *CIVIL_CODE]


def article_chunks(chunks):
    return [c for c in chunks if ARTICLE_LINE.match(c.article + " ")]


def joined_parts(chunks, label: str) -> list[str]:
    """The paragraphs of an article rebuilt from its chunk or parts, continuation headers dropped."""
    paras: list[str] = []
    for c in (c for c in chunks if c.article == label):
        lines = c.text.split("\n")
        if c.part > 1:
            lines = lines[1:]  # "第X条（续）"
            while lines and lines[0] in paras:
                lines = lines[1:]  # the repeated list intro
        paras.extend(lines)
    return paras


@pytest.mark.parametrize("relative", DOCUMENTS)
def test_one_chunk_per_article_paragraph(relative):
    expected = sum(1 for line in source_lines(relative) if ARTICLE_LINE.match(line))
    chunks = chunk_document(law_doc(relative))
    articles = {c.article for c in article_chunks(chunks)}
    assert expected > 0
    assert len(articles) == expected
    assert len([c for c in chunks if c.part <= 1 and c.article in articles]) == expected


@pytest.mark.parametrize("relative", [LABOUR_CONTRACT, COMPANY_2023, ZHEJIANG, CIVIL_CODE[1]])
def test_articles_keep_all_their_clauses(relative):
    chunks = chunk_document(law_doc(relative))
    source = source_articles(relative)
    assert source
    for label, paras in source.items():
        assert joined_parts(chunks, label) == paras, label


def test_no_article_is_merged_with_a_neighbour():
    chunks = article_chunks(chunk_document(law_doc(COMPANY_2023)))
    for c in chunks:
        starts = [line for line in c.text.split("\n") if ARTICLE_LINE.match(line)]
        assert len(starts) == (1 if c.part <= 1 else 0), c.article


@pytest.mark.parametrize("relative", [LABOUR_CONTRACT, COMPANY_2023, ZHEJIANG])
def test_labels_are_consecutive(relative):
    chunks = [c for c in article_chunks(chunk_document(law_doc(relative))) if c.part <= 1]
    assert [c.article for c in chunks] == [article_label(n) for n in range(1, len(chunks) + 1)]


def test_civil_code_books_number_on_from_each_other():
    labels = []
    for relative in CIVIL_CODE:
        labels += [c.article for c in article_chunks(chunk_document(law_doc(relative))) if c.part <= 1]
    assert labels == [article_label(n) for n in range(1, len(labels) + 1)]
    assert len(labels) > 1000


def _expected_chapters(relative: str) -> dict[str, str]:
    """label → its heading path from the file: the # headings above it, by # depth, spaces removed."""
    path: dict[int, str] = {}
    out = {}
    for line in source_lines(relative):
        m = re.match(r"(#+)\s*(.*)", line)
        if m:
            depth = len(m.group(1))
            path = {d: t for d, t in path.items() if d < depth}
            path[depth] = m.group(2)
        elif ARTICLE_LINE.match(line):
            out[line.split()[0]] = re.sub(r"\s", "", "".join(path[d] for d in sorted(path)))
    return out


@pytest.mark.parametrize("relative", [LABOUR_CONTRACT, COMPANY_2023, ZHEJIANG, CIVIL_CODE[1]])
def test_chapter_is_the_heading_path(relative):
    expected = _expected_chapters(relative)
    chunks = article_chunks(chunk_document(law_doc(relative)))
    for c in chunks:
        assert re.sub(r"\s", "", c.chapter.replace(" > ", "")) == expected[c.article], c.article
    assert any(c.chapter for c in chunks)


def test_civil_code_chapter_nests_part_chapter_and_section():
    chunks = article_chunks(chunk_document(law_doc(CIVIL_CODE[1])))
    nested = [c.chapter.split(" > ") for c in chunks if c.chapter.count(" > ") == 2]
    assert nested
    for part, chapter, section in nested:
        assert "分编" in part and "章" in chapter and "节" in section


def test_ids_are_stable_and_unique():
    for relative in (LABOUR_CONTRACT, CIVIL_CODE[2]):
        first = chunk_document(law_doc(relative))
        second = chunk_document(law_doc(relative))
        assert [c.id for c in first] == [c.id for c in second]
        assert len({c.id for c in first}) == len(first)
        assert all(re.fullmatch(r"[0-9a-f]{24}", c.id) for c in first)


def test_two_versions_give_different_ids_for_the_same_article():
    old = {c.article: c for c in chunk_document(law_doc(COMPANY_2018))}
    new = {c.article: c for c in chunk_document(law_doc(COMPANY_2023))}
    assert old["第一条"].id != new["第一条"].id
    assert old["第一条"].version_date == "2018-10-26"


def test_header_present_or_stripped_gives_the_same_chunks():
    with_header = chunk_document(law_doc(LABOUR_CONTRACT))
    stripped = chunk_document(law_doc(LABOUR_CONTRACT, strip_header=True))
    assert [(c.id, c.text, c.chapter) for c in with_header] == [(c.id, c.text, c.chapter) for c in stripped]


def test_chunk_fields_come_from_the_document():
    doc = law_doc(LABOUR_CONTRACT)
    doc.authority, doc.region = "全国人民代表大会常务委员会", None
    chunks = chunk_document(doc)
    assert [c.position for c in chunks] == list(range(len(chunks)))
    c = next(c for c in chunks if c.article == "第十四条")
    assert c.embed_text == f"{doc.title} {c.chapter} {c.text}"
    assert (c.title, c.source, c.doc_type, c.version_date) == (doc.title, doc.source, "law", "2012-12-28")
    assert (c.authority, c.status) == ("全国人民代表大会常务委员会", "in_force")
    assert c.hash and c.hash != next(x for x in chunks if x.article == "第十三条").hash
    assert "version_date" in c.metadata() and "region" not in c.metadata()
    doc.status = "superseded"
    assert {c.status for c in chunk_document(doc)} == {"superseded"}


def test_same_article_of_two_laws_embeds_differently():
    a = next(c for c in chunk_document(law_doc(LABOUR_CONTRACT)) if c.article == "第三条")
    b = next(c for c in chunk_document(law_doc(COMPANY_2023)) if c.article == "第三条")
    assert a.embed_text.startswith(law_doc(LABOUR_CONTRACT).title)
    assert a.embed_text != b.embed_text


def test_law_without_articles_falls_back_to_headings():
    relative = "行政法规/关于实行专业技术职务聘任制度的规定(1986-02-18).md"
    doc = law_doc(relative)
    chunks = chunk_document(doc, max_chars=600)
    assert chunks and not article_chunks(chunks)
    headings = [line.lstrip("# ") for line in source_lines(relative) if line.startswith("## ")]
    for heading in headings:
        assert any(heading in c.article for c in chunks), heading
    assert all(len(c.text) <= 600 for c in chunks)
    body = "\n".join(c.text for c in chunks)
    assert all(line in body for line in source_lines(relative) if not line.startswith("#"))


def _synthetic_law(text: str) -> SourceDocument:
    return SourceDocument(source="test/示例条例.md", title="示例条例", doc_type="law", text=text)


def test_reference_inside_a_sentence_starts_no_article():
    text = (
        "## 第一章 总则\n\n"
        "第一条 为了规范管理，制定本条例。\n\n"
        "第二条 依照本条例第一条　规定，有关部门应当履行职责。\n\n"
        "第一条规定的事项，由县级以上人民政府负责。\n\n"
        "第三条 本条例自公布之日起施行。\n"
    )
    chunks = chunk_document(_synthetic_law(text))
    assert [c.article for c in chunks] == ["第一条", "第二条", "第三条"]
    assert chunks[1].text.endswith("第一条规定的事项，由县级以上人民政府负责。")


def test_source_quirks_still_open_articles():
    text = (
        "第一条 总则内容。\n\n"
        "第二 条第二条的内容写成了带空格的样子。\n\n"
        "笫三条 用了形近字笫。\n\n"
        "第四条 第四条的内容。 第五条 同一段里接着写的第五条。 第九条 不是下一条的编号不拆开。\n"
    )
    chunks = chunk_document(_synthetic_law(text))
    assert [c.article for c in chunks] == ["第一条", "第二条", "第三条", "第四条", "第五条"]
    assert chunks[-1].text.endswith("第九条 不是下一条的编号不拆开。")


def test_preamble_and_wrapped_heading_lines():
    text = (
        "## 序言\n\n为了说明立法背景，这里是一段序言。\n\n"
        "## 第一章 没有划入管理区的\n\n设施的保护\n\n"
        "第一条 设施应当予以保护。\n\n"
        "第二条 本条例自公布之日起施行。\n"
    )
    chunks = chunk_document(_synthetic_law(text))
    assert (chunks[0].chapter, chunks[0].text) == ("序言", "为了说明立法背景，这里是一段序言。")
    assert chunks[1].chapter == "第一章 没有划入管理区的设施的保护"
    assert [c.article for c in chunks[1:]] == ["第一条", "第二条"]


def test_plain_line_chapters_and_article_suffix():
    text = (
        "第一章 总则\n第一条 总则条文。\n第一节 细则\n第二条 细则条文。\n第二条之一 新增条文。\n"
        "第二章 附则\n第三条 施行日期。\n"
    )
    chunks = chunk_document(_synthetic_law(text))
    got = [(c.article, c.chapter) for c in chunks]
    assert got == [
        ("第一条", "第一章 总则"),
        ("第二条", "第一章 总则 > 第一节 细则"),
        ("第二条之一", "第一章 总则 > 第一节 细则"),
        ("第三条", "第二章 附则"),
    ]
