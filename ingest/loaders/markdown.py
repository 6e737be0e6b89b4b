"""Markdown: laws in the corpus format, our own policies with front matter, or plain text."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from assistant.documents import SourceDocument
from ingest.encoding import read_text_with_encoding
from ingest.loaders.files import date_from_name, source_of, title_from_name
from ingest.loaders.frontmatter import FrontMatter, split_front_matter
from ingest.loaders.law import authority_from_folders, law_region, looks_like_law, split_law
from ingest.loaders.regions import normalize_region

_H1 = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$", re.M)


def load(path: Path, root: Path) -> list[SourceDocument]:
    """One document from a .md file; front matter wins over what the text suggests."""
    source = source_of(path, root)
    decoded = read_text_with_encoding(path, root)
    front, body = split_front_matter(decoded.text, source)
    wants_law = front is not None and front.doc_type == "law"
    if wants_law or (looks_like_law(body) and (front is None or front.doc_type is None)):
        doc = _law_document(path, source, body)
    else:
        doc = _prose_document(path, source, body)
    doc.meta["encoding"] = decoded.encoding
    if front is not None:
        _apply(front, doc)
    return [doc]


def _law_document(path: Path, source: str, body: str) -> SourceDocument:
    header, text = split_law(body)
    relative = PurePosixPath(source)
    title = header.title or title_from_name(path)
    meta: dict[str, object] = {"promulgation": header.promulgation}
    if header.part:
        # 民法典 is one code split into files by 编: keep them apart but say whose part they are
        meta["work"] = title
        meta["part"] = header.part
        title = f"{title}·{header.part}"
    if header.effective_date:
        meta["effective_date"] = header.effective_date
    authority = header.authority or authority_from_folders(relative)
    return SourceDocument(
        source=source,
        title=title,
        doc_type="law",
        text=text,
        version_date=date_from_name(path) or header.version_date,
        authority=authority,
        region=law_region(relative, title, authority),
        meta=meta,
    )


def _prose_document(path: Path, source: str, body: str) -> SourceDocument:
    text = body.strip()
    match = _H1.search(text)
    title = title_from_name(path)
    if match and not text[: match.start()].strip():
        # the leading `# ` heading is the title; the body starts below it
        title = match.group("title").strip()
        text = text[match.end() :].strip()
    return SourceDocument(source=source, title=title, doc_type="text", text=text)


def _apply(front: FrontMatter, doc: SourceDocument) -> None:
    """Front matter is the author's word: it overrides every guess."""
    if front.title:
        doc.title = front.title
    if front.doc_type:
        doc.doc_type = front.doc_type  # type: ignore[assignment]  # validated in frontmatter
    if front.version_date:
        doc.version_date = front.version_date
    if front.authority:
        doc.authority = front.authority
    if front.region is not None:
        doc.region = normalize_region(front.region)
        if doc.region not in (None, front.region):
            doc.meta["locality"] = front.region  # 浙江省示例县: region keeps the province
    if front.status:
        doc.status = front.status  # type: ignore[assignment]
    doc.meta.update(front.meta)
