"""Helpers shared by the security and bad-input tests: a small corpus and an app with chosen settings."""

from __future__ import annotations

from pathlib import Path

from assistant.components import Components
from tests.lawfiles import write_law

KEY = "test-admin-key-0123456789"


def write_small_corpus(folder: Path) -> Path:
    write_law(folder, "示例年休假条例", "2007-12-14", [
        "第一条 职工连续工作1年以上的，享受带薪年休假。",
        "第二条 职工累计工作已满10年不满20年的，年休假10天。",
    ])
    write_law(folder, "示例小微企业扶持办法", "2021-03-01", [
        "第一条 小型微利企业年应纳税所得额不超过100万元的部分，减按25%计入应纳税所得额。",
        "第二条 申请扶持资金应当提交营业执照复印件和上年度财务报表。",
    ])
    return folder


def components_with(settings, embedder, **overrides) -> Components:
    """Components over ``settings`` changed by ``overrides`` (validated like environment values)."""
    cls = type(settings)
    data = {k: getattr(settings, k) for k in cls.model_fields}
    return Components(cls(**{**data, **overrides}, _env_file=None), embedder=embedder)
