"""The LLM generator: numbered retrieved articles in the prompt, citations required, streamed token by token.

Prompt evaluation dominates a small local model's first-token time on a CPU, so the prompt is kept short:
- the instructions and a worked example are a constant prefix (llama.cpp reuses its KV cache for it);
- each article is shown by its label and the sentences most relevant to the question, under a shared budget
  of characters (``focus_articles``), not by its first few hundred characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from assistant.answers.evidence import ARTICLE_LABEL, Article, bigrams, sentences
from assistant.figures import asked_figures, states_figure
from assistant.errors import HuiqiError, LLMUnavailable
from assistant.tokenizer import Tokenizer

SYSTEM = (
    "你是惠企助手，只依据给出的条文回答企业的问题。"
    "用1到3句话直接回答，不要重复问题；尽量照抄条文中回答问题的原句，数字、金额、期限必须与条文一字不差，"
    "条文没有的不要写。每句话末尾用[编号]注明依据的条文，例如[2]。"
)
#: A worked example (invented, not from the corpus): it shows the 1.5B model the expected shape of an answer.
EXAMPLE_QUESTION = "材料交齐以后，多久能拿到审批决定？还能再拖吗？"
EXAMPLE_ARTICLES = (
    "[1]《示例审批办法》第二十条：本办法自公布之日起施行。\n"
    "[2]《示例审批办法》第八条：申请材料齐全、符合法定形式的，审批机关应当自受理之日起十个工作日内作出决定；"
    "情况复杂的，经负责人批准可以延长五个工作日。"
)
EXAMPLE_ANSWER = "审批机关应当自受理之日起十个工作日内作出决定[2]。情况复杂的，经负责人批准可以延长五个工作日[2]。"
NO_BASIS_REPLY = "未找到依据"

#: Articles the prompt shows (the first, in retrieval order): on qa_dev the third retrieved article held the
#: gold one for 3 of 84 questions, and dropping it leaves its budget to the first two.
PROMPT_ARTICLES = 2
#: Characters of article text the prompt shows in all (labels aside); each article shows at least its best
#: sentence, up to ``MIN_ARTICLE_CHARS``.
ARTICLE_BUDGET = 200
MIN_ARTICLE_CHARS = 40
GAP = "…"
#: Sentence relevance: shared words (chars), plus this when a sentence states the kind of figure asked,
#: divided by length**LENGTH_DAMPING (a long sentence shares more words by its length alone); the articles
#: after the first weigh less (retrieval order).
FIGURE_BONUS = 6.0
LENGTH_DAMPING = 0.3
RANK_WEIGHTS = (1.0, 0.6, 0.4)

_MARKER = re.compile(r"\[\d+\]")
_MARKER_NUMBER = re.compile(r"\[(\d+)\]")
_CONTENT = re.compile(r"[\w\u4e00-\u9fff]")
_TITLE_PREFIX = "中华人民共和国"
_MARKER_AFTER_STOP = re.compile(r"([。！？；])((?:\[\d+\])+)")
_SENTENCE = re.compile(r"([^。！？；\n]*)([。！？；\n]|$)")
#: Share of a reply sentence's character bigrams found in an article for the sentence to be attributed to it,
#: and share of a reply's bigrams found in the question for it to count as restating the question.
ATTRIBUTED = 0.5
RESTATED = 0.8
_tokenizer = Tokenizer()


def build_messages(question: str, articles: list[Article], sources: list[str] | None = None) -> list[BaseMessage]:
    """The prompt: a constant prefix (instructions, one example), then the focused articles and the question.

    ``sources``: ``prompt_sources(question, articles)`` when the caller already has them (it validates against them).
    """
    if sources is None:
        sources = prompt_sources(question, articles)
    return [
        SystemMessage(SYSTEM),
        HumanMessage(_body(EXAMPLE_ARTICLES, EXAMPLE_QUESTION)),
        AIMessage(EXAMPLE_ANSWER),
        HumanMessage(_body(_numbered(articles, sources), question)),
    ]


def prompt_sources(question: str, articles: list[Article]) -> list[str]:
    """The text of each numbered article exactly as the prompt shows it (what a citation may rest on)."""
    return focus_articles(question, articles[:PROMPT_ARTICLES])


def declined(text: str, question: str = "") -> bool:
    """Whether a reply gives no answer: it says there is no basis, is nothing but markers, or restates the question."""
    if NO_BASIS_REPLY in text and len(text) < 40:
        return True
    content = _MARKER.sub("", text)
    if len(_CONTENT.findall(content)) < 4:
        return True
    grams = bigrams(content)
    return len(grams) >= 12 and len(grams & bigrams(question)) >= RESTATED * len(grams)


def attribute(text: str, sources: list[str]) -> str:
    """The reply with each sentence's marker set to the article the sentence was taken from.

    A 1.5B model copies the right sentence but sometimes numbers it wrongly. A marker stands when its article
    holds at least ``ATTRIBUTED`` of the sentence's character bigrams (or as many as any article); otherwise,
    and for an unmarked sentence, the article holding the most (at least ``ATTRIBUTED``) is marked instead.
    Any other sentence keeps the model's markers as they are, so the validation still sees every number it
    must find in a cited text.
    """
    text = _MARKER_AFTER_STOP.sub(r"\2\1", text)
    source_grams = [bigrams(s) for s in sources]
    out = []
    for m in _SENTENCE.finditer(text):
        body, stop = m.group(1), m.group(2)
        own = [int(n) for n in _MARKER_NUMBER.findall(body)]
        content = _MARKER.sub("", body)
        grams = bigrams(content)
        if len(grams) >= 2 and source_grams:
            shares = [len(grams & g) / len(grams) for g in source_grams]
            best = max(range(len(shares)), key=lambda i: shares[i])
            if shares[best] >= ATTRIBUTED:
                keep = [n for n in own if 1 <= n <= len(shares)
                        and shares[n - 1] >= min(ATTRIBUTED, shares[best] - 0.05)]
                body = content.rstrip() + "".join(f"[{n}]" for n in (keep or [best + 1]))
        out.append(body + stop)
    return "".join(out)


def quoted_basis(articles: list[Article], cited: list[int]) -> str:
    """What follows a validated answer: the articles it cites, quoted whole, so the reader can check it."""
    lines = [f"[{n}] {articles[n - 1].label()}：{articles[n - 1].text}" for n in cited]
    return "\n\n依据：\n" + "\n".join(lines) if lines else ""


def _body(numbered: str, question: str) -> str:
    return f"条文：\n{numbered}\n\n问题：{question}"


def _numbered(articles: list[Article], texts: list[str]) -> str:
    lines = []
    for i, (a, text) in enumerate(zip(articles, texts), 1):
        title = a.chunk.title.removeprefix(_TITLE_PREFIX) or a.chunk.title
        lines.append(f"[{i}]《{title}》{a.chunk.article or ''}：{text}")
    return "\n".join(lines)


def focus_articles(question: str, articles: list[Article], budget: int = ARTICLE_BUDGET,
                   floor: int = MIN_ARTICLE_CHARS) -> list[str]:
    """Each article's sentences (。；) most relevant to ``question``, in article order, under a shared budget.

    Relevance is the shared jieba words (longer words weigh more, see ``_score``); when the question asks
    for a figure (a period, an amount, a rate), sentences stating one of that kind come first. Every article
    keeps its best sentence (cut to ``floor`` characters); the budget then goes to the best sentences overall,
    and what is left to the other sentences in order (a short article is shown whole). Gaps show as "…".
    """
    words = set(_tokenizer(question))
    kinds = asked_figures(question)
    units = [_units(a.text) for a in articles]
    weights = [RANK_WEIGHTS[min(i, len(RANK_WEIGHTS) - 1)] for i in range(len(articles))]
    scores = [[_score(u, words, kinds, question) * w for u in us] for us, w in zip(units, weights)]
    chosen: list[dict[int, str]] = [{} for _ in articles]
    used = 0
    for i, us in enumerate(units):  # every article's best sentence first
        if us:
            best = max(range(len(us)), key=lambda j: (scores[i][j], -j))
            chosen[i][best] = _cut(us[best], floor)
            used += len(chosen[i][best])
    ranked = sorted(((s, i, j) for i, ss in enumerate(scores) for j, s in enumerate(ss) if s > 0),
                    key=lambda t: (-t[0], t[1], t[2]))
    for _, i, j in ranked:
        if j in chosen[i]:
            if len(chosen[i][j]) < len(units[i][j]) and used + len(units[i][j]) - len(chosen[i][j]) <= budget:
                used += len(units[i][j]) - len(chosen[i][j])
                chosen[i][j] = units[i][j]  # a best sentence cut to the floor, shown whole when it fits
            continue
        if used + len(units[i][j]) <= budget:
            chosen[i][j] = units[i][j]
            used += len(units[i][j])
    for i, us in enumerate(units):  # budget left: the other sentences, in order
        for j, u in enumerate(us):
            if j not in chosen[i] and used + len(u) <= budget:
                chosen[i][j] = u
                used += len(u)
    return [_join(us, chosen[i]) for i, us in enumerate(units)]


def _units(text: str) -> list[str]:
    """An article's sentences and clauses (split at 。；！？ and line ends), its own label stripped."""
    units = (ARTICLE_LABEL.sub("", s) for s in sentences(ARTICLE_LABEL.sub("", text.strip())))
    return [u for u in units if u]


