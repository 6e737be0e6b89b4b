"""What a data directory holds, read without loading the embedder: manifest files and chunks, Chroma vectors.

Run as ``python -m tests.faults.index_state DATA_DIR COLLECTION`` in a fresh process, so that the test's
own process never keeps an embedded Chroma open on files another process writes.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class IndexState:
    files: dict[str, dict]  # source → {"hash", "status", "n_chunks"}
    chunks: dict[str, dict]  # live chunk id → {"source", "status"}
    vectors: dict[str, dict]  # chunk vector id → {"source", "status"}
    sentences: dict[str, dict]  # sentence vector id → {"owner", "status"} (assistant/store/sentence_vectors.py)

    def orphan_sentences(self) -> set[str]:
        return {i for i, s in self.sentences.items() if s["owner"] not in self.chunks}

    def stale_sentences(self) -> set[str]:
        """Sentence vectors whose status differs from their live chunk's in the manifest."""
        return {i for i, s in self.sentences.items()
                if s["owner"] in self.chunks and s["status"] != self.chunks[s["owner"]]["status"]}

    def live_ids(self, source: str) -> set[str]:
        return {i for i, c in self.chunks.items() if c["source"] == source}


def read(data_dir: Path, collection: str) -> dict:
    """The state as plain JSON-able dicts."""
    db = sqlite3.connect(data_dir / "manifest.sqlite3", timeout=30)
    try:
        files = {s: {"hash": h, "status": st, "n_chunks": n}
                 for s, h, st, n in db.execute("SELECT source, file_hash, status, n_chunks FROM files")}
        chunks = {i: {"source": s, "status": json.loads(d).get("status")}
                  for i, s, d in db.execute("SELECT id, source, data FROM chunks")}
    finally:
        db.close()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    got = client.get_collection(collection).get(include=["metadatas"])
    vectors, sentences = {}, {}
    for i, m in zip(got["ids"], got["metadatas"]):
        m = m or {}
        if m.get("owner"):
            sentences[i] = {"owner": m["owner"], "status": m.get("status")}
        else:
            vectors[i] = {"source": m.get("source"), "status": m.get("status")}
    return {"files": files, "chunks": chunks, "vectors": vectors, "sentences": sentences}


if __name__ == "__main__":
    print(json.dumps(read(Path(sys.argv[1]), sys.argv[2]), ensure_ascii=False))
