"""Where the real data lives, eval sets, and the cached index of a corpus subset for evals."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from assistant.components import Components
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
LAWS = SHARED / "corpus" / "laws"
CORE_LIST = SHARED / "corpus" / "enterprise-core.txt"
GUIDES = SHARED / "corpus" / "service-guides" / "guangdong.jsonl"
EVAL = SHARED / "eval"


def read_jsonl(path: Path) -> list[dict]:
    """Items of a JSONL file (blank lines skipped)."""
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def core_files(list_path: Path = CORE_LIST, laws: Path = LAWS) -> list[Path]:
    """The documents named in enterprise-core.txt (paths relative to the laws folder)."""
    names = [line.strip() for line in list_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [laws / n for n in names]


def corpus_key(files: list[Path], embedder_name: str) -> str:
    """Hash of the files' names, sizes and mtimes plus the embedding model: the eval index cache key."""
    h = hashlib.sha1(embedder_name.encode())
    for f in sorted(files):
        st = f.stat()
        h.update(f"{f}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:12]


def eval_components(files: list[Path], root: Path, base: Settings | None = None, name: str = "core") -> Components:
    """Components over an index of ``files`` (sources relative to ``root``), cached by corpus and model.

    The first call ingests (and caches vectors by content hash); later calls reuse the index, and an
    unchanged corpus is skipped file by file, so re-running an eval costs seconds.
    """
    base = base or Settings()
    probe = Components(base)
    key = corpus_key(files, probe.embedder.name + ("+sentences" if base.sentence_vectors else ""))
    settings = base.model_copy(update={"data_dir": base.cache_dir / "evals" / f"{name}-{key}"})
    comps = Components(settings, embedder=probe.embedder)
    comps.ingester().run(files, root=root, wait=3600)  # another eval may be building the same index
    return comps