def _score(unit: str, words: set[str], kinds: list[str], question: str) -> float:
    shared = words & set(_tokenizer(unit))
    score = float(sum(len(w) for w in shared))
    if score and any(states_figure(unit, k, question) for k in kinds):
        score += FIGURE_BONUS
    return score / (len(unit) ** LENGTH_DAMPING)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + GAP


def _join(units: list[str], chosen: dict[int, str]) -> str:
    """The chosen sentences in article order, "…" wherever sentences were skipped."""
    parts: list[str] = []
    last = -1
    for j in sorted(chosen):
        if j > last + 1 and not (parts and parts[-1].endswith(GAP)):
            parts.append(GAP)
        parts.append(chosen[j])
        last = j
    if last < len(units) - 1 and not (parts and parts[-1].endswith(GAP)):
        parts.append(GAP)
    return "".join(parts)


def stream_tokens(chat_model: Any, messages: list[BaseMessage]) -> Iterator[str]:
    """The model's reply piece by piece; any backend failure becomes LLMUnavailable."""
    try:
        for chunk in chat_model.stream(messages):
            piece = chunk.content if isinstance(chunk.content, str) else ""
            if piece:
                yield piece
    except HuiqiError:
        raise
    except Exception as err:  # a backend's own error type (httpx, openai, llama.cpp): one error with a home
        raise LLMUnavailable(f"the chat model failed: {err}") from err
