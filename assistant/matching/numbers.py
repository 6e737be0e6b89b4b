"""Numbers with units (万元/亿元/元/人/%) and dates as Chinese policy text writes them."""

from __future__ import annotations

import datetime as dt
import re

DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(亿元|万元|元)")
_TO_WAN = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}


def to_wan(number: str, unit: str) -> float:
    """An amount in 万元 (亿元 × 10000, 元 ÷ 10000)."""
    return float(number) * _TO_WAN[unit]


def largest_amount(text: str) -> float | None:
    """The largest sum of money in ``text``, in 万元 (percentages and 美元 are not money here)."""
    values = [to_wan(n, u) for n, u in _MONEY.findall(text.replace("万美元", "").replace("美元", ""))]
    return max(values) if values else None


def parse_date(text: str) -> dt.date | None:
    """2025年3月1日 → date(2025, 3, 1); None when there is no such date."""
    m = DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """The first "X年X月X日至Y年Y月Y日" range in ``text``."""
    m = re.search(rf"{DATE.pattern}\s*(?:至|到|—|-|~)\s*{DATE.pattern}", text)
    if not m:
        return None
    try:
        g = [int(x) for x in m.groups()]
        return dt.date(g[0], g[1], g[2]), dt.date(g[3], g[4], g[5])
    except ValueError:
        return None


def chinese_date(d: dt.date) -> str:
    """date(2025, 3, 1) → 2025年3月1日."""
    return f"{d.year}年{d.month}月{d.day}日"
