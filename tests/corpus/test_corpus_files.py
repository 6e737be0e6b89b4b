"""Every file of the demo corpus (corpus/) parses and follows the documented formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
POLICIES = sorted((CORPUS / "policies").glob("*.md"))
GUIDE_FILES = sorted((CORPUS / "guides").glob("*.yaml"))
LISTS = sorted((CORPUS / "lists").glob("*.csv"))

POLICY_REQUIRED = ("title", "version_date", "authority", "region", "doc_type", "sample", "tags")
GUIDE_REQUIRED = (
    "id", "name", "department", "matter_type", "applicant_types", "conditions", "materials",
    "legal_time_limit", "promised_time_limit", "location", "fees", "basis", "theme", "keywords",
)
MATTER_TYPES = {"行政许可", "行政确认", "公共服务", "其他行政权力"}
MATERIAL_FORMS = {"原件", "复印件", "电子件"}
CHINESE_ORDINALS = "一二三四五六七八九十"
# Materials that many matters share: one spelling each, so a merged checklist (一件事) can dedupe them.
SHARED_MATERIALS = {"营业执照": 20, "经办人身份证件": 20, "授权委托书": 15, "法定代表人身份证件": 6,
                    "经营场所使用证明": 5}


def split_front_matter(path: Path) -> tuple[dict, str]:
    """Return (front matter mapping, body) of a Markdown file with a leading `---` block."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path.name}: no front matter"
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5 :]


def iso_date(value: object, where: str) -> dt.date:
    """Parse a quoted ISO date (YYYY-MM-DD) or fail with the file name."""
    assert isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), f"{where}: {value!r}"
    return dt.date.fromisoformat(value)


def all_guides() -> list[dict]:
    """Every guide of every guide file, in file order."""
    return [g for path in GUIDE_FILES for g in yaml.safe_load(path.read_text(encoding="utf-8"))["guides"]]


