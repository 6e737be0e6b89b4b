"""Real law files from ../shared/corpus/laws, read at test time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.documents import SourceDocument

LAWS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "laws"
GUIDES = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "service-guides" / "guangdong.jsonl"

#: Written independently of assistant.articles, so the tests do not grade the code with itself.
ARTICLE_LINE = re.compile(r"第[零〇一二两三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?[ \u3000]")
CIVIL_CODE_BOOKS = ["总则", "物权编", "合同编", "人格权编", "婚姻家庭编", "继承编", "侵权责任编", "附则"]


def law_path(relative: str) -> Path:
    path = LAWS / relative
    if not path.exists():
        pytest.skip(f"real corpus not found: {path}")
    return path


def law_doc(relative: str, *, strip_header: bool = False) -> SourceDocument:
    """A law file as a SourceDocument; with ``strip_header`` the way a loader that cuts the header gives it."""
    text = law_path(relative).read_text(encoding="utf-8")
    title = text.splitlines()[0].lstrip("# ").strip()
    if strip_header:
        text = text.split("<!-- INFO END -->", 1)[1]
    m = re.search(r"\((\d{4}-\d{2}-\d{2})\)\.md$", relative)
    return SourceDocument(
        source=relative, title=title, doc_type="law", text=text, version_date=m.group(1) if m else None
    )


def source_lines(relative: str) -> list[str]:
    """The body's non-empty lines, trimmed, as they stand in the file."""
    body = law_path(relative).read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[1]
    return [s for s in (line.strip().strip("\u200b").strip() for line in body.splitlines()) if s]


def source_articles(relative: str) -> dict[str, list[str]]:
    """label → the paragraphs of that article, read straight from the file (a heading ends an article)."""
    articles: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in source_lines(relative):
        if line.startswith("#"):
            current = None
        elif ARTICLE_LINE.match(line):
            current = [line]
            articles[line.split()[0]] = current
        elif current is not None:
            current.append(line)
    return articles
