"""The chat widget in real Chromium: on the demo host page and on host sites of other origins."""

from __future__ import annotations

import json
import re

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN_KEY, host_page

QUESTION = "职工累计工作已满10年不满20年的，年休假几天？"


def _widget(page):
    return page.locator("huiqi-widget")


def _ask(page, question: str):
    """Type a question and send it with Enter; returns the answer's JSON request body."""
    w = _widget(page)
    w.locator("textarea.q").fill(question)
    with page.expect_request("**/v1/chat/stream") as req:
        w.locator("textarea.q").press("Enter")
    return json.loads(req.value.post_data)


def _last_answer(page):
    answer = _widget(page).locator(".msg.bot:not(.greeting)").last
    expect(answer.locator(".feedback")).to_be_visible()  # the done event has arrived
    return answer


def test_demo_page_widget_streams_a_cited_answer_opens_the_article_and_takes_feedback(page, server, shot):
    page.goto(server.url + "/demo")
    w = _widget(page)
    bubble = w.locator(".bubble")
    expect(bubble).to_be_visible()
    # The host page styles every button lime with !important; the shadow root keeps ours.
    assert bubble.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(168, 29, 29)"
    # Nothing of the host page (its z-index 50000 corner banner) lies over the bubble.
    box = bubble.bounding_box()
    top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", [box["x"] + 28, box["y"] + 28])
    assert top == "HUIQI-WIDGET"
    shot(page, "demo-page")

    bubble.click()
    expect(w.locator(".panel")).to_be_visible()
    expect(w.locator(".greeting")).to_contain_text("示例县惠企助手")
    shot(page, "opened")

    with page.expect_response("**/v1/chat/stream") as resp:
        body = _ask(page, QUESTION)
    assert body == {"question": QUESTION, "session_id": None}
    assert resp.value.headers["content-type"].startswith("text/event-stream")
    answer = _last_answer(page)
    expect(answer.locator(".body")).to_contain_text("年休假")
    cite = answer.locator(".cites .cite").first
    expect(cite).to_contain_text("职工带薪年休假条例")
    shot(page, "answered")

    cite.click()
    view = w.locator(".view")
    expect(view).to_be_visible()
    expect(w.locator(".log")).to_be_hidden()
    expect(w.locator("form")).to_be_hidden()
    expect(view.locator(".meta")).to_contain_text("现行有效")
    expect(view.locator(".text")).to_contain_text("年休假")
    shot(page, "article")
    view.locator(".back").click()
    expect(w.locator(".log")).to_be_visible()

    answer.locator(".feedback .up").click()
    answer.locator(".feedback textarea").fill("回答清楚，还附了条文")
    with page.expect_response("**/v1/feedback") as fb:
        answer.locator(".feedback .submit").click()
    assert fb.value.status == 201
    expect(answer.locator(".thanks")).to_have_text("感谢您的反馈！")
    shot(page, "feedback")
    export = httpx.get(server.url + "/v1/admin/feedback", headers={"X-API-Key": ADMIN_KEY}).json()
    stored = next(i for i in export["items"] if i["comment"] == "回答清楚，还附了条文")
    session = page.evaluate("Object.values(sessionStorage).map(JSON.parse)[0].session")
    assert stored["rating"] == "up" and stored["question"] == QUESTION and stored["session_id"] == session
    assert stored["answer"] and session


def test_follow_ups_keep_the_session_across_page_loads(page, server, shot):
    page.goto(server.url + "/demo")
    page.evaluate("HuiqiWidget.open()")
    first = _ask(page, QUESTION)
    assert first["session_id"] is None
    _last_answer(page)
    session = page.evaluate("Object.values(sessionStorage).map(JSON.parse)[0].session")
    assert session

    page.reload()  # the conversation and its session survive a navigation within the tab
    page.evaluate("HuiqiWidget.open()")
    expect(_widget(page).locator(".msg.user")).to_have_text([QUESTION])
    follow = _ask(page, "那工作满20年呢？")
    assert follow["session_id"] == session
    expect(_widget(page).locator(".msg.bot:not(.greeting) .feedback")).to_have_count(2)
    shot(page, "follow-up")

    _widget(page).locator(".reset").click()  # 新对话: a new session next time
    assert _ask(page, QUESTION)["session_id"] is None


def test_qr_link_opens_the_widget_on_a_topic_and_asks(page, server, shot):
    with page.expect_request("**/v1/chat/stream") as req:
        page.goto(server.url + "/demo?huiqi_topic=年休假&huiqi_q=" + "工作满10年可以休几天")
    assert json.loads(req.value.post_data)["question"] == "关于年休假：工作满10年可以休几天"
    w = _widget(page)
    expect(w.locator(".panel")).to_be_visible()
    expect(w.locator(".topic")).to_have_text("主题：年休假")
    expect(w.locator(".msg.user")).to_have_text(["工作满10年可以休几天"])
    expect(_last_answer(page).locator(".cites .cite").first).to_contain_text("职工带薪年休假条例")
    shot(page, "qr-topic")
    page.reload()  # the link's question is asked once per tab, not on every reload
    page.wait_for_load_state("networkidle")
    expect(w.locator(".msg.user")).to_have_count(1)


