"""Locust users for `python -m evals load`: hotline clients asking questions (loaded by locust, not by huiqi).

HUIQI_LOAD_QUESTIONS names a JSON list of questions; HUIQI_LOAD_WAIT is the think time "min,max" in seconds.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

QUESTIONS: list[str] = json.loads(Path(os.environ["HUIQI_LOAD_QUESTIONS"]).read_text(encoding="utf-8"))
WAIT = [float(x) for x in os.environ.get("HUIQI_LOAD_WAIT", "1,3").split(",")]


class HotlineClient(HttpUser):
    """Searches three times for every question it asks the chat (a caller's agent looks things up, then asks)."""

    wait_time = between(WAIT[0], WAIT[-1])

    @task(3)
    def search(self) -> None:
        self.client.get("/v1/search", params={"q": random.choice(QUESTIONS), "k": 8}, name="/v1/search")

    @task(1)
    def chat(self) -> None:
        self.client.post("/v1/chat", json={"question": random.choice(QUESTIONS)}, name="/v1/chat")
