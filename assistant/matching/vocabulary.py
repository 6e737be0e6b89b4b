"""The words policies and profiles use for certifications (资质认定), taxpayer types and adverse records."""

from __future__ import annotations

import re

#: Canonical certification → the spellings policy text and enterprises use, longest checked first.
CERTIFICATIONS: dict[str, tuple[str, ...]] = {
    "高新技术企业": ("高新技术企业",),
    "科技型中小企业": ("科技型中小企业",),
    "创新型中小企业": ("创新型中小企业",),
    "专精特新中小企业": ("专精特新中小企业", "省级专精特新", "专精特新企业"),
    "专精特新“小巨人”企业": ("小巨人",),
    "制造业单项冠军": ("单项冠军",),
    "首台（套）产品": ("首台（套）", "首台(套)", "首台套", "首批次新材料", "首版次软件"),
    "进出口经营资格": ("进出口经营资格", "进出口经营权", "进出口权", "对外贸易经营者备案"),
    "个转企": ("个转企", "个体工商户转型为企业"),
    "名特优新个体工商户": ("名特优新",),
}
#: Short forms enterprises write in profiles but that policy text would match by accident (提高企业).
PROFILE_ALIASES = {"高企": "高新技术企业", "国家高新": "高新技术企业", "科小": "科技型中小企业", "专精特新": "专精特新中小企业"}
_ALIASES = sorted(((a, c) for c, al in CERTIFICATIONS.items() for a in al), key=lambda p: -len(p[0]))
_BOOK_TITLE = re.compile(r"《[^》]*》")

#: Adverse-record flag → words that name it in policy text.
EXCLUSION_WORDS: dict[str, tuple[str, ...]] = {
    "serious_dishonesty": ("严重失信", "失信企业", "失信主体", "恶意逃废债"),
    "abnormal_operation": ("经营异常名录",),
    "major_accident": ("重大安全", "重大质量", "环境污染事故", "严重环境违法"),
    "arrears": ("欠缴社会保险费", "欠缴失业保险费", "拖欠职工工资"),
}

TAXPAYER_TYPES = {"small_scale": ("小规模纳税人", "small_scale", "small-scale"), "general": ("一般纳税人", "general")}


def certifications_in(text: str) -> list[str]:
    """Canonical certifications named in ``text`` (titles in 《》 are not claims and are skipped)."""
    text = _BOOK_TITLE.sub("", text)
    found: list[str] = []
    for alias, canonical in _ALIASES:
        if alias in text:
            text = text.replace(alias, "■")
            if canonical not in found:
                found.append(canonical)
    return found


def without_book_titles(text: str) -> str:
    """``text`` without the titles of other documents (《…》)."""
    return _BOOK_TITLE.sub("", text)


def without_certifications(text: str) -> str:
    """``text`` with book titles and certification names blanked (科技型中小企业 is no size word)."""
    text = _BOOK_TITLE.sub("■", text)
    for alias, _ in _ALIASES:
        text = text.replace(alias, "■")
    return text


def canonical_certification(name: str) -> str | None:
    """A profile's certification spelling → the canonical name, or None when unknown."""
    name = name.strip()
    if name in CERTIFICATIONS:
        return name
    if name in PROFILE_ALIASES:
        return PROFILE_ALIASES[name]
    found = certifications_in(name)
    return found[0] if found else None


def exclusion_flags(text: str) -> list[str]:
    """Adverse-record flags a sentence names."""
    return [flag for flag, words in EXCLUSION_WORDS.items() if any(w in text for w in words)]


def taxpayer_type(value: str) -> str | None:
    """小规模纳税人 / 一般纳税人 (or the English keys) → small_scale / general."""
    value = value.strip()
    for key, words in TAXPAYER_TYPES.items():
        if any(w in value for w in words):
            return key
    return None
