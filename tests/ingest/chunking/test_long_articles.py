"""An over-long article splits at 款 boundaries, each part carrying the article heading."""

from __future__ import annotations

from assistant.documents import SourceDocument
from ingest.chunking import chunk_document


def _clause(n: int, length: int) -> str:
    body = f"第{n}款的内容说明有关部门应当履行的职责和企业享有的权利"
    return (body * (length // len(body) + 1))[: length - 1] + "。"


def _long_law(clauses: list[str]) -> SourceDocument:
    text = "## 第一章 总则\n\n第一条 短条文。\n\n" + "\n\n".join(clauses) + "\n\n第三条 另一个短条文。\n"
    return SourceDocument(source="test/长条文.md", title="长条文示例", doc_type="law", text=text)


def test_long_article_splits_at_clause_boundaries():
    clauses = ["第二条 " + _clause(1, 150)] + [_clause(n, 150) for n in range(2, 13)]
    chunks = chunk_document(_long_law(clauses), max_chars=500)
    parts = [c for c in chunks if c.article == "第二条"]
    assert [c.part for c in parts] == list(range(1, len(parts) + 1)) and len(parts) >= 4
    assert all(len(c.text) <= 500 for c in parts)
    assert parts[0].text.startswith("第二条 ")
    assert all(c.text.startswith("第二条（续）\n") for c in parts[1:])
    # every 款 sits whole in exactly one part, in the source order
    bodies = [c.text.split("\n")[(0 if c.part == 1 else 1) :] for c in parts]
    assert [line for body in bodies for line in body] == clauses
    assert len({c.id for c in parts}) == len(parts)
    assert [c.article for c in chunks if c.part == 0] == ["第一条", "第三条"]
    assert {c.chapter for c in parts} == {"第一章 总则"}


def test_short_article_is_never_split():
    clauses = ["第二条 " + _clause(1, 150)] + [_clause(n, 150) for n in range(2, 4)]
    chunks = chunk_document(_long_law(clauses), max_chars=1000)
    assert [(c.article, c.part) for c in chunks] == [("第一条", 0), ("第二条", 0), ("第三条", 0)]
    assert chunks[1].text == "\n".join(clauses)


def test_a_part_opening_inside_an_item_list_repeats_its_intro():
    intro = "有下列情形之一的，由有关部门责令改正："
    items = [f"（{n}）" + _clause(n, 120) for n in "一二三四五六七八"]
    clauses = ["第二条 " + _clause(1, 200), intro, *items]
    parts = [c for c in chunk_document(_long_law(clauses), max_chars=400) if c.article == "第二条"]
    assert len(parts) >= 3
    for c in parts[1:]:
        lines = c.text.split("\n")
        assert lines[0] == "第二条（续）"
        if lines[1] != intro:
            assert not lines[1].startswith("（")
        assert len(c.text) <= 400
    later = [c for c in parts[1:] if c.text.split("\n")[2].startswith("（")]
    assert later and all(c.text.split("\n")[1] == intro for c in later)


def test_a_single_overlong_clause_is_cut_at_sentence_ends_without_loss():
    sentences = [f"第{n}句话规定了一项具体的义务和相应的法律责任。" for n in range(1, 60)]
    clause = "第二条 " + "".join(sentences)
    parts = [c for c in chunk_document(_long_law([clause]), max_chars=300) if c.article == "第二条"]
    assert len(parts) > 3 and all(len(c.text) <= 300 for c in parts)
    rebuilt = "".join(c.text.removeprefix("第二条（续）\n") for c in parts)
    assert rebuilt == clause
    # the cuts fall after a full stop
    assert all(c.text.endswith("。") for c in parts)
