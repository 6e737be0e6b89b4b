"""GGUF assembly: parts located through package metadata, verified by size and sha256 before use."""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

import pytest

from assistant.errors import ModelUnavailable
from assistant.llm import gguf
from assistant.llm.gguf import (
    QWEN25_CODER_1_5B_Q4_K_M,
    GgufSpec,
    assemble_parts,
    ensure_local_gguf,
    find_parts,
    marker_path,
)
from tests.assistant.llm.local_llm import needs_parts

SLICES = [b"GGUF" + bytes(range(256)) * 40, b"\x00\x01second slice" * 500, b"the tail"]
WHOLE = b"".join(SLICES)
WHOLE_SHA = hashlib.sha256(WHOLE).hexdigest()


def _install_fake_parts(site: Path, slices: list[bytes], *, prefix: str = "fakemodel-part", version: str = "0.2.0"):
    """Real dist-info folders (METADATA + RECORD) that importlib.metadata finds on sys.path."""
    for i, data in enumerate(slices, start=1):
        name = f"{prefix}{i}"
        pkg = name.replace("-", "_")
        rel = f"{pkg}/data/part{i:02d}.bin"
        (site / pkg / "data").mkdir(parents=True)
        (site / rel).write_bytes(data)
        info = site / f"{pkg}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        (info / "RECORD").write_text(f"{rel},,\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n")
    return GgufSpec(
        filename="fake.gguf",
        size=len(WHOLE),
        sha256=WHOLE_SHA,
        distributions=tuple(f"{prefix}{i}" for i in range(1, len(slices) + 1)),
        version="0.2.0",
    )


@pytest.fixture
def site(tmp_path, monkeypatch):
    root = tmp_path / "site-packages"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    return root


