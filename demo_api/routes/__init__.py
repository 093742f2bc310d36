"""The product demo's routes, one router per resource, and how an app serves a router."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from demo_api.routes import content, demo, forecast, health, jobs

# In the order the app serves them (the first match wins).
ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    demo.router,
    jobs.router,
    content.router,
    forecast.router,
)


def serve(app: FastAPI, router: APIRouter) -> None:
    """Serve `router`'s routes on `app` as they were built when its module was imported.

    Not `app.include_router`: FastAPI 0.165 builds an included router's routes again for every
    app, on the first request that reaches them, in the server's thread, where a forecast fit of
    the same process may be swapping the warning filters (see demo_api.models.warning_filters).
    """
    app.router.routes.extend(router.routes)
