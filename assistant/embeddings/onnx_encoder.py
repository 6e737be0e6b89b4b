"""Run a sentence-transformers folder's encoder through onnxruntime: tokenize, encode, pool, normalize."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import ModelUnavailable

#: modules.json types this runner reproduces exactly (old and new sentence-transformers paths)
_TRANSFORMER = ("Transformer",)
_POOLING = ("Pooling",)
_NORMALIZE = ("Normalize",)


@dataclass(frozen=True)
class PipelineSpec:
    """What a sentence-transformers folder asks for after the encoder: pooling mode and max length."""

    pooling: str  # "mean" | "cls" | "max"
    max_seq_length: int | None


def cpu_count() -> int:
    """Cores this process may run on (cgroup/affinity aware where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def read_pipeline(model_dir: Path) -> PipelineSpec | None:
    """The folder's pooling spec, or None when its modules go beyond Transformer + Pooling + Normalize."""
    modules_path = model_dir / "modules.json"
    if not modules_path.is_file():
        return None
    modules = json.loads(modules_path.read_text(encoding="utf-8"))
    pooling = None
    for module in modules:
        kind = module.get("type", "").rsplit(".", 1)[-1]
        if kind in _POOLING:
            pooling = _pooling_mode(model_dir / module.get("path", ""))
        elif kind not in _TRANSFORMER + _NORMALIZE:
            return None
    if pooling is None:
        return None
    max_len = None
    st_config = model_dir / "sentence_bert_config.json"
    if st_config.is_file():
        cfg = json.loads(st_config.read_text(encoding="utf-8"))
        if cfg.get("do_lower_case"):
            return None  # the Transformer module lowercases; leave that to sentence-transformers
        max_len = cfg.get("max_seq_length")
    return PipelineSpec(pooling=pooling, max_seq_length=max_len)


_LEGACY_POOLING = {
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
}


def _pooling_mode(pooling_dir: Path) -> str | None:
    """'mean' | 'cls' | 'max' from a Pooling config (either layout); None for anything else."""
    cfg = json.loads((pooling_dir / "config.json").read_text(encoding="utf-8"))
    if cfg.get("include_prompt") is False:
        return None
    if isinstance(cfg.get("pooling_mode"), str):  # sentence-transformers >= 6 layout
        mode = cfg["pooling_mode"]
        return mode if mode in ("mean", "cls", "max") else None
    enabled = [key for key, value in cfg.items() if key.startswith("pooling_mode") and value is True]
    if len(enabled) != 1:
        return None
    return _LEGACY_POOLING.get(enabled[0])


class OnnxSentenceEncoder:
    """Token ids -> pooled, L2-normalised vectors with an onnxruntime session."""

    def __init__(self, onnx_path: Path, model_dir: Path, spec: PipelineSpec, max_seq_length: int, threads: int):
        import onnxruntime as ort
        from transformers import AutoTokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors for corrupt or foreign files
            raise ModelUnavailable(f"cannot load ONNX encoder {onnx_path}: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self._tokenizer = tokenizer.backend_tokenizer  # the Rust tokenizer: batch encode without Python overhead
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_seq_length)
        self._pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        self.pooling = spec.pooling

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids with special tokens, truncated to the max sequence length."""
        return [enc.ids for enc in self._tokenizer.encode_batch(texts)]

    def encode_ids(self, batch: list[list[int]]) -> np.ndarray:
        """(n, dim) float32 normalised vectors for a batch of token id lists (padded here)."""
        width = max(len(ids) for ids in batch)
        input_ids = np.full((len(batch), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        pooled = self._pool(hidden, mask)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _pool(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self.pooling == "cls":
            return hidden[:, 0]
        m = mask[..., None].astype(hidden.dtype)
        if self.pooling == "max":
            return np.where(m > 0, hidden, -1e9).max(axis=1)
        return (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
