"""Markdown: real laws from ../shared/corpus/laws, our policies with front matter, plain text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.errors import LoadError
from ingest.loaders import markdown

ZHEJIANG = "浙江地方法规/地方性法规/浙江"


def law_files(laws_root: Path, folder: str) -> list[Path]:
    return sorted((laws_root / folder).glob("*.md"))


def header_lines(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("<!-- INFO END -->")[0]


def test_national_law_from_the_corpus(laws_root: Path) -> None:
    path = next(p for p in law_files(laws_root, "社会法") if p.name.startswith("劳动合同法("))
    (doc,) = markdown.load(path, laws_root)
    raw = path.read_text(encoding="utf-8")
    assert doc.source == f"社会法/{path.name}"
    assert doc.doc_type == "law"
    assert doc.title == re.search(r"^# (.+)$", raw, re.M).group(1)
    assert doc.version_date == re.search(r"\((\d{4}-\d{2}-\d{2})\)\.md$", path.name).group(1)
    assert doc.region is None
    assert doc.authority == "全国人民代表大会常务委员会"
    assert doc.text == raw.split("<!-- INFO END -->", 1)[1].strip()
    assert doc.text.startswith("## 第一章")
    assert re.search(r"^第一条 ", doc.text, re.M)
    assert doc.meta["promulgation"] and all(line in header_lines(path) for line in doc.meta["promulgation"])


def test_state_council_regulation(laws_root: Path) -> None:
    path = next(p for p in law_files(laws_root, "行政法规") if "国务院令" in header_lines(p))
    (doc,) = markdown.load(path, laws_root)
    assert doc.authority == "国务院"
    assert doc.region is None


def test_zhejiang_regulation_with_region_and_authority(laws_root: Path) -> None:
    path = next(p for p in law_files(laws_root, ZHEJIANG) if p.name.startswith("浙江省") and "(" in p.name)
    (doc,) = markdown.load(path, laws_root)
    assert doc.region == "浙江省"
    assert doc.authority == "浙江省人民代表大会常务委员会"
    assert doc.source.startswith("浙江地方法规/")
    assert doc.version_date and doc.version_date in path.name


def test_city_regulation_keeps_its_own_authority(laws_root: Path) -> None:
    path = next(p for p in law_files(laws_root, ZHEJIANG) if p.name.startswith("杭州市"))
    (doc,) = markdown.load(path, laws_root)
    assert doc.region == "浙江省"
    # approved (批准) by the province, but adopted by the city
    assert doc.authority == "杭州市人民代表大会常务委员会"


def test_undated_file_name_takes_the_date_from_promulgation_lines(laws_root: Path) -> None:
    path = laws_root / ZHEJIANG / "浙江省禁毒条例.md"
    dates = re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", header_lines(path))
    (doc,) = markdown.load(path, laws_root)
    enacted = max(f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in dates[:-1])  # the last line is 施行
    assert doc.version_date == enacted
    y, m, d = dates[-1]
    assert doc.meta["effective_date"] == f"{y}-{int(m):02d}-{int(d):02d}"


@pytest.mark.parametrize(
    ("folder", "region"),
    [
        ("上海地方法规/地方性法规/上海", "上海市"),
        ("北京地方法规/地方性法规/北京", "北京市"),
        ("广东地方法规/地方性法规/广东", "广东省"),
        ("重庆地方法规/地方性法规/重庆", "重庆市"),
    ],
)
def test_region_from_folder(laws_root: Path, folder: str, region: str) -> None:
    (doc,) = markdown.load(law_files(laws_root, folder)[0], laws_root)
    assert doc.region == region


def test_civil_code_parts_keep_apart(laws_root: Path) -> None:
    (doc,) = markdown.load(laws_root / "民法典" / "合同编.md", laws_root)
    assert doc.meta["work"] == "中华人民共和国民法典"
    assert doc.meta["part"] == "合同编"
    assert doc.title == "中华人民共和国民法典·合同编"
    assert doc.authority == "全国人民代表大会"


def test_ministry_rule_authority(laws_root: Path) -> None:
    path = laws_root / "部门规章" / "市场监督管理总局" / "市场监督管理投诉举报处理暂行办法(2022-03-24).md"
    (doc,) = markdown.load(path, laws_root)
    assert "市场监督管理总局" in doc.authority
    assert doc.region is None


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


POLICY = """---
title: 杭州市支持小微企业发展若干措施
version_date: 2024-03-01
authority: 杭州市人民政府办公厅
region: 浙江省杭州市
doc_type: policy
sample: true
tags: [小微企业, 减税]
number: 杭政办〔2024〕1号
---

