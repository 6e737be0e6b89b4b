"""Compound questions: one search per sub-question, so each part's article reaches the answer.

"这属于什么违法行为？真被查处的话，罚款大概在什么范围？" asks for two articles (the prohibition and the
penalty); one search over the whole text finds the first and buries the second. Each later part is
searched with the first part before it (it names the topic: "真被查处的话" alone names nothing).
"""

from __future__ import annotations

import re

from assistant.answers.evidence import article_key
from assistant.documents import Hit

_PART_END = re.compile(r"(?<=[？?])")
MIN_PART_CHARS = 6
MAX_PARTS = 3


def question_parts(question: str) -> list[str]:
    """The sub-questions to search for: empty unless ``question`` asks two or more things."""
    parts = [p.strip() for p in _PART_END.split(question) if len(p.strip()) >= MIN_PART_CHARS]
    if len(parts) < 2:
        return []
    parts = parts[:MAX_PARTS]
    return [parts[0]] + [f"{parts[0]}{p}" for p in parts[1:]]


def merge_hits(lists: list[list[Hit]]) -> list[Hit]:
    """The best hit of every list first (in list order), then the rest of each list; each article once."""
    out: list[Hit] = []
    seen: set[tuple[str, str]] = set()

    def add(h: Hit) -> None:
        key = article_key(h.chunk)
        if key not in seen:
            seen.add(key)
            out.append(h)

    for hits in lists:
        if hits:
            add(hits[0])
    for hits in lists:
        for h in hits:
            add(h)
    return out
