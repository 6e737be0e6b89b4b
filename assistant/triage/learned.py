"""What labelled history (已办结诉求) teaches: a character n-gram TF-IDF + logistic regression over departments and types."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.errors import InvalidInput
from assistant.triage.catalogue import Catalogue
from assistant.triage.text import normalise

_FORMAT = "huiqi-triage-history/1"


@dataclass
class LabelledAppeal:
    """One appeal of the history with the department that handled it (and its type when known)."""

    text: str
    department: str
    type: str | None = None
    also_ok: list[str] = field(default_factory=list)


def _tfidf() -> TfidfVectorizer:
    # Characters, not words: appeals are colloquial, with typos and variant wordings jieba splits badly.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1)


class HistoryModel:
    """Department (and type) classifier learned from history, with the catalogue as extra training text.

    The catalogue's mandates, keywords and examples are added as labelled texts so that a department
    missing from the history is still a class, and rare departments are not drowned by frequent ones.
    """

    def __init__(self, catalogue: Catalogue, c: float = 10.0):
        self.catalogue = catalogue
        self.c = c
        self._dept: tuple[TfidfVectorizer, LogisticRegression] | None = None
        self._type: tuple[TfidfVectorizer, LogisticRegression] | None = None
        self.trained_on = 0

    @property
    def fitted(self) -> bool:
        return self._dept is not None

    def _catalogue_texts(self) -> tuple[list[str], list[int]]:
        texts, labels = [], []
        for i, dept in enumerate(self.catalogue):
            for t in (*dept.mandates, *dept.examples, " ".join(dept.keywords), " ".join([dept.name, *dept.aliases])):
                texts.append(normalise(t))
                labels.append(i)
        return texts, labels

    def fit(self, history: list[LabelledAppeal]) -> HistoryModel:
        """Train on the history (departments outside the catalogue are an error)."""
        if not history:
            raise InvalidInput("the training history is empty")
        unknown = sorted({a.department for a in history if a.department not in self.catalogue})
        if unknown:
            raise InvalidInput(f"history names departments not in the catalogue: {', '.join(unknown[:10])}")
        texts, labels = self._catalogue_texts()
        texts += [normalise(a.text) for a in history]
        labels += [self.catalogue.index(a.department) for a in history]
        vec = _tfidf()
        x = vec.fit_transform(texts)
        clf = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
        clf.fit(x, labels)
        self._dept = (vec, clf)
        typed = [a for a in history if a.type]
        if len({a.type for a in typed}) >= 2:
            tvec = _tfidf()
            tx = tvec.fit_transform([normalise(a.text) for a in typed])
            tclf = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
            tclf.fit(tx, [a.type for a in typed])
            self._type = (tvec, tclf)
        self.trained_on = len(history)
        return self

    def department_log_proba(self, texts: list[str]) -> np.ndarray:
        """(n, departments) log-probabilities, in catalogue order."""
        assert self._dept is not None, "fit() or load() first"
        vec, clf = self._dept
        proba = clf.predict_proba(vec.transform(texts))
        out = np.full((len(texts), len(self.catalogue)), 1e-6, dtype=np.float64)
        out[:, clf.classes_] = proba
        return np.log(out)

    def type_proba(self, texts: list[str]) -> list[dict[str, float]] | None:
        """Per appeal, type → probability; None when the history carried no types."""
        if self._type is None:
            return None
        vec, clf = self._type
        proba = clf.predict_proba(vec.transform(texts))
        return [dict(zip(clf.classes_, map(float, row))) for row in proba]

    def save(self, path: Path) -> None:
        """Write the trained model (pickle; load only files you wrote yourself)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {"format": _FORMAT, "ids": self.catalogue.ids, "dept": self._dept, "type": self._type,
                 "trained_on": self.trained_on, "c": self.c}
        with path.open("wb") as f:
            pickle.dump(state, f)

    @classmethod
    def load(cls, path: Path, catalogue: Catalogue) -> HistoryModel:
        """Read a model saved by ``save``; it must have been trained on the same catalogue ids."""
        try:
            with path.open("rb") as f:
                state = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError) as e:
            raise InvalidInput(f"cannot read triage model {path}: {e}") from e
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            raise InvalidInput(f"{path} is not a huiqi triage model")
        if state["ids"] != catalogue.ids:
            raise InvalidInput(f"{path} was trained on another department catalogue; retrain it")
        model = cls(catalogue, c=state["c"])
        model._dept, model._type, model.trained_on = state["dept"], state["type"], state["trained_on"]
        return model