# 标题写在这里也不影响

## 一、减轻税费负担

对小微企业……
"""


def test_policy_front_matter_wins(tmp_path: Path) -> None:
    (doc,) = markdown.load(write(tmp_path, "policies/小微企业措施.md", POLICY), tmp_path)
    assert doc.source == "policies/小微企业措施.md"
    assert doc.title == "杭州市支持小微企业发展若干措施"
    assert doc.doc_type == "policy"
    assert doc.version_date == "2024-03-01"
    assert doc.authority == "杭州市人民政府办公厅"
    assert doc.region == "浙江省"
    assert doc.meta["locality"] == "浙江省杭州市"
    assert doc.status is None
    assert doc.meta["sample"] is True
    assert doc.meta["tags"] == ["小微企业", "减税"]
    assert doc.meta["number"] == "杭政办〔2024〕1号"
    assert doc.text.startswith("## 一、减轻税费负担")
    assert "---" not in doc.text


def test_front_matter_status_override_on_a_law(tmp_path: Path) -> None:
    text = (
        "---\nstatus: superseded\nregion: 全国\n---\n# 某某条例\n\n2001年1月1日 国务院令第1号公布\n\n"
        "<!-- INFO END -->\n\n第一条 目的。\n\n第二条 范围。\n"
    )
    (doc,) = markdown.load(write(tmp_path, "某某条例(2001-01-01).md", text), tmp_path)
    assert doc.doc_type == "law"
    assert doc.status == "superseded"
    assert doc.region is None
    assert doc.authority == "国务院"
    assert doc.text == "第一条 目的。\n\n第二条 范围。"


def test_law_like_markdown_without_info_marker(tmp_path: Path) -> None:
    text = (
        "# 示范条例\n\n2020年5月1日 浙江省第十三届人民代表大会常务委员会第二十次会议通过\n\n"
        "## 第一章 总则\n\n第一条 甲。\n\n第二条 乙。\n"
    )
    (doc,) = markdown.load(write(tmp_path, "示范条例.md", text), tmp_path)
    assert doc.doc_type == "law"
    assert doc.title == "示范条例"
    assert doc.version_date == "2020-05-01"
    assert doc.authority == "浙江省人民代表大会常务委员会"
    assert doc.region == "浙江省"  # from the authority: the folder says nothing here
    assert doc.text.startswith("## 第一章 总则")


def test_plain_markdown_is_text(tmp_path: Path) -> None:
    (doc,) = markdown.load(write(tmp_path, "notes.md", "# 办事须知\n\n带好营业执照。\n"), tmp_path)
    assert (doc.doc_type, doc.title, doc.text) == ("text", "办事须知", "带好营业执照。")


def test_plain_markdown_without_heading_takes_the_file_name(tmp_path: Path) -> None:
    (doc,) = markdown.load(write(tmp_path, "常见问题.md", "问：怎么办？\n\n答：这样办。\n"), tmp_path)
    assert (doc.doc_type, doc.title) == ("text", "常见问题")
    assert doc.text == "问：怎么办？\n\n答：这样办。"


def test_gbk_markdown_with_windows_line_ends(tmp_path: Path) -> None:
    (doc,) = markdown.load(write(tmp_path, "g.md", "# 通知\r\n\r\n正文内容\r\n", "gbk"), tmp_path)
    assert (doc.title, doc.text, doc.meta["encoding"]) == ("通知", "正文内容", "gb18030")


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("title: [unclosed", "invalid YAML front matter"),
        ("- just\n- a list", "front matter must be a YAML mapping"),
        ("doc_type: memo", "front matter doc_type 'memo' is not one of policy, law, text"),
        ("status: repealed", "front matter status 'repealed' is not one of in_force, superseded"),
        ("version_date: 2024-13-45", "invalid YAML front matter (month must be in 1..12)"),
        ("version_date: '2024-13-45'", "front matter version_date '2024-13-45' is not a YYYY-MM-DD date"),
        ("sample: maybe", "front matter sample 'maybe' is not true or false"),
    ],
)
def test_bad_front_matter(tmp_path: Path, front: str, reason: str) -> None:
    path = write(tmp_path, "bad.md", f"---\n{front}\n---\n正文\n")
    with pytest.raises(LoadError) as err:
        markdown.load(path, tmp_path)
    assert err.value.reason.startswith(reason)
    assert err.value.path == "bad.md"
