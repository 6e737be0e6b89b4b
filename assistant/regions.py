"""Which regions a question is about: the provinces, cities and well-known districts it names.

A local regulation (浙江省…条例) binds only in its region. A question that names no place is answered from
national law first, or from the deployment's home region (``settings.home_region``); one that names a place
(我们是宁波的企业) is answered from that region's rules and national law, not another region's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ingest.loaders.regions import PROVINCES

PLACES_FILE = Path(__file__).parent / "data" / "places.tsv"
#: Named as parties far more often than as the place whose rules apply (香港投资者, 台资企业).
_NOT_JURISDICTIONS = frozenset({"香港", "澳门", "台湾"})


@lru_cache(maxsize=1)
def _places() -> tuple[re.Pattern[str], dict[str, str]]:
    region_of: dict[str, str] = {}
    for short, full in PROVINCES.items():
        if short not in _NOT_JURISDICTIONS:
            region_of[short] = region_of[full] = full
    for line in PLACES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, region = line.split("\t")
        # a name that is also an everyday word (日照, 开封) counts only with 市 after it
        region_of[name[:-1] + "市" if name.endswith("*") else name] = region
    names = sorted(region_of, key=len, reverse=True)  # the longest name wins where two start together
    return re.compile("|".join(map(re.escape, names))), region_of


def regions_named(text: str) -> set[str]:
    """Provincial regions (浙江省, 上海市, …) that ``text`` names directly or through a city or district."""
    pattern, region_of = _places()
    return {region_of[m.group(0)] for m in pattern.finditer(text or "")}
