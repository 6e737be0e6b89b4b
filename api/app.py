"""The FastAPI application factory."""

from __future__ import annotations

import logging
import sys
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.observability import RATE_LIMITED, install_observability
from api.routers import admin, appeals, articles, chat, checklists, feedback, health, pages, policies, search
from api.security import install_security
from assistant import __version__
from assistant.components import Components
from assistant.errors import HuiqiError
from assistant.settings import Settings

log = logging.getLogger("huiqi.api")


def _warm_up(app: FastAPI, components: Components) -> None:
    """Load what the first request would otherwise wait for; a part that cannot load is left unset (its routes 503)."""
    try:
        components.index.warm_up()
    except HuiqiError as e:  # serve anyway: /readyz says 503 until the store answers
        log.warning("warm-up incomplete: %s", e.message)
    for name in ("checklists", "triager"):
        try:
            service = getattr(components, name)
            service.warm_up()
            setattr(app.state, name, service)
        except HuiqiError as e:
            log.warning("%s unavailable: %s", name, e.message)


def create_app(settings: Settings | None = None, components: Components | None = None) -> FastAPI:
    """Build the app; heavy components load at start-up (lifespan), not at import."""
    components = components or Components(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # process-wide, so set by the running server (not at import): see Settings.switch_interval_ms
        sys.setswitchinterval(components.settings.switch_interval_ms / 1000)
        _warm_up(app, components)
        yield

    app = FastAPI(title="huiqi (惠企助手)", version=__version__, lifespan=lifespan)
    app.state.components = components
    install_error_handlers(app)
    install_security(app, components.settings, on_limited=RATE_LIMITED.inc)
    install_observability(app, components.settings)
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(chat.router)
    app.include_router(checklists.router)
    app.include_router(appeals.router)
    app.include_router(policies.router)
    app.include_router(admin.router)
    app.include_router(articles.router)
    app.include_router(feedback.router)
    app.include_router(pages.router)
    return app
