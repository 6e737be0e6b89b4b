"""Shared fixtures: the packaged catalogue and a lexical triager (real tokenizer, no embedding model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.triage import Triager, load_catalogue

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def lexical_triager(catalogue):
    triager = Triager(catalogue, None, today=lambda: dt.date(2025, 3, 7))  # a Friday
    triager.warm_up()
    return triager
