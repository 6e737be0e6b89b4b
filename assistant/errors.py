"""Domain errors. Each has a stable ``code`` and an HTTP ``status`` the API maps it to."""

from __future__ import annotations


class HuiqiError(Exception):
    """Base of every error huiqi raises on purpose."""

    code = "huiqi_error"
    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(HuiqiError):
    code = "invalid_input"
    status = 422


class NotFound(HuiqiError):
    code = "not_found"
    status = 404


class UnknownBackend(HuiqiError):
    """A backend name (embedder, generator, store) that is not registered."""

    code = "unknown_backend"
    status = 400


class ModelUnavailable(HuiqiError):
    """Model weights cannot be found or converted here (no hub is reachable)."""

    code = "model_unavailable"
    status = 503


class EmbeddingModelMismatch(HuiqiError):
    """The store was built with another embedding model; vectors must not be mixed."""

    code = "embedding_model_mismatch"
    status = 409


class StoreUnavailable(HuiqiError):
    """The vector store (e.g. a Chroma server) cannot be reached."""

    code = "store_unavailable"
    status = 503


class LoadError(HuiqiError):
    """A source file could not be loaded (missing, empty, binary, undecodable, no text layer)."""

    code = "load_error"
    status = 422

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


class LLMUnavailable(HuiqiError):
    """The chat model cannot answer (server unreachable, timed out, refused); callers fall back to extractive."""

    code = "llm_unavailable"
    status = 503


class InvalidArticleLabel(InvalidInput, ValueError):
    """Text that is not an article label (第X条) or not a Chinese numeral."""

    code = "invalid_article_label"


class CatalogueInvalid(HuiqiError):
    """The department catalogue (部门目录) is missing, malformed or inconsistent."""

    code = "catalogue_invalid"
    status = 500


class BatchTooLarge(HuiqiError):
    """A batch request holds more items than the configured limit."""

    code = "batch_too_large"
    status = 413


class NoServiceGuides(HuiqiError):
    """No service guides (办事指南) are loaded, so no checklist can be drafted."""

    code = "no_service_guides"
    status = 503


class TriageUnavailable(HuiqiError):
    """The server was started without an appeal triager."""

    code = "triage_unavailable"
    status = 503


class Unauthorized(HuiqiError):
    """An admin route was called without a valid API key."""

    code = "unauthorized"
    status = 401


class Forbidden(HuiqiError):
    """The caller may not do this (admin API off, origin not allowed, path outside the ingest roots)."""

    code = "forbidden"
    status = 403


class RateLimited(HuiqiError):
    """Too many requests from one client in the current window."""

    code = "rate_limited"
    status = 429


class PayloadTooLarge(HuiqiError):
    """A request body or upload larger than the configured limit."""

    code = "payload_too_large"
    status = 413


class IngestBusy(HuiqiError):
    """Another ingest holds the data directory's ingest lock."""

    code = "ingest_busy"
    status = 409
