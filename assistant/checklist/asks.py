"""What a request says about how many matters it asks for: counts (这两项) and named items (起名和登记)."""

from __future__ import annotations

import re
from typing import Protocol

from assistant.checklist.text import bigrams, formalise

_NUMBERS = {"两": 2, "二": 2, "俩": 2, "三": 3, "四": 4, "2": 2, "3": 3, "4": 4}

#: A count of things to apply for: 两方面, 这两项, 三件事, 两步, 两张证, 两个许可 (not 两个孩子, 两台车).
_COUNT = re.compile(
    r"([两二俩三四234])\s*(?:方面|项|件事|件手续|步|张证|个证|本证|张许可证|个许可|个审批|个手续|个事项|种手续)"
)
#: "Several", no number: 几件事, 这几项, 几个证.
_SEVERAL = re.compile(r"几(?:方面|项|件事|件手续|步|张证|个证|个许可|个审批|个手续|个事项|种手续)")

#: A question asked of the administration: what to file, how to apply.
_QUESTION = re.compile(r"什么|哪些|哪几|怎么|如何|怎样|吗")
#: Where the named items of a question end: the verb or cue that asks about them.
_ASK_VERB = re.compile(r"分别|各自|各要|[两几]方面|这两|这几|都要|需要|要|应该|该|怎么|如何|怎样|需|办理|申请|准备|报批")
#: Words joining the items of one question (起名和正式登记, 用海、水上施工和航标).
_JOIN = re.compile(r"、|和|以及|还有")
#: A clause that continues an enumeration begun in the clause before it (…，还有航道那边的审批).
_CONTINUES = re.compile(r"^(?:还有|以及|和|另外还有)")
#: A range of steps (从起名到正式登记): its two ends are two items.
_RANGE = re.compile(r"^从(.{2,}?)到(.{2,})$")
#: Words of an item that name no particular matter (取水审批 → 取水, 航道那边的审批 → 航道).
_GENERIC = re.compile(r"审批|许可证|许可|申请|手续|这边|那边|这块|方面|部门|相关|的")

#: An item is named by a matter whose name echoes this share of the item's bigrams.
ITEM_ECHO = 0.5
#: A request that states how many matters it needs gets a further one down to this probability.
COUNT_FLOOR = 0.25


def requested_count(request: str, items: list[str] | None = None) -> tuple[int, bool] | None:
    """(number of matters, exact) the request states or names; None when it says nothing about it.

    ``exact`` is False for "several" (几件事) and for named items, which give a lower bound only.
    ``items``: ``asked_items(request)`` when the caller already has them.
    """
    m = _COUNT.search(request)
    if m:
        return _NUMBERS[m.group(1)], True
    if items is None:
        items = asked_items(request)
    if len(items) >= 2:
        return len(items), False
    if _SEVERAL.search(request):
        return 2, False
    return None


def asked_items(request: str) -> list[str]:
    """The things a question names side by side before asking about them: ["起名", "正式登记"]."""
    for sentence in reversed([s for s in re.split(r"[。？?！!；;\n]+", request) if s.strip()]):
        clauses = [c.strip() for c in re.split(r"[，,]", sentence) if c.strip()]
        asking = [i for i, c in enumerate(clauses) if _QUESTION.search(c)]
        if not asking:
            continue
        q = asking[-1]
        pieces = [_ASK_VERB.split(clauses[q], maxsplit=1)[0]]
        j = q
        # a question that opens with its verb (分别要交什么) asks about the clause before it
        if not pieces[0].strip() and j > 0:
            j -= 1
            pieces.insert(0, _ASK_VERB.split(clauses[j], maxsplit=1)[0] if not _CONTINUES.match(clauses[j]) else clauses[j])
        # an enumeration running over several clauses (A、B，还有C)
        while j > 0 and _CONTINUES.match(clauses[j]):
            j -= 1
            pieces.insert(0, clauses[j])
        items = [p.strip("的 ") for piece in pieces for p in _JOIN.split(piece)]
        items = [p for p in items if len(p) >= 2]
        if len(items) == 1 and (m := _RANGE.match(items[0])):
            items = [m.group(1), m.group(2)]
        return items
    return []


class _Named(Protocol):
    title: str


class Candidate(Protocol):
    """What ``fit_to_asks`` reads of a matter candidate (``selector.MatterCandidate``)."""

    guide: _Named
    score: float
    probability: float


def item_echo(item: str, title: str) -> float:
    """Share of an item's specific bigrams (formal terms, without generic words) found in a matter's name."""
    grams = bigrams(formalise(_GENERIC.sub(" ", item)))
    return len(grams & bigrams(title)) / len(grams) if grams else 0.0


def fit_to_asks(
    request: str, chosen: list[Candidate], rest: list[Candidate]
) -> tuple[list[Candidate], list[Candidate]]:
    """Chosen matters adjusted to what the request asks: one matter for each item it names, as many as it counts.

    ``chosen[0]`` (the best matter) always stays. A further matter naming an item is added; when the
    request states the number of matters (这两项) or every item it names has its matter, matters beyond
    that number are dropped, least probable first; when it states more than were chosen, the most
    probable others are added down to ``COUNT_FLOOR``.
    """
    named = asked_items(request)
    items = named if len(named) >= 2 else []  # one item is the request's single ask, already the best matter
    naming: list[Candidate] = []
    for item in items:
        best = max(chosen + rest, key=lambda c: (item_echo(item, c.guide.title), c.score))
        if item_echo(item, best.guide.title) >= ITEM_ECHO and best not in naming:
            naming.append(best)
    chosen = list(chosen)
    rest = [c for c in rest if c not in naming]
    chosen += [c for c in naming if c not in chosen]
    count = requested_count(request, named)
    if items and len(naming) == len(items):
        count = (len(items), True)
    if count is None:
        return chosen, rest
    n, exact = count
    if exact and len(chosen) > n:
        keep = {id(chosen[0])} | {id(c) for c in naming}
        droppable = sorted((c for c in chosen if id(c) not in keep), key=lambda c: c.probability)
        while len(chosen) > max(n, len(keep)) and droppable:
            drop = droppable.pop(0)
            chosen.remove(drop)
            rest.append(drop)
    for cand in sorted(rest, key=lambda c: -c.probability):
        if len(chosen) >= n or cand.probability < COUNT_FLOOR:
            break
        chosen.append(cand)
        rest.remove(cand)
    return chosen, rest
