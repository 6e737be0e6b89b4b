"""Load service guides from JSON/JSONL (with a field mapping) and from YAML guide files."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from assistant.checklist.guide import EMPTY_VALUES, Material, ServiceGuide
from assistant.errors import LoadError

#: ServiceGuide field → source key, or several keys tried in order (first non-empty wins).
GUANGDONG_FIELDS: dict[str, str | tuple[str, ...]] = {
    "id": "TASK_CODE",
    "name": "matter_name",
    "full_name": "TASK_NAME",
    "catalogue": "CATANAME",
    "department": "DEPT_NAME",
    "matter_type": ("matter_type", "TASK_TYPE_TEXT"),
    "applicant_types": "service_object_name",
    "conditions": "accept_standard",
    "materials": "material_intro",
    "legal_time_limit": "handle_time",
    "promised_time_limit": "handle_time_limit",
    "location": "handle_location",
    "variants": "subTaskName",
    "theme": "theme_category",
    "keywords": "matter_short",
    "region": "AREA_CODE_TEXT",
    "level": "matter_level",
    "url": "URL",
}

_LIST_FIELDS = {"applicant_types", "basis", "variants", "theme", "keywords"}
_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[(（]\s*(工作日|自然日|日|天|个月|月)\s*[)）]\s*$")
_LOCATION_PREFIX = re.compile(r"^\s*办理地点[:：]\s*")
_SPLIT_MATERIALS = re.compile(r"[；;\n]+")


@dataclass
class FieldMapping:
    """How the keys of a JSON guide map onto ServiceGuide fields."""

    fields: Mapping[str, str | tuple[str, ...]] = field(default_factory=lambda: dict(GUANGDONG_FIELDS))

    def get(self, raw: Mapping[str, Any], name: str) -> Any:
        """The first non-empty source value for ``name``, or None."""
        keys = self.fields.get(name, name)
        for key in (keys,) if isinstance(keys, str) else keys:
            value = raw.get(key)
            if not _is_empty(value):
                return value
        return None


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in EMPTY_VALUES
    if isinstance(value, (list, tuple)):
        return all(_is_empty(v) for v in value)
    return False


def _text(value: Any) -> str | None:
    return None if _is_empty(value) else str(value).strip()


def _strings(value: Any) -> list[str]:
    if _is_empty(value):
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [str(v).strip() for v in items if not _is_empty(v)]


def time_limit(value: Any) -> str | None:
    """'30(工作日)' → '30个工作日'; other wording is kept as written."""
    text = _text(value)
    if text is None:
        return None
    m = _TIME.match(text)
    if not m:
        return text
    n, unit = m.groups()
    return f"{n}个工作日" if unit == "工作日" else f"{n}{unit}"


def materials(value: Any) -> list[Material]:
    """Materials from a list of names, a list of dicts or one string split at ；."""
    if _is_empty(value):
        return []
    items = _SPLIT_MATERIALS.split(value) if isinstance(value, str) else value
    out: list[Material] = []
    for item in items:
        if isinstance(item, Mapping):
            name = _text(item.get("name"))
            if name:
                copies = item.get("copies")
                out.append(
                    Material(
                        name=name,
                        form=_text(item.get("form")),
                        copies=int(copies) if isinstance(copies, (int, float)) or str(copies).isdigit() else None,
                        note=_text(item.get("note")),
                    )
                )
        elif not _is_empty(item):
            out.append(Material(name=str(item).strip()))
    return out


def guide_from_record(raw: Mapping[str, Any], mapping: FieldMapping | None = None, source: str = "") -> ServiceGuide:
    """One ServiceGuide from one raw record; raises LoadError when id, name or department is missing."""
    mapping = mapping or FieldMapping()
    values: dict[str, Any] = {}
    for name in ServiceGuide.__dataclass_fields__:
        if name in ("source", "materials"):
            continue
        value = mapping.get(raw, name)
        if name in _LIST_FIELDS:
            values[name] = _strings(value)
        elif name in ("legal_time_limit", "promised_time_limit"):
            values[name] = time_limit(value)
        elif name == "location":
            values[name] = _LOCATION_PREFIX.sub("", _text(value) or "") or None
        else:
            values[name] = _text(value)
    for required in ("id", "name", "department"):
        if not values.get(required):
            raise LoadError(source or "<record>", f"service guide without {required}: {str(dict(raw))[:80]}")
    if values.get("full_name") == values["name"]:
        values["full_name"] = None
    values["materials"] = materials(mapping.get(raw, "materials"))
    if not values["basis"] and values.get("conditions"):
        values["basis"] = cited_laws(values["conditions"])
    return ServiceGuide(source=source, **values)


_CITED = re.compile(r"《([^《》]{2,60})》((?:第[一二三四五六七八九十百零〇]+条)?)")


def cited_laws(text: str) -> list[str]:
    """Laws and articles a text cites (《…》第X条), in order, once each: the basis of a guide's conditions."""
    seen: list[str] = []
    for title, article in _CITED.findall(text):
        ref = f"《{title}》{article}"
        if ref not in seen and not title.endswith(("申请表", "登记表", "申请书")):
            seen.append(ref)
    return seen[:8]


