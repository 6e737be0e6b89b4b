"""Chinese numerals and article labels, checked against every label of the real 民法典."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.articles import (
    article_key,
    article_label,
    cn_to_int,
    find_article_refs,
    int_to_cn,
    normalize_article,
    parse_article_label,
)
from assistant.errors import InvalidArticleLabel, InvalidInput

LAWS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "laws"
CIVIL_CODE_BOOKS = ["总则", "物权编", "合同编", "人格权编", "婚姻家庭编", "继承编", "侵权责任编", "附则"]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十", 10), ("十一", 11), ("二十三", 23), ("一百", 100), ("一百零五", 105), ("一百一十", 110),
     ("一千零一十", 1010), ("一千二百六十", 1260), ("两千", 2000), ("〇", 0), ("二〇二三", 2023),
     ("23", 23), ("２３", 23), ("十之一", 10), ("一万零一十", 10010)],
)  # fmt: skip
def test_cn_to_int(numeral, value):
    assert cn_to_int(numeral) == value


def test_int_to_cn_round_trips_and_writes_as_laws_do():
    for n in range(0, 3000):
        assert cn_to_int(int_to_cn(n)) == n
    assert [int_to_cn(n) for n in (10, 19, 110, 1010, 1200)] == ["十", "十九", "一百一十", "一千零一十", "一千二百"]


@pytest.mark.parametrize("bad", ["", "abc", "第三条", "三x"])
def test_bad_numerals_raise_a_domain_error(bad):
    with pytest.raises(InvalidArticleLabel) as err:
        cn_to_int(bad)
    assert isinstance(err.value, InvalidInput) and isinstance(err.value, ValueError)
    assert err.value.status == 422 and err.value.code == "invalid_article_label"
    assert repr(bad) in err.value.message


def test_int_to_cn_rejects_negative():
    with pytest.raises(InvalidArticleLabel):
        int_to_cn(-1)


def test_labels_and_normalisation():
    assert article_label(23) == "第二十三条"
    assert article_label(10, 1) == "第十条之一"
    assert article_key("第十条之一") == (10, 1)
    assert sorted(["第十一条", "第十条之一", "第十条"], key=article_key) == ["第十条", "第十条之一", "第十一条"]
    for written in ("第23条", "第 23 条", "23", "第二十三条", "第２３条"):
        assert normalize_article(written) == "第二十三条"
    assert normalize_article("10之1") == "第十条之一"
    with pytest.raises(InvalidArticleLabel):
        normalize_article("第三款", strict=True)
    # any chunk's article can be compared: headings and names pass through
    assert [normalize_article(a) for a in ("一、总体要求 ", "", "第三款")] == ["一、总体要求", "", "第三款"]


@pytest.mark.parametrize(
    ("paragraph", "label"),
    [
        ("第一条 为了规范管理，制定本法。", "第一条"),
        ("第五条　用人单位应当……", "第五条"),  # full-width space
        ("第十条之一 新增的条文。", "第十条之一"),
        ("第一百二十八 条侦查人员……", "第一百二十八条"),  # a real source's spacing
        ("笫五十四条 清算组成员……", "第五十四条"),  # the look-alike 笫
        ("第八条规定的事项，由……负责。", None),  # a reference, not an article
        ("依照本法第二十条 的规定", None),
        ("（一）第一项", None),
    ],
)
def test_parse_article_label(paragraph, label):
    assert parse_article_label(paragraph) == label


def test_find_article_refs():
    text = (
        "依照本法第二十条、第二十一条的规定；违反第三十九条第一款第二项和四十条的，"
        "适用第十条之一。再次提到第二十条。"
    )
    assert find_article_refs(text) == ["第二十条", "第二十一条", "第三十九条", "第四十条", "第十条之一"]
    assert find_article_refs("本法自公布之日起施行。") == []


def test_every_civil_code_label_parses_back_to_what_the_file_says():
    files = [LAWS / "民法典" / f"{book}.md" for book in CIVIL_CODE_BOOKS]
    if not all(f.exists() for f in files):
        pytest.skip(f"real corpus not found: {LAWS}")
    written: list[str] = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            m = re.match(r"(第[零〇一二两三四五六七八九十百千]+条) ", line)
            if m:
                written.append(m.group(1))
                assert parse_article_label(line) == m.group(1)
    assert [cn_to_int(label[1:-1]) for label in written] == list(range(1, len(written) + 1))
    assert [article_label(n) for n in range(1, len(written) + 1)] == written
    assert len(written) > 1200
