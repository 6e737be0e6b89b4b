"""Dispatch on the document's type and shape, and a pass over every real law file."""

from __future__ import annotations

import time

import pytest

from assistant.documents import Record, SourceDocument
from assistant.errors import InvalidInput
from ingest.chunking import chunk_document
from tests.ingest.chunking.conftest import ARTICLE_LINE, LAWS, law_doc, source_lines


def _doc(text: str, doc_type: str = "text", **kw) -> SourceDocument:
    return SourceDocument(source="x/doc.md", title="文档", doc_type=doc_type, text=text, **kw)  # type: ignore[arg-type]


def test_text_with_articles_is_chunked_as_a_law():
    text = "第一条 为了规范管理，制定本办法。\n\n第二条 本办法适用于本县。\n\n本县是指示例县。\n"
    chunks = chunk_document(_doc(text, "policy"))
    assert [c.article for c in chunks] == ["第一条", "第二条"]
    assert chunks[1].text.endswith("本县是指示例县。")


def test_a_single_stray_article_line_does_not_make_a_policy_a_law():
    text = "一、总体要求\n\n第一条 这里只是正文中的一句。\n\n二、工作措施\n\n加强协调。\n"
    chunks = chunk_document(_doc(text, "policy"), max_chars=100)
    assert "第一条" not in [c.article for c in chunks]


def test_records_win_over_text_and_type_picks_list_or_guide():
    records = [Record(fields={"name": "甲事项", "id": "G1", "department": "某局"})]
    guide = chunk_document(SourceDocument(source="g.json", title="指南", doc_type="guide", records=records))
    assert guide[0].text.startswith("事项名称：甲事项") and guide[0].id.endswith("[G1]")
    listed = chunk_document(SourceDocument(source="l.csv", title="清单", doc_type="list", records=records))
    assert listed[0].text == "清单\nname：甲事项；id：G1；department：某局"


def test_empty_document_gives_no_chunks():
    assert chunk_document(_doc("")) == []
    assert chunk_document(_doc("\n\u200b\n  \n", "law")) == []


def test_too_small_max_chars_is_rejected():
    with pytest.raises(InvalidInput) as err:
        chunk_document(_doc("正文"), max_chars=10)
    assert err.value.status == 422 and "max_chars" in err.value.message


def test_every_real_law_file(capsys):
    files = sorted(LAWS.rglob("*.md"))
    if not files:
        pytest.skip(f"real corpus not found: {LAWS}")
    docs = [law_doc(p.relative_to(LAWS).as_posix()) for p in files]
    started = time.perf_counter()
    per_doc = [chunk_document(doc) for doc in docs]
    elapsed = time.perf_counter() - started
    article_chunks = 0
    for doc, chunks in zip(docs, per_doc, strict=True):
        assert len({c.id for c in chunks}) == len(chunks), doc.source
        assert all(len(c.text) <= 1000 for c in chunks), doc.source
        articles = {c.article for c in chunks if ARTICLE_LINE.match(c.article + " ")}
        expected = sum(1 for line in source_lines(doc.source) if ARTICLE_LINE.match(line))
        # more only where a source runs several articles into one paragraph
        assert len(articles) >= expected, doc.source
        article_chunks += sum(1 for c in chunks if c.article in articles)
    total = sum(len(c) for c in per_doc)
    with capsys.disabled():
        print(f"\n{len(files)} law files → {total} chunks, {article_chunks} article chunks, {elapsed:.2f} s")
    assert len(files) > 1000 and article_chunks > 50_000
