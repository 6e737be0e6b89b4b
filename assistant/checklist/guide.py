"""The service guide (办事指南) and its parts: what one matter (事项) asks of an applicant."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

#: Placeholder values guides use for "nothing here".
EMPTY_VALUES = frozenset({"", "无", "暂无", "null", "None", "/", "-", "—"})

_NAME_NOISE = re.compile(r"[\s《》“”\"'「」『』:：;；。,，、.·]+")


def normalise_material_name(name: str) -> str:
    """Key for deduplicating materials: no quotes, brackets of form, punctuation or spaces."""
    return _NAME_NOISE.sub("", name).replace("（", "(").replace("）", ")").lower()


@dataclass
class Material:
    """One required material (申请材料); ``name`` is verbatim from the guide."""

    name: str
    form: str | None = None  # 原件/复印件/电子版 …
    copies: int | None = None
    note: str | None = None

    @property
    def key(self) -> str:
        return normalise_material_name(self.name)


@dataclass
class ServiceGuide:
    """One 办事指南: a matter with its department, conditions, materials and time limits."""

    id: str
    name: str
    department: str
    matter_type: str | None = None  # 行政许可/行政确认/公共服务 …
    applicant_types: list[str] = field(default_factory=list)
    conditions: str | None = None  # 受理条件
    materials: list[Material] = field(default_factory=list)
    legal_time_limit: str | None = None  # 法定时限
    promised_time_limit: str | None = None  # 承诺时限
    location: str | None = None
    fees: str | None = None
    basis: list[str] = field(default_factory=list)  # 设定依据
    variants: list[str] = field(default_factory=list)  # 新申请/延续/变更 …
    theme: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # aliases, 简称
    region: str | None = None  # 广东省, 广东省广州市 …
    level: str | None = None  # 省级/市级
    full_name: str | None = None  # name with its sub-case, e.g. 专职律师执业许可(申请专职执业)
    catalogue: str | None = None  # the parent catalogue matter (目录事项)
    url: str | None = None
    source: str = ""  # file it came from

    @property
    def title(self) -> str:
        """The most specific name: the sub-case name when the guide has one."""
        return self.full_name or self.name

    @property
    def has_materials(self) -> bool:
        return bool(self.materials)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (materials as dicts, None kept so the shape is stable)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ServiceGuide:
        """Inverse of ``to_dict``."""
        d = dict(d)
        d["materials"] = [Material(**m) for m in d.get("materials") or []]
        return cls(**d)
