"""Recognising heading lines: Markdown #, 第X编/章/节, 附件, and the policy levels 一、 （一） 1. (1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.chunking.base import squash_spaces

_CN = "〇零一二两三四五六七八九十百千"
_MARKDOWN = re.compile(r"(#{1,6})\s*(.*?)\s*#*\s*$")
_STRUCTURE = [
    ("编", re.compile(rf"第[{_CN}\d]+(?:编|部分)")),
    ("分编", re.compile(rf"第[{_CN}\d]+分编")),
    ("章", re.compile(rf"第[{_CN}\d]+章")),
    ("节", re.compile(rf"第[{_CN}\d]+节")),
]
_LEVELS = [
    ("一、", re.compile(rf"[{_CN}]+[、．.]")),
    ("（一）", re.compile(rf"[（(][{_CN}]+[）)]")),
    ("1.", re.compile(r"\d{1,3}[．.、](?!\d)")),  # not 1.5
    ("(1)", re.compile(r"[（(]\d{1,3}[）)]")),
    ("①", re.compile(r"[①-⑳]")),
]
_APPENDIX = re.compile(rf"附(?:件|表|录)?[{_CN}\d]*\s*(?:[:：]|$)|附(?:件|表|录)[{_CN}\d]*(?:\s|$)")
APPENDIX = "附件"
#: Where a plain-line heading of each kind nests when the document has not shown that kind as a
#: Markdown heading: below every Markdown level (1–6), outermost first.
KIND_RANK = {
    APPENDIX: 1.0,
    "编": 10.0,
    "分编": 10.5,
    "章": 11.0,
    "节": 12.0,
    "一、": 13.0,
    "（一）": 14.0,
    "1.": 15.0,
    "(1)": 16.0,
    "①": 17.0,
}
_NUMBERING = re.compile(rf"(第[{_CN}\d]+(?:分编|编|部分|章|节))\s*")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
#: A heading line is short and is not a sentence.
_MAX_HEADING = 40
_MAX_LEAD = 30
_SENTENCE_PUNCT = "。；;，,！？!?"


@dataclass(frozen=True)
class Heading:
    """A heading on a line: its numbering kind ("章", "一、", … or ""), its Markdown level if any.

    ``inline``: the heading is the lead of a paragraph that stays in the body.
    """

    text: str
    kind: str = ""
    level: int | None = None
    inline: bool = False


@dataclass
class Ranker:
    """Ranks one document's headings, outermost smallest, so that they nest as the document means.

    A Markdown heading ranks by its # count. A plain line ranks like the Markdown headings of its
    kind seen earlier in the document ("## 一、" then a plain "四、" are siblings), else by KIND_RANK.
    """

    learned: dict[str, float] = field(default_factory=dict)

    def rank(self, heading: Heading) -> float:
        if heading.level is not None:
            if heading.kind:
                self.learned.setdefault(heading.kind, float(heading.level))
            return float(heading.level)
        return self.learned.get(heading.kind, KIND_RANK.get(heading.kind, KIND_RANK["①"]))


def tidy_heading(text: str) -> str:
    """One space after the numbering, none inside Chinese words: "第七章  附  则" → "第七章 附则"."""
    text = squash_spaces(text)
    m = _NUMBERING.match(text)
    prefix, rest = (m.group(1), text[m.end() :]) if m else ("", text)
    rest = _CJK_GAP.sub("", rest.strip())
    return f"{prefix} {rest}" if prefix and rest else (prefix or rest)


def _kind(text: str, table: list[tuple[str, re.Pattern[str]]]) -> str | None:
    return next((kind for kind, pattern in table if pattern.match(text)), None)


def _is_short_title(line: str) -> bool:
    return len(line) <= _MAX_HEADING and "。" not in line and not line.endswith(tuple(_SENTENCE_PUNCT))


def markdown_heading(line: str) -> Heading | None:
    """A Markdown heading, with the numbering kind of its text."""
    if not line.startswith("#"):
        return None
    m = _MARKDOWN.match(line)
    if not m or not m.group(2):
        return None
    text = tidy_heading(m.group(2))
    kind = APPENDIX if _APPENDIX.match(text) else (_kind(text, _STRUCTURE) or _kind(text, _LEVELS) or "")
    return Heading(text, kind, level=len(m.group(1)))


def structure_heading(line: str) -> Heading | None:
    """A heading that structures a law: Markdown, or a plain 第X编/分编/章/节 or 附件 line."""
    heading = markdown_heading(line)
    if heading or not _is_short_title(line):
        return heading
    kind = _kind(line, _STRUCTURE)
    if kind is not None:
        return Heading(tidy_heading(line), kind)
    if _APPENDIX.match(line):
        return Heading(squash_spaces(line), APPENDIX)
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
    kind = _kind(line, _LEVELS)
    if kind is None:
        return None
    if _is_short_title(line):
        return Heading(squash_spaces(line), kind)
    lead, dot, rest = line.partition("。")
    if dot and rest.strip() and len(lead) <= _MAX_LEAD and not any(p in lead for p in "；;，,"):
        return Heading(squash_spaces(lead), kind, inline=True)
    return None
