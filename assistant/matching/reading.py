"""Policy documents as the ingested corpus holds them: live policy chunks, regrouped per document.

Chunks carry the text but not the front matter a policy's author wrote (申报期, 兑现部门, 金额);
those are read back from the ingested file when it is still on disk, else left to the text extractor.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.documents import Chunk
from assistant.errors import HuiqiError
from assistant.index import CorpusIndex

log = logging.getLogger("huiqi.matching")


@dataclass
class PolicyDocument:
    """One in-force policy document: its metadata, front matter (may be empty) and body lines."""

    source: str
    title: str
    version_date: str | None
    region: str | None
    authority: str | None
    lines: list[str]
    meta: dict[str, Any] = field(default_factory=dict)


def policy_documents(index: CorpusIndex) -> list[PolicyDocument]:
    """Every in-force document of type policy in the live snapshot, in source order."""
    snap = index.snapshot()
    by_source: dict[str, list[Chunk]] = {}
    for chunk in snap.chunks:
        if chunk.doc_type == "policy" and chunk.status == "in_force":
            by_source.setdefault(chunk.source, []).append(chunk)
    docs = []
    for source in sorted(by_source):
        chunks = sorted(by_source[source], key=lambda c: c.position)
        first = chunks[0]
        meta = _front_matter(index, source)
        docs.append(PolicyDocument(
            source=source, title=first.title, version_date=first.version_date, region=meta.get("region") or first.region,
            authority=first.authority, lines=_lines(chunks), meta=meta,
        ))
    return docs


def _lines(chunks: list[Chunk]) -> list[str]:
    out: list[str] = []
    for c in chunks:
        for line in c.text.splitlines():
            line = line.strip()
            # a long section split in parts repeats its heading as "heading（续）" on each later part
            if line and not (c.part > 1 and line == f"{c.article}（续）"):
                out.append(line)
    return out


def _front_matter(index: CorpusIndex, source: str) -> dict[str, Any]:
    """The front matter of the ingested file, or {} when the file is gone or has none."""
    from ingest.loaders.frontmatter import split_front_matter

    entry = index.manifest.file(source)
    if entry is None or not entry.root:
        return {}
    path = Path(entry.root) / source
    if path.suffix.lower() != ".md" or not path.is_file():
        return {}
    try:
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry.file_hash:
            return {}  # edited since it was ingested: its metadata may not match the chunks
        front, _ = split_front_matter(raw.decode("utf-8"), source)
    except (OSError, UnicodeDecodeError, HuiqiError) as e:  # the text still matches; only the metadata is lost
        log.warning("front matter of %s unreadable: %s", source, e)
        return {}
    if front is None:
        return {}
    meta = dict(front.meta)
    if front.region:
        meta["region"] = front.region  # the loader normalises regions to provinces; matching needs the county
    return meta
