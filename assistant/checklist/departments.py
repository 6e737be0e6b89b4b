"""Departments a request names (水利部门, 省市场监管局, 税务上, 工信厅): matched to the catalogue's departments.

An enterprise often says which department it is dealing with ("交通部门要办哪些审批"); the matters it needs are
then that department's. A department is named by the core of its official name (广东省水利厅 → 水利) or by a
common short form of it (工信 → 工业和信息化, 住建 → 住房和城乡建设), followed by a word that makes it a
department (部门, 厅, 局, 这边, 那边, 方面, 上).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Short forms of department names in everyday use, to a word of the official name.
SHORT_FORMS = {
    "工信": "工业和信息化",
    "经信": "工业和信息化",
    "科技": "科学技术",
    "住建": "住房和城乡建设",
    "人社": "人力资源和社会保障",
    "社保": "人力资源和社会保障",
    "市场监管": "市场监督管理",
    "工商": "市场监督管理",
    "发改": "发展和改革",
    "价格主管": "发展和改革",
    "卫健": "卫生健康",
    "药监": "药品监督管理",
    "环保": "生态环境",
    "交通": "交通运输",
    "公路": "交通运输",
    "航道": "交通运输",
    "港口": "交通运输",
    "文旅": "文化和旅游",
    "文物": "文化和旅游",
    "规划": "规划和自然资源",
    "国土": "自然资源",
    "交管": "公安",
    "交警": "公安",
    "出入境": "公安",
    "医保": "医疗保障",
    "应急": "应急管理",
    "安监": "应急管理",
    "消防": "消防救援",
    "外汇": "外汇管理",
}

#: Words after a name that make it a department ("水利部门", "税务上", "航道那边").
_DEPARTMENT_WORD = "(?:主管部门|部门|厅|局|委|这边|那边|方面|上)"
#: Region and rank words around a department's core name.
_PREFIX = re.compile(r"^(?:中华人民共和国|国家税务总局|中共)?(?:广东省|广州市|省|市|区|县)?")
_SUFFIX = re.compile(r"(?:委员会办公室|委员会|办公室|总队|厅|局|委)$")


def cores(department: str) -> set[str]:
    """The core names of a department: 广东省水利厅 → {水利}; a name with others in brackets gives each."""
    names = [p for p in re.split(r"[（）()、]", department) if p.strip()]
    out = set()
    for name in names:
        core = _SUFFIX.sub("", _PREFIX.sub("", name.strip()))
        if len(core) >= 2:
            out.add(core)
    return out


class DepartmentNames:
    """Finds the departments of a catalogue that a request names."""

    def __init__(self, departments: Iterable[str]):
        handles: dict[str, set[str]] = {}
        for dept in set(departments):
            for core in cores(dept):
                handles.setdefault(core, set()).add(dept)
        for short, word in SHORT_FORMS.items():
            for core, depts in list(handles.items()):
                if word in core:
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
