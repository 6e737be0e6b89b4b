"""Request ids, JSON logs with personal data masked, and Prometheus metrics (``GET /metrics``).

Several uvicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder shared by the workers (wiped
before start); /metrics then sums every worker's counters instead of showing the one that answered.
"""

from __future__ import annotations

import contextvars
import functools
import json
import logging
import os
import re
import sys
import time
import uuid
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from assistant.settings import Settings
from assistant.triage.text import mask_personal_data

log = logging.getLogger("huiqi.api")
access_log = logging.getLogger("huiqi.access")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("huiqi_request_id", default=None)
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# -- metrics (module level: one set per process, summed across workers in multiprocess mode) -------------------

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
REQUESTS = Counter("huiqi_http_requests_total", "HTTP requests", ["method", "route", "status"])
REQUEST_SECONDS = Histogram("huiqi_http_request_duration_seconds", "HTTP request latency (to the last byte)",
                            ["method", "route"], buckets=_LATENCY_BUCKETS)
IN_FLIGHT = Gauge("huiqi_http_requests_in_flight", "requests being served", multiprocess_mode="livesum")
RETRIEVAL_SECONDS = Histogram("huiqi_retrieval_duration_seconds", "hybrid retrieval latency by stage",
                              ["stage"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
ANSWERS = Counter("huiqi_answers_total", "answers given", ["generator", "outcome"])
ABSTENTIONS = Counter("huiqi_abstentions_total", "questions the assistant declined to answer from the corpus")
TRIAGE = Counter("huiqi_triage_total", "appeals triaged, by first department and complexity tier",
                 ["department", "tier"])
RATE_LIMITED = Counter("huiqi_rate_limited_total", "requests refused by the rate limiter")


# -- logs -----------------------------------------------------------------------------------------------------

class JsonFormatter(logging.Formatter):
    """One JSON object a line; messages and tracebacks pass through the personal-data masker."""

    _SKIP = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": mask_personal_data(record.getMessage()),
        }
        rid = getattr(record, "request_id", None) or request_id_var.get()
        if rid:
            out["request_id"] = rid
        for k, v in record.__dict__.items():
            if k not in self._SKIP and k != "request_id" and not k.startswith("_"):
                out[k] = mask_personal_data(v) if isinstance(v, str) else v
        if record.exc_info:
            out["exc"] = mask_personal_data(self.formatException(record.exc_info))
        return json.dumps(out, ensure_ascii=False, default=str)


class MaskingTextFormatter(logging.Formatter):
    """Plain text logs, masked the same way."""

    def format(self, record: logging.LogRecord) -> str:
        rid = request_id_var.get()
        return mask_personal_data(super().format(record) + (f" [request_id={rid}]" if rid else ""))


def configure_logging(settings: Settings) -> None:
    """Give the ``huiqi`` loggers one stderr handler (JSON or text), once per process."""
    logger = logging.getLogger("huiqi")
    logger.setLevel(settings.log_level)
    for h in logger.handlers:
        if getattr(h, "_huiqi", False):
            logger.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler._huiqi = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if settings.log_format == "json"
                         else MaskingTextFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)


# -- instrumentation of the services (wrapped once, on the instance) -------------------------------------------

def observe_answer(answer: Any) -> None:
    generator = str(getattr(answer, "generator", None) or "unknown")
    abstained = bool(getattr(answer, "abstained", False))
    ANSWERS.labels(generator, "abstained" if abstained else "answered").inc()
    if abstained:
        ABSTENTIONS.inc()


def observe_triage(result: Any) -> None:
    depts = getattr(result, "departments", None) or []
    TRIAGE.labels(getattr(depts[0], "id", "none") if depts else "none", str(getattr(result, "tier", "unknown"))).inc()


def _wrap_once(obj: Any, name: str, make) -> None:
    fn = getattr(obj, name, None)
    if fn is None or getattr(fn, "_huiqi_observed", False):
        return
    wrapped = functools.wraps(fn)(make(fn))
    wrapped._huiqi_observed = True  # type: ignore[attr-defined]
    setattr(obj, name, wrapped)


