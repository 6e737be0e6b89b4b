"""The shipped front end: /widget.js (the embeddable chat bubble), /console (hotline staff) and /demo (a host page)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response

from assistant.errors import NotFound

router = APIRouter(tags=["pages"], include_in_schema=False)

STATIC = Path(__file__).resolve().parents[1] / "static"

#: Our own pages load only our own scripts; styles may be inline (the demo page's and the widget's shadow CSS).
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")

_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".html": "text/html; charset=utf-8"}
#: Assets are fetched by a fixed URL (host pages embed /widget.js as is): a short max-age, then an ETag check.
_ASSET_CACHE = "public, max-age=300"
_PAGE_CACHE = "no-cache"
ASSETS = ("widget.js", "console.js", "console.css")


@dataclass(frozen=True)
class _Asset:
    body: bytes
    etag: str
    media_type: str


_cache: dict[Path, tuple[float, _Asset]] = {}


def _load(name: str) -> _Asset:
    """The file's bytes and ETag, re-read only when the file changed (editing a shipped asset needs no restart)."""
    path = STATIC / name
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise NotFound(f"no static file {name!r}") from None
    hit = _cache.get(path)
    if hit is None or hit[0] != mtime:
        body = path.read_bytes()
        asset = _Asset(body, '"' + hashlib.sha256(body).hexdigest()[:20] + '"', _TYPES[path.suffix])
        _cache[path] = hit = (mtime, asset)
    return hit[1]


def _serve(request: Request, name: str, cache: str, extra: dict[str, str] | None = None) -> Response:
    asset = _load(name)
    headers = {"ETag": asset.etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff", **(extra or {})}
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


@router.get("/widget.js")
async def widget_js(request: Request) -> Response:
    """The embeddable widget: `<script src=".../widget.js" data-…>` on any allowed page."""
    # Host pages on other origins load it with <script>; CORP lets pages that isolate themselves (COEP) do so too.
    return _serve(request, "widget.js", _ASSET_CACHE, {"Cross-Origin-Resource-Policy": "cross-origin"})


@router.get("/static/{name}")
async def static_asset(name: str, request: Request) -> Response:
    """The console's script and stylesheet (and the widget under its long name)."""
    if name not in ASSETS:
        raise NotFound(f"no static file {name!r}")
    return _serve(request, name, _ASSET_CACHE)


@router.get("/console")
async def console(request: Request) -> Response:
    """The hotline console: search, article view, checklist and triage tabs."""
    return _serve(request, "console.html", _PAGE_CACHE, {"Content-Security-Policy": PAGE_CSP,
                                                          "Referrer-Policy": "same-origin"})


@router.get("/demo")
async def demo(request: Request) -> Response:
    """A demo host page (a made-up county government site) that embeds the widget."""
    return _serve(request, "demo.html", _PAGE_CACHE, {"Content-Security-Policy": PAGE_CSP})
