"""Where the real corpus lives for these tests: ../shared beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
LAWS = SHARED / "corpus" / "laws"
GUIDES = SHARED / "corpus" / "service-guides" / "guangdong.jsonl"


@pytest.fixture
def laws_root() -> Path:
    return LAWS


@pytest.fixture
def guangdong_jsonl() -> Path:
    return GUIDES
