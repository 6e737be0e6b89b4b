"""Query expansion: statutory terms (用人单位, 解除劳动合同) for a question's everyday words (老板, 开除).

Statutes rarely use the words enterprises ask with, so keyword retrieval misses the article that answers them.
The thesaurus (data/query_terms.yaml, colloquial phrase → statutory terms) is read once; ``expand`` finds its
phrases in a question, longest first, and returns the terms to search for besides the question's own words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import InvalidInput

QUERY_TERMS = Path(__file__).parent / "data" / "query_terms.yaml"


@dataclass(frozen=True)
class Thesaurus:
    """Colloquial phrase → statutory terms, plus every statutory term (a phrase inside one is not colloquial)."""

    terms: dict[str, tuple[str, ...]]
    statutory: frozenset[str]

    @classmethod
    def load(cls, path: Path = QUERY_TERMS) -> Thesaurus:
        """Read a thesaurus: a mapping of domains, each a mapping of phrase → list of terms."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise InvalidInput(f"{path}: expected a mapping of domains")
        terms: dict[str, list[str]] = {}
        for domain, entries in raw.items():
            if not isinstance(entries, dict):
                raise InvalidInput(f"{path}: domain '{domain}' is not a mapping of phrase → terms")
            for phrase, values in entries.items():
                if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                    raise InvalidInput(f"{path}: '{phrase}' in '{domain}' needs a list of terms")
                merged = terms.setdefault(str(phrase).strip().lower(), [])
                merged.extend(v.strip() for v in values if v.strip() not in merged)
        statutory = frozenset(v.lower() for vs in terms.values() for v in vs) - terms.keys()
        return cls({k: tuple(v) for k, v in terms.items() if k}, statutory)

    def expand(self, query: str) -> list[str]:
        """Statutory terms for the colloquial phrases of ``query`` that it does not already contain.

        Phrases are matched longest first and a matched span is not matched again, so 加班费 wins over 加班;
        a phrase inside a longer statutory term already in the query (单位 in 用人单位) is not colloquial there.
        """
        return list(dict.fromkeys(term for _, term in self._matches(query)))

    def aliases(self, query: str) -> list[str]:
        """The statutory terms ``query`` names by an abbreviation (个税 → 个人所得税, 社保 → 社会保险): the
        phrase's characters occur in the term in order but not as one run. Unlike other expansions (办证 →
        行政许可, an association), an alias says the question is about that very concept."""
        return list(dict.fromkeys(term for phrase, term in self._matches(query) if _abbreviates(phrase, term.lower())))

    def _matches(self, query: str) -> list[tuple[str, str]]:
        text = (query or "").lower()
        taken = [False] * len(text)
        out: list[tuple[str, str]] = []
        for phrase in self._by_length:
            start = text.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * len(phrase)
                    out.extend((phrase, t) for t in self.terms.get(phrase, ()) if t.lower() not in text)
                start = text.find(phrase, start + 1)
        return out

    @functools.cached_property
    def _by_length(self) -> list[str]:
        # Statutory terms take part only to block the shorter colloquial phrases inside them.
        return sorted({*self.terms, *self.statutory}, key=lambda p: (-len(p), p))


def _abbreviates(phrase: str, term: str) -> bool:
    rest = iter(term)
    return phrase not in term and all(ch in rest for ch in phrase)


@functools.cache
def thesaurus() -> Thesaurus:
    """The packaged thesaurus, read on first use."""
    return Thesaurus.load()


def expand(query: str) -> list[str]:
    """Statutory terms for the colloquial phrases in ``query`` (packaged thesaurus)."""
    return thesaurus().expand(query)


def aliases(query: str) -> list[str]:
    """Statutory terms ``query`` names by an abbreviation (packaged thesaurus)."""
    return thesaurus().aliases(query)
