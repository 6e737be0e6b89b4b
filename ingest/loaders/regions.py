"""Provincial regions (省级行政区) guessed from folder names and titles; None means national."""

from __future__ import annotations

from pathlib import PurePath

#: Short name → full name of every provincial-level region.
PROVINCES: dict[str, str] = {
    "北京": "北京市",
    "天津": "天津市",
    "上海": "上海市",
    "重庆": "重庆市",
    "河北": "河北省",
    "山西": "山西省",
    "辽宁": "辽宁省",
    "吉林": "吉林省",
    "黑龙江": "黑龙江省",
    "江苏": "江苏省",
    "浙江": "浙江省",
    "安徽": "安徽省",
    "福建": "福建省",
    "江西": "江西省",
    "山东": "山东省",
    "河南": "河南省",
    "湖北": "湖北省",
    "湖南": "湖南省",
    "广东": "广东省",
    "海南": "海南省",
    "四川": "四川省",
    "贵州": "贵州省",
    "云南": "云南省",
    "陕西": "陕西省",
    "甘肃": "甘肃省",
    "青海": "青海省",
    "台湾": "台湾省",
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}

_FULL_NAMES = frozenset(PROVINCES.values())

#: Folder suffixes that mark a region's collection, e.g. `浙江地方法规`, `广东政策`.
_REGIONAL_FOLDER_SUFFIXES = ("地方法规", "地方性法规", "地方政府规章", "政策", "办事指南")


def region_from_folders(relative: PurePath) -> str | None:
    """Region named by a folder such as `浙江地方法规`, nearest the file winning."""
    for folder in reversed(relative.parent.parts):
        if folder in _FULL_NAMES:
            return folder
        for suffix in _REGIONAL_FOLDER_SUFFIXES:
            prefix = folder[: -len(suffix)] if folder.endswith(suffix) else ""
            region = PROVINCES.get(prefix) or (prefix if prefix in _FULL_NAMES else None)
            if region:
                return region
    return None


def region_from_title(title: str) -> str | None:
    """Region a title starts with (`浙江省…条例` → 浙江省), else None."""
    for full in _FULL_NAMES:
        if title.startswith(full):
            return full
    return None


def normalize_region(name: str | None) -> str | None:
    """Map `浙江`/`浙江省`/`浙江省杭州市` to 浙江省; national words to None; unknowns as given."""
    if name is None:
        return None
    name = name.strip()
    if not name or name in {"全国", "国家", "中央", "national"}:
        return None
    if name in PROVINCES:
        return PROVINCES[name]
    for full in _FULL_NAMES:
        if name.startswith(full):
            return full  # 广东省广州市 → 广东省: regions are provincial
    return name
