"""Appeal triage (诉求分派): department top-3, type, complexity tier, due date and masked text for each appeal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel

from assistant.embeddings.base import Embedder
from assistant.errors import BatchTooLarge, InvalidInput
from assistant.settings import Settings
from assistant.triage.adjudicator import Adjudicator
from assistant.triage.appeal_type import classify_type
from assistant.triage.catalogue import Catalogue, load_catalogue
from assistant.triage.classifier import DepartmentCandidate, DepartmentClassifier, FusionWeights
from assistant.triage.deadline import SLA, add_working_days, complexity_tier, load_holidays
from assistant.triage.learned import HistoryModel, LabelledAppeal
from assistant.triage.text import mask_personal_data, normalise

MAX_APPEAL_CHARS = 5000


@dataclass
class Appeal:
    """An incoming appeal (涉企诉求): its text, an optional caller-given id and the date it was received."""

    text: str
    id: str | None = None
    received: dt.date | None = None


@dataclass
class TriageResult:
    """What a dispatcher needs to act on one appeal."""

    id: str | None
    departments: list[DepartmentCandidate]
    type: str
    tier: str
    sla_days: int
    received: dt.date
    due: dt.date
    masked_text: str
    adjudicated: bool = False
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "departments": [c.to_dict() for c in self.departments],
            "type": self.type,
            "tier": self.tier,
            "sla_days": self.sla_days,
            "received": self.received.isoformat(),
            "due": self.due.isoformat(),
            "masked_text": self.masked_text,
            "adjudicated": self.adjudicated,
        }


class Triager:
    """Triage one appeal or a batch. Light constructor; ``warm_up()`` loads the tokenizer and embeds the catalogue.

    Settings it expects (wired by the app): catalogue path, SLA days (简易/一般/复杂), holidays file,
    batch limit, an optional trained history model, an optional chat model for adjudication.
    """

    def __init__(self, catalogue: Catalogue | None = None, embedder: Embedder | None = None, *,
                 sla: SLA | None = None, holidays: Iterable[dt.date] | Path | None = None,
                 batch_limit: int = 500, history: HistoryModel | None = None,
                 chat_model: BaseChatModel | None = None, weights: FusionWeights | None = None,
                 cache_dir: Path | None = None, dense_below: float | None = 0.9,
                 today: Callable[[], dt.date] = dt.date.today):
        if batch_limit < 1:
            raise InvalidInput("batch_limit must be at least 1")
        self.catalogue = catalogue or load_catalogue()
        self.sla = sla or SLA()
        if isinstance(holidays, Path):
            holidays = load_holidays(holidays)
        self.holidays = frozenset(holidays or ())
        self.batch_limit = batch_limit
        self.classifier = DepartmentClassifier(self.catalogue, embedder, weights=weights, history=history,
                                               cache_dir=cache_dir, dense_below=dense_below)
        self.adjudicator = Adjudicator(chat_model, self.catalogue) if chat_model is not None else None
        self.today = today

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder | None,
                      chat_model: BaseChatModel | None = None) -> Triager:
        """The deployment's triager: catalogue, SLA, holidays, batch limit, history model and cascade from Settings."""
        s = settings
        path = s.triage_catalogue or s.corpus_dir / "departments.yaml"
        # A corpus without its own catalogue (or a CLI run outside the checkout) uses the packaged one.
        catalogue = load_catalogue(path if s.triage_catalogue or path.exists() else None)
        history = HistoryModel.load(s.triage_model, catalogue) if s.triage_model is not None else None
        return cls(catalogue, embedder, sla=SLA.parse(s.triage_sla), holidays=s.holidays_file,
                   batch_limit=s.triage_batch_limit, history=history,
                   chat_model=chat_model if s.triage_adjudicate else None,
                   cache_dir=s.cache_dir / "triage", dense_below=s.triage_dense_below)

    def warm_up(self) -> None:
        """Load everything the first request would otherwise wait for."""
        self.classifier.warm_up()

    def train(self, history: list[LabelledAppeal]) -> HistoryModel:
        """Learn from labelled history (departments and, when given, types)."""
        return self.classifier.fit(history)

    def triage(self, appeal: Appeal | str) -> TriageResult:
        """Triage one appeal."""
        return self.triage_batch([appeal])[0]

    def triage_batch(self, appeals: list[Appeal | str], k: int = 3) -> list[TriageResult]:
        """Triage many appeals at once (one embedding batch; bounded by ``batch_limit``)."""
        if len(appeals) > self.batch_limit:
            raise BatchTooLarge(f"{len(appeals)} appeals in one batch; the limit is {self.batch_limit}")
        items = [a if isinstance(a, Appeal) else Appeal(text=a) for a in appeals]
        for n, a in enumerate(items):
            if not isinstance(a.text, str) or not a.text.strip():
                raise InvalidInput(f"appeal #{n + 1}{f' ({a.id})' if a.id else ''} has no text")
            if len(a.text) > MAX_APPEAL_CHARS:
                raise InvalidInput(f"appeal #{n + 1} is longer than {MAX_APPEAL_CHARS} characters")
        if not items:
            return []
        # Personal data is masked before anything else sees the text (an LLM, logs, the report).
        masked = [mask_personal_data(a.text) for a in items]
        ranked = self.classifier.rank(masked, k=k)
        history = self.classifier.history
        learned_types = history.type_proba([normalise(t) for t in masked]) if history is not None else None
        results = []
        for n, (a, text, candidates) in enumerate(zip(items, masked, ranked)):
            adjudicated = False
            if self.adjudicator is not None:
                candidates, adjudicated = self.adjudicator.choose(text, candidates)
            norm = normalise(text)
            appeal_type = classify_type(norm, learned_types[n] if learned_types else None)
            margin = candidates[0].score - (candidates[1].score if len(candidates) > 1 else 0.0)
            tier = complexity_tier(norm, appeal_type, margin)
            received = a.received or self.today()
            days = self.sla.days(tier)
            results.append(TriageResult(
                id=a.id, departments=candidates, type=appeal_type, tier=tier, sla_days=days, received=received,
                due=add_working_days(received, days, self.holidays), masked_text=text, adjudicated=adjudicated,
            ))
        return results
