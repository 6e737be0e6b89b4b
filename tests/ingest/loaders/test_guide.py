"""Service guides: the Guangdong portal's JSONL (real lines) and our own JSON/YAML schema."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from assistant.errors import LoadError
from ingest.loaders import guide
from ingest.loaders.guide_schema import GUIDE_FIELDS


def real_lines(guangdong_jsonl: Path, count: int) -> list[str]:
    with guangdong_jsonl.open(encoding="utf-8") as lines:
        return [line.rstrip("\n") for line in islice(lines, count)]


def with_material_list(guangdong_jsonl: Path) -> str:
    with guangdong_jsonl.open(encoding="utf-8") as lines:
        return next(line for line in lines if isinstance(json.loads(line)["material_intro"], list))


def test_real_guangdong_lines(tmp_path: Path, guangdong_jsonl: Path) -> None:
    lines = [*real_lines(guangdong_jsonl, 3), with_material_list(guangdong_jsonl)]
    path = tmp_path / "service-guides" / "guangdong.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (doc,) = guide.load(path, tmp_path)
    assert doc.source == "service-guides/guangdong.jsonl"
    assert doc.doc_type == "guide"
    assert doc.title == "guangdong"
    assert doc.region == "广东省"
    assert doc.meta == {"mappings": {"guangdong": 4}, "warnings": []}
    for line, record in zip(lines, doc.records, strict=True):
        raw = json.loads(line)
        fields = record.fields
        assert set(GUIDE_FIELDS) <= fields.keys()
        assert fields["id"] == raw["TASK_CODE"]
        assert fields["name"] == record.label == raw["matter_name"]
        assert fields["department"] == raw["DEPT_NAME"]
        assert fields["matter_type"] == raw["matter_type"]
        assert fields["conditions"] == raw["accept_standard"]
        assert fields["applicant_types"] == raw["service_object_name"]
        assert fields["themes"] == raw["theme_category"]
        for ours, theirs in (
            ("legal_time_limit", "handle_time"),
            ("promised_time_limit", "handle_time_limit"),
        ):
            assert fields[ours] == ("" if raw[theirs] == "无" else raw[theirs])
        materials = raw["material_intro"]
        assert fields["materials"] == ([] if materials == "无" else materials)  # verbatim
        assert raw["handle_location"].endswith(fields["location"])
    assert doc.records[-1].fields["materials"]


def test_bad_line_is_skipped_and_reported(tmp_path: Path, guangdong_jsonl: Path) -> None:
    good = real_lines(guangdong_jsonl, 2)
    path = tmp_path / "g.jsonl"
    path.write_text("\n".join([good[0], '{"matter_name": "broken', "", "[1, 2]", good[1]]), encoding="utf-8")
    (doc,) = guide.load(path, tmp_path)
    assert [r.fields["id"] for r in doc.records] == [json.loads(g)["TASK_CODE"] for g in good]
    assert doc.meta["warnings"] == [
        "line 2: invalid JSON: Unterminated string starting at (column 17)",
        "line 4: a guide must be an object, not list",
    ]


def test_jsonl_without_any_valid_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"oops"\n{"title": "no name field"}\n', encoding="utf-8")
    with pytest.raises(LoadError) as err:
        guide.load(path, tmp_path)
    assert err.value.reason == (
        "no valid service guide in the file (line 1: invalid JSON: Expecting ':' delimiter (column 8))"
    )


OWN_GUIDE = {
    "id": "zj-001",
    "name": "食品经营许可",
    "department": "市场监督管理局",
    "matter_type": "行政许可",
    "applicant_types": ["企业法人"],
    "conditions": "有与经营食品相适应的经营场所",
    "materials": ["食品经营许可申请书", "营业执照复印件"],
    "legal_time_limit": "20个工作日",
    "promised_time_limit": "5个工作日",
    "location": "市民中心",
    "fees": "不收费",
    "basis": "《中华人民共和国食品安全法》第三十五条",
    "variants": [{"name": "仅销售预包装食品", "materials": ["备案表"]}],
    "notes": "extra keys of our schema are kept",
}


def test_json_list_mixing_both_formats(tmp_path: Path, guangdong_jsonl: Path) -> None:
    portal = json.loads(real_lines(guangdong_jsonl, 1)[0])
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([OWN_GUIDE, portal, {"name": ""}], ensure_ascii=False), encoding="utf-8")
    (doc,) = guide.load(path, tmp_path)
    own, theirs = doc.records
    assert own.fields == {**OWN_GUIDE, "fees": "不收费"}
    assert theirs.fields["name"] == portal["matter_name"]
    assert doc.meta["mappings"] == {"huiqi": 1, "guangdong": 1}
    assert doc.meta["warnings"] == ["guide 3: guide has an empty name"]
    assert doc.region is None  # one guide has no region: the file is not regional


def test_own_guide_without_id_gets_a_stable_one(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(
        json.dumps({"name": "企业开办", "department": "市场监管局"}, ensure_ascii=False), encoding="utf-8"
    )
    first = guide.load(path, tmp_path)[0].records[0].fields
    second = guide.load(path, tmp_path)[0].records[0].fields
    assert first["id"] == second["id"] and first["id"].startswith("guide-")
    assert first["materials"] == [] and first["variants"] == [] and first["fees"] == ""


YAML_GUIDES = """\
kind: service_guides
title: 浙江省惠企办事指南（示例）
region: 浙江
version_date: 2024-05-01
guides:
  - id: zj-002
    name: 高新技术企业认定
    department: 科学技术厅
    materials:
      - 认定申请书
      - {name: 知识产权证明, form: 复印件, copies: 1, note: 无}
    promised_time_limit: 60
    basis: [《高新技术企业认定管理办法》第十一条]
    keywords: [高企]
  - name: 企业注销登记
    department: 市场监督管理局
    materials: [{name: 注销登记申请书, form: 电子件}]
    variants: [一般注销, 简易注销]
    variant_details:
      简易注销:
        note: 公示20日无异议后申请
        materials: [全体投资人承诺书]
