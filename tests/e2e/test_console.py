"""The hotline console in real Chromium: search as you type with filters, the article view, copy, checklist, triage."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect



@pytest.fixture
def console(page, context, server):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.goto(server.url + "/console")
    return page


def _clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def test_search_as_you_type_filters_and_the_article_view(console, shot):
    page = console
    page.locator("#q").press_sequentially("经营者集中申报标准", delay=30)  # no Enter: results come as one types
    results = page.locator("#results .result")
    expect(results.first).to_contain_text("经营者集中申报标准")
    expect(page.locator("#results .badge.superseded")).to_have_count(0)  # in force only, by default
    shot(page, "search")

    page.locator("#f-in-force").uncheck()
    expect(page.locator("#results .badge.superseded").first).to_be_visible()
    page.locator("#f-type").select_option("policy")
    expect(page.locator("#search-status")).to_have_text("没有找到相关条文")
    page.locator("#f-type").select_option("law")
    expect(results.first).to_be_visible()
    page.locator("#f-in-force").check()
    expect(page.locator("#results .badge.superseded")).to_have_count(0)

    third = results.filter(has=page.locator(".title", has_text=re.compile("》第三条$")))
    third.first.locator("button").click()
    article = page.locator("#article")
    expect(article.locator("h2")).to_contain_text("第三条")
    expect(article.locator(".meta")).to_contain_text("2024-01-22 版本 · 现行有效")
    expect(article.locator(".refs h3")).to_have_text(["前文", "后文"])
    expect(article.locator(".versions li")).to_have_count(2)
    shot(page, "article")

    article.locator(".versions button.version").click()  # the same article in the superseded version
    expect(article.locator(".meta")).to_contain_text("2018-09-18 版本 · 已修订/失效")
    assert article.get_attribute("data-chunk-id")
    expect(article.locator(".text")).to_contain_text("100亿元")
    article.locator(".refs").first.locator(".ref").last.click()  # the article just before
    expect(article.locator("h2")).to_contain_text("第二条")
    shot(page, "older-version")


def test_region_filter_keeps_national_and_matching_local_documents(console):
    page = console
    page.locator("#q").fill("创业孵化补贴")
    local = page.locator("#results .result", has_text="创业孵化补贴办法")
    expect(local.first).to_be_visible()
    page.locator("#f-region").fill("广东省")
    expect(local).to_have_count(0)
    expect(page.locator("#results .result").first).to_be_visible()  # national laws apply everywhere
    page.locator("#f-region").fill("浙江省")
    expect(local.first).to_be_visible()


def test_an_answer_is_copied_with_its_citations(console, shot):
    page = console
    page.locator("#q").fill("职工累计工作已满10年不满20年的，年休假几天？")
    page.locator("#answer-btn").click()
    answer = page.locator("#answer")
    expect(answer.locator(".cite").first).to_contain_text("《职工带薪年休假条例》第三条（2007-12-14版本）")
    answer.locator("button.copy").click()
    expect(page.locator("#search-status")).to_have_text("已复制到剪贴板")
    copied = _clipboard(page)
    assert copied.startswith(answer.locator(".text").inner_text().strip()[:20])
    assert "依据：\n1. 《职工带薪年休假条例》第三条（2007-12-14版本）" in copied
    shot(page, "answer")

    answer.locator(".cite").first.click()
    page.locator("#article button.copy").click()
    copied = _clipboard(page)
    assert "年休假10天" in copied and copied.endswith("——《职工带薪年休假条例》第三条（2007-12-14版本）")


def test_checklist_tab(console, shot):
    page = console
    page.locator("#tab-checklist").click()
    expect(page.locator("#panel-search")).to_be_hidden()
    page.locator("#checklist-request").fill("新开一家有限公司，办企业设立登记要带什么材料？")
    page.locator("#checklist-form button[type=submit]").click()
    matter = page.locator("#checklist-result .matter", has_text="企业设立登记").first
    expect(matter).to_be_visible()
    expect(matter.locator("dt").first).to_have_text("实施部门")
    assert matter.locator(".materials li").count() >= 2
    shot(page, "checklist")
    page.locator("#checklist-copy").click()
    expect(page.locator("#checklist-status")).to_have_text("已复制到剪贴板")
    assert _clipboard(page).startswith("# 办事清单") and "企业设立登记" in _clipboard(page)


def test_triage_tab(console, shot):
    page = console
    page.locator("#tab-triage").click()
    page.locator("#triage-text").fill("我公司出口退税申报三个月了还没到账，联系电话13912345678，请尽快处理。")
    page.locator("#triage-received").fill("2025-03-07")
    page.locator("#triage-form button[type=submit]").click()
    departments = page.locator("#triage-result .department")
    expect(departments.first).to_contain_text("税务")
    assert 1 <= departments.count() <= 3
    summary = page.locator("#triage-result .summary")
    expect(summary).to_contain_text("受理日期2025-03-07")
    assert re.search(r"复杂程度(简易|一般|复杂)", summary.inner_text().replace("\n", ""))
    assert re.search(r"办结期限\d{4}-\d{2}-\d{2}", summary.inner_text().replace("\n", ""))
    masked = page.locator("#triage-result .masked .text").inner_text()
    assert "13912345678" not in masked and "出口退税" in masked
    expect(page.locator("#triage-status")).to_contain_text("建议主办")
    shot(page, "triage")


def test_errors_from_the_server_are_shown(console, server):
    page = console
    page.locator("#tab-triage").click()
    page.locator("#triage-text").fill("   \n ")
    page.locator("#triage-form button[type=submit]").click()  # blank: nothing is sent
    expect(page.locator("#triage-status")).to_have_text("")
    page.route("**/v1/appeals/triage", lambda route: route.continue_(post_data='{"text": ""}'))
    page.locator("#triage-text").fill("企业诉求")
    page.locator("#triage-form button[type=submit]").click()
    expect(page.locator("#triage-status")).to_contain_text("出错了：text:")


def test_unknown_article_link_says_so(console, server):
    page = console
    page.locator("#q").fill("年休假")
    first = page.locator("#results .result button").first
    expect(first).to_be_visible()
    # The corpus changed under the console (the hit's article is gone): the view says so.
    gone = server.url + "/v1/articles/0123456789abcdef01234567"
    page.route("**/v1/articles/**", lambda route: route.continue_(url=gone))
    first.click()
    expect(page.locator("#article .status.error")).to_contain_text("未能加载条文：no article with chunk id")
