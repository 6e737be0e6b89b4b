"""Industries (GB/T 4754 sectors) and enterprise size by 《中小企业划型标准规定》(工信部联企业〔2011〕300号)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: Sizes from largest to smallest; a size condition lists the allowed ones.
SIZES = ("large", "medium", "small", "micro")
SIZE_NAMES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


@dataclass(frozen=True)
class Sector:
    """A GB/T 4754 sector (门类 or 大类) with the words enterprises use for it."""

    code: str  # letter, or letter + 2-digit division (C16)
    name: str
    words: tuple[str, ...]


SECTORS: tuple[Sector, ...] = (
    Sector("A", "农、林、牧、渔业", ("农业", "林业", "畜牧", "渔业", "种植", "养殖")),
    Sector("B", "采矿业", ("采矿", "矿业")),
    Sector("C16", "烟草制造业", ("烟草",)),
    Sector("C", "制造业", ("制造", "加工", "生产", "机械", "装备", "化工", "纺织", "电子元件", "新材料")),
    Sector("D", "电力、热力、燃气及水生产和供应业", ("电力", "热力", "燃气", "供水")),
    Sector("E", "建筑业", ("建筑", "建设工程", "装修", "施工")),
    Sector("F51", "批发业", ("批发", "贸易", "外贸", "进出口", "商贸")),
    Sector("F52", "零售业", ("零售", "超市", "便利店", "商店")),
    Sector("G59", "仓储业", ("仓储",)),
    Sector("G60", "邮政业", ("邮政", "快递")),
    Sector("G", "交通运输业", ("运输", "物流", "货运", "客运")),
    Sector("H61", "住宿业", ("住宿", "酒店", "宾馆", "民宿")),
    Sector("H62", "餐饮业", ("餐饮", "餐馆", "饭店", "餐厅")),
    Sector("I65", "软件和信息技术服务业", ("软件", "信息技术", "互联网", "数据服务", "集成电路设计")),
    Sector("I", "信息传输业", ("电信", "广播电视", "卫星传输")),
    Sector("K7020", "物业管理", ("物业",)),
    Sector("K", "房地产业", ("房地产",)),
    Sector("L", "租赁和商务服务业", ("租赁", "商务服务", "咨询", "广告", "人力资源服务")),
    Sector("M", "科学研究和技术服务业", ("研发服务", "技术服务", "检验检测", "设计服务", "科学研究")),
    Sector("R90", "娱乐业", ("娱乐", "游戏厅", "KTV")),
    Sector("O", "居民服务、修理和其他服务业", ("居民服务", "修理", "美容", "家政")),
)
_BY_CODE = {s.code: s for s in SECTORS}
#: Sector names as they appear in policy text (行业 lists), longest first so 批发和零售业 is one match.
_NAMED = {
    "批发和零售业": ("F51", "F52"), "住宿和餐饮业": ("H61", "H62"), "烟草制造业": ("C16",), "房地产业": ("K",),
    "租赁和商务服务业": ("L",), "娱乐业": ("R90",), "制造业": ("C",), "建筑业": ("E",), "工业": ("B", "C", "D"),
    "农业": ("A",), "交通运输业": ("G",), "软件和信息技术服务业": ("I65",),
}
_CODE = re.compile(r"^([A-T])(\d{2,4})?$")


def sectors_named(text: str) -> tuple[str, ...]:
    """Sector codes a policy's wording names (e.g. 住宿和餐饮业 → H61, H62); () when none."""
    for name in sorted(_NAMED, key=len, reverse=True):
        if name in text:
            return _NAMED[name]
    return ()


def sector_of(industry: str | None) -> str | None:
    """A profile's industry (GB/T 4754 code like C3511 or words like 软件开发) → a sector code, or None."""
    if not industry:
        return None
    text = industry.strip().upper()
    m = _CODE.match(text)
    if m:
        letter, digits = m.group(1), m.group(2) or ""
        for code in (f"{letter}{digits[:4]}", f"{letter}{digits[:2]}", letter):
            if code in _BY_CODE:
                return code
        return letter
    named = sectors_named(industry)
    if named:
        return named[0]
    for s in SECTORS:
        if any(w in industry for w in s.words):
            return s.code
    return None


def in_sectors(code: str, wanted: tuple[str, ...]) -> bool:
    """True when sector ``code`` is one of ``wanted`` or falls under one (C3511 under C)."""
    return any(code.startswith(w) for w in wanted)


