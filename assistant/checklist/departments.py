"""Departments a request names (水利部门, 省市场监管局, 税务上, 工信厅): matched to the catalogue's departments.

An enterprise often says which department it is dealing with ("交通部门要办哪些审批"); the matters it needs are
then that department's. A department is named by the core of its official name (广东省水利厅 → 水利) or by a
common short form of it (工信 → 工业和信息化, 住建 → 住房和城乡建设), followed by a word that makes it a
department (部门, 厅, 局, 这边, 那边, 方面, 上).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Short forms of department names in everyday use, to the words of the official names they stand for.
SHORT_FORMS = {
    "工信": ("工业和信息化", "经济和信息化"),
    "经信": ("工业和信息化", "经济和信息化"),
    "科技": ("科学技术",),
    "住建": ("住房和城乡建设",),
    "人社": ("人力资源和社会保障",),
    "社保": ("人力资源和社会保障",),
    "市场监管": ("市场监督管理",),
    "工商": ("市场监督管理",),
    "发改": ("发展和改革",),
    "价格主管": ("发展和改革",),
    "卫健": ("卫生健康",),
    "药监": ("药品监督管理",),
    "环保": ("生态环境",),
    "交通": ("交通运输",),
    "公路": ("交通运输",),
    "航道": ("交通运输",),
    "港口": ("交通运输",),
    "文旅": ("文化和旅游",),
    "文物": ("文化和旅游",),
    "规划": ("规划和自然资源", "自然资源和规划"),
    "城管": ("城市管理", "综合行政执法"),
    "国土": ("自然资源",),
    "交管": ("公安",),
    "交警": ("公安",),
    "出入境": ("公安",),
    "医保": ("医疗保障",),
    "应急": ("应急管理",),
    "安监": ("应急管理",),
    "消防": ("消防救援",),
    "外汇": ("外汇管理",),
}

#: Words after a name that make it a department ("水利部门", "税务上", "航道那边").
_DEPARTMENT_WORD = "(?:主管部门|部门|厅|局|委|这边|那边|方面|上)"
#: What precedes a department's own name: a party or state prefix, then place names (广东省, 广州市, 示例县).
_STATE = re.compile(r"^(?:中华人民共和国|国家税务总局|中共)")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:自治区|省|市|县|区|州|旗)(?:市(?!场)|县|区)?")
#: Where a department's own name ends (水利|厅, 市场监督管理|局, 生态环境|局示例分局, 消防救援|大队).
_RANK = re.compile(r"委员会|办公室|总队|大队|支队|厅|局|委")
#: Cores that name no department in particular (广州空港经济区|管理|委员会).
_GENERIC = frozenset({"管理", "服务", "事务", "人民政府"})


def cores(department: str) -> set[str]:
    """The core names of a department: 广东省水利厅 → {水利}, 示例县市场监督管理局 → {市场监督管理}; a name
    with others in brackets (…宣传部（广东省新闻出版局、广东省版权局）) gives each."""
    out = set()
    for name in re.split(r"[（）()、]", department):
        core = _STATE.sub("", name.strip())
        while (m := _PLACE.match(core)) and len(core) - m.end() >= 2 and not core[: m.end()].endswith("城市"):
            core = core[m.end():]
        core = _RANK.split(core, maxsplit=1)[0]
        if len(core) >= 2 and core not in _GENERIC:
            out.add(core)
    return out


class DepartmentNames:
    """Finds the departments of a catalogue that a request names."""

    def __init__(self, departments: Iterable[str]):
        handles: dict[str, set[str]] = {}
        for dept in set(departments):
            for core in cores(dept):
                handles.setdefault(core, set()).add(dept)
        named_by_core = list(handles.items())  # a short form stands for official names, not for other short forms
        for short, words in SHORT_FORMS.items():
            for core, depts in named_by_core:
                if any(w in core for w in words):
                    handles.setdefault(short, set()).update(depts)
        self._handles = handles
        # longest first: 市场监管 before 市场, 农业农村 before 农业
        alternatives = "|".join(sorted(map(re.escape, handles), key=len, reverse=True))
        self._pattern = re.compile(f"({alternatives}){_DEPARTMENT_WORD}") if handles else None

    def named(self, request: str) -> set[str]:
        """The catalogue departments ``request`` names (empty when it names none)."""
        if self._pattern is None:
            return set()
        out: set[str] = set()
        for m in self._pattern.finditer(request):
            out |= self._handles[m.group(1)]
        return out