def _write_parts(folder: Path, slices: list[bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, data in enumerate(slices, start=1):
        path = folder / f"part{i:02d}.bin"
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_assemble_parts_concatenates_in_order_and_marks_the_hash(tmp_path):
    parts = _write_parts(tmp_path / "parts", SLICES)
    target = tmp_path / "cache" / "models" / "m.gguf"
    assert assemble_parts(parts, target, size=len(WHOLE), sha256=WHOLE_SHA) == target
    assert target.read_bytes() == WHOLE
    assert marker_path(target).read_text().split() == [WHOLE_SHA, str(len(WHOLE))]
    assert {p.name for p in target.parent.iterdir()} == {"m.gguf", "m.gguf.sha256"}  # no temp file left


def test_wrong_hash_raises_with_expected_and_actual_and_leaves_no_file(tmp_path):
    parts = _write_parts(tmp_path / "parts", [SLICES[0], SLICES[1][::-1], SLICES[2]])  # same size, other bytes
    target = tmp_path / "models" / "m.gguf"
    with pytest.raises(ModelUnavailable) as info:
        assemble_parts(parts, target, size=len(WHOLE), sha256=WHOLE_SHA)
    actual = hashlib.sha256(SLICES[0] + SLICES[1][::-1] + SLICES[2]).hexdigest()
    assert WHOLE_SHA in info.value.message and actual in info.value.message
    assert info.value.status == 503 and info.value.code == "model_unavailable"
    assert list(target.parent.iterdir()) == []  # neither the file, a temp file, nor a marker


def test_truncated_part_raises_before_hashing_and_leaves_no_file(tmp_path):
    parts = _write_parts(tmp_path / "parts", [SLICES[0], SLICES[1][:-7], SLICES[2]])
    target = tmp_path / "models" / "m.gguf"
    with pytest.raises(ModelUnavailable, match=f"total {len(WHOLE) - 7:,} bytes, expected {len(WHOLE):,}"):
        assemble_parts(parts, target, size=len(WHOLE), sha256=WHOLE_SHA)
    assert not target.exists() and not marker_path(target).exists()


def test_missing_part_file_is_named(tmp_path):
    parts = _write_parts(tmp_path / "parts", SLICES)
    parts[1].unlink()
    with pytest.raises(ModelUnavailable, match="part02.bin"):
        assemble_parts(parts, tmp_path / "models" / "m.gguf", size=len(WHOLE), sha256=WHOLE_SHA)


def test_find_parts_reads_distribution_records_in_order(site):
    spec = _install_fake_parts(site, SLICES)
    parts = find_parts(spec)
    assert [p.name for p in parts] == ["part01.bin", "part02.bin", "part03.bin"]
    assert [p.read_bytes() for p in parts] == SLICES


def test_find_parts_names_the_missing_distribution(site):
    spec = _install_fake_parts(site, SLICES)
    spec = GgufSpec(spec.filename, spec.size, spec.sha256, spec.distributions + ("fakemodel-part99",), "0.2.0")
    with pytest.raises(ModelUnavailable, match=r"fakemodel-part99==0.2.0 is not installed.*local-llm"):
        find_parts(spec)


def test_find_parts_rejects_another_version(site):
    spec = _install_fake_parts(site, SLICES, version="0.1.0")
    with pytest.raises(ModelUnavailable, match="fakemodel-part1 is 0.1.0, expected 0.2.0"):
        find_parts(spec)


def test_ensure_local_gguf_assembles_once_then_trusts_the_marker(site, tmp_path, monkeypatch):
    spec = _install_fake_parts(site, SLICES)
    path = ensure_local_gguf(tmp_path / "cache", spec)
    assert path == tmp_path / "cache" / "models" / "fake.gguf" and path.read_bytes() == WHOLE

    def must_not_run(*_args, **_kwargs):
        raise AssertionError("a verified GGUF must be neither reassembled nor rehashed")

    monkeypatch.setattr(gguf, "find_parts", must_not_run)
    monkeypatch.setattr(gguf, "_sha256_of_file", must_not_run)
    assert ensure_local_gguf(tmp_path / "cache", spec) == path


def test_ensure_local_gguf_reassembles_a_file_whose_size_changed(site, tmp_path):
    spec = _install_fake_parts(site, SLICES)
    path = ensure_local_gguf(tmp_path / "cache", spec)
    with open(path, "ab") as f:
        f.write(b"appended by someone")
    assert ensure_local_gguf(tmp_path / "cache", spec).read_bytes() == WHOLE


def test_ensure_local_gguf_rehashes_an_unmarked_file_instead_of_trusting_it(site, tmp_path):
    spec = _install_fake_parts(site, SLICES)
    path = ensure_local_gguf(tmp_path / "cache", spec)
    marker_path(path).unlink()
    path.write_bytes(WHOLE[::-1])  # same size, other bytes, no marker: must not be used
    assert ensure_local_gguf(tmp_path / "cache", spec).read_bytes() == WHOLE
    assert marker_path(path).is_file()


def test_ensure_local_gguf_with_tampered_parts_raises_and_leaves_nothing(site, tmp_path):
    spec = _install_fake_parts(site, SLICES)
    part = find_parts(spec)[2]
    part.write_bytes(b"THE TAIL")  # same length as b"the tail"
    with pytest.raises(ModelUnavailable, match=f"expected sha256 {WHOLE_SHA}"):
        ensure_local_gguf(tmp_path / "cache", spec)
    assert list((tmp_path / "cache" / "models").iterdir()) == []


@needs_parts
def test_real_parts_are_found_in_order():
    parts = find_parts()
    assert len(parts) == 22
    assert [p.name for p in parts] == [f"part{i:02d}.bin" for i in range(1, 23)]
    assert sum(p.stat().st_size for p in parts) == QWEN25_CODER_1_5B_Q4_K_M.size
    assert parts[0].read_bytes()[:4] == b"GGUF"  # the header is in part 1


@needs_parts
def test_real_parts_assemble_into_the_pinned_gguf(tmp_path):
    # A fresh folder, so the whole stream-hash-rename path runs on the real 1.1 GB every time.
    path = ensure_local_gguf(tmp_path / "cache")
    try:
        assert path == tmp_path / "cache" / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
        assert path.stat().st_size == QWEN25_CODER_1_5B_Q4_K_M.size
        assert marker_path(path).read_text().split() == [QWEN25_CODER_1_5B_Q4_K_M.sha256, str(path.stat().st_size)]
        with open(path, "rb") as f:
            assert f.read(4) == b"GGUF"
        assert {p.name for p in path.parent.iterdir()} == {path.name, marker_path(path).name}
    finally:
        path.unlink(missing_ok=True)  # 1.1 GB is too much to leave in pytest's kept temp folders


def test_machine_cache_gguf_is_verified(local_gguf):
    assert local_gguf.stat().st_size == QWEN25_CODER_1_5B_Q4_K_M.size
    assert marker_path(local_gguf).read_text().split()[0] == QWEN25_CODER_1_5B_Q4_K_M.sha256
