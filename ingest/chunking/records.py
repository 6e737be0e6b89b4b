"""Record chunking: one list row (清单) or one service guide (办事指南) is one chunk, never split."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from assistant.documents import Record
from ingest.chunking.base import ChunkSink

#: A guide chunk's id is "<stable hash>[<guide id>]": brackets, so that the guide id can still be
#: read back when a caller appends its own suffix (the pipeline adds ".<file digest>").
_GUIDE_ID_IN_CHUNK_ID = re.compile(r"\[(.+)\]")
_EMPTY = {"", "无", "—", "-", "/", "null", "None"}
_LABEL_COLUMNS = ("名称", "事项", "项目", "标题", "名单")
_NUMBER_COLUMNS = ("序号", "编号", "No", "no")

#: Guide fields in reading order: the label shown, then the keys a record may use for it — the
#: loader's schema (ingest/loaders/guide_schema.py) first, then the Guangdong portal's, then Chinese.
GUIDE_FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("事项名称", ("name", "matter_name", "TASK_NAME", "事项名称")),
    ("事项编码", ("id", "TASK_CODE", "task_code", "事项编码", "实施编码")),
    ("实施部门", ("department", "DEPT_NAME", "实施部门", "实施主体", "实施机构")),
    ("事项类型", ("matter_type", "TASK_TYPE_TEXT", "事项类型")),
    ("行使层级", ("level", "matter_level", "行使层级")),
    ("所属地区", ("region", "AREA_CODE_TEXT")),
    ("联办部门", ("co_department", "联办部门")),
    ("服务对象", ("applicant_types", "service_object_name", "服务对象")),
    ("主题分类", ("themes", "theme", "theme_category", "主题分类")),
    ("受理条件", ("conditions", "accept_standard", "受理条件", "申请条件")),
    ("申请材料", ("materials", "material_intro", "申请材料")),
    ("办理情形", ("variants", "办理情形")),
    ("法定时限", ("legal_time_limit", "handle_time", "法定时限", "法定办结时限")),
    ("承诺时限", ("promised_time_limit", "handle_time_limit", "承诺时限", "承诺办结时限")),
    ("办理地点", ("location", "handle_location", "办理地点")),
    ("办理方式", ("online", "办理方式")),
    ("收费标准", ("fees", "收费标准")),
    ("设定依据", ("basis", "设定依据")),
    ("关键词", ("keywords", "关键词")),
    ("咨询电话", ("consult_phone", "咨询电话")),
    ("投诉电话", ("complain_phone", "投诉电话", "监督电话")),
]
_GUIDE_ID_KEYS = GUIDE_FIELDS[1][1]
_LISTED = {"申请材料", "设定依据"}  # one item a line, numbered
_DAYS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[（(]\s*(工作日|自然日|个工作日|天|日)\s*[)）]\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def render_value(value: Any) -> str:
    """A cell or field as text: whole floats without ".0", dates as ISO, lists joined by "、"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(v for v in (render_value(x) for x in value) if v)
    if isinstance(value, dict):
        return "；".join(f"{k}：{v}" for k, x in value.items() if (v := render_value(x)))
    text = str(value).strip()
    return "" if text in _EMPTY else text


def row_label(record: Record, columns: list[str]) -> str:
    """A row's label: its own label, a 名称-like column, or its first non-empty non-number cell."""
    if record.label:
        return record.label
    keys = columns or list(record.fields)
    for key in keys:
        if any(word in str(key) for word in _LABEL_COLUMNS) and render_value(record.fields.get(key)):
            return render_value(record.fields.get(key))
    values = [(k, render_value(record.fields.get(k))) for k in keys]
    for key, value in values:
        if value and not any(word in str(key) for word in _NUMBER_COLUMNS):
            return value
    return next((v for _, v in values if v), "")


def render_row(title: str, record: Record, columns: list[str]) -> str:
    """A row as "列名：值；…" on one line under the list's title."""
    keys = list(columns) + [k for k in record.fields if k not in columns]
    cells = [f"{k}：{v}" for k in keys if (v := render_value(record.fields.get(k)))]
    return f"{title}\n{'；'.join(cells)}" if title else "；".join(cells)


def chunk_list(sink: ChunkSink) -> None:
    """One chunk per row, labelled by the row; the row index keeps ids apart."""
    doc = sink.doc
    for index, record in enumerate(doc.records):
        text = render_row(doc.title, record, doc.columns)
        sink.add(text, article=row_label(record, doc.columns), key=f"row:{index}")


