"""Lists: one chunk per row. Guides: one readable chunk per guide, its id kept in the chunk id."""

from __future__ import annotations

import json
import re
from itertools import islice

import pytest

from assistant.documents import Record, SourceDocument
from ingest.chunking import chunk_document, guide_id_of
from tests.ingest.chunking.conftest import GUIDES

COLUMNS = ["序号", "事项名称", "实施机关", "备注"]


def _list_doc() -> SourceDocument:
    rows = [
        {"序号": 1.0, "事项名称": "食品经营许可", "实施机关": "市场监管局", "备注": None},
        {"序号": 2.0, "事项名称": "排污许可", "实施机关": "生态环境局", "备注": "无"},
        {"序号": 3.0, "事项名称": "建筑工程施工许可", "实施机关": "住建局", "备注": "长" * 3000},
    ]
    records = [Record(fields=r) for r in rows] + [Record(fields={"序号": 4, "实施机关": "税务局"}, label="自定标签")]
    return SourceDocument(
        source="lists/示例清单.xlsx", title="示例县涉企许可事项清单", doc_type="list", records=records, columns=COLUMNS
    )


def test_list_gives_one_chunk_per_row_never_split():
    chunks = chunk_document(_list_doc(), max_chars=500)
    assert len(chunks) == 4 and [c.part for c in chunks] == [0, 0, 0, 0]
    assert chunks[0].text == "示例县涉企许可事项清单\n序号：1；事项名称：食品经营许可；实施机关：市场监管局"
    assert "备注" not in chunks[1].text  # "无" is no value
    assert len(chunks[2].text) > 3000
    assert [c.article for c in chunks] == ["食品经营许可", "排污许可", "建筑工程施工许可", "自定标签"]
    assert chunks[0].embed_text.startswith("示例县涉企许可事项清单 示例县涉企许可事项清单\n")


def test_list_ids_are_stable_and_unique():
    first, second = chunk_document(_list_doc()), chunk_document(_list_doc())
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == 4
    assert all(guide_id_of(c.id) is None for c in first)


def test_row_label_falls_back_to_first_cell():
    doc = SourceDocument(
        source="lists/b.csv",
        title="名单",
        doc_type="list",
        columns=["编号", "单位"],
        records=[Record(fields={"编号": "A-1", "单位": "甲公司"})],
    )
    assert chunk_document(doc)[0].article == "甲公司"


def _portal_guides(n: int) -> list[dict]:
    if not GUIDES.exists():
        pytest.skip(f"real corpus not found: {GUIDES}")
    with GUIDES.open(encoding="utf-8") as f:
        return [json.loads(line) for line in islice(f, n)]


def _guide_doc(records: list[Record]) -> SourceDocument:
    return SourceDocument(
        source="service-guides/guangdong.jsonl",
        title="广东省政务服务事项办事指南",
        doc_type="guide",
        records=records,
        region="广东省",
    )


def test_real_portal_guides_render_readably():
    raw = _portal_guides(40)
    chunks = chunk_document(_guide_doc([Record(fields=r) for r in raw]), max_chars=200)
    assert len(chunks) == len(raw)
    for guide, c in zip(raw, chunks, strict=True):
        assert c.article == guide["matter_name"]
        assert guide_id_of(c.id) == guide["TASK_CODE"]
        assert f"事项名称：{guide['matter_name']}" in c.text
        assert f"实施部门：{guide['DEPT_NAME']}" in c.text
        assert f"事项类型：{guide['matter_type']}" in c.text
        if isinstance(guide["material_intro"], list):
            assert "申请材料：" in c.text
            for i, material in enumerate(guide["material_intro"], start=1):
                assert f"\n{i}. {material.strip()}" in c.text
        m = re.fullmatch(r"(\d+)\(工作日\)", guide["handle_time"])
        if m:
            assert f"法定时限：{m.group(1)}个工作日" in c.text
        assert "办理地点：办理地点" not in c.text
        assert c.part == 0 and c.doc_type == "guide" and c.region == "广东省"
    assert any(len(c.text) > 200 for c in chunks)  # never split, whatever max_chars


def test_guide_ids_are_stable_unique_and_carry_the_guide_id():
    records = [Record(fields=r) for r in _portal_guides(30)]
    first = chunk_document(_guide_doc(records))
    second = chunk_document(_guide_doc(records))
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]{24}\[\w+\]", c.id) for c in first)
    # a caller may append its own suffix to an id (the pipeline adds the file digest)
    assert guide_id_of(first[0].id + ".0123456789") == records[0].fields["TASK_CODE"]


def test_loader_schema_guide_with_material_details_and_variants():
    record = Record(
        fields={
            "id": "DEMO-001",
            "name": "示例事项办理",
            "department": "示例县市场监督管理局",
            "matter_type": "行政许可",
            "applicant_types": ["企业法人"],
            "conditions": "依法设立的企业。",
            "materials": [
                {"name": "申请书", "form": "原件", "copies": 1, "note": "加盖公章"},
                "营业执照",
            ],
            "legal_time_limit": "20(工作日)",
            "promised_time_limit": "5个工作日",
            "location": "示例县政务服务中心",
            "fees": "不收费",
            "basis": ["《示例条例》第十条"],
            "variants": [{"name": "首次申请"}, {"name": "变更", "note": "名称变更时适用", "materials": ["变更说明"]}],
            "url": "https://example.invalid/guide",
            "承办科室": "许可科",
        },
        label="示例事项办理",
    )
    c = chunk_document(_guide_doc([record]))[0]
    lines = c.text.split("\n")
    assert lines[0] == "事项名称：示例事项办理"
    assert "1. 申请书（原件，1份）：加盖公章" in lines and "2. 营业执照" in lines
    assert "法定时限：20个工作日" in lines and "承诺时限：5个工作日" in lines
    assert "- 变更：名称变更时适用" in lines and "  该情形申请材料：变更说明" in lines
    assert "1. 《示例条例》第十条" in lines and "承办科室：许可科" in lines
    assert "example.invalid" not in c.text
    assert guide_id_of(c.id) == "DEMO-001" and c.article == "示例事项办理"
