"""The vector store: Chroma, embedded (persistent client) or a Chroma server (HTTP client).

Vectors are always computed by huiqi's own embedder and passed in; Chroma's default embedding
function (which downloads a model) is never used. The collection records the embedding model that
built it, and opening it with another model is refused instead of silently mixing vectors.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.documents import Chunk
from assistant.errors import EmbeddingModelMismatch, StoreUnavailable
from assistant.store.sentence_vectors import SentenceVector, is_sentence

_BATCH = 2000  # below Chroma's max batch size
UNFILTERED_OVERFETCH = 4  # candidates fetched per wanted one when a filtered query must run unfiltered

log = logging.getLogger("huiqi.store")


class VectorStore:
    """One Chroma collection holding huiqi's chunk vectors, their sentence vectors, and their metadata.

    Callers name chunks; a chunk's sentence records (``sentence_vectors``) follow it in deletes and status
    changes.
    """

    def __init__(self, collection: str, embedder_name: str, dim: int, path: Path | None = None, url: str | None = None):
        if (path is None) == (url is None):
            raise ValueError("give exactly one of path (embedded Chroma) or url (Chroma server)")
        self.collection_name = collection
        self.embedder_name = embedder_name
        self.dim = dim
        self.path = path
        self.url = url
        self._client: Any = None
        self._collection: Any = None
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return self.url or str(self.path)

    def _open(self) -> Any:
        if self._collection is not None:
            return self._collection
        with self._lock:
            if self._collection is not None:
                return self._collection
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            try:
                if self.url:
                    u = urlparse(self.url)
                    client = chromadb.HttpClient(
                        host=u.hostname or "localhost",
                        port=u.port or (443 if u.scheme == "https" else 8000),
                        ssl=u.scheme == "https",
                        settings=chroma_settings,
                    )
                else:
                    assert self.path is not None
                    self.path.mkdir(parents=True, exist_ok=True)
                    client = chromadb.PersistentClient(path=str(self.path), settings=chroma_settings)
                col = client.get_or_create_collection(
                    self.collection_name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine", "ef_search": 128, "ef_construction": 200}},
                    metadata={"embedding_model": self.embedder_name, "dim": self.dim},
                )
            except Exception as e:  # chromadb raises many types for "cannot reach the server"
                raise StoreUnavailable(f"Chroma at {self.where} is unavailable: {e}") from e
            built_with = (col.metadata or {}).get("embedding_model")
            if built_with and built_with != self.embedder_name:
                raise EmbeddingModelMismatch(
                    f"collection '{self.collection_name}' at {self.where} was built with embedding model "
                    f"'{built_with}', but '{self.embedder_name}' is configured; re-ingest into a new data dir "
                    "or collection (HUIQI_DATA_DIR / HUIQI_COLLECTION), or switch HUIQI_EMBEDDING_MODEL back"
                )
            self._client, self._collection = client, col
            return col

    def _call(self, fn, *args, **kwargs):
        col = self._open()
        try:
            return fn(col, *args, **kwargs)
        except EmbeddingModelMismatch:
            raise
        except Exception as e:
            if self.url:
                # A server that went away: drop the handle so the next call reconnects.
                self._collection = None
                raise StoreUnavailable(f"Chroma at {self.where} failed: {e}") from e
            raise

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray, sentences: list[SentenceVector] = ()) -> None:
        """Write chunk vectors, texts and metadata, then the chunks' sentence vectors (idempotent by id).

        ``vectors``: one row per chunk, then one per sentence, in order.
        """
        records = [(c.id, c.text, c.metadata()) for c in chunks] + [(s.id, s.text, s.metadata()) for s in sentences]
        if len(vectors) != len(records):
            raise ValueError(f"{len(vectors)} vectors for {len(chunks)} chunks and {len(sentences)} sentences")
        for i in range(0, len(records), _BATCH):
            part = records[i : i + _BATCH]
            self._call(
                lambda col: col.upsert(
                    ids=[r[0] for r in part],
                    embeddings=vectors[i : i + _BATCH],
                    documents=[r[1] for r in part],
                    metadatas=[r[2] for r in part],
                )
            )

    def _sentence_ids(self, col, owners: list[str]) -> list[str]:
        return col.get(where={"owner": {"$in": owners}}, include=[])["ids"]

    def delete(self, ids: list[str]) -> None:
        """Delete chunks and their sentence records (the sentences first: a kill in between leaves orphan
        chunk records, which the next ingest drops)."""
        for i in range(0, len(ids), _BATCH):
            part = ids[i : i + _BATCH]
            self._call(lambda col: col.delete(where={"owner": {"$in": part}}))
            self._call(lambda col: col.delete(ids=part))

    def drop_sentences(self, owners: list[str], keep: set[str] = frozenset()) -> None:
        """Delete the sentence records of ``owners`` except the ids in ``keep`` (a chunk re-embedded under
        another sentence layout keeps its id: its old sentence records must go)."""
        for i in range(0, len(owners), _BATCH):
            part = owners[i : i + _BATCH]
            gone = [r for r in self._call(lambda col: self._sentence_ids(col, part)) if r not in keep]
            for j in range(0, len(gone), _BATCH):
                self._call(lambda col: col.delete(ids=gone[j : j + _BATCH]))

    def set_status(self, ids: list[str], status: str) -> None:
        """Set the chunks' status and their sentences' (the sentences first: a chunk's own record is the one the
        status repair checks, so it must change last)."""
        for i in range(0, len(ids), _BATCH):
            part = ids[i : i + _BATCH]
            for group in (self._call(lambda col: self._sentence_ids(col, part)), part):
                for j in range(0, len(group), _BATCH):
                    sub = group[j : j + _BATCH]
                    self._call(lambda col: col.update(ids=sub, metadatas=[{"status": status}] * len(sub)))

    def ids(self, sentences: bool = False) -> list[str]:
        """The stored chunk ids; with ``sentences``, every record's id (sentence records too)."""
        every = self._call(lambda col: col.get(include=[])["ids"])
        return every if sentences else [i for i in every if not is_sentence(i)]

    def count(self) -> int:
        """Stored records: chunks and sentences."""
        return self._call(lambda col: col.count())

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(record id, cosine similarity) of the ``n`` nearest records matching ``where``, nearest first.

        Records are chunks and sentences: ``sentence_vectors.owner_of`` maps an id to its chunk.

        Chroma's filtered query can fail with "Error finding id" while its metadata and HNSW segments
        disagree (after batched writes, chroma-core/chroma#7032); the query is then repeated unfiltered
        with a larger ``n``, and the caller filters the candidates (it always checks them against the
        manifest's live ids and its own filters anyway).
        """
        def ask(col, n_results: int, flt: dict | None):
            return col.query(query_embeddings=vector.reshape(1, -1), n_results=n_results, where=flt,
                             include=["distances"])

        try:
            res = self._call(lambda col: ask(col, n, where or None))
        except Exception as e:
            if not where or "Error finding id" not in str(e):
                raise
            log.warning("filtered Chroma query failed (%s); repeating it unfiltered", e)
            res = self._call(lambda col: ask(col, n * UNFILTERED_OVERFETCH, None))
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def statuses(self, ids: list[str]) -> dict[str, str]:
        """The stored status metadata of ``ids`` (those that exist), by id."""
        out: dict[str, str] = {}
        for i in range(0, len(ids), _BATCH):
            res = self._call(lambda col: col.get(ids=ids[i : i + _BATCH], include=["metadatas"]))
            out.update({cid: (m or {}).get("status", "") for cid, m in zip(res["ids"], res["metadatas"])})
        return out

    def embeddings(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``ids`` (those that exist), by id."""
        res = self._call(lambda col: col.get(ids=ids, include=["embeddings"]))
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(res["ids"], res["embeddings"])}

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""
        self.count()
