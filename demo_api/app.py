"""The demo API application: `create_app(settings)` builds one independent instance."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

import demo_api
from demo_api.clock import Clock
from demo_api.dependencies import attach_state
from demo_api.errors import install_error_handlers
from demo_api.models.warning_filters import FILTERS_LOCK
from demo_api.routes import ROUTERS, serve
from demo_api.settings import Settings
from demo_api.state import DemoState

# Cheapest first, so the first requests of a fresh server are fast.
_WARM_UP_BUNDLES = ("sunspots", "stocks", "macro", "co2_full", "synthetic", "gapminder")


def _warm_up(state: DemoState, stop: threading.Event) -> None:
    """Compute every seeded result once; stops between results when the server shuts down."""
    for bundle in _WARM_UP_BUNDLES:
        if stop.is_set():
            return
        state.result(bundle)


def _lifespan(state: DemoState) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        if state.settings.warm_up:
            warm = threading.Thread(
                target=_warm_up, args=(state, stop), name="demo-warm-up", daemon=True
            )
            warm.start()
        yield
        stop.set()

    return lifespan


def _mount_apparatus(app: FastAPI, state: DemoState) -> None:
    """The test apparatus, fenced: imported and mounted only when its setting is on."""
    if not (state.settings.hostile or state.settings.faults):
        return
    # Importing an apparatus module builds its routes, and other servers of this process may
    # be fitting forecasts meanwhile: see demo_api.models.warning_filters.
    with FILTERS_LOCK:
        if state.settings.hostile:
            from demo_api.testing import hostile

            hostile.install(app, state)
        if state.settings.faults:
            from demo_api.testing import faults

            faults.install(app, state)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """A new app with its own state; faults and hostile jobs are mounted only when asked for."""
    state = DemoState(settings or Settings(), clock)
    app = FastAPI(title="Eomer demo API", version=demo_api.__version__, lifespan=_lifespan(state))
    attach_state(app, state)
    install_error_handlers(app)
    # First, so the hostile jobs' exact paths win over /jobs/{job_id}.
    _mount_apparatus(app, state)
    for router in ROUTERS:
        serve(app, router)
    return app
