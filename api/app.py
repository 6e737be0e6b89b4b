"""The FastAPI application factory."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routers import health, search
from assistant import __version__
from assistant.components import Components
from assistant.errors import HuiqiError
from assistant.settings import Settings

log = logging.getLogger("huiqi.api")


def create_app(settings: Settings | None = None, components: Components | None = None) -> FastAPI:
    """Build the app; heavy components load at start-up (lifespan), not at import."""
    components = components or Components(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            components.index.warm_up()
        except HuiqiError as e:  # serve anyway: /readyz says 503 until the store answers
            log.warning("warm-up incomplete: %s", e.message)
        yield

    app = FastAPI(title="huiqi (惠企助手)", version=__version__, lifespan=lifespan)
    app.state.components = components
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(search.router)
    return app
