"""Small documents in the real law-file format, written by the tests (no real text copied)."""

from __future__ import annotations

from pathlib import Path


def law_text(title: str, articles: list[str], promulgation: str = "2020年1月1日 示例机关公布") -> str:
    """A law file: '# title', promulgation lines, INFO END marker, a chapter and one article a paragraph."""
    body = "\n\n".join(articles)
    return f"# {title}\n\n{promulgation}\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n{body}\n"


def write_law(folder: Path, title: str, date: str, articles: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{title}({date}).md"
    p.write_text(law_text(title, articles), encoding="utf-8")
    return p