def test_mobile_layout_is_full_screen(browser, server, shot):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = ctx.new_page()
        page.goto(server.url + "/demo")
        w = _widget(page)
        w.locator(".bubble").tap()
        panel = w.locator(".panel")
        expect(panel).to_be_visible()
        assert panel.bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}
        expect(w.locator(".bubble")).to_be_hidden()
        shot(page, "mobile")
        w.locator(".close").tap()
        expect(panel).to_be_hidden()
        expect(w.locator(".bubble")).to_be_visible()
        w.locator(".bubble").tap()
        w.locator("textarea.q").press("Escape")  # the keyboard closes it too, and focus returns to the bubble
        expect(panel).to_be_hidden()
        assert w.evaluate("h => h.shadowRoot.activeElement.className") == "bubble"
    finally:
        ctx.close()


def test_data_attributes_on_another_origin(page, server, county_site, shot):
    attrs = ('data-position="top-left" data-z-index="777" data-color="#123456" data-title="某县企业服务" '
             'data-offset-x="12" data-offset-y="100" data-question="个体工商户可以享受哪些补贴？" '
             'data-text-color="red;background:url(x)"')
    page.goto(county_site.serve("/attributes.html", host_page(server.url + "/widget.js", attrs)))
    w = _widget(page)
    bubble = w.locator(".bubble")
    expect(bubble).to_be_visible()
    assert w.evaluate("h => getComputedStyle(h).zIndex") == "777"
    box = bubble.bounding_box()
    assert (box["x"], box["y"]) == (12, 100)
    assert bubble.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(18, 52, 86)"
    assert bubble.evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"  # the bad colour was refused
    assert bubble.evaluate("b => getComputedStyle(b).fontSize") == "26px"  # the host's !important * rule stays out
    bubble.click()
    expect(w.locator("header .title")).to_have_text("某县企业服务")
    expect(w.locator("textarea.q")).to_have_value("个体工商户可以享受哪些补贴？")
    shot(page, "configured")

    body = _ask(page, QUESTION)  # cross-origin: CORS from the allowlist lets the page read the stream
    assert body["question"] == QUESTION
    expect(_last_answer(page).locator(".cites .cite").first).to_contain_text("职工带薪年休假条例")
    shot(page, "answered-cross-origin")


def test_a_site_outside_the_allowlist_gets_an_error_not_an_answer(page, server, foreign_site, shot):
    page.goto(foreign_site.serve("/index.html", host_page(server.url + "/widget.js")))
    page.evaluate("HuiqiWidget.open()")
    _ask(page, QUESTION)
    failed = _widget(page).locator(".msg.error")
    expect(failed).to_contain_text("暂时无法连接服务")
    expect(_widget(page).locator(".cites")).to_have_count(0)
    shot(page, "refused")
    r = httpx.post(server.url + "/v1/chat", json={"question": QUESTION}, headers={"Origin": foreign_site.origin})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden_origin"


def test_an_expired_session_starts_a_new_one(page, server):
    page.goto(server.url + "/demo")
    page.evaluate("""() => {  // a session the server no longer knows (expired, or the server's store was reset)
      const key = Object.keys(sessionStorage)[0] || 'huiqi:' + location.origin;
      sessionStorage.setItem(key, JSON.stringify({session: 'gone-session', messages: [], context: null}));
    }""")
    page.reload()
    page.evaluate("HuiqiWidget.open()")
    sent = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/v1/chat/stream") else None)
    _ask(page, QUESTION)
    expect(_last_answer(page).locator(".cites .cite").first).to_be_visible()
    assert [s["session_id"] for s in sent] == ["gone-session", None]
    fresh = page.evaluate("Object.values(sessionStorage).map(JSON.parse)[0].session")
    assert fresh and fresh != "gone-session"


def test_a_question_without_basis_is_declined_with_a_suggestion(page, server, shot):
    page.goto(server.url + "/demo")
    page.evaluate("HuiqiWidget.open()")
    _ask(page, "出口退税多久到账？")
    answer = _last_answer(page)
    expect(answer).to_have_class(re.compile(r"\babstained\b"))
    expect(answer.locator(".body")).to_contain_text("建议咨询当地税务局，或拨打12345政务服务便民热线。")
    expect(answer.locator(".notice")).to_have_count(0)  # the suggestion is in the text already: not repeated
    expect(answer.locator(".cites")).to_have_count(0)
    shot(page, "abstained")
