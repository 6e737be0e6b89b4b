"""Version grouping: documents with one title and several dates; the newest is in force."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REPLACEMENTS = Path(__file__).resolve().parents[1] / "assistant" / "data" / "replacements.yaml"

_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "【": "(", "】": ")"})


def title_key(title: str) -> str:
    """The identity of a document across versions: its title without spaces, prefix and edition note."""
    t = re.sub(r"\s+", "", title).translate(_BRACKETS)
    t = re.sub(r"^中华人民共和国", "", t)
    # "(2018年修正)", "(2020修订)", "(试行)" stay part of the title only when they are not a revision note.
    t = re.sub(r"\((\d{4}年?)?(修正|修订|修改|第[一二三四五六七八九十]+次修正)(文本|本)?\)$", "", t)
    return t


@dataclass(frozen=True)
class Replacement:
    repealed: str
    replaced_by: str
    basis: str = ""


def load_replacements(extra: Path | None = None) -> list[Replacement]:
    """Repeal-and-replace pairs (废止并替代): the packaged ones plus a deployment's own file."""
    return [Replacement(**r) for r in _entries("replacements", extra)]


def _entries(section: str, extra: Path | None) -> list[dict]:
    """One section's entries of the packaged replacements file, then of a deployment's own."""
    out: list[dict] = []
    for path in (REPLACEMENTS, extra):
        if path is not None:
            out.extend((yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get(section, []))
    return out


@dataclass(frozen=True)
class SupersededArticle:
    """One article of a document in force that a later or higher rule has overridden (新法优于旧法, 上位法优于下位法):
    the document stays in force, this article no longer applies."""

    document: str
    article: str
    by: str
    by_article: str = ""
    basis: str = ""


def load_superseded_articles(extra: Path | None = None) -> list[SupersededArticle]:
    """Articles overridden by another document's article: the packaged ones plus a deployment's own file."""
    return [SupersededArticle(**a) for a in _entries("superseded_articles", extra)]


def in_effect(articles: list[SupersededArticle], titles: set[str]) -> list[SupersededArticle]:
    """The overrides whose overriding document is among ``titles`` (title keys of the store): without it, the
    older rule is the only one there is (like a repealed document without the one replacing it)."""
    return [a for a in articles if title_key(a.by) in titles]


def decide_status(
    versions: list[tuple[str, str | None, str | None]],
    replaced: bool = False,
) -> dict[str, str]:
    """Status per source for one title group of (source, version_date, status_override).

    The newest dated version is ``in_force`` and older ones ``superseded``; an explicit override
    wins; when the whole title was replaced by another document, every version is superseded.
    """
    out: dict[str, str] = {}
    dated = [v for v in versions if v[1]]
    newest = max((v[1] for v in dated), default=None)
    for source, date, override in versions:
        if override in ("in_force", "superseded"):
            out[source] = override
        elif replaced:
            out[source] = "superseded"
        elif newest is None or date is None or date == newest:
            out[source] = "in_force"
        else:
            out[source] = "superseded"
    return out
