"""Article labels (第X条) and the Chinese numerals they are written in."""

from __future__ import annotations

import re

from assistant.errors import InvalidArticleLabel

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_CHARS = "〇零一二两三四五六七八九十百千万"
_NUM = rf"[{_CN_CHARS}0-9０-９]+"
_SUB = rf"之[{_CN_CHARS}0-9]+"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

#: A paragraph that begins an article: the label, then whitespace (ASCII, full-width or NBSP) or the end.
# Real sources also write "第一百二十八 条侦查人员…" (the space inside) and the look-alike 笫 for 第.
_PARAGRAPH_START = re.compile(rf"\s*[第笫]\s*({_NUM})(?:\s*条({_SUB})?(?=\s|$)|\s+条({_SUB})?)")
#: A label anywhere in running text, e.g. "本法第二十条" or "第十条之一".
_REF = re.compile(rf"第\s*({_NUM})\s*条({_SUB})?")
#: 款/项 after a label ("第三十九条第一款第二项"), skipped so a list of labels can go on after them.
_CLAUSE = re.compile(rf"(?:第{_NUM}款)?(?:第{_NUM}项)?")
#: Bare numbers continuing a list of labels: "第二十条、二十一条" or "第五条至七条".
_REF_TAIL = re.compile(rf"\s*(?:、|，|,|和|及|与|或者|或|至|到)\s*(?:第\s*)?({_NUM})\s*条({_SUB})?")


def cn_to_int(numeral: str) -> int:
    """Chinese (or Arabic) numeral → int: "二十三" → 23, "一千零一十" → 1010; a trailing 之X is ignored."""
    s = numeral.strip().translate(_FULLWIDTH)
    if "之" in s:
        s = s.split("之", 1)[0]
    if not s:
        raise InvalidArticleLabel(f"not a numeral: {numeral!r}")
    if s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in s):
        raise InvalidArticleLabel(f"not a Chinese numeral: {numeral!r}")
    if all(ch in _DIGITS for ch in s) and len(s) > 1:
        # Digit-by-digit form, as in years: "二〇二三".
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
            continue
        # "十" alone (as in 十三) means one ten.
        section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def int_to_cn(n: int) -> str:
    """int → Chinese numeral as laws write it: 23 → "二十三", 110 → "一百一十", 1010 → "一千零一十"."""
    if n < 0 or n >= 100_000_000:
        raise InvalidArticleLabel(f"article number out of range: {n}")
    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    if not high:
        return _below_ten_thousand(low, leading=True)
    rest = ""
    if low:
        rest = ("零" if low < 1000 else "") + _below_ten_thousand(low, leading=False)
    return _below_ten_thousand(high, leading=True) + "万" + rest


def _below_ten_thousand(n: int, leading: bool) -> str:
    digits = "零一二三四五六七八九"
    out: list[str] = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        # Laws write 第十条 but 第一百一十条: the 一 before 十 is dropped only at the very start.
        if not (unit == "十" and d == 1 and not out and leading):
            out.append(digits[d])
        out.append(unit)
    return "".join(out)


def article_label(n: int, sub: int = 0) -> str:
    """23 → "第二十三条"; with sub=1 → "第二十三条之一"."""
    label = f"第{int_to_cn(n)}条"
    return f"{label}之{int_to_cn(sub)}" if sub else label


def article_key(label: str) -> tuple[int, int]:
    """Sort key of a label: "第十条之一" → (10, 1)."""
    m = _REF.fullmatch(label.strip())
    if not m:
        raise InvalidArticleLabel(f"not an article label: {label!r}")
    sub = cn_to_int(m.group(2)[1:]) if m.group(2) else 0
    return cn_to_int(m.group(1)), sub


def normalize_article(label: str, strict: bool = False) -> str:
    """Canonical form of a label: "第23条" / "第 二十三 条" / "23" → "第二十三条".

    Text that is no article label (a section heading, a guide's name, "") comes back trimmed but
    otherwise unchanged, so that any chunk's ``article`` can be compared; ``strict`` raises instead.
    """
    s = label.strip()
    if re.fullmatch(rf"{_NUM}({_SUB})?", s):
        s = f"第{s}条" if "之" not in s else "第{}条之{}".format(*s.split("之", 1))
    if not strict and not _REF.fullmatch(s):
        return s
    return article_label(*article_key(s))


def parse_article_label(text: str) -> str | None:
    """The label that opens a paragraph ("第五条　用人单位…" → "第五条"), or None if it opens no article."""
    m = _PARAGRAPH_START.match(text)
    if not m:
        return None
    sub_text = m.group(2) or m.group(3)
    sub = cn_to_int(sub_text[1:]) if sub_text else 0
    return article_label(cn_to_int(m.group(1)), sub)


def find_article_refs(text: str) -> list[str]:
    """Labels mentioned anywhere in a text, in order, without repeats ("依照本法第二十条、第二十一条" → both)."""
    found: list[str] = []
    pos = 0
    while m := _REF.search(text, pos):
        groups = [m]
        end = _CLAUSE.match(text, m.end()).end()
        while tail := _REF_TAIL.match(text, end):
            groups.append(tail)
            end = _CLAUSE.match(text, tail.end()).end()
        for g in groups:
            sub = cn_to_int(g.group(2)[1:]) if g.group(2) else 0
            label = article_label(cn_to_int(g.group(1)), sub)
            if label not in found:
                found.append(label)
        pos = end
    return found
