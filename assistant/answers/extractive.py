"""The extractive generator (no LLM): a lead sentence from the best article, the quoted articles, 出处 lines."""

from __future__ import annotations

from assistant.answers.evidence import Article, best_sentence, figure_sentence
from assistant.figures import asked_figures
from assistant.answers.models import Citation

NO_BASIS = "未在已收录的法规政策中找到能直接回答该问题的依据。"


def citation_of(article: Article) -> Citation:
    return Citation.from_hit(article.hit, quote=article.text)


def source_line(i: int, c: Citation) -> str:
    date = f"（{c.version_date}版）" if c.version_date else ""
    return f"[{i}] 《{c.title}》{date}{c.article}"


def lead_sentence(question: str, articles: list[Article]) -> tuple[int, str]:
    """The sentence that answers first, and the index of its article.

    A question asking for a figure (期限, 比例, 金额 …) is answered by the first article, in retrieval order,
    that states such a figure about the question's subject; any other by the best article's closest sentence.
    """
    kinds = asked_figures(question)
    for i, a in enumerate(articles if kinds else []):
        lead = figure_sentence(question, a.text, kinds)
        if lead:
            return i, lead
    return 0, best_sentence(question, articles[0].text) or articles[0].text


def extractive_answer(question: str, articles: list[Article]) -> tuple[str, list[Citation]]:
    """Deterministic answer text and its citations: nothing is said that the quoted articles do not say."""
    citations = [citation_of(a) for a in articles]
    n, lead = lead_sentence(question, articles)
    parts = [f"根据{articles[n].label()}：{lead}[{n + 1}]", "", "相关条文："]
    for i, a in enumerate(articles, 1):
        parts.append(f"[{i}] {a.label()}：{a.text}")
    parts += ["", "出处："]
    parts += [source_line(i, c) for i, c in enumerate(citations, 1)]
    return "\n".join(parts), citations


def abstention_text(suggestion: str) -> str:
    return f"{NO_BASIS}{suggestion}"
