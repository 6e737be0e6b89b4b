"""Versions in answers: notice when a question names a superseded document and point to the one in force."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.articles import normalize_article
from assistant.documents import Chunk
from ingest.versions import SupersededArticle, in_effect, load_replacements, load_superseded_articles, title_key

_YEAR = re.compile(r"(19|20)\d{2}")


@dataclass
class DocumentVersion:
    title: str
    source: str
    version_date: str | None
    status: str


@dataclass
class VersionGuide:
    """The documents of the live corpus grouped by title across versions, plus 废止并替代 pairs."""

    groups: dict[str, list[DocumentVersion]] = field(default_factory=dict)
    replaced: dict[str, tuple[str, str]] = field(default_factory=dict)  # repealed key → (replaced_by title, basis)
    #: (title key, article) of an overriding article → the articles it overrides
    overrides: dict[tuple[str, str], list[SupersededArticle]] = field(default_factory=dict)

    @classmethod
    def from_chunks(cls, chunks: list[Chunk], replacements_file: Path | None = None) -> VersionGuide:
        groups: dict[str, dict[str, DocumentVersion]] = {}
        for c in chunks:
            docs = groups.setdefault(title_key(c.title), {})
            if c.source not in docs:
                docs[c.source] = DocumentVersion(c.title, c.source, c.version_date, c.status)
        guide = cls({k: sorted(v.values(), key=lambda d: d.version_date or "") for k, v in groups.items()})
        for r in load_replacements(replacements_file):
            guide.replaced[title_key(r.repealed)] = (r.replaced_by, r.basis)
        for a in in_effect(load_superseded_articles(replacements_file), set(guide.groups)):
            if a.by_article:
                guide.overrides.setdefault((title_key(a.by), normalize_article(a.by_article)), []).append(a)
        return guide

    def override_notice(self, cited: list[tuple[str, str]]) -> str | None:
        """A note for each cited article (title, article) that overrides an article of another document still in
        force: those who know the older rule (先注销再重新登记) learn why the answer differs from it."""
        notes = []
        for title, article in dict.fromkeys(cited):
            for a in self.overrides.get((title_key(title), normalize_article(article) if article else ""), []):
                note = f"《{a.document}》{a.article}的规定已不再适用，以《{a.by}》{a.by_article}为准"
                notes.append(note + (f"：{a.basis}。" if a.basis else "。"))
        return " ".join(notes) or None

    def in_force(self, key: str) -> DocumentVersion | None:
        return next((d for d in reversed(self.groups.get(key, [])) if d.status == "in_force"), None)

    def replacement_sources(self, question: str) -> set[str]:
        """Sources in force of the documents that replaced a repealed title the question names."""
        out: set[str] = set()
        for key, (replaced_by, _) in self.replaced.items():
            if _names(question, key):
                doc = self.in_force(title_key(replaced_by))
                if doc is not None:
                    out.add(doc.source)
        return out

    def notice(self, question: str, cited_sources: list[str]) -> str | None:
        """A note on versions: a repealed or superseded document the question names, or the version an answer uses."""
        notes: list[str] = []
        for key, (replaced_by, basis) in self.replaced.items():
            if _names(question, key) and not _names(question, title_key(replaced_by)):
                current = self.in_force(title_key(replaced_by))
                since = f"（{current.version_date}版本）" if current and current.version_date else ""
                note = f"《{key}》已废止，现行有效的是《{replaced_by}》{since}"
                notes.append(note + (f"，依据：{basis}。" if basis else "。"))
        years = set(m.group(0) for m in _YEAR.finditer(question))
        for key, docs in self.groups.items():
            if len(docs) < 2 or key in self.replaced or not _names(question, key):
                continue
            current = self.in_force(key)
            old = [d for d in docs if d.status == "superseded" and d.version_date and d.version_date[:4] in years]
            if current is not None and old:
                notes.append(
                    f"您提到的《{old[-1].title}》{old[-1].version_date}版本已被修订，"
                    f"现行有效的是{current.version_date}版本，以下依据现行版本回答。"
                )
        if not notes:
            for source in dict.fromkeys(cited_sources):
                key = next((k for k, docs in self.groups.items() if any(d.source == source for d in docs)), None)
                docs = self.groups.get(key or "", [])
                old = [d for d in docs if d.status == "superseded" and d.source != source]
                current = next((d for d in docs if d.source == source), None)
                if old and current is not None:
                    dates = "、".join(d.version_date or "?" for d in old)
                    notes.append(
                        f"《{current.title}》另有{dates}旧版本已失效，本回答依据现行{current.version_date}版本。"
                    )
        return " ".join(notes) or None


def _names(question: str, key: str) -> bool:
    """Whether the question names the document (by its title key, the 中华人民共和国 prefix optional)."""
    q = re.sub(r"\s+", "", question).replace("中华人民共和国", "")
    return bool(key) and key in q
