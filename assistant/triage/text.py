"""Appeal text handling: normalisation (traditional → simplified, full-width → half-width) and masking of personal data."""

from __future__ import annotations

import re
import threading
import unicodedata

_converter = None
_converter_lock = threading.Lock()


def _t2s(text: str) -> str:
    # Appeals come in traditional characters too (港澳台 investors, some input methods); keywords are simplified.
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to half-width), simplified characters, collapsed whitespace."""
    text = unicodedata.normalize("NFKC", text)
    text = _t2s(text)
    return re.sub(r"\s+", " ", text).strip()


# Order matters: the strictest identifier first (an ID number also looks like a credit code or a card number).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 居民身份证号: 6-digit area, birth date 18xx-20xx, 3 digits, check digit or X
    ("[身份证号]", re.compile(r"(?<!\d)\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")),
    # 统一社会信用代码: 18 chars, registration authority + type + area code + org code + check char
    ("[信用代码]", re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])")),
    # bank card: 16-19 digits, possibly grouped by spaces or dashes
    ("[银行卡号]", re.compile(r"(?<!\d)(?:\d{4}[ -]?){3}\d{4}(?:[ -]?\d{1,3})?(?!\d)")),
    # mobile: 1[3-9]x, optionally +86, optionally already partly starred (138****5072)
    ("[电话]", re.compile(r"(?<![\d*])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?[\d*]{4}){2}(?![\d*])")),
    # landline: area code 0xx(x)-7/8 digits
    ("[电话]", re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")),
    ("[邮箱]", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
]


def mask_personal_data(text: str) -> str:
    """The text with phone numbers, ID numbers, credit codes, bank cards and e-mails replaced by placeholders."""
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return text