def load_json_guides(path: str | Path, mapping: FieldMapping | None = None) -> list[ServiceGuide]:
    """Guides from a .jsonl file (one object a line) or a .json file (a list, or {"guides": [...]})."""
    path = Path(path)
    if not path.is_file():
        raise LoadError(str(path), "no such file")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise LoadError(str(path), f"invalid JSON line: {e}") from e
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise LoadError(str(path), f"invalid JSON: {e}") from e
        records = data.get("guides", []) if isinstance(data, dict) else data
    return [guide_from_record(r, mapping, source=path.name) for r in records]


#: YAML guides already use ServiceGuide's own field names.
IDENTITY = FieldMapping(fields={})


def load_yaml_guides(path: str | Path) -> list[ServiceGuide]:
    """Guides of one YAML file with ``kind: service_guides``; other kinds yield nothing."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise LoadError(str(path), f"cannot read YAML: {e}") from e
    if not isinstance(data, dict) or data.get("kind") != "service_guides":
        return []
    guides = data.get("guides") or []
    if not isinstance(guides, list):
        raise LoadError(str(path), "`guides:` must be a list")
    out: list[ServiceGuide] = []
    for raw in guides:
        record = _yaml_record(raw, data)
        out.append(guide_from_record(record, IDENTITY, source=path.name))
        out.extend(_variant_guides(out[-1], raw.get("variant_details") if isinstance(raw, dict) else None))
    return out


def _yaml_record(g: Any, file_data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(g, dict):
        return {}
    g = dict(g)
    for key in ("theme", "keywords", "basis", "variants", "applicant_types"):
        if isinstance(g.get(key), str):
            g[key] = [g[key]]
    g.setdefault("region", file_data.get("region"))
    return g


def _variant_guides(base: ServiceGuide, details: Any) -> list[ServiceGuide]:
    """One guide per variant with its own materials (延续/变更/注销 …), id ``<base id>#<variant>``."""
    if not isinstance(details, dict):
        return []
    out = []
    for variant, detail in details.items():
        detail = detail if isinstance(detail, dict) else {}
        note = _text(detail.get("note"))
        out.append(
            replace(
                base,
                id=f"{base.id}#{variant}",
                full_name=f"{base.name}（{variant}）",
                variants=[str(variant)],
                materials=materials(detail.get("materials")) or list(base.materials),
                conditions="；".join(x for x in (base.conditions, note) if x) or None,
            )
        )
    return out


def load_guides(paths: Iterable[str | Path], mapping: FieldMapping | None = None) -> list[ServiceGuide]:
    """Guides from files and folders (.jsonl/.json with ``mapping``, .yaml/.yml); later ids win."""
    by_id: dict[str, ServiceGuide] = {}
    for p in paths:
        p = Path(p)
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            if f.suffix in (".jsonl", ".json"):
                found = load_json_guides(f, mapping)
            elif f.suffix in (".yaml", ".yml"):
                found = load_yaml_guides(f)
            else:
                continue
            for g in found:
                by_id[g.id] = g
    return list(by_id.values())
