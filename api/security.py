"""Access control for the public API: admin API keys, origin allowlist + CORS, per-client rate limits, body limits.

Everything here is plain ASGI middleware (SSE streams pass through untouched) or a FastAPI dependency, and
every refusal is the house error shape ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import threading
import time
from typing import Annotated, Protocol

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from assistant.errors import Forbidden, Unauthorized
from assistant.settings import Settings

log = logging.getLogger("huiqi.api.security")

#: Paths never rate limited, origin-checked or counted against a client (probes and scrapers).
OPEN_PATHS = ("/healthz", "/readyz", "/metrics")
UPLOAD_PATHS = ("/v1/admin/ingest",)


# -- settings helpers ---------------------------------------------------------------------------------------

def allowed_origins(settings: Settings) -> list[str]:
    """The widget origin allowlist (comma-separated ``HUIQI_ALLOWED_ORIGINS``), as a list."""
    return [o.strip().rstrip("/") for o in settings.allowed_origins.split(",") if o.strip()]


def api_keys(settings: Settings) -> tuple[bytes, ...]:
    raw = settings.api_keys.get_secret_value() if settings.api_keys else ""
    return tuple(k.strip().encode() for k in raw.split(",") if k.strip())



# -- admin API keys -----------------------------------------------------------------------------------------

def presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None


def require_api_key(request: Request) -> None:
    """Admin routes: a key from HUIQI_API_KEYS in ``X-API-Key`` or ``Authorization: Bearer``; 401/403 otherwise."""
    keys: tuple[bytes, ...] = getattr(request.app.state, "api_keys", ())
    if not keys:
        raise Forbidden("the admin API is off on this server: set HUIQI_API_KEYS to enable it")
    given = presented_key(request)
    if not given:
        raise Unauthorized("this route needs an API key (X-API-Key header or Authorization: Bearer)")
    given_b = given.encode("utf-8", "replace")
    ok = False
    for k in keys:  # compare against every key: the time taken does not tell which one matched
        ok |= hmac.compare_digest(given_b, k)
    if not ok:
        raise Unauthorized("invalid API key")


AdminDep = Annotated[None, Depends(require_api_key)]


# -- rate limiting ------------------------------------------------------------------------------------------

class Limiter(Protocol):
    async def hit(self, client: str) -> tuple[bool, int, float]:
        """(allowed, remaining, seconds until the window resets) after counting one request from ``client``."""
        ...


class MemoryLimiter:
    """Fixed-window counter in this process (one worker; with several, each counts its own share)."""

    def __init__(self, limit: int, window: int):
        self.limit, self.window = limit, window
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()
        self._current = -1

    async def hit(self, client: str) -> tuple[bool, int, float]:
        now = time.time()
        slot = int(now // self.window)
        with self._lock:
            if slot != self._current:  # a new window: forget the old one
                self._counts = {k: v for k, v in self._counts.items() if k[1] >= slot}
                self._current = slot
            n = self._counts.get((client, slot), 0) + 1
            self._counts[(client, slot)] = n
        reset = (slot + 1) * self.window - now
        return n <= self.limit, max(0, self.limit - n), reset


class RedisLimiter:
    """Fixed-window counter shared by every worker through Redis; falls back to memory when Redis is down."""

    #: Seconds to count in memory after Redis failed, before trying it again (a dead Redis costs no latency).
    RETRY_AFTER = 5.0

    def __init__(self, url: str, limit: int, window: int, prefix: str = "huiqi:rl:"):
        self.url, self.limit, self.window, self.prefix = url, limit, window, prefix
        self.fallback = MemoryLimiter(limit, window)
        self._client = None
        self._loop = None
        self._warned = 0.0
        self._down_until = 0.0

    def _redis(self):
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:  # connections belong to one event loop
            import redis.asyncio as aioredis

            self._client = aioredis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
            self._loop = loop
        return self._client

    async def hit(self, client: str) -> tuple[bool, int, float]:
        now = time.time()
        slot = int(now // self.window)
        key = f"{self.prefix}{client}:{slot}"
        if now < self._down_until:
            return await self.fallback.hit(client)
        try:
            pipe = self._redis().pipeline()
            pipe.incr(key)
            pipe.expire(key, self.window * 2)
            n, _ = await pipe.execute()
        except Exception as e:  # noqa: BLE001 — an unreachable Redis must not take the API down
            self._client = None
            self._down_until = now + self.RETRY_AFTER
            if now - self._warned > 60:
                log.warning("rate limiter: Redis at %s unavailable (%s); counting in memory", self.url, e)
                self._warned = now
            return await self.fallback.hit(client)
        reset = (slot + 1) * self.window - now
        return int(n) <= self.limit, max(0, self.limit - int(n)), reset


def limiter_from_settings(settings: Settings) -> Limiter | None:
    if settings.rate_limit <= 0:
        return None
    if settings.redis_url:
        return RedisLimiter(settings.redis_url, settings.rate_limit, settings.rate_limit_window)
    return MemoryLimiter(settings.rate_limit, settings.rate_limit_window)


def _key_digest(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def client_id(scope: Scope, known_keys: frozenset[str] = frozenset()) -> str:
    """Who is asking: a valid admin key (its hash) has its own budget, anyone else is their address.

    Only keys in ``known_keys`` count: otherwise a client could dodge the limit by sending a new made-up
    key with every request. Behind a proxy, run uvicorn with ``--proxy-headers`` so the address is the caller's.
    """
    if known_keys:
        for name, value in scope.get("headers", ()):
            if name == b"x-api-key" or (name == b"authorization" and value[:7].lower() == b"bearer "):
                digest = _key_digest((value[7:] if name == b"authorization" else value).strip())
                if digest in known_keys:
                    return "key:" + digest
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


class RateLimitMiddleware:
    """429 with Retry-After once a client has used its requests for the window (``/v1`` routes only)."""

    def __init__(self, app: ASGIApp, limiter: Limiter, keys: tuple[bytes, ...] = (), on_limited=None):
        self.app, self.limiter, self.on_limited = app, limiter, on_limited
        self.known_keys = frozenset(_key_digest(k) for k in keys)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/") or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        allowed, remaining, reset = await self.limiter.hit(client_id(scope, self.known_keys))
        if not allowed:
            if self.on_limited:
                self.on_limited()
            retry = str(max(1, math.ceil(reset)))
            await _error(429, "rate_limited", f"too many requests; retry in {retry} s",
                         {"Retry-After": retry, "X-RateLimit-Remaining": "0"})(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-ratelimit-remaining", str(remaining).encode())]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- request size -------------------------------------------------------------------------------------------

class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit (an HTTPException: FastAPI re-raises it)."""

    def __init__(self, limit: int):
        super().__init__(413, f"request body larger than {limit} bytes")


