"""A document whose text holds <script>, <img onerror> and javascript: links renders inert everywhere it is shown."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import host_page

QUESTION = "初创企业申请创业孵化补贴，每户每年最高补贴多少？"
SCRIPT = "<script>window.__pwned='script'</script>"
ONERROR = "<img src=x onerror=\"window.__pwned='img'\">"

#: Elements that untrusted text must never become, counted in the page and in the widget's shadow root.
MARKUP_COUNT = """() => {
  const q = 'script:not([src]), img, a[href^="javascript"], iframe, [onerror], [onclick]';
  const w = document.querySelector('huiqi-widget');
  return document.querySelectorAll(q).length + (w ? w.shadowRoot.querySelectorAll(q).length : 0);
}"""


def _assert_inert(page):
    page.wait_for_load_state("networkidle")  # an injected <img src=x> would have failed and fired by now
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate(MARKUP_COUNT) == 0


def test_widget_shows_hostile_text_as_text(page, server, county_site, shot):
    # A host site without any CSP: nothing but the widget's own rendering stands between the text and the DOM.
    page.goto(county_site.serve("/hostile.html", host_page(server.url + "/widget.js")))
    page.evaluate("HuiqiWidget.open()")
    w = page.locator("huiqi-widget")
    w.locator("textarea.q").fill(QUESTION)
    w.locator("textarea.q").press("Enter")
    answer = w.locator(".msg.bot:not(.greeting)").last
    expect(answer.locator(".feedback")).to_be_visible()
    expect(answer.locator(".body")).to_contain_text(SCRIPT)
    expect(answer.locator(".cites .cite").first).to_contain_text("创业孵化补贴办法<img src=x onerror=")
    _assert_inert(page)
    shot(page, "answer")

    answer.locator(".cites .cite").first.click()
    view = w.locator(".view")
    expect(view.locator(".text")).to_contain_text(SCRIPT)
    expect(view.locator(".text")).to_contain_text(ONERROR)
    expect(view.locator("h3")).to_contain_text("<img src=x onerror=")
    _assert_inert(page)
    shot(page, "article")


def test_console_shows_hostile_text_as_text(page, server, shot):
    page.goto(server.url + "/console")
    page.locator("#q").fill("创业孵化补贴 点此申请")
    hit = page.locator("#results .result", has_text="创业孵化补贴办法").first
    expect(hit).to_contain_text("<img src=x onerror=")
    _assert_inert(page)
    page.locator("#results .result", has_text="孵化协议").first.locator("button").click()
    article = page.locator("#article")
    expect(article.locator(".text")).to_contain_text("<a href=\"javascript:window.__pwned='link'\">点此申请</a>")
    expect(article.locator(".refs .ref").first).to_contain_text("<script>window.__pwned=")  # the neighbour, as text
    _assert_inert(page)
    shot(page, "console")

    page.locator("#answer-btn").click()
    expect(page.locator("#answer .text")).to_be_visible()
    _assert_inert(page)
