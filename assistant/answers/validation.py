"""Checks an LLM answer against its evidence: only retrieved articles cited, no figure the cited texts lack."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.figures import figures_in

_MARKER = re.compile(r"\[(\d+)\]")


@dataclass
class Check:
    ok: bool
    cited: list[int]  # 1-based article numbers the answer cites, in order of first mention
    problem: str = ""


def check_answer(text: str, sources: list[str]) -> Check:
    """``sources`` are the numbered article texts of the prompt; markers are [1]..[n]."""
    cited: list[int] = []
    for m in _MARKER.finditer(text):
        n = int(m.group(1))
        if not 1 <= n <= len(sources):
            return Check(False, cited, f"cites [{n}], which was not retrieved")
        if n not in cited:
            cited.append(n)
    if not cited:
        return Check(False, cited, "cites no article")
    allowed: set[float] = set()
    for n in cited:
        allowed |= figures_in(sources[n - 1])
    unknown = sorted(figures_in(text) - allowed)
    if unknown:
        shown = "、".join(f"{x:g}" for x in unknown[:3])
        return Check(False, cited, f"states {shown}, which no cited article states")
    return Check(True, cited)
