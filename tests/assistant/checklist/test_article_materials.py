from __future__ import annotations

import re

import pytest

from assistant.checklist.article_materials import extract_materials
from tests.assistant.checklist.helpers import LAWS

_START = re.compile(r"^第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?(?=\s|$)")
_PHRASE = re.compile(r"(?:提交|提供|报送)(?:下列|以下)(?:材料|文件)")


def _articles(path):
    """(title, 第X条, text) of one law file: an article runs until the next article's first paragraph."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title = lines[0].lstrip("# ").strip()
    label, buf = None, []
    for line in lines:
        p = line.strip()
        m = _START.match(p)
        if m:
            if label:
                yield title, label, "\n".join(buf)
            label, buf = m.group(0), [p]
        elif label and p and not p.startswith("#"):
            buf.append(p)
    if label:
        yield title, label, "\n".join(buf)


@pytest.fixture(scope="module")
def material_articles():
    found = []
    for path in sorted(LAWS.rglob("*.md")):
        if "提交" not in path.read_text(encoding="utf-8"):
            continue
        found += [a for a in _articles(path) if _PHRASE.search(a[2])]
    return found


def test_lists_in_real_articles_become_materials_cited_to_their_article(material_articles):
    assert len(material_articles) > 100
    extracted = 0
    for title, label, text in material_articles:
        for found in extract_materials(text, article=label, title=title):
            extracted += 1
            assert found.citation.article == label and found.citation.title == title
            assert found.materials, (title, label)
            for m in found.materials:
                assert m.name and m.name in text  # verbatim from the article
                assert not m.name.startswith(("（", "("))
    # nearly every article with the phrase yields its list
    assert extracted >= 0.9 * len(material_articles)


def test_enumerated_items_stop_at_the_first_unnumbered_paragraph(material_articles):
    title, label, text = next(a for a in material_articles if "工伤认定申请表" in a[2])
    [found] = extract_materials(text, label, title)
    names = [m.name for m in found.materials]
    assert names[0] == "工伤认定申请表"
    # the paragraph after the list explains the form; it is not a material
    tail = text.rsplit("\n", 1)[-1]
    assert not tail.startswith("（") and all(tail[:10] not in n for n in names)
    assert "工伤认定" in found.purpose


def test_notes_and_catch_all_items_are_kept_apart():
    text = (
        "第九条 申请设置户外广告设施的，设置人应当提交下列材料：\n"
        "（一）设置申请表，主要内容包括设置地点和期限；\n"
        "（二）营业执照；\n"
        "（三）法律、法规规定的其他材料。\n"
        "主管部门应当自受理之日起十日内作出决定。"
    )
    [found] = extract_materials(text, article="第九条", title="某市户外广告条例")
    assert [(m.name, m.note) for m in found.materials] == [
        ("设置申请表", "主要内容包括设置地点和期限"),
        ("营业执照", None),
    ]
    assert found.catch_all == ["法律、法规规定的其他材料"]
    assert found.purpose.startswith("申请设置户外广告设施")


def test_a_list_written_in_one_sentence_is_split():
    text = "第四十二条 纳税人需要延期缴纳税款的，应当提出申请，并报送下列材料：延期申请报告，资产负债表，银行对账单。"
    [found] = extract_materials(text, article="第四十二条", title="某实施细则")
    assert [m.name for m in found.materials] == ["延期申请报告", "资产负债表", "银行对账单"]


def test_articles_without_a_list_yield_nothing():
    assert extract_materials("第一条 为了规范管理，制定本条例。", "第一条", "某条例") == []
