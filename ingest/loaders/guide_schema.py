"""The service-guide (办事指南) record schema and the mappings that bring other formats into it.

Our schema (every guide Record carries all of these keys; corpus/README.md shows it in YAML):

===================  ======================  =========================================
field                type                    meaning
===================  ======================  =========================================
id                   str                     stable id (the portal's 事项编码 when known)
name                 str                     事项名称, required
department           str                     实施部门
matter_type          str                     事项类型 (行政许可, 公共服务, …)
applicant_types      list[str]               服务对象 (自然人, 企业法人, …)
conditions           str                     受理条件
materials            list[str | Material]    申请材料, names verbatim
legal_time_limit     str                     法定时限, e.g. "20(工作日)"
promised_time_limit  str                     承诺时限
location             str                     办理地点
fees                 str                     收费标准
basis                str | list[str]         设定依据 (法规名加条号)
variants             list[Variant]           办理情形
===================  ======================  =========================================

Material: ``{name, form, copies, note}`` (form 原件/复印件/电子件; only name is required).
Variant: ``{name, note?, materials?}``. A YAML guide may list variants as plain names and give
their details in ``variant_details: {name: {note, materials}}``; both are merged into Variant dicts.

Extra keys a mapping may add: themes, consult_phone, complain_phone, url, level, region,
co_department; our own schema keeps any other key as written (theme, keywords, online, …).
The portal writes "无" for "nothing"; it becomes "" or [].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.documents import Record, content_hash

GUIDE_FIELDS = (
    "id", "name", "department", "matter_type", "applicant_types", "conditions", "materials",
    "legal_time_limit", "promised_time_limit", "location", "fees", "basis", "variants",
)  # fmt: skip
_LIST_FIELDS = frozenset({"applicant_types", "materials", "themes", "variants"})
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
    fields: dict[str, Any] = {name: ([] if name in _LIST_FIELDS else "") for name in GUIDE_FIELDS}
    for key, value in raw.items():
        target = mapping.fields.get(key)
        if target is not None:
            fields[target] = _normalize(target, value)
        elif mapping.keep_unmapped and key != "variant_details":
            fields[str(key)] = value
    if not fields["name"]:
        raise BadGuide("guide has an empty name")
    fields["variants"] = _variants(fields["variants"], raw.get("variant_details"))
    if fields["location"].startswith(_LOCATION_PREFIX):
        fields["location"] = fields["location"][len(_LOCATION_PREFIX) :].strip()
    if not fields["id"]:
        # stable across re-ingestion: the same matter of the same department keeps its id
        fields["id"] = "guide-" + content_hash(f"{fields['name']}|{fields['department']}")
    return Record(fields=fields, label=fields["name"]), mapping.name


def _normalize(target: str, value: Any) -> Any:
    if target == "materials":
        return [m for m in (_material(item) for item in _as_list(value)) if m]
    if target == "variants":
        return value  # checked together with variant_details
    if target in _LIST_FIELDS or (target == "basis" and isinstance(value, list)):
        return [text for text in (_text(item) for item in _as_list(value)) if text]
    return _text(value)


def _material(item: Any) -> str | dict[str, Any]:
    if not isinstance(item, dict):
        return _text(item)
    material = {str(k): (_text(v) if isinstance(v, str) else v) for k, v in item.items()}
    if not _text(material.get("name")):
        raise BadGuide(f"a material has no name: {item}")
    return material


def _variants(value: Any, details: Any) -> list[dict[str, Any]]:
    if details is not None and not isinstance(details, dict):
        raise BadGuide("variant_details must map variant names to {note, materials}")
    variants: list[dict[str, Any]] = []
    for item in _as_list(value):
        if isinstance(item, dict):
            variant = {str(k): v for k, v in item.items()}
        elif _text(item):
            variant = {"name": _text(item)}
        else:
            continue
        name = _text(variant.get("name"))
        if not name:
            raise BadGuide(f"a variant has no name: {item}")
        extra = (details or {}).get(name) or {}
        if not isinstance(extra, dict):
            raise BadGuide(f"variant_details of {name!r} must be {{note, materials}}")
        variant.update({str(k): v for k, v in extra.items()})
        if "materials" in variant:
            variant["materials"] = _normalize("materials", variant["materials"])
        variants.append(variant)
    unknown = set(details or {}) - {v["name"] for v in variants}
    if unknown:
        raise BadGuide(f"variant_details names a variant not in variants: {', '.join(sorted(unknown))}")
    return variants


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text.lower() in _PLACEHOLDERS else text
