from __future__ import annotations

from assistant.checklist.checklist import merge_materials, order_departments, order_matters
from assistant.checklist.guide import Material, ServiceGuide
from assistant.checklist.render import to_html, to_markdown
from assistant.checklist.checklist import Checklist, Clarification, MatterItem, citation_for


def _guide(id_, name, dept, *materials):
    return ServiceGuide(id_, name, dept, materials=[Material(m) for m in materials], legal_time_limit="20个工作日")


PERMIT = _guide("P", "食品生产许可", "市场监督管理局", "申请书", "营业执照", "《授权委托书》", "经办人身份证件")
REGISTRATION = _guide("R", "企业设立登记", "市场监督管理局", "公司章程", "授权委托书", "经办人身份证件")
NAME_CHECK = _guide("N", "企业名称预先核准", "行政审批局", "名称预先核准申请书", "经办人 身份证件")
EIA = _guide("E", "建设项目环境影响评价文件审批", "生态环境局", "环境影响报告表")


def test_shared_materials_are_listed_once_with_every_matter_that_needs_them():
    merged = merge_materials([REGISTRATION, PERMIT])
    names = [m.name for m in merged]
    assert names == ["公司章程", "授权委托书", "经办人身份证件", "申请书", "营业执照"]
    shared = {m.name: m.matters for m in merged}
    assert shared["授权委托书"] == ["R", "P"] and shared["经办人身份证件"] == ["R", "P"]
    assert shared["公司章程"] == ["R"]


def test_matters_and_departments_follow_the_order_of_the_steps():
    ordered = order_matters([EIA, PERMIT, REGISTRATION, NAME_CHECK])
    assert [g.id for g in ordered] == ["N", "R", "E", "P"]
    route = order_departments([PERMIT, EIA, REGISTRATION, NAME_CHECK])
    assert [d["department"] for d in route] == ["行政审批局", "市场监督管理局", "生态环境局"]
    assert route[1]["matters"] == ["R", "P"]


def _checklist(question=None):
    guides = order_matters([PERMIT, REGISTRATION])
    return Checklist(
        request="开个食品厂<script>",
        matters=[MatterItem(g, citation_for(g)) for g in guides],
        materials=merge_materials(guides),
        departments=order_departments(guides),
        clarification=question,
    )


def test_markdown_lists_each_matter_then_the_merged_list_and_the_route():
    md = to_markdown(_checklist())
    assert md.index("事项1：企业设立登记") < md.index("事项2：食品生产许可") < md.index("合并材料清单")
    assert md.count("- [ ] 授权委托书") == 2  # once per matter section
    assert "- [ ] 授权委托书 — 事项1、事项2" in md  # once in the merged list, with both matters
    assert "法定时限**：20个工作日" in md and "1. 市场监督管理局：事项1、事项2" in md


def test_html_is_printable_escaped_and_shows_the_question():
    q = Clarification("新办还是延续？", [{"id": "P", "name": "食品生产许可", "department": "市场监督管理局"}])
    html = to_html(_checklist(q))
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "新办还是延续？" in html and html.count("<section>") == 3
    assert _checklist().to_dict()["materials"][1] == {
        "name": "授权委托书", "matters": ["R", "P"], "form": None, "copies": None, "note": None
    }