def guide_id(record: Record) -> str:
    """The guide's own id (TASK_CODE where the portal gives one), or ""."""
    for key in _GUIDE_ID_KEYS:
        value = render_value(record.fields.get(key))
        if value:
            return value
    return ""


def guide_id_of(chunk_id: str) -> str | None:
    """The guide id stored in a guide chunk's id, or None for other chunks."""
    m = _GUIDE_ID_IN_CHUNK_ID.search(chunk_id)
    return m.group(1) if m else None


def _days(value: str) -> str:
    m = _DAYS.match(value)
    if not m:
        return value
    unit = {"工作日": "个工作日", "个工作日": "个工作日", "自然日": "个自然日"}.get(m.group(2), "日")
    return f"{m.group(1)}{unit}"


def _field(fields: dict[str, Any], keys: tuple[str, ...]) -> tuple[str | None, Any]:
    for key in keys:
        if key in fields and render_value(fields[key]):
            return key, fields[key]
    return None, None


def render_material(item: Any) -> str:
    """One 申请材料: a plain name, or {name, form, copies, note} as "name（form，N份）：note"."""
    if not isinstance(item, dict):
        return render_value(item)
    name = render_value(item.get("name") or item.get("名称"))
    form = [render_value(item.get("form")), render_value(item.get("copies"))]
    details = "，".join(v if i == 0 else f"{v}份" for i, v in enumerate(form) if v)
    note = render_value(item.get("note"))
    known = {"name", "名称", "form", "copies", "note"}
    extra = "；".join(f"{k}：{v}" for k, x in item.items() if k not in known and (v := render_value(x)))
    text = name + (f"（{details}）" if details else "")
    return "：".join(t for t in (text, "；".join(t for t in (note, extra) if t)) if t)


def _variant_lines(variants: list[Any]) -> list[str]:
    lines = []
    for variant in variants:
        if not isinstance(variant, dict):
            if text := render_value(variant):
                lines.append(f"- {text}")
            continue
        name = render_value(variant.get("name")) or "情形"
        note = render_value(variant.get("note"))
        lines.append(f"- {name}" + (f"：{note}" if note else ""))
        materials = [m for m in (render_material(x) for x in variant.get("materials") or []) if m]
        if materials:
            lines.append(f"  该情形申请材料：{'；'.join(materials)}")
    return lines


def render_guide(record: Record) -> str:
    """A service guide as readable lines: 事项名称, 实施部门, …, 申请材料 as a numbered list."""
    fields = record.fields
    used: set[str] = set()
    lines: list[str] = []
    for label, keys in GUIDE_FIELDS:
        used.update(keys)
        key, value = _field(fields, keys)
        if key is None:
            if label == "事项名称" and record.label:
                lines.append(f"事项名称：{record.label}")
            continue
        if label in _LISTED and isinstance(value, (list, tuple)):
            items = [m for m in (render_material(x) for x in value) if m]
            lines.append(f"{label}：")
            lines.extend(f"{i}. {item}" for i, item in enumerate(items, start=1))
            continue
        if label == "办理情形" and isinstance(value, (list, tuple)):
            if variant_lines := _variant_lines(list(value)):
                lines.append(f"{label}：")
                lines.extend(variant_lines)
            continue
        text = render_value(value)
        if text.startswith(f"{label}：") or text.startswith(f"{label}:"):
            text = text[len(label) + 1 :].strip()
        if label in ("法定时限", "承诺时限"):
            text = _days(text)
        lines.append(f"{label}：{text}")
    # Fields a loader named in Chinese but this table does not know still carry meaning.
    for key, value in fields.items():
        if key not in used and _CJK.search(str(key)) and (text := render_value(value)):
            lines.append(f"{key}：{text}")
    return "\n".join(lines)


def chunk_guides(sink: ChunkSink) -> None:
    """One chunk per guide; its article is the guide's name and its id ends with the guide's id."""
    for index, record in enumerate(sink.doc.records):
        gid = guide_id(record)
        name = record.label or render_value(_field(record.fields, GUIDE_FIELDS[0][1])[1])
        suffix = f"[{gid}]" if gid else ""
        sink.add(render_guide(record), article=name, key=gid or f"row:{index}", id_suffix=suffix)