class BodySizeLimitMiddleware:
    """413 for bodies over the limit: by Content-Length up front, or while a chunked body streams in."""

    def __init__(self, app: ASGIApp, max_body: int, max_upload: int, upload_paths: tuple[str, ...] = UPLOAD_PATHS):
        self.app, self.max_body, self.max_upload, self.upload_paths = app, max_body, max_upload, upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload if scope["path"] in self.upload_paths else self.max_body
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _error(400, "invalid_request", "Content-Length is not a number")(scope, receive, send)
                    return
                if length > limit:
                    await _error(413, "payload_too_large",
                                 f"request body is {length} bytes; at most {limit}")(scope, receive, send)
                    return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as e:
            if started:
                raise
            await _error(413, "payload_too_large", str(e.detail))(scope, receive, send)


# -- origins ------------------------------------------------------------------------------------------------

class OriginAllowlistMiddleware:
    """Browser requests from an origin outside the allowlist (and not this server itself) get 403.

    CORS alone only hides responses from foreign pages; this refuses to do the work at all, so another
    site cannot embed the widget or spend our capacity from its visitors' browsers.
    """

    def __init__(self, app: ASGIApp, origins: list[str]):
        self.app = app
        self.any = "*" in origins
        self.origins = {o.lower() for o in origins}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.any or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", ()))
        origin = headers.get(b"origin", b"").decode("latin-1").strip().rstrip("/").lower()
        if origin and origin != "null" and origin not in self.origins:
            host = headers.get(b"host", b"").decode("latin-1").lower()
            if origin.split("://", 1)[-1] != host:  # same-origin pages (our own widget and console) pass
                await _error(403, "forbidden_origin",
                             f"origin {origin} is not allowed; add it to HUIQI_ALLOWED_ORIGINS")(scope, receive, send)
                return
        elif origin == "null":
            await _error(403, "forbidden_origin", "opaque origins are not allowed")(scope, receive, send)
            return
        await self.app(scope, receive, send)


# -- wiring -------------------------------------------------------------------------------------------------

def install_security(app: FastAPI, settings: Settings, on_limited=None) -> None:
    """Add (inner to outer) body limits, rate limits, CORS and the origin allowlist; keep the admin keys."""
    app.state.api_keys = api_keys(settings)
    app.add_middleware(BodySizeLimitMiddleware, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    limiter = limiter_from_settings(settings)
    app.state.limiter = limiter
    if limiter is not None:
        app.add_middleware(RateLimitMiddleware, limiter=limiter, keys=app.state.api_keys, on_limited=on_limited)
    origins = allowed_origins(settings)
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_credentials=False,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Content-Type", "X-API-Key", "Authorization", "X-Request-ID", "Last-Event-ID"],
            expose_headers=["X-Request-ID", "Retry-After", "X-RateLimit-Remaining"], max_age=600,
        )
    app.add_middleware(OriginAllowlistMiddleware, origins=origins)
