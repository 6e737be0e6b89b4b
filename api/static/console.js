/* huiqi hotline console (热线坐席台): search-as-you-type, the article view, answers to copy, checklists, triage.
 * Same-origin API calls; every piece of server text reaches the DOM through textContent, never as HTML. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var TYPE_NAMES = { law: "法律法规", policy: "政策文件", guide: "办事指南", list: "清单", text: "其他" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }

  function button(text, cls, onClick) {
    var b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function ApiError(code, message) {
    this.code = code;
    this.message = message;
  }

  /** JSON from the API, or an ApiError carrying the server's {error: {code, message}}. */
  async function api(path, options) {
    var res = await fetch(path, Object.assign({ headers: { "Accept": "application/json" } }, options || {}));
    if (!res.ok) {
      var body = null;
      try { body = await res.json(); } catch (e) { /* not JSON */ }
      var err = body && body.error;
      throw new ApiError(err ? err.code : "http_" + res.status, err ? err.message : "HTTP " + res.status);
    }
    var type = res.headers.get("content-type") || "";
    return type.indexOf("json") >= 0 ? res.json() : res.text();
  }

  function post(path, body) {
    return api(path, { method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "application/json" } });
  }

  // Each status line counts its writes, so a reply that comes back late (a slow search) can tell whether a
  // newer message (e.g. "已复制到剪贴板") was shown meanwhile and must not be overwritten.
  var statusWrites = {};

  function status(id, text, isError) {
    var s = $(id);
    s.textContent = text || "";
    s.classList.toggle("error", Boolean(isError));
    statusWrites[id] = (statusWrites[id] || 0) + 1;
    return statusWrites[id];
  }

  function statusUnchangedSince(id, write) {
    return statusWrites[id] === write;
  }

  function failed(id, e) {
    if (e && e.name === "AbortError") return;
    status(id, "出错了：" + (e && e.message ? e.message : "网络错误"), true);
  }

  async function copyText(text, statusId) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) { // no clipboard permission (or not a secure context): the old way
      var area = el("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    status(statusId, "已复制到剪贴板");
  }

  function citationLabel(c) {
    return "《" + c.title + "》" + (c.article || "") + (c.version_date ? "（" + c.version_date + "版本）" : "");
  }

  // -- tabs -----------------------------------------------------------------------------------------------------

  var tabs = Array.prototype.slice.call(document.querySelectorAll("[role=tab]"));
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", String(on));
        $(t.getAttribute("aria-controls")).hidden = !on;
      });
    });
  });

  // -- search as you type ----------------------------------------------------------------------------------------

  var searchTimer = null;
  var searchAbort = null;

  function searchParams() {
    var p = new URLSearchParams({ q: $("q").value.trim(), k: "10" });
    if (!$("f-in-force").checked) p.set("all_versions", "true");
    if ($("f-type").value) p.set("type", $("f-type").value);
    if ($("f-region").value.trim()) p.set("region", $("f-region").value.trim());
    return p;
  }

  async function search() {
    var q = $("q").value.trim();
    if (searchAbort) searchAbort.abort(); // a newer keystroke wins over a slower older answer
    if (!q) {
      $("results").textContent = "";
      status("search-status", "");
      return;
    }
    searchAbort = new AbortController();
    var pending = status("search-status", "检索中…");
    try {
      var body = await api("/v1/search?" + searchParams(), { signal: searchAbort.signal });
      renderResults(body.hits);
      if (statusUnchangedSince("search-status", pending)) {
        status("search-status", body.hits.length ? "共 " + body.hits.length + " 条" : "没有找到相关条文");
      }
    } catch (e) {
      if (statusUnchangedSince("search-status", pending)) failed("search-status", e);
    }
  }

  function scheduleSearch() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { searchTimer = null; search(); }, 250);
  }

  // An explicit action on the question (asking for an answer) runs a search still waiting for its typing pause
  // now, so that its reply cannot arrive after, and overwrite, what the action reports (e.g. the copy notice).
  function flushSearch() {
    if (searchTimer === null) return;
    clearTimeout(searchTimer);
    searchTimer = null;
    search();
  }

  function renderResults(hits) {
    var list = $("results");
    list.textContent = "";
    hits.forEach(function (h) {
      var li = el("li", "result");
      var open = button("", "open", function () { openArticle(h.id); });
      open.setAttribute("data-chunk-id", h.id);
      open.appendChild(el("span", "title", "《" + h.title + "》" + (h.article || "")));
      var meta = el("span", "meta");
      meta.appendChild(el("span", "badge " + h.status, h.status === "in_force" ? "现行有效" : "已修订/失效"));
      meta.appendChild(el("span", null, TYPE_NAMES[h.doc_type] || h.doc_type));
      if (h.version_date) meta.appendChild(el("span", null, h.version_date));
      if (h.region) meta.appendChild(el("span", null, h.region));
      open.appendChild(meta);
      open.appendChild(el("span", "snippet", h.text.length > 140 ? h.text.slice(0, 140) + "…" : h.text));
      li.appendChild(open);
      list.appendChild(li);
    });
  }

  $("search-form").addEventListener("submit", function (e) { e.preventDefault(); search(); });
  $("q").addEventListener("input", scheduleSearch);
  ["f-in-force", "f-type"].forEach(function (id) { $(id).addEventListener("change", search); });
  $("f-region").addEventListener("input", scheduleSearch);

  // -- the article view ------------------------------------------------------------------------------------------

  function articleRefs(title, refs) {
    var box = el("div", "refs");
    box.appendChild(el("h3", null, title));
    var ul = el("ul");
    refs.forEach(function (r) {
      var li = el("li");
      var text = r.article && r.text.indexOf(r.article) === 0 ? r.text.slice(r.article.length).trim() : r.text;
      var b = button((r.article || "（无条号）") + "  " + (text.length > 60 ? text.slice(0, 60) + "…" : text), "ref",
        function () { openArticle(r.chunk_id); });
      b.setAttribute("data-chunk-id", r.chunk_id);
      li.appendChild(b);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  function versionList(versions) {
    var box = el("div", "versions");
    box.appendChild(el("h3", null, "版本沿革"));
    var ul = el("ul");
    versions.forEach(function (v) {
      var li = el("li", v.current ? "current" : null);
      var label = (v.version_date || "日期不详") + " " + (v.status === "in_force" ? "现行有效" : "已修订/失效");
      if (v.current) li.appendChild(el("strong", null, label + "（当前查看）"));
      else if (v.chunk_id) {
        var b = button(label, "version", function () { openArticle(v.chunk_id); });
        b.setAttribute("data-chunk-id", v.chunk_id);
        li.appendChild(b);
      } else li.appendChild(el("span", null, label + "（该版本无此条）"));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    return box;
  }

  async function openArticle(chunkId) {
    var pane = $("article");
    pane.textContent = "";
    pane.appendChild(el("p", "placeholder", "正在加载…"));
    try {
      var a = await api("/v1/articles/" + encodeURIComponent(chunkId));
    } catch (e) {
      pane.textContent = "";
      pane.appendChild(el("p", "status error", "未能加载条文：" + e.message));
      return;
    }
    pane.textContent = "";
    pane.setAttribute("data-chunk-id", a.chunk_id);
    pane.appendChild(el("h2", null, "《" + a.title + "》" + (a.article || "")));
    var meta = [a.version_date ? a.version_date + " 版本" : null, a.status === "in_force" ? "现行有效" : "已修订/失效",
      a.authority, a.region, a.chapter].filter(Boolean).join(" · ");
    pane.appendChild(el("p", "meta", meta));
    pane.appendChild(el("div", "text", a.text));
    var actions = el("div", "actions");
    actions.appendChild(button("复制条文及出处", "copy", function () {
      copyText(a.text + "\n——" + citationLabel(a), "search-status");
    }));
    pane.appendChild(actions);
    if (a.previous.length) pane.appendChild(articleRefs("前文", a.previous));
    if (a.next.length) pane.appendChild(articleRefs("后文", a.next));
    if (a.versions.length) pane.appendChild(versionList(a.versions));
  }

  // -- an answer to read out or paste ----------------------------------------------------------------------------

  function answerText(answer) {
    var lines = [answer.answer.trim()];
    if (answer.citations.length) {
      lines.push("", "依据：");
      answer.citations.forEach(function (c, i) { lines.push(i + 1 + ". " + citationLabel(c)); });
    }
    if (answer.notice) lines.push("", "说明：" + answer.notice);
    return lines.join("\n");
  }

  async function generateAnswer() {
    flushSearch();
    var q = $("q").value.trim();
    if (!q) { status("search-status", "请先输入问题", true); return; }
    var box = $("answer");
    box.hidden = false;
    box.textContent = "";
    box.appendChild(el("p", "placeholder", "正在生成答复…"));
    try {
      var answer = await post("/v1/chat", { question: q });
    } catch (e) {
      box.textContent = "";
      box.appendChild(el("p", "status error", "未能生成答复：" + e.message));
      return;
    }
    box.textContent = "";
    box.appendChild(el("h2", null, answer.abstained ? "无法依据现有条文答复" : "参考答复"));
    box.appendChild(el("div", "text", answer.answer));
    if (answer.suggestion && answer.abstained) box.appendChild(el("p", "notice", "建议转：" + answer.suggestion));
    if (answer.notice) box.appendChild(el("p", "notice", answer.notice));
    if (answer.citations.length) {
      var ol = el("ol", "citations");
      answer.citations.forEach(function (c) {
        var li = el("li");
        var b = button(citationLabel(c), "cite", function () { openArticle(c.chunk_id); });
        b.setAttribute("data-chunk-id", c.chunk_id);
        li.appendChild(b);
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    box.appendChild(button("复制答复及引用", "copy", function () { copyText(answerText(answer), "search-status"); }));
  }

  $("answer-btn").addEventListener("click", generateAnswer);

  // -- checklists -------------------------------------------------------------------------------------------------

  var lastChecklist = null;

  function field(dl, name, value) {
    if (!value) return;
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, value));
  }

  function renderMatter(m) {
    var card = el("section", "card matter");
    card.appendChild(el("h3", null, m.name));
    var dl = el("dl");
    field(dl, "实施部门", m.department);
    field(dl, "地区", m.region);
    field(dl, "法定时限", m.legal_time_limit);
    field(dl, "承诺时限", m.promised_time_limit);
    field(dl, "办理地点", m.location);
    field(dl, "收费", m.fees);
    field(dl, "条件", m.conditions);
    card.appendChild(dl);
    var ol = el("ol", "materials");
    m.materials.forEach(function (x) {
      var text = x.name + (x.form ? "（" + x.form + "）" : "") + (x.copies ? " ×" + x.copies : "") + (x.note ? "：" + x.note : "");
      ol.appendChild(el("li", null, text));
    });
    card.appendChild(ol);
    if (m.citation && m.citation.title) card.appendChild(el("p", "source", "出处：" + m.citation.title));
    return card;
  }

  async function draftChecklist(request, matterIds) {
    status("checklist-status", "生成中…");
    $("checklist-copy").disabled = true;
    var out = $("checklist-result");
    try {
      var body = await post("/v1/checklists", { request: request, matter_ids: matterIds || null });
    } catch (e) {
      out.textContent = "";
      failed("checklist-status", e);
      return;
    }
    lastChecklist = { request: request, matterIds: body.matters.map(function (m) { return m.id; }) };
    out.textContent = "";
    if (body.clarification) {
      var ask = el("div", "card clarification");
      ask.appendChild(el("p", null, body.clarification.question));
      body.clarification.candidates.forEach(function (c) {
        ask.appendChild(button(c.name || c.title || c.id, "candidate", function () { draftChecklist(request, [c.id]); }));
      });
      out.appendChild(ask);
    }
    body.matters.forEach(function (m) { out.appendChild(renderMatter(m)); });
    if (body.materials.length && body.matters.length > 1) {
      var merged = el("section", "card merged");
      merged.appendChild(el("h3", null, "合并后的材料清单"));
      var ol = el("ol");
      body.materials.forEach(function (x) { ol.appendChild(el("li", null, x.name + "（" + x.matters.join("、") + "）")); });
      merged.appendChild(ol);
      out.appendChild(merged);
    }
    status("checklist-status", body.matters.length ? "共 " + body.matters.length + " 个事项" : "没有找到对应事项");
    $("checklist-copy").disabled = !body.matters.length;
  }

  $("checklist-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var request = $("checklist-request").value.trim();
    if (request) draftChecklist(request);
  });
  $("checklist-copy").addEventListener("click", async function () {
    if (!lastChecklist) return;
    try {
      var md = await post("/v1/checklists?format=markdown", { request: lastChecklist.request, matter_ids: lastChecklist.matterIds });
      await copyText(md, "checklist-status");
    } catch (e) {
      failed("checklist-status", e);
    }
  });

  // -- triage -------------------------------------------------------------------------------------------------------

  async function triage(text, received) {
    status("triage-status", "分诊中…");
    var out = $("triage-result");
    try {
      var r = await post("/v1/appeals/triage", { text: text, received: received || null });
    } catch (e) {
      out.textContent = "";
      failed("triage-status", e);
      return;
    }
    out.textContent = "";
    var summary = el("section", "card summary");
    var dl = el("dl");
    field(dl, "诉求类型", r.type);
    field(dl, "复杂程度", r.tier);
    field(dl, "办理时限", r.sla_days + " 个工作日");
    field(dl, "受理日期", r.received);
    field(dl, "办结期限", r.due);
    summary.appendChild(dl);
    out.appendChild(summary);
    var ol = el("ol", "departments");
    r.departments.forEach(function (d) {
      var li = el("li", "card department");
      li.appendChild(el("strong", null, d.name));
      li.appendChild(el("span", "score", " 匹配度 " + d.score.toFixed(2)));
      li.appendChild(el("p", null, d.reason));
      if (d.mandate && d.reason.indexOf(d.mandate) < 0) li.appendChild(el("p", "mandate", "职责：" + d.mandate));
      ol.appendChild(li);
    });
    out.appendChild(ol);
    var masked = el("section", "card masked");
    masked.appendChild(el("h3", null, "脱敏后的诉求"));
    masked.appendChild(el("div", "text", r.masked_text));
    out.appendChild(masked);
    status("triage-status", "建议主办：" + (r.departments[0] ? r.departments[0].name : "（无）"));
  }

  $("triage-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = $("triage-text").value.trim();
    if (text) triage(text, $("triage-received").value);
  });
})();
