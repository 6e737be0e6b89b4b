"""Answer-service fixtures: a small real index (a few laws, two in two versions) and a session store."""

from __future__ import annotations

import pytest

from tests.conftest import LAWS

FILES = [
    "行政法规/保障中小企业款项支付条例(2020-07-05).md",
    "行政法规/保障中小企业款项支付条例(2025-03-17).md",
    "行政法规/个体工商户条例(2016-02-06).md",
    "行政法规/促进个体工商户发展条例(2022-10-01).md",
    "行政法规/职工带薪年休假条例(2007-12-14).md",
]


@pytest.fixture
def sessions(tmp_path):
    from assistant.answers.sessions import SQLiteSessionStore

    return SQLiteSessionStore(tmp_path / "sessions.sqlite3")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, embedder, cache_dir):
    """Components over the five laws, ingested once per module."""
    from assistant.components import Components
    from assistant.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("answers"), cache_dir=cache_dir, _env_file=None)
    comps = Components(settings, embedder=embedder)
    comps.ingester().run([LAWS / f for f in FILES], root=LAWS)
    return comps


@pytest.fixture
def service_for(small_index, sessions):
    """Builds an AnswerService over the small index, optionally with a chat model."""
    from assistant.answers.service import AnswerService

    def build(chat_model=None, articles=None):
        return AnswerService(small_index.retriever, sessions, chat_model, small_index.settings, articles=articles)

    return build
