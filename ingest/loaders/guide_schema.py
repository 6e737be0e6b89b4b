"""The service-guide (办事指南) record schema and the mappings that bring other formats into it.

Our schema (every guide Record carries all of these keys):

=====================  ============  ===========================================
field                  type          meaning
=====================  ============  ===========================================
id                     str           stable id (the portal's 事项编码 when known)
name                   str           事项名称, required
department             str           实施部门
matter_type            str           事项类型 (行政许可, 公共服务, …)
applicant_types        list[str]     服务对象 (自然人, 企业法人, …)
conditions             str           受理条件
materials              list[str]     申请材料, verbatim
legal_time_limit       str           法定时限, e.g. "20(工作日)"
promised_time_limit    str           承诺时限
location               str           办理地点
fees                   str           收费标准
basis                  str           设定依据
variants               list[dict]    情形 (situations with their own materials)
=====================  ============  ===========================================

Extra keys a mapping may add: themes, consult_phone, complain_phone, url, level, region,
co_department. The portal writes "无" for "nothing"; it becomes "" or [].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.documents import Record, content_hash

GUIDE_FIELDS = (
    "id", "name", "department", "matter_type", "applicant_types", "conditions", "materials",
    "legal_time_limit", "promised_time_limit", "location", "fees", "basis", "variants",
)  # fmt: skip
_LIST_FIELDS = frozenset({"applicant_types", "materials", "themes"})
_PLACEHOLDERS = frozenset({"", "无", "暂无", "null", "none", "/", "-", "—"})
_LOCATION_PREFIX = "办理地点："


@dataclass(frozen=True)
class GuideMapping:
    """How one source format names our fields: source key → our key."""

    name: str
    fields: dict[str, str]
    #: a record holding any of these keys is in this format
    signature: frozenset[str]
    keep_unmapped: bool = False


#: The Guangdong government service portal (广东政务服务网) export.
GUANGDONG = GuideMapping(
    name="guangdong",
    fields={
        "TASK_CODE": "id",
        "matter_name": "name",
        "DEPT_NAME": "department",
        "matter_type": "matter_type",
        "material_intro": "materials",
        "handle_time": "legal_time_limit",
        "handle_time_limit": "promised_time_limit",
        "accept_standard": "conditions",
        "service_object_name": "applicant_types",
        "handle_location": "location",
        "theme_category": "themes",
        "consult_phone": "consult_phone",
        "complain_phone": "complain_phone",
        "URL": "url",
        "matter_level": "level",
        "AREA_CODE_TEXT": "region",
        "co_department": "co_department",
    },
    signature=frozenset({"TASK_CODE", "matter_name"}),
)

#: Our own schema, as written in corpus YAML/JSON: keys are already ours; extras are kept.
HUIQI = GuideMapping(
    name="huiqi",
    fields={name: name for name in GUIDE_FIELDS},
    signature=frozenset({"name"}),
    keep_unmapped=True,
)

MAPPINGS: tuple[GuideMapping, ...] = (GUANGDONG, HUIQI)


class BadGuide(ValueError):
    """One guide record that cannot be read; the loader turns it into a warning."""


def detect_mapping(raw: dict[str, Any]) -> GuideMapping:
    """The mapping whose signature keys the record has."""
    for mapping in MAPPINGS:
        if mapping.signature & raw.keys():
            return mapping
    raise BadGuide("not a service guide (no name or matter_name field)")


def to_record(raw: Any) -> tuple[Record, str]:
    """A guide in any known format → (Record in our schema, mapping name)."""
    if not isinstance(raw, dict):
        raise BadGuide(f"a guide must be an object, not {type(raw).__name__}")
    mapping = detect_mapping(raw)
    fields: dict[str, Any] = {
        name: ([] if name in _LIST_FIELDS or name == "variants" else "") for name in GUIDE_FIELDS
    }
    for key, value in raw.items():
        target = mapping.fields.get(key)
        if target is None:
            if mapping.keep_unmapped:
                fields[str(key)] = value
            continue
        fields[target] = _normalize(target, value)
    if not fields["name"]:
        raise BadGuide("guide has an empty name")
    if not isinstance(fields["variants"], list):
        raise BadGuide("variants must be a list")
    if isinstance(fields["location"], str) and fields["location"].startswith(_LOCATION_PREFIX):
        fields["location"] = fields["location"][len(_LOCATION_PREFIX) :].strip()
    if not fields["id"]:
        # stable across re-ingestion: the same matter of the same department keeps its id
        fields["id"] = "guide-" + content_hash(f"{fields['name']}|{fields['department']}")
    return Record(fields=fields, label=fields["name"]), mapping.name


def _normalize(target: str, value: Any) -> Any:
    if target == "variants":
        return [] if value is None else value
    if target in _LIST_FIELDS:
        items = value if isinstance(value, list) else [value]
        return [text for text in (_text(item) for item in items) if text]
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text.lower() in _PLACEHOLDERS else text
