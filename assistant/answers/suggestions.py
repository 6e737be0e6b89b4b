"""Where to ask instead, when no basis is found: the likely department (from the catalogue) and the 12345 hotline."""

from __future__ import annotations

from pathlib import Path

HOTLINE = "12345政务服务便民热线"


class DepartmentSuggester:
    """Names the department whose catalogue keywords a question matches best, always with the 12345 hotline."""

    def __init__(self, catalogue_path: Path | None = None):
        self.catalogue_path = catalogue_path
        self._scorer = None
        self._catalogue = None

    def _load(self) -> None:
        if self._scorer is not None:
            return
        from assistant.errors import CatalogueInvalid
        from assistant.triage.catalogue import load_catalogue
        from assistant.triage.lexical import KeywordScorer

        try:
            self._catalogue = load_catalogue(self.catalogue_path)
        except CatalogueInvalid:
            self._catalogue = None
            self._scorer = False
            return
        self._scorer = KeywordScorer(self._catalogue)

    def department(self, question: str) -> str | None:
        """The name of the most likely department, or None when no keyword points anywhere."""
        self._load()
        if not self._scorer:
            return None
        from assistant.triage.text import normalise

        scores, _ = self._scorer.score(normalise(question).lower())
        if not len(scores) or float(scores.max()) <= 0:
            return None
        return list(self._catalogue)[int(scores.argmax())].name

    def __call__(self, question: str) -> str:
        dept = self.department(question)
        if dept:
            return f"建议咨询当地{dept}，或拨打{HOTLINE}。"
        return f"建议拨打{HOTLINE}咨询，或向相关主管部门了解。"