def _timed_retrieval(run):
    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        result = run(*args, **kwargs)
        RETRIEVAL_SECONDS.labels("total").observe(time.perf_counter() - t0)
        for key, ms in (getattr(result, "timings_ms", None) or {}).items():
            RETRIEVAL_SECONDS.labels(key.removesuffix("_ms")).observe(ms / 1000)
        return result
    return timed


def _observed_events(events):
    def observed(*args, **kwargs):
        for event, data in events(*args, **kwargs):
            if event == "answer":
                observe_answer(data)
            yield event, data
    return observed


def _observed_triage_batch(triage_batch):
    def observed(*args, **kwargs):
        results = triage_batch(*args, **kwargs)
        for r in results:
            observe_triage(r)
        return results
    return observed


def instrument(app: FastAPI, path: str) -> None:
    """Wrap the retriever, the answer service and the triager of this app once (cheap checks afterwards)."""
    comps = getattr(app.state, "components", None)
    if comps is None:
        return
    if "retriever" in comps.__dict__ or path.startswith("/v1/"):
        _wrap_once(comps.retriever, "run", _timed_retrieval)
    if "answers" not in comps.__dict__ and path.startswith("/v1/chat"):
        try:
            comps.answers  # noqa: B018 — built now so its first answer is counted; errors surface in the route
        except Exception:  # noqa: BLE001
            return
    if "answers" in comps.__dict__:
        _wrap_once(comps.answers, "events", _observed_events)
    triager = getattr(app.state, "triager", None)
    if triager is not None:
        # triage() is triage_batch([one]) and calls it through the instance: wrapping both would count twice.
        _wrap_once(triager, "triage_batch", _observed_triage_batch)


# -- the middleware ---------------------------------------------------------------------------------------------

def _route_label(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path:
        return path
    return "static" if scope["path"].startswith("/static") else "unmatched"


class ObservabilityMiddleware:
    """Request id in and out (``X-Request-ID``), an access log line, latency and status metrics."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI):
        self.app, self.fastapi_app = app, fastapi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", ())).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _CLIENT_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        status, started = 500, False
        t0 = time.perf_counter()
        instrument(self.fastapi_app, scope["path"])

        async def send_with_id(message: Message) -> None:
            nonlocal status
            nonlocal started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message["headers"] = list(message.get("headers", [])) + [(b"x-request-id", rid.encode())]
            await send(message)

        IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Answered here rather than by Starlette's outer handler so that a 500 carries the request id too.
            if started:
                raise
            log.exception("unhandled error")
            await JSONResponse(error_body("internal_error", "internal error; see the server log"),
                               status_code=500)(scope, receive, send_with_id)
        finally:
            IN_FLIGHT.dec()
            seconds = time.perf_counter() - t0
            route = _route_label(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            REQUEST_SECONDS.labels(scope["method"], route).observe(seconds)
            client = scope.get("client")
            # The path only: query strings carry the users' questions (personal data, unbounded length).
            access_log.info("%s %s %s", scope["method"], scope["path"][:200], status, extra={
                "status": status, "route": route, "ms": round(seconds * 1000, 1),
                "client": client[0] if client else None})
            request_id_var.reset(token)


# -- /metrics ---------------------------------------------------------------------------------------------------

metrics_router = APIRouter(tags=["health"])


@metrics_router.get("/metrics", include_in_schema=False)
async def metrics(_: Request) -> Response:
    """Prometheus text format; summed over workers when PROMETHEUS_MULTIPROC_DIR is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def install_observability(app: FastAPI, settings: Settings) -> None:
    """JSON logs, the request-id/metrics middleware (outermost: it sees every refusal too) and /metrics."""
    configure_logging(settings)
    app.add_middleware(ObservabilityMiddleware, fastapi_app=app)
    app.include_router(metrics_router)
