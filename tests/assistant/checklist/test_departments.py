from __future__ import annotations

import numpy as np

from assistant.checklist.departments import DepartmentNames, cores
from assistant.checklist.features import candidate_features, clause_orders
from assistant.checklist.guide import ServiceGuide
from assistant.checklist.selector import DEPARTMENT_MATCH, MatterCandidate

CATALOGUE = [
    "广东省水利厅",
    "广东省交通运输厅",
    "广东省市场监督管理局",
    "国家税务总局广东省税务局",
    "广东省工业和信息化厅",
    "广州市工业和信息化局",
    "广东省科学技术厅",
    "中共广东省委宣传部（广东省新闻出版局、广东省版权局、广东省电影局）",
]


def test_a_department_name_is_reduced_to_its_core_and_bracketed_names_each_count():
    assert cores("广东省水利厅") == {"水利"}
    assert cores("国家税务总局广东省税务局") == {"税务"}
    assert cores("广东省市场监督管理局") == {"市场监督管理"}
    assert {"版权", "新闻出版", "电影"} <= cores(CATALOGUE[-1])


def test_a_request_names_departments_by_core_or_short_form():
    names = DepartmentNames(CATALOGUE)
    assert names.named("造纸厂要建取水泵房，水利部门要批哪些？") == {"广东省水利厅"}
    assert names.named("子公司是在省市场监管局登记的") == {"广东省市场监督管理局"}
    assert names.named("这两件事在税务上要准备什么") == {"国家税务总局广东省税务局"}
    assert names.named("工信部门要批哪些") == {"广东省工业和信息化厅", "广州市工业和信息化局"}
    assert names.named("要向科技厅申请什么") == {"广东省科学技术厅"}
    assert names.named("水利这边的初步设计审批，还有航道那边的审批") == {"广东省水利厅", "广东省交通运输厅"}
    assert names.named("想先去版权部门登记") == {CATALOGUE[-1]}


def test_words_that_name_no_department_are_not_read_as_one():
    names = DepartmentNames(CATALOGUE)
    assert names.named("业务主管部门已经同意了，要交什么材料？") == set()
    assert names.named("我们在海上建风电场，账上钱不多") == set()
    assert DepartmentNames([]).named("水利部门") == set()


def test_a_further_matter_of_the_named_department_is_marked_and_others_are_marked_against():
    ranked = [
        MatterCandidate(ServiceGuide(id="a", name="变更取水许可", department="广东省水利厅"), 36.0, family="a"),
        MatterCandidate(ServiceGuide(id="b", name="河道管理范围内建设项目工程建设方案审批", department="广东省水利厅"), 20.0, family="b"),
        MatterCandidate(ServiceGuide(id="c", name="修建临河建筑物审批", department="广东省交通运输厅"), 19.0, family="c"),
    ]
    index = {c.guide.id: i for i, c in enumerate(ranked)}
    orders = clause_orders([c.family for c in ranked], [np.array([36.0, 20.0, 19.0])], 10)
    request = "取水量不够用要调整，还要在河道里建泵房。水利部门要批哪些？"
    candidate_features(request, ranked, orders, index, DepartmentNames(CATALOGUE).named(request))
    assert [c.features["department"] for c in ranked] == [1.0, 1.0, -1.0]
    candidate_features("取水量不够用要调整，要批哪些？", ranked, orders, index)
    assert {c.features["department"] for c in ranked} == {0.0}  # no department named: no sign either way


def test_the_selector_raises_the_guides_of_a_named_department_and_no_others(service):
    guides = service.catalogue.guides
    plain = service.selector._prior("取水量不够用了，要批哪些？")
    named = service.selector._prior("取水量不够用了，水利部门要批哪些？")
    raised = {g.department for g, d in zip(guides, named - plain) if d == DEPARTMENT_MATCH}
    assert raised == {"广东省水利厅"}
    assert all(d in (0.0, DEPARTMENT_MATCH) for d in named - plain)


def test_a_county_catalogue_is_matched_by_its_departments_own_names():
    county = ["示例县市场监督管理局", "国家税务总局示例县税务局", "示例县水利局", "示例县自然资源和规划局",
              "示例市生态环境局示例分局", "示例县消防救援大队", "示例县经济和信息化局"]
    assert cores("示例市生态环境局示例分局") == {"生态环境"}
    assert cores("示例县消防救援大队") == {"消防救援"}
    names = DepartmentNames(county)
    assert names.named("水利部门要批取水吗？") == {"示例县水利局"}
    assert names.named("税务上要办什么？") == {"国家税务总局示例县税务局"}
    assert names.named("规划部门要办哪些证？") == {"示例县自然资源和规划局"}
    assert names.named("工信部门有没有补助？") == {"示例县经济和信息化局"}
    assert names.named("生态环境局这边要办排污许可吗？") == {"示例市生态环境局示例分局"}
