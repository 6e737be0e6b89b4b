"""Material lists enumerated in regulation articles (应当提交下列材料：（一）…（二）…) as structured materials."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.checklist.checklist import Citation
from assistant.checklist.guide import Material

#: The sentence that opens a list of materials.
_INTRO = re.compile(
    r"(?P<purpose>[^。；;：:]*?)(?:，|,)?\s*(?:[^。；;，,：:]{0,20}?)"
    r"(?:提交|提供|报送|递交|附具|出具)(?:(?:如下|下列|以下)(?:申请)?(?:材料|文件|资料|证明文件|申请材料)|(?:的)?(?:材料|文件)包括)"
    r"[^。：:]{0,80}[：:]"
)
#: One enumerated item: （一）… up to the next item or the end of the paragraph.
_ITEM = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[)）]\s*(.+?)(?=[（(][一二三四五六七八九十]{1,3}[)）]|$)", re.S)
#: Where an item's name ends and its explanation starts.
_NOTE_SPLIT = re.compile(r"[，,：:]\s*(?=(?:主要内容|内容|包括|应当|并|须|需|载明|其中|注明))")
_CATCH_ALL = re.compile(r"^(?:法律|法规|规章|国务院|其他).{0,20}(?:规定|要求).{0,10}(?:其他)?(?:材料|文件)")


@dataclass
class ArticleMaterials:
    """The materials one article asks for, with the article as their basis."""

    purpose: str  # what they are for, e.g. 申请向省外转移危险废物
    materials: list[Material]
    citation: Citation
    catch_all: list[str] = field(default_factory=list)  # "法律、法规规定的其他材料" items


def extract_materials(text: str, article: str = "", title: str = "", source: str = "") -> list[ArticleMaterials]:
    """Every material list of one article (its text with paragraphs, its label 第X条 and the law's title)."""
    out = []
    for intro in _INTRO.finditer(text):
        body = text[intro.end() :]
        items = _items(body) or _inline_items(body)
        if not items:
            continue
        materials, catch_all = [], []
        for raw in items:
            if _CATCH_ALL.match(raw):
                catch_all.append(raw)
            else:
                materials.append(_material(raw))
        purpose = _purpose(intro.group("purpose"), article)
        out.append(ArticleMaterials(purpose, materials, Citation(source or title, title, article), catch_all))
    return out


def _items(body: str) -> list[str]:
    """Consecutive enumerated items right after the intro; stops at the first unnumbered paragraph."""
    items: list[str] = []
    expected = 1
    for para in [p.strip() for p in re.split(r"\n\s*\n|\n", body) if p.strip()]:
        found = list(_ITEM.finditer(para))
        if not found or not para.startswith(("（", "(")):
            break
        for m in found:
            if _cn(m.group(1)) != expected:
                return items
            items.append(m.group(2).strip().rstrip("；;。，, "))
            expected += 1
    return items


def _inline_items(body: str) -> list[str]:
    """Materials written in one sentence after the colon: 甲，乙，丙。 (split at ；/，)."""
    sentence = body.split("。", 1)[0].split("\n", 1)[0]
    if _ITEM.search(sentence):
        return []
    parts = [p.strip() for p in re.split(r"[；;]", sentence) if p.strip()]
    if len(parts) < 2:
        parts = [p.strip() for p in re.split(r"[，,]", sentence) if p.strip()]
    return parts if len(parts) >= 2 else []


def _material(raw: str) -> Material:
    parts = _NOTE_SPLIT.split(raw, maxsplit=1)
    name = parts[0].strip()
    note = parts[1].strip() if len(parts) > 1 else None
    return Material(name=name, note=note)


def _purpose(raw: str, article: str) -> str:
    text = re.sub(r"^\s*第[一二三四五六七八九十百零〇]+条\s*", "", raw or "").strip("，, ")
    text = re.sub(r"(?:的|，|,)?\s*(?:申请人|设置人|单位|当事人|举办人)?\s*(?:应当|应|须|需要|可以)?\s*(?:按照规定)?\s*$", "", text)
    return text or article


_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn(numeral: str) -> int:
    if numeral.startswith("十"):
        return 10 + _CN.get(numeral[1:], 0)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return _CN[tens] * 10 + _CN.get(ones, 0)
    return _CN.get(numeral, 0)