def read_list(path: Path) -> tuple[str, list[list[str]]]:
    """Decode a list CSV as UTF-8, else GBK; return (encoding, rows)."""
    raw = path.read_bytes()
    for encoding in ("utf-8", "gbk"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding, list(csv.reader(io.StringIO(text)))
    pytest.fail(f"{path.name}: neither UTF-8 nor GBK")


# --- policies ---------------------------------------------------------------


def test_there_are_enough_policies() -> None:
    assert len(POLICIES) >= 18


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_policy_front_matter(path: Path) -> None:
    meta, body = split_front_matter(path)
    missing = [k for k in POLICY_REQUIRED if k not in meta]
    assert not missing, f"{path.name}: missing {missing}"
    assert meta["doc_type"] == "policy"
    assert meta["sample"] is True
    assert meta["region"] == "浙江省示例县"
    assert "示例" in meta["authority"]
    iso_date(meta["version_date"], path.name)
    assert meta["tags"] and all(isinstance(t, str) and t for t in meta["tags"])
    if "apply_window" in meta:
        start = iso_date(meta["apply_window"]["start"], path.name)
        end = iso_date(meta["apply_window"]["end"], path.name)
        assert start <= end
    if "amount" in meta:  # a policy that pays out names who pays and when
        assert meta.get("department") and "apply_window" in meta, path.name
        assert isinstance(meta["amount"], str) and meta["amount"]


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_policy_body_uses_numbered_chinese_sections(path: Path) -> None:
    meta, body = split_front_matter(path)
    assert body.lstrip().startswith(f"# {meta['title']}\n")
    sections = re.findall(r"^## ([一二三四五六七八九十]+)、\S", body, flags=re.M)
    assert len(sections) >= 3, path.name
    assert sections == list(CHINESE_ORDINALS[: len(sections)]), f"{path.name}: {sections}"
    assert re.search(r"^（一）", body, flags=re.M) or re.search(r"^1\. ", body, flags=re.M)


def test_doc_numbers_are_unique() -> None:
    numbers = [split_front_matter(p)[0].get("doc_number") for p in POLICIES]
    numbers = [n for n in numbers if n]
    assert len(numbers) == len(set(numbers))


def test_one_policy_exists_in_two_versions_with_different_amounts() -> None:
    by_title: dict[str, list[dict]] = {}
    for path in POLICIES:
        meta, _ = split_front_matter(path)
        by_title.setdefault(meta["title"], []).append(meta)
    versioned = {t: ms for t, ms in by_title.items() if len(ms) > 1}
    assert versioned, "no policy with two versions"
    for title, metas in versioned.items():
        assert len({m["version_date"] for m in metas}) == len(metas), title
        assert len({m["amount"] for m in metas}) == len(metas), title


# --- guides -----------------------------------------------------------------


@pytest.mark.parametrize("path", GUIDE_FILES, ids=lambda p: p.name)
def test_guide_file_header(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["kind"] == "service_guides"
    assert data["sample"] is True
    iso_date(data["version_date"], path.name)
    assert isinstance(data["guides"], list) and data["guides"]


def check_materials(materials: list, where: str) -> None:
    assert isinstance(materials, list) and materials, f"{where}: no materials"
    names = [m["name"] for m in materials]
    assert len(names) == len(set(names)), f"{where}: duplicate material"
    for m in materials:
        assert set(m) == {"name", "form", "copies", "note"}, f"{where}: {m}"
        assert m["form"] in MATERIAL_FORMS, f"{where}: {m}"
        assert isinstance(m["copies"], int) and m["copies"] >= 1, f"{where}: {m}"
        # the form (原件/复印件) has its own field; keeping it out of the name keeps names shared
        assert not re.search(r"原件|复印件", m["name"]), f"{where}: {m['name']}"


@pytest.mark.parametrize("guide", all_guides(), ids=lambda g: g["id"])
def test_guide_schema(guide: dict) -> None:
    missing = [k for k in GUIDE_REQUIRED if k not in guide]
    assert not missing, f"{guide['id']}: missing {missing}"
    assert re.fullmatch(r"SLX-[A-Z]{4}-\d{3}", guide["id"])
    assert guide["matter_type"] in MATTER_TYPES
    assert guide["department"].startswith(("示例县", "示例市", "国家税务总局示例县"))
    assert guide["applicant_types"] and guide["keywords"]
    assert guide["basis"] and all(b.startswith("《") for b in guide["basis"])
    assert "\n" not in guide["conditions"] and "  " not in guide["conditions"]
    check_materials(guide["materials"], guide["id"])
    variants = guide.get("variants", [])
    assert all(isinstance(v, str) and v for v in variants), guide["id"]
    for name, detail in guide.get("variant_details", {}).items():
        assert name in variants, f"{guide['id']}: details for unknown variant {name}"
        assert set(detail) <= {"note", "materials"} and detail, f"{guide['id']}/{name}"
        if "materials" in detail:
            check_materials(detail["materials"], f"{guide['id']}/{name}")


def test_guides_cover_enough_matters_with_unique_ids_and_names() -> None:
    guides = all_guides()
    assert len(guides) >= 24
    assert len({g["id"] for g in guides}) == len(guides)
    assert len({g["name"] for g in guides}) == len(guides)


def test_shared_materials_keep_one_spelling() -> None:
    counts = Counter(m["name"] for g in all_guides() for m in g["materials"])
    for name, at_least in SHARED_MATERIALS.items():
        assert counts[name] >= at_least, f"{name}: {counts[name]}"
    spelled = {}
    for name in counts:
        key = re.sub(r"[\s（）()、，,]|副本|正本", "", name)
        assert spelled.setdefault(key, name) == name, f"{name!r} vs {spelled[key]!r}"


# --- lists ------------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_list_parses_with_a_header_row(path: Path) -> None:
    _, rows = read_list(path)
    header, body = rows[0], rows[1:]
    assert header[0] == "序号" and len(header) == len(set(header)) and all(header)
    assert body
    for row in body:
        assert len(row) == len(header), f"{path.name}: {row}"
    source = header.index("数据来源")
    assert all(row[source].startswith("示例数据") for row in body)


def test_lists_include_utf8_and_one_gbk_file() -> None:
    encodings = Counter(read_list(p)[0] for p in LISTS)
    assert len(LISTS) >= 3
    assert encodings["gbk"] == 1 and encodings["utf-8"] == len(LISTS) - 1


def test_integrated_matters_point_at_existing_guides() -> None:
    names = {g["id"]: g["name"] for g in all_guides()}
    _, rows = read_list(CORPUS / "lists" / "示例县一件事集成服务清单.csv")
    header = rows[0]
    for row in rows[1:]:
        codes = row[header.index("事项编码")].split("；")
        matters = row[header.index("涉及事项")].split("；")
        assert [names.get(c) for c in codes] == matters, row[1]


def test_redemption_list_cites_current_policies() -> None:
    newest: dict[str, dict] = {}
    for path in POLICIES:
        meta, _ = split_front_matter(path)
        if meta["title"] not in newest or meta["version_date"] > newest[meta["title"]]["version_date"]:
            newest[meta["title"]] = meta
    _, rows = read_list(CORPUS / "lists" / "示例县惠企政策兑现事项清单.csv")
    header = rows[0]
    for row in rows[1:]:
        meta = newest.get(row[header.index("政策文件")])
        assert meta is not None, row[1]
        assert row[header.index("文号")] == meta.get("doc_number", ""), row[1]


def test_readme_says_sample_data() -> None:
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert "示例数据" in text and "sample" in text
