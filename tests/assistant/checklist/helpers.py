"""Shared test data for checklist tests: a small real slice of the Guangdong guides, written to a temp file."""

from __future__ import annotations

import json
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
GUANGDONG = SHARED / "corpus" / "service-guides" / "guangdong.jsonl"
LAWS = SHARED / "corpus" / "laws"
CHECKLIST_DEV = SHARED / "eval" / "checklist_dev.jsonl"
REPO = Path(__file__).resolve().parents[3]

#: Matter families the tests ask about (variants, province/city twins, several matters), plus look-alikes.
FAMILIES = (
    "律师事务所设立许可",
    "基金会名称预先核准",
    "基金会设立登记",
    "二级注册建造师执业资格注册核准",
    "海域使用权续期审核、审批",
    "发票真伪鉴定",
    "代开增值税普通发票",
    "实验动物生产许可",
    "实验动物使用许可",
    "新增取水许可",
    "内资有限责任公司设立登记",
)


def write_guide_slice(path: Path, extra: int = 30) -> Path:
    """Guides of FAMILIES plus the first ``extra`` other guides with materials, as JSONL at ``path``."""
    chosen, others = [], []
    for line in GUANGDONG.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        if g["matter_name"] in FAMILIES:
            chosen.append(line)
        elif len(others) < extra and g["material_intro"] not in (["无"], "无"):
            others.append(line)
    path.write_text("\n".join(chosen + others) + "\n", encoding="utf-8")
    return path