# --- 《中小企业划型标准规定》 thresholds -----------------------------------------------------
# Per category: the metrics used (X 从业人员 persons, Y 营业收入 万元, Z 资产总额 万元), the bound under
# which an enterprise is an SME (any metric below it), and the lower bounds of medium and small (both
# metrics at or above them, 否则下划一档).


@dataclass(frozen=True)
class SizeRule:
    category: str
    metrics: tuple[str, ...]
    sme_below: tuple[float, ...]
    medium_from: tuple[float, ...]
    small_from: tuple[float, ...]


_X, _Y, _Z = "headcount", "revenue", "assets"
RULES: dict[str, SizeRule] = {r.category: r for r in (
    SizeRule("农、林、牧、渔业", (_Y,), (20000,), (500,), (50,)),
    SizeRule("工业", (_X, _Y), (1000, 40000), (300, 2000), (20, 300)),
    SizeRule("建筑业", (_Y, _Z), (80000, 80000), (6000, 5000), (300, 300)),
    SizeRule("批发业", (_X, _Y), (200, 40000), (20, 5000), (5, 1000)),
    SizeRule("零售业", (_X, _Y), (300, 20000), (50, 500), (10, 100)),
    SizeRule("交通运输业", (_X, _Y), (1000, 30000), (300, 3000), (20, 200)),
    SizeRule("仓储业", (_X, _Y), (200, 30000), (100, 1000), (20, 100)),
    SizeRule("邮政业", (_X, _Y), (1000, 30000), (300, 2000), (20, 100)),
    SizeRule("住宿业", (_X, _Y), (300, 10000), (100, 2000), (10, 100)),
    SizeRule("餐饮业", (_X, _Y), (300, 10000), (100, 2000), (10, 100)),
    SizeRule("信息传输业", (_X, _Y), (2000, 100000), (100, 1000), (10, 100)),
    SizeRule("软件和信息技术服务业", (_X, _Y), (300, 10000), (100, 1000), (10, 50)),
    SizeRule("房地产开发经营", (_Y, _Z), (200000, 10000), (1000, 5000), (100, 2000)),
    SizeRule("物业管理", (_X, _Y), (1000, 5000), (300, 1000), (100, 500)),
    SizeRule("租赁和商务服务业", (_X, _Z), (300, 120000), (100, 8000), (10, 100)),
    SizeRule("其他未列明行业", (_X,), (300,), (100,), (10,)),
)}
_CATEGORY = {
    "A": "农、林、牧、渔业", "B": "工业", "C": "工业", "C16": "工业", "D": "工业", "E": "建筑业", "F51": "批发业",
    "F52": "零售业", "G": "交通运输业", "G59": "仓储业", "G60": "邮政业", "H61": "住宿业", "H62": "餐饮业",
    "I": "信息传输业", "I65": "软件和信息技术服务业", "K": "房地产开发经营", "K7020": "物业管理", "L": "租赁和商务服务业",
}


def size_rule(sector: str | None) -> SizeRule:
    """The 划型 rule of a sector (其他未列明行业 when the sector has none of its own)."""
    if sector is None:
        return RULES["其他未列明行业"]
    for code in (sector, sector[:3], sector[:1]):
        if code in _CATEGORY:
            return RULES[_CATEGORY[code]]
    return RULES["其他未列明行业"]


def classify(rule: SizeRule, values: dict[str, float]) -> str:
    """The size of an enterprise whose metrics are all given."""
    v = [values[m] for m in rule.metrics]
    if all(x >= b for x, b in zip(v, rule.sme_below)):
        return "large"
    if all(x >= b for x, b in zip(v, rule.medium_from)):
        return "medium"
    if all(x >= b for x, b in zip(v, rule.small_from)):
        return "small"
    return "micro"


def possible_sizes(sector: str | None, known: dict[str, float | None]) -> tuple[set[str], list[str]]:
    """Sizes the enterprise may have given what is known, and the unknown metrics that matter.

    Size grows with every metric, so the range between "unknowns at zero" and "unknowns at infinity"
    holds every possible size. An unknown sector ranges over every category.
    """
    rules = [size_rule(sector)] if sector else list(RULES.values())
    out: set[str] = set()
    unknown: list[str] = []
    for rule in rules:
        low = {m: known.get(m) if known.get(m) is not None else 0.0 for m in rule.metrics}
        high = {m: known.get(m) if known.get(m) is not None else math.inf for m in rule.metrics}
        lo, hi = SIZES.index(classify(rule, low)), SIZES.index(classify(rule, high))
        out.update(SIZES[hi : lo + 1])
        unknown += [m for m in rule.metrics if known.get(m) is None and m not in unknown]
    return out, unknown
