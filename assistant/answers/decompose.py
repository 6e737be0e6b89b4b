"""Compound questions: one search per sub-question, so each part's article reaches the answer.

"这属于什么违法行为？真被查处的话，罚款大概在什么范围？" asks for two articles (the prohibition and the
penalty); one search over the whole text finds the first and buries the second. Each later part is
searched with the first part's topic before it ("真被查处的话" alone names nothing), the first part's own
asking words left out so that they do not pull the search back to the first part's article.
"""

from __future__ import annotations

import re

from assistant.answers.evidence import article_key
from assistant.documents import Hit

_PART_END = re.compile(r"(?<=[？?])")
MIN_PART_CHARS = 6
MAX_PARTS = 3
#: How the first part asks (not what it is about); dropped from the topic that later parts carry.
_ASKING = re.compile(r"多少天?|多长时间|多久|几[天年个]|什么|怎么办?|怎样|如何|哪些|哪个|吗|呢|能不能|可不可以|是不是"
                     r"|是否|需要|要|请问|我们|公司|[？?，,。]")
#: Each part's list offers its best article not already taken from among its first few hits.
NEW_BEST_WITHIN = 3


def question_parts(question: str) -> list[str]:
    """The sub-questions to search for: empty unless ``question`` asks two or more things."""
    parts = [p.strip() for p in _PART_END.split(question) if len(p.strip()) >= MIN_PART_CHARS]
    if len(parts) < 2:
        return []
    parts = parts[:MAX_PARTS]
    topic = re.sub(r"\s+", " ", _ASKING.sub(" ", parts[0])).strip()
    return [parts[0]] + [f"{topic} {p}" for p in parts[1:]]


def merge_hits(lists: list[list[Hit]]) -> list[Hit]:
    """Every list's best new hit first (in list order), then the rest of each list; each article once.

    "New": a part whose top hit another list already gave offers its next one (within its first
    ``NEW_BEST_WITHIN``), so a second part's article is not crowded out by the first part's.
    """
    out: list[Hit] = []
    seen: set[tuple[str, str]] = set()

    def add(h: Hit) -> bool:
        key = article_key(h.chunk)
        if key in seen:
            return False
        seen.add(key)
        out.append(h)
        return True

    for hits in lists:
        for h in hits[:NEW_BEST_WITHIN]:
            if add(h):
                break
    for hits in lists:
        for h in hits:
            add(h)
    return out
