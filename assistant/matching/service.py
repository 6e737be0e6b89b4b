"""The matching service: benefit policies read from the live index (re-read when it changes), matched on demand."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable

from pydantic import BaseModel, Field

from assistant.errors import NotFound
from assistant.index import CorpusIndex
from assistant.matching.conditions import Policy
from assistant.matching.extract import PolicyExtractor
from assistant.matching.matcher import Check, Decision, Matcher, Outcome
from assistant.matching.profile import Profile
from assistant.matching.reading import policy_documents


class Reminder(BaseModel):
    """One enterprise to remind about a policy (政府提醒企业申报), and why."""

    profile_id: str | None
    name: str | None
    outcome: Outcome
    reason: str
    missing_facts: list[str] = Field(default_factory=list)
    basis: list[Check] = Field(default_factory=list)


class Candidates(BaseModel):
    """Reverse matching of one policy over a batch of profiles."""

    policy_id: str
    title: str
    deadline: dt.date | None
    total: int
    counts: dict[str, int]
    remind: list[Reminder]
    not_eligible: list[Reminder]


class MatchingService:
    """Policies (documents of type policy that pay or grant something) and matching against profiles."""

    def __init__(self, index: CorpusIndex, extractor: PolicyExtractor | None = None):
        self.index = index
        self.extractor = extractor or PolicyExtractor()
        self._cache: tuple[int, list[Policy]] | None = None
        self._lock = threading.Lock()

    def policies(self) -> list[Policy]:
        """Benefit policies in force, extracted once per index generation."""
        gen = self.index.manifest.generation()
        cached = self._cache
        if cached is not None and cached[0] == gen:
            return cached[1]
        with self._lock:
            if self._cache is None or self._cache[0] != gen:
                docs = policy_documents(self.index)
                extracted = [self.extractor.run(d) for d in docs]
                self._cache = (gen, _unique_ids([p for p in extracted if _pays_out(p)]))
            return self._cache[1]

    def policy(self, policy_id: str) -> Policy:
        """One policy by id, or NotFound listing a few valid ids."""
        for p in self.policies():
            if p.id == policy_id:
                return p
        known = ", ".join(p.id for p in self.policies()[:8])
        raise NotFound(f"no policy '{policy_id}'" + (f"; known: {known}…" if known else "; none are ingested"))

    def match(self, profile: Profile, as_of: dt.date | None = None) -> list[Decision]:
        """Every policy's decision for one profile, best first."""
        return Matcher(self.policies(), as_of).match(profile)

    def candidates(
        self,
        policy_id: str,
        profiles: Iterable[Profile],
        as_of: dt.date | None = None,
        on_profile: Callable[[], None] | None = None,
    ) -> Candidates:
        """Whom to remind about ``policy_id``: eligible first, then possibly eligible (with the facts to ask)."""
        policy = self.policy(policy_id)
        matcher = Matcher([policy], as_of)
        remind: list[tuple[Decision, Profile]] = []
        rejected: list[tuple[Decision, Profile]] = []
        for profile in profiles:
            d = matcher.decide(policy, profile)
            (rejected if d.outcome == "not_eligible" else remind).append((d, profile))
            if on_profile is not None:
                on_profile()
        remind.sort(key=lambda dp: (dp[0].outcome != "eligible", len(dp[0].missing_facts)))
        counts = {"eligible": 0, "possibly_eligible": 0, "not_eligible": len(rejected)}
        for d, _ in remind:
            counts[d.outcome] += 1
        return Candidates(
            policy_id=policy.id, title=policy.title, deadline=policy.window.end, total=len(remind) + len(rejected),
            counts=counts, remind=[_reminder(d, p) for d, p in remind],
            not_eligible=[_reminder(d, p) for d, p in rejected],
        )


def _reminder(d: Decision, p: Profile) -> Reminder:
    return Reminder(profile_id=p.id, name=p.name, outcome=d.outcome, reason=d.reason, missing_facts=d.missing_facts,
                    basis=d.basis())


def _pays_out(p: Policy) -> bool:
    """A policy someone can claim: it states an amount or an application window."""
    return bool(p.amount) or p.window.end is not None


def _unique_ids(policies: list[Policy]) -> list[Policy]:
    """Ids are file stems; two files with one stem in different folders get the folder too."""
    seen: dict[str, int] = {}
    for p in policies:
        seen[p.id] = seen.get(p.id, 0) + 1
    for p in policies:
        if seen[p.id] > 1:
            p.id = p.source.rsplit(".", 1)[0].replace("/", "-")
    return policies
