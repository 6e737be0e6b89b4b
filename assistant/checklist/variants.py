"""Variants of one matter (新申请/延续/变更/注销/补发 …) and jurisdictions: how requests tell them apart."""

from __future__ import annotations

import re

from assistant.checklist.guide import ServiceGuide

#: variant → (words in a guide's name that mark it, words in a request that ask for it)
VARIANTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "新申请": (
        ("新申请", "初次", "首次", "初始", "新办", "新设", "新增", "设立"),
        ("新申请", "初次", "首次", "第一次", "初始", "新办", "新设", "新建", "新开", "开办", "开个", "开一家", "成立", "筹建", "从来没有", "从未", "还没", "刚"),
    ),
    "延续": (
        ("延续", "续期", "延期", "换发", "到期换证", "续展"),
        ("到期", "续期", "延续", "延期", "继续", "延长", "换证", "续展", "过期"),
    ),
    "变更": (
        ("变更", "调整"),
        ("变更", "更改", "改变", "更名", "改名", "换成", "迁址", "搬迁", "调整", "变动", "换了", "改为", "改到", "转到", "调入", "转入"),
    ),
    "注销": (
        ("注销", "终止", "撤销", "撤回"),
        ("注销", "不再", "停止", "撤销", "关闭", "终止", "歇业", "撤回", "解除质押", "解押"),
    ),
    "补发": (("补发", "补领", "补办", "遗失"), ("遗失", "丢失", "丢了", "补发", "补办", "补领", "损毁", "损坏")),
    "重新": (("重新",), ("重新",)),
    "增项": (("增项",), ("增加", "增项", "扩大")),
}

#: Places that put a request in Guangzhou (the city-level guides' jurisdiction).
GUANGZHOU_PLACES = (
    "广州", "越秀", "海珠", "荔湾", "天河", "白云", "黄埔", "番禺", "花都", "南沙", "从化", "增城", "空港",
)

_TRAILING_BRACKET = re.compile(r"[（(]([^（）()]*)[)）]\s*$")


def guide_variants(g: ServiceGuide) -> set[str]:
    """Variants a guide's own name or sub-case marks (empty for a plain matter)."""
    # a guide listing several variants is the plain matter; one variant names the case it covers
    own = g.variants if len(g.variants) == 1 else []
    text = " ".join([*_bracketed(g.title), *own])
    return {v for v, (marks, _) in VARIANTS.items() if any(m in text for m in marks)}


#: Variants that are the exception, not the usual case: a guide marked with one fits only a request asking for it.
EXCEPTIONAL = frozenset({"延续", "变更", "注销", "补发"})


def title_variants(g: ServiceGuide) -> set[str]:
    """Variants marked anywhere in a guide's title (海域使用权续期审核 → 延续), or by its single variant."""
    own = g.variants if len(g.variants) == 1 else []
    text = " ".join([g.title, *own])
    return {v for v, (marks, _) in VARIANTS.items() if any(m in text for m in marks)}


def stated_variants(g: ServiceGuide) -> set[str]:
    """Variants that qualify the matter: its sub-case, or the word ``family_name`` strips (…证书遗失补发)."""
    stripped = g.name.replace(family_name(g), "", 1) if family_name(g) != g.name else ""
    return guide_variants(g) | {v for v, (marks, _) in VARIANTS.items() if any(m in stripped for m in marks)}


def request_variants(request: str) -> set[str]:
    """Variants a request asks for by its wording."""
    return {v for v, (_, cues) in VARIANTS.items() if any(c in request for c in cues)}


_MARKS = sorted({mark for marks, _ in VARIANTS.values() for mark in marks}, key=len, reverse=True)


def family_name(g: ServiceGuide) -> str:
    """The matter without its variant (bracket, leading or trailing word): a family differs by variant or department."""
    name = g.name.strip()
    m = _TRAILING_BRACKET.search(name)
    if m and any(mark in m.group(1) for mark in _MARKS):
        name = name[: m.start()].strip()
    for mark in _MARKS:  # 新增取水许可 / 延续取水许可, 资格认可新增 / 资格认可换发
        if name.startswith(mark) and len(name) - len(mark) >= 4:
            name = name[len(mark) :]
            break
        if name.endswith(mark) and len(name) - len(mark) >= 4:
            name = name[: -len(mark)]
            break
    return name


def in_guangzhou(request: str) -> bool:
    """Whether the request places the enterprise or project in Guangzhou."""
    return any(p in request for p in GUANGZHOU_PLACES)


def _bracketed(title: str) -> list[str]:
    return re.findall(r"[（(]([^（）()]*)", title)
