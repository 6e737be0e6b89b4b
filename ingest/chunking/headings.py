"""Recognising heading lines: Markdown #, 第X编/章/节, 附件, and the policy levels 一、 （一） 1. (1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.chunking.base import squash_spaces

_CN = "〇零一二两三四五六七八九十百千"
_MARKDOWN = re.compile(r"(#{1,6})\s*(.*?)\s*#*\s*$")
# Ranks order headings from the outermost (small) to the innermost (large), whatever their syntax:
# a document's "## 第一章" and a plain-line "第一节" nest the same way as "### 第一节".
_STRUCTURE = [
    (re.compile(rf"第[{_CN}\d]+(?:编|部分)"), 10.0),
    (re.compile(rf"第[{_CN}\d]+分编"), 10.5),
    (re.compile(rf"第[{_CN}\d]+章"), 11.0),
    (re.compile(rf"第[{_CN}\d]+节"), 12.0),
]
_LEVELS = [
    (re.compile(rf"[{_CN}]+[、．.]"), 13.0),  # 一、
    (re.compile(rf"[（(][{_CN}]+[）)]"), 14.0),  # （一）
    (re.compile(r"\d{1,3}[．.、](?!\d)"), 15.0),  # 1．  (not 1.5)
    (re.compile(r"[（(]\d{1,3}[）)]"), 16.0),  # (1)
    (re.compile(r"[①-⑳]"), 17.0),
]
_APPENDIX = re.compile(rf"附(?:件|表|录)?[{_CN}\d]*\s*(?:[:：]|$)|附(?:件|表|录)[{_CN}\d]*(?:\s|$)")
APPENDIX_RANK = 1.0
_NUMBERING = re.compile(rf"(第[{_CN}\d]+(?:分编|编|部分|章|节))\s*")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
#: A heading line is short and is not a sentence.
_MAX_HEADING = 40
_MAX_LEAD = 30
_SENTENCE_PUNCT = "。；;，,！？!?"


@dataclass(frozen=True)
class Heading:
    """A heading found on a line. ``inline``: it is the lead of a paragraph that stays in the body."""

    rank: float
    text: str
    inline: bool = False


def tidy_heading(text: str) -> str:
    """"第七章  附  则" → "第七章 附则": one space after the numbering, none inside Chinese words."""
    text = squash_spaces(text)
    m = _NUMBERING.match(text)
    prefix, rest = (m.group(1), text[m.end() :]) if m else ("", text)
    rest = _CJK_GAP.sub("", rest.strip())
    return f"{prefix} {rest}" if prefix and rest else (prefix or rest)


def _kind_rank(text: str, table: list[tuple[re.Pattern[str], float]]) -> float | None:
    for pattern, rank in table:
        if pattern.match(text):
            return rank
    return None


def _is_short_title(line: str) -> bool:
    return len(line) <= _MAX_HEADING and "。" not in line and not line.endswith(tuple(_SENTENCE_PUNCT))


def markdown_heading(line: str) -> Heading | None:
    """A Markdown heading; its rank comes from its numbering (第X章, 一、…) or else its # count."""
    if not line.startswith("#"):
        return None
    m = _MARKDOWN.match(line)
    if not m or not m.group(2):
        return None
    text = tidy_heading(m.group(2))
    rank = _kind_rank(text, _STRUCTURE) or _kind_rank(text, _LEVELS)
    if _APPENDIX.match(text):
        rank = APPENDIX_RANK
    return Heading(rank if rank is not None else float(len(m.group(1))), text)


def structure_heading(line: str) -> Heading | None:
    """A heading that structures a law: Markdown, or a plain 第X编/分编/章/节 or 附件 line."""
    heading = markdown_heading(line)
    if heading or not _is_short_title(line):
        return heading
    rank = _kind_rank(line, _STRUCTURE)
    if rank is not None:
        return Heading(rank, tidy_heading(line))
    if _APPENDIX.match(line):
        return Heading(APPENDIX_RANK, squash_spaces(line))
    return None


def policy_heading(line: str) -> Heading | None:
    """A heading in a policy text: a law-structure heading, or a 一、/（一）/1./(1) line.

    A numbered line is a heading when it is a short title ("三、支持措施"), or when it opens with
    a short lead sentence ("（二）加大研发投入。对企业…"): then the lead is the heading and the
    paragraph stays in the body. A long numbered sentence is a list item, not a heading.
    """
    heading = structure_heading(line)
    if heading:
        return heading
    rank = _kind_rank(line, _LEVELS)
    if rank is None:
        return None
    if _is_short_title(line):
        return Heading(rank, squash_spaces(line))
    lead, dot, rest = line.partition("。")
    if dot and rest.strip() and len(lead) <= _MAX_LEAD and not any(p in lead for p in "；;，,"):
        return Heading(rank, squash_spaces(lead), inline=True)
    return None
