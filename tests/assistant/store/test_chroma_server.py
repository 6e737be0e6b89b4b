"""Server mode against a real `chroma run` on loopback, started and stopped by the test."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.components import Components
from assistant.errors import StoreUnavailable
from tests.lawfiles import write_law

pytestmark = pytest.mark.server

CHROMA = Path(sys.executable).parent / "chroma"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    def __init__(self, path: Path):
        self.path, self.port, self.proc = path, _free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError("chroma server did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


@pytest.fixture
def server(tmp_path):
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma CLI is not installed")
    s = ChromaServer(tmp_path / "server-data")
    s.start()
    yield s
    s.stop()


def test_ingest_and_search_through_a_chroma_server_and_recover_after_restart(tmp_path, settings, embedder, server):
    s = settings.model_copy(update={"chroma_url": server.url})
    comps = Components(s, embedder=embedder)
    src = tmp_path / "src"
    write_law(src, "示例年休假条例", "2007-12-14", ["第一条 职工连续工作1年以上的，享受带薪年休假。",
                                            "第二条 职工累计工作已满10年不满20年的，年休假10天。"])
    report = comps.ingester().run([src])
    assert report.count("added") == 1
    assert comps.index.vectors.count() == 2
    assert comps.retriever.run("累计工作满10年年休假几天", k=1).hits[0].chunk.article == "第二条"

    server.stop()
    with pytest.raises(StoreUnavailable, match="127.0.0.1"):
        comps.retriever.run("累计工作满10年年休假几天", k=1)
    server.start()
    assert comps.retriever.run("累计工作满10年年休假几天", k=1).hits[0].chunk.article == "第二条"


def test_sentence_vectors_follow_their_chunk_on_a_chroma_server(tmp_path, settings, embedder, server):
    """The owner-filtered deletes and status updates of sentence vectors, through the HTTP client."""
    from assistant.store.sentence_vectors import is_sentence, owner_of
    from tests.assistant.store.test_sentence_vectors import LONG, SHORT

    s = settings.model_copy(update={"chroma_url": server.url})
    comps = Components(s, embedder=embedder)
    src = tmp_path / "src"
    write_law(src, "示例分支机构登记办法", "2021-01-01", [*SHORT, LONG])
    assert comps.ingester().run([src]).sentences == 4
    store = comps.index.vectors
    assert store.count() == 3 + 4
    hit = comps.retriever.run("分支机构不干了，多少天内要去注销？", k=1).hits[0]
    assert hit.chunk.article == "第五条"
    write_law(src, "示例分支机构登记办法", "2024-01-01", [*SHORT, LONG.replace("二十日", "三十日")])
    comps.ingester().run([src])  # the 2021 version is superseded: its sentences too
    old = set(comps.index.manifest.chunk_ids("示例分支机构登记办法(2021-01-01).md"))
    old_sentences = [i for i in store.ids(sentences=True) if is_sentence(i) and owner_of(i) in old]
    assert len(old_sentences) == 4 and set(store.statuses(old_sentences).values()) == {"superseded"}
    (src / "示例分支机构登记办法(2021-01-01).md").unlink()
    comps.ingester().run([src], prune=True)
    live = {c.id for c in comps.index.snapshot().chunks}
    assert {owner_of(i) for i in store.ids(sentences=True)} == live and store.count() == 3 + 4
