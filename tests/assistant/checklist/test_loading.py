from __future__ import annotations

import json

import pytest

from assistant.checklist.guide import Material, ServiceGuide, normalise_material_name
from assistant.checklist.loading import (
    FieldMapping,
    cited_laws,
    guide_from_record,
    load_guides,
    load_json_guides,
    load_yaml_guides,
    time_limit,
)
from assistant.errors import LoadError
from tests.assistant.checklist.helpers import GUANGDONG, REPO


def test_all_guangdong_guides_load_with_the_field_mapping():
    guides = load_json_guides(GUANGDONG)
    raw = [json.loads(line) for line in GUANGDONG.read_text(encoding="utf-8").splitlines()]
    assert len(guides) == len(raw) == 2262
    by_id = {g.id: g for g in guides}
    for r in raw[:200]:
        g = by_id[r["TASK_CODE"]]
        assert (g.name, g.department, g.matter_type) == (r["matter_name"], r["DEPT_NAME"], r["matter_type"])
        expected = [] if r["material_intro"] in (["无"], "无") else r["material_intro"]
        assert [m.name for m in g.materials] == expected
        assert g.region == r["AREA_CODE_TEXT"]
    # a guide with no material list keeps an empty list, not the placeholder 无
    assert sum(g.has_materials for g in guides) == sum(r["material_intro"] not in ([], ["无"], "无") for r in raw) == 809


def test_time_limits_and_location_are_normalised():
    assert time_limit("30(工作日)") == "30个工作日"
    assert time_limit("无") is None
    assert time_limit("即办") == "即办"
    record = {
        "TASK_CODE": "X1", "matter_name": "某事项", "DEPT_NAME": "某厅", "handle_time": "20(工作日)",
        "handle_time_limit": "5(工作日)", "handle_location": "办理地点：某路1号", "material_intro": ["申请表"],
        "accept_standard": "符合《中华人民共和国行政许可法》第十二条规定的", "subTaskName": None, "TASK_NAME": "某事项",
    }
    g = guide_from_record(record)
    assert (g.legal_time_limit, g.promised_time_limit, g.location) == ("20个工作日", "5个工作日", "某路1号")
    assert g.full_name is None  # same as the name
    assert g.basis == ["《中华人民共和国行政许可法》第十二条"]


def test_a_custom_mapping_reads_other_field_names():
    mapping = FieldMapping({"id": "code", "name": ("title", "name"), "department": "dept", "materials": "docs"})
    g = guide_from_record({"code": "A", "name": "甲事项", "dept": "乙局", "docs": "申请书；身份证"}, mapping)
    assert (g.id, g.name, g.department) == ("A", "甲事项", "乙局")
    assert [m.name for m in g.materials] == ["申请书", "身份证"]


def test_missing_required_fields_and_bad_files_raise_load_error(tmp_path):
    with pytest.raises(LoadError, match="without department"):
        guide_from_record({"TASK_CODE": "A", "matter_name": "甲"}, source="x.jsonl")
    with pytest.raises(LoadError, match="no such file"):
        load_json_guides(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"TASK_CODE": \n', encoding="utf-8")
    with pytest.raises(LoadError, match="invalid JSON"):
        load_json_guides(bad)


YAML = """
kind: service_guides
region: 某省某县
guides:
  - id: T-1
    name: 食品经营许可
    department: 某县市场监督管理局
    matter_type: 行政许可
    applicant_types: [企业法人]
    conditions: 有与经营的食品品种相适应的场所
    materials:
      - {name: 食品经营许可申请书, form: 原件, copies: 1, note: 在线填报}
      - 营业执照
    legal_time_limit: 20个工作日
    promised_time_limit: 5个工作日
    location: 政务服务中心
    fees: 不收费
    basis: [《中华人民共和国食品安全法》第三十五条]
    variants: [新办, 延续]
    variant_details:
      延续:
        note: 有效期届满30个工作日前申请
        materials:
          - {name: 食品经营许可延续申请书, copies: 2}
    theme: 食品药品
    keywords: [JY证]
"""


def test_yaml_guides_load_with_their_variants(tmp_path):
    path = tmp_path / "guides.yaml"
    path.write_text(YAML, encoding="utf-8")
    base, renewal = load_yaml_guides(path)
    assert base.materials[0] == Material("食品经营许可申请书", "原件", 1, "在线填报")
    assert base.materials[1].name == "营业执照"
    assert (base.region, base.theme, base.keywords, base.fees) == ("某省某县", ["食品药品"], ["JY证"], "不收费")
    assert base.basis == ["《中华人民共和国食品安全法》第三十五条"]
    assert renewal.id == "T-1#延续" and renewal.title == "食品经营许可（延续）"
    assert [m.name for m in renewal.materials] == ["食品经营许可延续申请书"] and renewal.materials[0].copies == 2
    assert "有效期届满" in renewal.conditions


def test_other_yaml_kinds_are_skipped_and_folders_are_walked(tmp_path):
    (tmp_path / "a.yaml").write_text(YAML, encoding="utf-8")
    (tmp_path / "departments.yaml").write_text("kind: departments\ndepartments: []\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a guide", encoding="utf-8")
    assert load_yaml_guides(tmp_path / "departments.yaml") == []
    assert [g.id for g in load_guides([tmp_path])] == ["T-1", "T-1#延续"]


def test_the_demo_corpus_guides_load():
    guides = load_guides([REPO / "corpus" / "guides"])
    assert guides and all(g.department and g.name for g in guides)
    assert any(g.materials and g.legal_time_limit for g in guides)


def test_guide_round_trips_through_a_dict_and_material_keys_ignore_punctuation():
    g = ServiceGuide("A", "甲", "乙局", materials=[Material("《申请表》", copies=2)])
    assert ServiceGuide.from_dict(g.to_dict()) == g
    assert normalise_material_name("《营业执照》（副本）。") == normalise_material_name("营业执照(副本)")
    assert cited_laws("依据《甲法》第三条和《乙条例》，填写《申请表》") == ["《甲法》第三条", "《乙条例》"]
