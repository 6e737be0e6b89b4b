"""One real policy index per session for the matching tests."""

from __future__ import annotations

import pytest

from tests.assistant.matching.corpus_index import policy_components


@pytest.fixture(scope="session")
def policy_comps(tmp_path_factory, cache_dir, embedder):
    return policy_components(tmp_path_factory.mktemp("policy-index") / "data", cache_dir, embedder)


@pytest.fixture(scope="session")
def matching(policy_comps):
    from assistant.matching.service import MatchingService

    return MatchingService(policy_comps.index)
