"""Complexity tier (简易/一般/复杂) of an appeal and its due date in working days (工作日) under a service-level agreement."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InvalidInput

TIERS = ("简易", "一般", "复杂")


@dataclass(frozen=True)
class SLA:
    """Working days allowed per tier; 0 means 当场 (answered the same day)."""

    simple: int = 0
    normal: int = 3
    complex: int = 7

    def days(self, tier: str) -> int:
        """Working days for a tier."""
        return {"简易": self.simple, "一般": self.normal, "复杂": self.complex}[tier]

    @classmethod
    def parse(cls, spec: str) -> SLA:
        """Read ``"0,3,7"`` (简易,一般,复杂 in working days)."""
        try:
            simple, normal, complex_ = (int(x) for x in spec.split(","))
        except ValueError:
            raise InvalidInput(f"SLA must be three whole numbers of working days, e.g. '0,3,7'; got {spec!r}") from None
        if min(simple, normal, complex_) < 0:
            raise InvalidInput(f"SLA days cannot be negative: {spec!r}")
        return cls(simple, normal, complex_)


def load_holidays(path: Path) -> frozenset[dt.date]:
    """Holidays (one ISO date a line, ``#`` comments) that do not count as working days."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise InvalidInput(f"cannot read holidays file {path}: {e.strerror or e}") from e
    days = set()
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            days.add(dt.date.fromisoformat(line))
        except ValueError:
            raise InvalidInput(f"{path}:{n}: not an ISO date (YYYY-MM-DD): {line!r}") from None
    return frozenset(days)


def add_working_days(start: dt.date, days: int, holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    """The date ``days`` working days after ``start`` (weekends and holidays skipped; 0 = the start's working day)."""
    day = start
    while day.weekday() >= 5 or day in holidays:
        day += dt.timedelta(days=1)
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


# Signs that an appeal needs investigation or several departments, not a same-day answer.
_COMPLEX = re.compile(
    r"多个部门|几个部门|各部门|互相推|踢皮球|推诿|联合|协调|群体|工人.{0,6}(闹|堵|拉横幅)|拉横幅|上访|"
    r"[一二三四五六七八九十百千两几\d]+万|亿|历史遗留|多次|反复|好几次|多年|几年|一年多|半年|强制执行|诉讼|仲裁|事故"
)


def complexity_tier(text: str, appeal_type: str, margin: float) -> str:
    """简易 for a plain question; 复杂 for long, multi-party, high-stakes or ambiguous matters; else 一般.

    ``margin`` is the gap between the first and second department's confidence: a small gap means
    the matter straddles departments.
    """
    signals = len(_COMPLEX.findall(text))
    if appeal_type == "咨询" and len(text) <= 80 and signals == 0:
        return "简易"
    if signals >= 2 or len(text) > 160 or (signals >= 1 and margin < 0.15):
        return "复杂"
    return "一般"
