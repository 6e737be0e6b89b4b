/* huiqi (惠企助手) chat widget.
 *
 * Embed: <script src="https://huiqi.example.gov.cn/widget.js" data-title="惠企助手" data-position="bottom-right"
 *                 data-z-index="2147483000" data-color="#c0392b" data-text-color="#ffffff" data-api="…"
 *                 data-question="…" data-context="…" data-open="false" async></script>
 * URL parameters huiqi_q (ask this) and huiqi_topic (the topic) open it, e.g. from a QR code.
 *
 * Everything lives in a shadow root (the host page's CSS cannot reach in, ours cannot leak out). Untrusted text
 * (answers, documents, errors) only ever reaches the DOM as text nodes: no innerHTML anywhere in this file.
 */
(function () {
  "use strict";
  if (window.HuiqiWidget) return; // the tag was included twice

  var script = document.currentScript;
  var POSITIONS = ["bottom-right", "bottom-left", "top-right", "top-left"];
  var VERSION = "1";

  // -- configuration ----------------------------------------------------------------------------------------

  function safeColor(v) {
    // Only plain colour values: a data- attribute must not smuggle other CSS into the widget.
    if (!v) return null;
    v = String(v).trim();
    if (/^#[0-9a-fA-F]{3,8}$/.test(v) || /^(rgb|rgba|hsl|hsla)\([0-9.,%\s]+\)$/.test(v) || /^[a-zA-Z]{3,20}$/.test(v)) {
      return v;
    }
    return null;
  }

  function safeLength(v, fallback) {
    v = (v || "").trim();
    if (!/^\d{1,4}(px|rem|em|vh|vw)?$/.test(v)) return fallback;
    return /\d$/.test(v) ? v + "px" : v; // a bare number is pixels
  }

  function readConfig() {
    var d = (script && script.dataset) || {};
    var src = script && script.src ? new URL(script.src, location.href) : new URL(location.href);
    var params = new URLSearchParams(location.search);
    var topic = (params.get("huiqi_topic") || "").trim().slice(0, 100);
    var urlQuestion = (params.get("huiqi_q") || "").trim().slice(0, 2000);
    return {
      api: (d.api || src.origin).replace(/\/+$/, ""),
      position: POSITIONS.indexOf(d.position) >= 0 ? d.position : "bottom-right",
      zIndex: /^-?\d{1,10}$/.test(d.zIndex || "") ? d.zIndex : "2147483000",
      offsetX: safeLength(d.offsetX, "20px"),
      offsetY: safeLength(d.offsetY, "20px"),
      title: (d.title || "惠企助手").slice(0, 40),
      greeting: (d.greeting || "您好！我可以解答惠企政策、法规和办事问题，回答附有条文出处。").slice(0, 300),
      color: safeColor(d.color) || "#b3261e",
      textColor: safeColor(d.textColor) || "#ffffff",
      background: safeColor(d.background) || "#ffffff",
      context: topic || (d.context || "").trim().slice(0, 100),
      question: urlQuestion || (d.question || "").trim().slice(0, 2000),
      autoAsk: Boolean(urlQuestion),
      open: Boolean(topic || urlQuestion) || d.open === "true",
    };
  }

  var cfg = readConfig();
  var STORE_KEY = "huiqi:" + cfg.api;

  // -- state kept across page loads of this tab (follow-ups keep the session) ------------------------------

  function loadState() {
    try {
      var s = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (s && typeof s === "object" && Array.isArray(s.messages)) return s;
    } catch (e) { /* storage off or corrupt: start afresh */ }
    return { session: null, messages: [], context: null };
  }

  function saveState() {
    try {
      state.messages = state.messages.slice(-30);
      sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) { /* private mode or quota: the conversation just isn't kept */ }
  }

  var state = loadState();
  if (cfg.context && state.context !== cfg.context) {
    state.context = cfg.context;
  }

  // -- safe rendering: text nodes only ---------------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = String(text);
    return e;
  }

  var INLINE = /\*\*([^*\n]+)\*\*|`([^`\n]+)`|\[(\d{1,2})\]|《([^》\n]{1,80})》/g;

  function appendInline(parent, text, onRef) {
    var last = 0, m;
    INLINE.lastIndex = 0;
    while ((m = INLINE.exec(text))) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1] != null) parent.appendChild(el("strong", null, m[1]));
      else if (m[2] != null) parent.appendChild(el("code", null, m[2]));
      else if (m[3] != null) {
        var ref = el("button", "ref", "[" + m[3] + "]");
        ref.type = "button";
        ref.setAttribute("data-ref", m[3]);
        ref.setAttribute("aria-label", "查看引用 " + m[3]);
        if (onRef) ref.addEventListener("click", onRef.bind(null, Number(m[3])));
        parent.appendChild(ref);
      } else parent.appendChild(el("cite", null, "《" + m[4] + "》"));
      last = INLINE.lastIndex;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  /** A small Markdown subset (headings, lists, quotes, bold, code, [n] references) built as DOM nodes. */
  function renderMarkdown(container, text, onRef) {
    container.textContent = "";
    var list = null, para = null;
    var lines = String(text || "").replace(/\r\n?/g, "\n").split("\n");
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].replace(/\s+$/, ""), m;
      if (!line.trim()) { list = null; para = null; continue; }
      if ((m = /^(#{1,4})\s+(.*)$/.exec(line))) {
        var h = el("h" + Math.min(6, m[1].length + 3), "md-h");
        appendInline(h, m[2], onRef);
        container.appendChild(h);
        list = para = null;
      } else if ((m = /^\s*(?:[-*•·])\s+(.*)$/.exec(line)) || (m = /^\s*(\d{1,3})[.、)）]\s*(.*)$/.exec(line))) {
        var ordered = m.length === 3;
        var tag = ordered ? "ol" : "ul";
        if (!list || list.tagName.toLowerCase() !== tag) {
          list = el(tag);
          if (ordered) list.start = Number(m[1]);
          container.appendChild(list);
        }
        var li = el("li");
        appendInline(li, ordered ? m[2] : m[1], onRef);
        list.appendChild(li);
        para = null;
      } else if ((m = /^>\s?(.*)$/.exec(line))) {
        var q = el("blockquote");
        appendInline(q, m[1], onRef);
        container.appendChild(q);
        list = para = null;
      } else {
        if (para) para.appendChild(el("br"));
        else { para = el("p"); container.appendChild(para); }
        appendInline(para, line, onRef);
        list = null;
      }
    }
  }

  // -- server-sent events over fetch (EventSource cannot POST) --------------------------------------------

  function parseBlock(block) {
    var event = "message", data = [];
    block.split("\n").forEach(function (line) {
      if (!line || line.charAt(0) === ":") return; // comments: keep-alive pings
      var i = line.indexOf(":");
      var field = i < 0 ? line : line.slice(0, i);
      var value = i < 0 ? "" : line.slice(i + 1);
      if (value.charAt(0) === " ") value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    });
    return data.length ? { event: event, data: data.join("\n") } : null;
  }

  async function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buf = "";
    for (;;) {
      var chunk = await reader.read();
      buf += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      // A CR at the very end may be the first half of a CRLF split across reads: leave it for the next one.
      buf = buf.replace(/\r\n|\r(?!$)/g, "\n");
      var idx;
      while ((idx = buf.indexOf("\n\n")) >= 0) {
        var ev = parseBlock(buf.slice(0, idx));
        buf = buf.slice(idx + 2);
        var more;
        try {
          more = ev ? onEvent(ev) : true;
        } catch (e) {
          reader.cancel();
          throw e;
        }
        if (more === false) { reader.cancel(); return; }
      }
      if (chunk.done) break;
    }
    var rest = parseBlock(buf.replace(/\r$/, ""));
    if (rest) onEvent(rest);
  }

  function ApiError(code, message) {
    this.code = code;
    this.message = message;
  }

  async function errorOf(response) {
    try {
      var body = await response.json();
      if (body && body.error) return new ApiError(body.error.code, body.error.message);
    } catch (e) { /* not our JSON */ }
    return new ApiError("http_" + response.status, "服务返回错误（HTTP " + response.status + "）");
  }

  function postJSON(path, body, extra) {
    return fetch(cfg.api + path, Object.assign({
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    }, extra || {}));
  }

  // -- the DOM -----------------------------------------------------------------------------------------------

  var host = document.createElement("huiqi-widget");
  var important = function (name, value) { host.style.setProperty(name, value, "important"); };
  important("position", "fixed");
  important("z-index", cfg.zIndex);
  important("display", "block");
  var vertical = cfg.position.split("-")[0], horizontal = cfg.position.split("-")[1];
  important(vertical, cfg.offsetY);
  important(horizontal, cfg.offsetX);
  host.style.setProperty("--huiqi-primary", cfg.color);
  host.style.setProperty("--huiqi-on-primary", cfg.textColor);
  host.style.setProperty("--huiqi-background", cfg.background);
  host.setAttribute("data-position", cfg.position);

  var root = host.attachShadow({ mode: "open" });
  var CSS = [
    // The host page's rules still reach the host element itself (and !important ones beat :host): set our
    // text settings on our own elements, which nothing outside can select.
    ":host{all:initial}",
    ".panel,.bubble{font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;",
    "font-size:15px;line-height:1.6;color:#1f1f1f;text-align:left;letter-spacing:normal}",
    "*{box-sizing:border-box}[hidden]{display:none!important}",
    "button{font:inherit;cursor:pointer}",
    ".bubble{width:56px;height:56px;border-radius:50%;border:0;background:var(--huiqi-primary);color:var(--huiqi-on-primary);",
    "box-shadow:0 4px 14px rgba(0,0,0,.25);font-size:26px;display:flex;align-items:center;justify-content:center}",
    ".bubble:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}",
    ".panel{position:absolute;width:380px;height:min(620px,calc(100vh - 110px));background:var(--huiqi-background);",
    "border-radius:14px;box-shadow:0 10px 36px rgba(0,0,0,.28);display:flex;flex-direction:column;overflow:hidden}",
    ":host([data-position^=bottom]) .panel{bottom:68px}:host([data-position^=top]) .panel{top:68px}",
    ":host([data-position$=right]) .panel{right:0}:host([data-position$=left]) .panel{left:0}",
    "header{background:var(--huiqi-primary);color:var(--huiqi-on-primary);padding:10px 12px;display:flex;align-items:center;gap:8px}",
    "header .title{font-weight:600;flex:1;font-size:16px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}",
    "header button{background:transparent;border:0;color:inherit;font-size:14px;padding:4px 6px;border-radius:6px}",
    "header button:hover{background:rgba(255,255,255,.18)}",
    ".topic{font-size:12px;background:rgba(255,255,255,.22);border-radius:10px;padding:1px 8px;white-space:nowrap}",
    ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:10px;background:#f6f6f7}",
    ".msg{max-width:92%;padding:8px 11px;border-radius:12px;word-wrap:break-word;overflow-wrap:anywhere}",
    ".msg.user{align-self:flex-end;background:var(--huiqi-primary);color:var(--huiqi-on-primary);white-space:pre-wrap}",
    ".msg.bot{align-self:flex-start;background:#fff;border:1px solid #e3e3e6}",
    ".msg.bot p,.msg.bot ul,.msg.bot ol,.msg.bot blockquote{margin:0 0 6px}",
    ".msg.bot ul,.msg.bot ol{padding-left:20px}",
    ".msg.bot blockquote{border-left:3px solid #ccc;padding-left:8px;color:#555}",
    ".msg.bot code{background:#f1f1f1;padding:0 3px;border-radius:3px}",
    ".msg.bot .md-h{margin:4px 0;font-size:15px}",
    ".msg.error{border-color:#e0a0a0;background:#fff5f5;color:#8a1c1c}",
    ".typing::after{content:'…';animation:blink 1s steps(2) infinite}@keyframes blink{50%{opacity:.2}}",
    ".ref{border:0;background:none;color:var(--huiqi-primary);padding:0 1px;font-size:12px;vertical-align:super}",
    ".notice{font-size:13px;color:#6b4e00;background:#fff8e1;border-radius:6px;padding:4px 8px;margin-top:6px}",
    ".cites{margin:8px 0 0;padding:0;list-style:none;display:flex;flex-direction:column;gap:4px}",
    ".cite{display:block;width:100%;text-align:left;border:1px solid #e0e0e4;background:#fafafa;border-radius:8px;",
    "padding:4px 8px;font-size:13px;color:#1a4d8f}",
    ".cite:hover{background:#eef3fb}",
    ".cite .n{color:#777;margin-right:4px}",
    ".cite .old{color:#a33;margin-left:4px}",
    ".feedback{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:6px;font-size:13px;color:#666}",
    ".feedback button{border:1px solid #ddd;background:#fff;border-radius:14px;padding:0 10px}",
    ".feedback button[aria-pressed=true]{border-color:var(--huiqi-primary);background:#fdecea}",
    ".feedback textarea{width:100%;min-height:48px;font:inherit;font-size:13px;border:1px solid #ccc;border-radius:6px;padding:4px}",
    ".view{flex:1;overflow-y:auto;padding:12px 14px;background:#fff}",
    ".view h3{margin:6px 0;font-size:16px}",
    ".view .meta{font-size:12px;color:#666;margin-bottom:8px}",
    ".view .text{white-space:pre-wrap;line-height:1.8}",
    ".view .versions{margin-top:12px;font-size:13px;color:#555}",
    ".back{border:0;background:none;color:var(--huiqi-primary);padding:0}",
    "form{display:flex;gap:6px;padding:8px;border-top:1px solid #e6e6e6;background:#fff}",
    "textarea.q{flex:1;resize:none;height:44px;font:inherit;border:1px solid #ccc;border-radius:8px;padding:6px 8px}",
    ".send{border:0;border-radius:8px;background:var(--huiqi-primary);color:var(--huiqi-on-primary);padding:0 14px}",
    ".send:disabled{opacity:.5;cursor:default}",
    "@media (max-width:600px){.panel{position:fixed;inset:0;width:100vw;height:100vh;height:100dvh;border-radius:0}",
    ":host([data-open]) .bubble{display:none}}",
  ].join("\n");
  var constructable = typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype;
  if (root.adoptedStyleSheets !== undefined && constructable) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(el("style", null, CSS));
  }

  var bubble = el("button", "bubble", "💬");
  bubble.type = "button";
  bubble.setAttribute("aria-label", "打开" + cfg.title);
  bubble.setAttribute("aria-expanded", "false");

  var panel = el("div", "panel");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", cfg.title);

  var header = el("header");
  var titleEl = el("span", "title", cfg.title);
  var topicEl = el("span", "topic");
  var resetBtn = el("button", "reset", "新对话");
  resetBtn.type = "button";
  resetBtn.title = "开始新的对话";
  var closeBtn = el("button", "close", "✕");
  closeBtn.type = "button";
  closeBtn.setAttribute("aria-label", "关闭");
  header.append(titleEl, topicEl, resetBtn, closeBtn);

  var log = el("div", "log");
  log.setAttribute("aria-live", "polite");
  var view = el("div", "view");
  view.hidden = true;

  var form = el("form");
  var input = el("textarea", "q");
  input.placeholder = "请输入您的问题，回车发送";
  input.maxLength = 2000;
  input.setAttribute("aria-label", "问题");
  var send = el("button", "send", "发送");
  send.type = "submit";
  form.append(input, send);

  panel.append(header, log, view, form);
  root.append(panel, bubble);

  // -- messages -----------------------------------------------------------------------------------------------

  function showTopic() {
    topicEl.textContent = state.context ? "主题：" + state.context : "";
    topicEl.hidden = !state.context;
  }

  function addUser(text) {
    log.appendChild(el("div", "msg user", text));
    log.scrollTop = log.scrollHeight;
  }

  function citationButton(c, n) {
    var b = el("button", "cite");
    b.type = "button";
    b.setAttribute("data-chunk-id", c.chunk_id || "");
    b.appendChild(el("span", "n", n + "."));
    b.appendChild(document.createTextNode("《" + (c.title || "") + "》" + (c.article || "")));
    if (c.version_date) b.appendChild(el("span", "date", "（" + c.version_date + "）"));
    if (c.status && c.status !== "in_force") b.appendChild(el("span", "old", "已失效"));
    b.addEventListener("click", function () { openArticle(c); });
    return b;
  }

  /** One answer bubble: rendered while it streams, then its citations, notice and feedback. */
  function BotMessage(question) {
    this.question = question;
    this.node = el("div", "msg bot");
    this.body = el("div", "body typing");
    this.node.appendChild(this.body);
    this.citations = [];
    this.text = "";
    this._pending = false;
    log.appendChild(this.node);
    log.scrollTop = log.scrollHeight;
  }

  BotMessage.prototype.onRef = function (n) {
    var c = this.citations[n - 1];
    if (c) openArticle(c);
  };

  BotMessage.prototype.append = function (piece) {
    this.text += piece;
    if (this._pending) return;
    this._pending = true;
    var self = this;
    // Re-render at most once a frame however fast deltas arrive.
    requestAnimationFrame(function () {
      self._pending = false;
      self.render(self.text);
    });
  };

  BotMessage.prototype.render = function (text) {
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    renderMarkdown(this.body, text, this.onRef.bind(this));
    if (atBottom) log.scrollTop = log.scrollHeight;
  };

  BotMessage.prototype.setCitations = function (citations) {
    this.citations = Array.isArray(citations) ? citations : [];
    var old = this.node.querySelector(".cites");
    if (old) old.remove();
    if (!this.citations.length) return;
    var ol = el("ol", "cites");
    ol.setAttribute("aria-label", "引用条文");
    this.citations.forEach(function (c, i) {
      var li = el("li");
      li.appendChild(citationButton(c, i + 1));
      ol.appendChild(li);
    });
    this.node.appendChild(ol);
  };

  BotMessage.prototype.finish = function (answer) {
    this.body.classList.remove("typing");
    this.text = answer.answer || this.text;
    this.render(this.text);
    this.setCitations(answer.citations);
    if (answer.abstained) this.node.classList.add("abstained");
    // An abstention names where to ask; say it once, even if the answer text already does.
    var repeated = answer.suggestion && this.text.indexOf(answer.suggestion) >= 0;
    var notes = [answer.notice, answer.abstained && !repeated ? answer.suggestion : null];
    notes.filter(Boolean).forEach(function (n) { this.node.appendChild(el("div", "notice", n)); }, this);
    this.node.appendChild(feedbackBar(this.question, this.text, answer.session_id));
    log.scrollTop = log.scrollHeight;
  };

  BotMessage.prototype.fail = function (message) {
    this.body.classList.remove("typing");
    this.node.classList.add("error");
    if (this.text) this.node.appendChild(el("div", "notice", message));
    else this.body.textContent = message;
  };

  function feedbackBar(question, answer, sessionId) {
    var bar = el("div", "feedback");
    bar.appendChild(el("span", null, "这个回答有帮助吗？"));
    var up = el("button", "up", "👍");
    var down = el("button", "down", "👎");
    [up, down].forEach(function (b) {
      b.type = "button";
      b.setAttribute("aria-pressed", "false");
    });
    up.setAttribute("aria-label", "有帮助");
    down.setAttribute("aria-label", "没有帮助");
    bar.append(up, down);
    var rating = null, box = null;

    function choose(r, button) {
      rating = r;
      up.setAttribute("aria-pressed", String(button === up));
      down.setAttribute("aria-pressed", String(button === down));
      if (box) return;
      box = el("div", "comment");
      box.style.width = "100%";
      var text = el("textarea");
      text.placeholder = "可选：说说哪里好或需要改进";
      text.maxLength = 2000;
      text.setAttribute("aria-label", "反馈意见");
      var submit = el("button", "submit", "提交反馈");
      submit.type = "button";
      submit.addEventListener("click", async function () {
        submit.disabled = true;
        try {
          var res = await postJSON("/v1/feedback", {
            rating: rating, session_id: sessionId || null, question: question,
            answer: answer.slice(0, 20000), comment: text.value.trim() || null,
          });
          if (!res.ok) throw await errorOf(res);
          bar.textContent = "";
          bar.appendChild(el("span", "thanks", "感谢您的反馈！"));
        } catch (e) {
          submit.disabled = false;
          submit.textContent = "重试提交";
          bar.appendChild(el("span", "notice", "反馈未能提交：" + (e.message || "网络错误")));
        }
      });
      box.append(text, submit);
      bar.appendChild(box);
    }

    up.addEventListener("click", function () { choose("up", up); });
    down.addEventListener("click", function () { choose("down", down); });
    return bar;
  }

  // -- the article view ---------------------------------------------------------------------------------------

  async function openArticle(citation) {
    view.textContent = "";
    var back = el("button", "back", "← 返回对话");
    back.type = "button";
    back.addEventListener("click", closeArticle);
    view.appendChild(back);
    var heading = el("h3", null, "《" + (citation.title || "") + "》" + (citation.article || ""));
    var meta = el("div", "meta", "正在加载条文…");
    var text = el("div", "text", citation.quote || "");
    view.append(heading, meta, text);
    log.hidden = true;
    form.hidden = true;
    view.hidden = false;
    back.focus();
    try {
      var res = await fetch(cfg.api + "/v1/articles/" + encodeURIComponent(citation.chunk_id), {
        headers: { "Accept": "application/json" }, credentials: "omit",
      });
      if (!res.ok) throw await errorOf(res);
      var a = await res.json();
      heading.textContent = "《" + a.title + "》" + (a.article || "");
      meta.textContent = [a.version_date ? a.version_date + " 版本" : null,
        a.status === "in_force" ? "现行有效" : "已被修订或废止", a.authority].filter(Boolean).join(" · ");
      text.textContent = a.text;
      if (a.versions && a.versions.length > 1) {
        var versions = el("div", "versions", "版本：");
        a.versions.forEach(function (v) {
          var label = (v.version_date || "日期不详") + (v.status === "in_force" ? "（现行）" : "（已修订）");
          versions.appendChild(el("div", null, label + (v.current ? " ← 本条所在版本" : "")));
        });
        view.appendChild(versions);
      }
    } catch (e) {
      meta.textContent = "未能加载全文（" + (e.message || "网络错误") + "），以下为引用摘录。";
    }
  }

  function closeArticle() {
    view.hidden = true;
    log.hidden = false;
    form.hidden = false;
    input.focus();
  }

  // -- asking -------------------------------------------------------------------------------------------------

  var busy = false;

  function streamRequest(question) {
    return postJSON("/v1/chat/stream", { question: question, session_id: state.session || null },
      { headers: { "Content-Type": "application/json", "Accept": "text/event-stream" } });
  }

  async function ask(question) {
    question = String(question || "").trim();
    if (!question || busy) return;
    busy = true;
    send.disabled = true;
    closeArticle();
    var first = !state.session;
    // A topic from the page or a QR link frames the first question of a conversation.
    var framed = first && state.context && question.indexOf(state.context) < 0;
    var sent = framed ? "关于" + state.context + "：" + question : question;
    addUser(question);
    state.messages.push({ role: "user", text: question });
    saveState();
    var bot = new BotMessage(question);
    var answer = null;
    try {
      var res = await streamRequest(sent);
      if (res.status === 404 && state.session) { // the session expired on the server: start a new one
        state.session = null;
        res = await streamRequest(sent);
      }
      if (!res.ok) throw await errorOf(res);
      await readEvents(res, function (ev) {
        if (ev.data === "[DONE]") return false;
        var data = JSON.parse(ev.data);
        if (ev.event === "delta") bot.append(data.text || "");
        else if (ev.event === "citations") bot.setCitations(data.citations);
        else if (ev.event === "done") answer = data;
        else if (ev.event === "error") throw new ApiError(data.code, data.message);
      });
      if (!answer) throw new ApiError("incomplete", "回答中断了，请重试。");
      bot.finish(answer);
      state.session = answer.session_id || state.session;
      state.messages.push({ role: "bot", answer: answer, question: question });
    } catch (e) {
      var message = e instanceof ApiError ? e.message : "暂时无法连接服务，请稍后再试。";
      bot.fail(message);
      state.messages.push({ role: "error", text: message });
    } finally {
      saveState();
      busy = false;
      send.disabled = false;
    }
  }

  function restore() {
    log.textContent = "";
    log.appendChild(el("div", "msg bot greeting", cfg.greeting));
    state.messages.forEach(function (m) {
      if (m.role === "user") addUser(m.text);
      else if (m.role === "bot" && m.answer) new BotMessage(m.question).finish(m.answer);
      else if (m.role === "error") new BotMessage("").fail(m.text);
    });
    showTopic();
  }

  // -- open / close -------------------------------------------------------------------------------------------

  function open() {
    panel.hidden = false;
    host.setAttribute("data-open", "");
    bubble.setAttribute("aria-expanded", "true");
    bubble.setAttribute("aria-label", "关闭" + cfg.title);
    input.focus();
    log.scrollTop = log.scrollHeight;
  }

  function close() {
    panel.hidden = true;
    host.removeAttribute("data-open");
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-label", "打开" + cfg.title);
    bubble.focus();
  }

  function reset() {
    state = { session: null, messages: [], context: cfg.context || null, asked: state.asked };
    saveState();
    restore();
  }

  bubble.addEventListener("click", function () { if (panel.hidden) open(); else close(); });
  closeBtn.addEventListener("click", close);
  resetBtn.addEventListener("click", reset);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { if (!view.hidden) closeArticle(); else close(); }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value;
    input.value = "";
    ask(q);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { // Enter sends; Shift+Enter and IME composing do not
      e.preventDefault();
      form.requestSubmit();
    }
  });

  function mount() {
    document.body.appendChild(host);
    restore();
    if (cfg.question && !cfg.autoAsk) input.value = cfg.question;
    if (cfg.open) open();
    // A QR link's question is asked once per tab, not again on every reload of the same URL.
    if (cfg.autoAsk && state.asked !== cfg.question) {
      state.asked = cfg.question;
      ask(cfg.question);
    }
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.HuiqiWidget = {
    version: VERSION,
    open: open,
    close: close,
    ask: function (q) { open(); return ask(q); },
    reset: reset,
  };
})();
