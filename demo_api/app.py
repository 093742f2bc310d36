"""The demo API application: `create_app(settings)` builds one independent instance."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request, Response

import demo_api
from demo_api import content, faults, hostile, uploads
from demo_api.auth import Tenant
from demo_api.data import covariate_metadata
from demo_api.errors import install_error_handlers
from demo_api.jobs import Links, job_json
from demo_api.scenarios import SCENARIOS
from demo_api.settings import Settings
from demo_api.state import DemoState, JobRecord, result_key


def _warm_up(state: DemoState) -> None:
    """Compute every seeded result once, cheapest first, so first requests are fast."""
    for bundle in ("sunspots", "stocks", "macro", "co2_full", "synthetic", "gapminder"):
        state.result(bundle)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    state: DemoState = app.state.demo
    if state.settings.warm_up:
        threading.Thread(target=_warm_up, args=(state,), name="demo-warm-up", daemon=True).start()
    yield


def render_job(state: DemoState, request: Request, record: JobRecord) -> dict[str, Any]:
    """The job body as this request should see it (base URL for absolute links)."""
    links = Links(state, str(request.base_url), record, time.time())
    covariates: dict[str, Any] = {}
    if record.result is not None and record.scenario.covariates:
        dataset = record.result.dataset
        covariates = state.memo.get(
            ("covariates", dataset.name), lambda: covariate_metadata(dataset)
        )
    return job_json(state, record, links, covariates)


def _routes(app: FastAPI) -> None:
    @app.get("/health")
    def health(request: Request) -> dict[str, Any]:
        state: DemoState = request.app.state.demo
        return {
            "version": demo_api.__version__,
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "status": "ok",
            "commit": "demo",
            "checks": {
                "scenarios": "ok",
                "forecast_worker": "ok",
                "faults": "enabled" if state.settings.faults else "disabled",
            },
        }

    @app.get("/_demo/scenarios")
    def list_scenarios(request: Request, tenant: Tenant) -> list[dict[str, str]]:
        state: DemoState = request.app.state.demo
        ids = {s.name: job_id for job_id, (owner, s) in state.seeded.items() if owner == tenant}
        return [
            {
                "job_id": ids[s.name],
                "scenario": s.name,
                "status": state.status(tenant, ids[s.name]),
            }
            for s in SCENARIOS
        ]

    @app.get("/jobs/{job_id}")
    def get_job(job_id: str, request: Request, tenant: Tenant) -> dict[str, Any]:
        state: DemoState = request.app.state.demo
        return render_job(state, request, state.record(tenant, job_id))

    @app.get("/jobs/{job_id}/download")
    def download(job_id: str, request: Request, tenant: Tenant) -> Response:
        state: DemoState = request.app.state.demo
        record, result = state.completed(tenant, job_id)
        body = state.memo.get(("csv", result_key(record)), result.forecast.csv)
        disposition = f'attachment; filename="forecast-{job_id}.csv"'
        return Response(
            body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition}
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app with its own state; faults and hostile jobs are mounted only when asked for."""
    settings = settings or Settings()
    app = FastAPI(title="Eomer demo API", version=demo_api.__version__, lifespan=_lifespan)
    app.state.demo = DemoState(settings)
    install_error_handlers(app)
    # Fenced like the faults; installed first so its exact job paths win over /jobs/{job_id}.
    if settings.hostile:
        hostile.install(app)
    _routes(app)
    app.include_router(content.router)
    app.include_router(uploads.router)
    # Fenced modules: each adds its routes and middleware only when its setting is on.
    if settings.faults:
        faults.install(app)
    return app