"""


def test_yaml_service_guides(tmp_path: Path) -> None:
    path = tmp_path / "corpus" / "guides" / "zhejiang.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(YAML_GUIDES, encoding="utf-8")
    (doc,) = guide.load(path, tmp_path / "corpus")
    assert doc.source == "guides/zhejiang.yaml"
    assert doc.title == "浙江省惠企办事指南（示例）"
    assert doc.region == "浙江省"
    assert doc.version_date == "2024-05-01"
    first, second = doc.records
    assert [first.label, second.label] == ["高新技术企业认定", "企业注销登记"]
    assert first.fields["materials"] == [
        "认定申请书",
        {"name": "知识产权证明", "form": "复印件", "copies": 1, "note": ""},
    ]
    assert first.fields["promised_time_limit"] == "60"
    assert first.fields["basis"] == ["《高新技术企业认定管理办法》第十一条"]
    assert first.fields["keywords"] == ["高企"]  # extra keys of our schema are kept
    assert second.fields["variants"] == [
        {"name": "一般注销"},
        {"name": "简易注销", "note": "公示20日无异议后申请", "materials": ["全体投资人承诺书"]},
    ]
    assert "variant_details" not in second.fields


@pytest.mark.parametrize(
    ("guide_yaml", "warning"),
    [
        ("{name: x, materials: [{form: 原件}]}", "guide 1: a material has no name"),
        (
            "{name: x, variants: [a], variant_details: {b: {note: n}}}",
            "guide 1: variant_details names a variant",
        ),
        ("{name: x, variants: [a], variant_details: [a]}", "guide 1: variant_details must map variant names"),
        ("{name: x, variants: [{note: n}]}", "guide 1: a variant has no name"),
    ],
)
def test_malformed_guide_is_reported(tmp_path: Path, guide_yaml: str, warning: str) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(f"kind: service_guides\nguides:\n  - {guide_yaml}\n  - {{name: ok}}\n", encoding="utf-8")
    (doc,) = guide.load(path, tmp_path)
    assert [r.label for r in doc.records] == ["ok"]
    (reported,) = doc.meta["warnings"]
    assert reported.startswith(warning)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("other.yaml", "kind: departments\nitems: []\n", "not a service-guide file: expected top-level"),
        ("list.yml", "- a\n- b\n", "not a service-guide file: expected top-level"),
        ("broken.yaml", "kind: service_guides\nguides: [\n", "invalid YAML"),
        ("notlist.yaml", "kind: service_guides\nguides: 3\n", "`guides` must be a list of guides"),
        (
            "date.yaml",
            "kind: service_guides\nversion_date: soon\nguides: [{name: x}]\n",
            "version_date 'soon'",
        ),
        ("bad.json", '{"guides": [', "invalid JSON: Expecting value (line 1, column 13)"),
        ("config.json", '{"port": 8000}', "not a service-guide file: expected a list of guides"),
        ("kind.json", '{"kind": "laws", "guides": []}', "not a service-guide file: kind is 'laws'"),
        ("empty-list.json", "[]", "no valid service guide in the file"),
    ],
)
def test_bad_guide_files(tmp_path: Path, name: str, content: str, reason: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoadError) as err:
        guide.load(path, tmp_path)
    assert err.value.reason.startswith(reason)
