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

    ``lists[0]`` is the whole question's list, ``lists[1]`` the first part's, each later list a later part's.
    The whole question and the first part offer their best new hit. A later part offers, among its first
    ``NEW_BEST_WITHIN`` articles not already taken, the one it lifts most above where the first part ranks it:
    the article that part asks for, not a neighbour of the first part's article (each later part carries the
    first part's topic, so the first part's neighbours crowd its list).
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

    first_part = lists[1] if len(lists) > 2 else []
    first_rank: dict[tuple[str, str], int] = {}
    for rank, h in enumerate(first_part):
        first_rank.setdefault(article_key(h.chunk), rank)
    for i, hits in enumerate(lists):
        fresh = [(rank, h) for rank, h in enumerate(hits) if article_key(h.chunk) not in seen][:NEW_BEST_WITHIN]
        if not fresh:
            continue
        if i <= 1:
            add(fresh[0][1])
            continue
        lift = {id(h): first_rank.get(article_key(h.chunk), len(first_part)) - rank for rank, h in fresh}
        add(max(fresh, key=lambda t: (lift[id(t[1])], -t[0]))[1])
    for hits in lists:
        for h in hits:
            add(h)
    return out
