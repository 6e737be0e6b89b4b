"""`huiqi serve` as a real process on a loopback port (the scale-out test and the load benchmark start them)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.redis_server import free_port

HUIQI = Path(sys.executable).parent / "huiqi"


class HuiqiWorker:
    """One ``huiqi serve`` (optionally with several uvicorn workers), environment from ``env``, log in ``folder``."""

    def __init__(self, folder: Path, env: dict[str, str], workers: int = 1):
        self.folder, self.workers, self.port = folder, workers, free_port()
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("HUIQI_")}, **env,
                    "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        self.proc: subprocess.Popen | None = None
        self.client = httpx.Client(base_url=self.url, timeout=120)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = (self.folder / "server.log").open("ab")
        # Its own folder as cwd: no .env of the checkout is read, relative defaults point nowhere shared.
        self.proc = subprocess.Popen(
            [str(HUIQI), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 300) -> None:
        """Until /healthz answers (the corpus may still be empty, so not /readyz)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"huiqi serve exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                if self.client.get("/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"huiqi serve did not answer in {timeout} s: {self.log_tail()}")

    def log_tail(self, n: int = 3000) -> str:
        p = self.folder / "server.log"
        return p.read_text(errors="replace")[-n:] if p.exists() else ""

    def stop(self) -> None:
        self.client.close()
        if self.proc is None:
            return
        # The whole process group: with --workers, uvicorn's children go too.
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        self.proc = None
