"""Optional LLM adjudication (研判): a chat model picks among the top candidate departments."""

from __future__ import annotations

import logging
import re

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.triage.catalogue import Catalogue
from assistant.triage.classifier import DepartmentCandidate

log = logging.getLogger(__name__)

_SYSTEM = (
    "你是县级12345热线的诉求分派员。根据企业诉求内容和各候选部门的职责，选出最应首先承办的一个部门。"
    "只回答该部门的编号（id），不要解释。"
)


class Adjudicator:
    """Asks a chat model to choose among the classifier's candidates; the candidates' order is kept if it cannot."""

    def __init__(self, chat_model: BaseChatModel, catalogue: Catalogue, max_mandates: int = 4):
        self.chat_model = chat_model
        self.catalogue = catalogue
        self.max_mandates = max_mandates

    def prompt(self, text: str, candidates: list[DepartmentCandidate]) -> list:
        """The messages sent to the model."""
        lines = [f"诉求：{text}", "", "候选部门："]
        for c in candidates:
            dept = self.catalogue.get(c.id)
            lines.append(f"- {c.id}（{c.name}）：" + "；".join(dept.mandates[: self.max_mandates]))
        lines.append("")
        lines.append("请只回答一个部门编号：" + " / ".join(c.id for c in candidates))
        return [SystemMessage(_SYSTEM), HumanMessage("\n".join(lines))]

    def choose(self, text: str, candidates: list[DepartmentCandidate]) -> tuple[list[DepartmentCandidate], bool]:
        """Candidates with the model's choice moved first, and whether the model's answer was used."""
        if len(candidates) < 2:
            return candidates, False
        try:
            reply = self.chat_model.invoke(self.prompt(text, candidates))
        except Exception as e:  # noqa: BLE001 - any backend failure: adjudication is optional, dispatch must go on
            log.warning("LLM adjudication failed, keeping the classifier's order: %s", e)
            return candidates, False
        answer = str(getattr(reply, "content", reply))
        chosen = self._parse(answer, candidates)
        if chosen is None:
            log.warning("LLM adjudication answered no candidate id: %r", answer[:200])
            return candidates, False
        picked = candidates[chosen]
        picked.reason = f"大模型研判选定；{picked.reason}"
        return [picked] + [c for i, c in enumerate(candidates) if i != chosen], True

    @staticmethod
    def _parse(answer: str, candidates: list[DepartmentCandidate]) -> int | None:
        # The first candidate id or name that appears in the answer wins.
        positions = []
        for i, c in enumerate(candidates):
            for token in (c.id, c.name):
                m = re.search(re.escape(token), answer)
                if m:
                    positions.append((m.start(), i))
        return min(positions)[1] if positions else None
