"""The product demo's own /_demo/ endpoints: which seeded job plays which scenario, and a
viewer's own live jobs."""

from __future__ import annotations

from fastapi import APIRouter, Response

from demo_api.dependencies import State, Tenant
from demo_api.seeded.scenarios import SCENARIOS

router = APIRouter(prefix="/_demo")


@router.get("/scenarios")
def list_scenarios(state: State, tenant: Tenant) -> list[dict[str, str]]:
    ids = {s.name: job_id for job_id, (owner, s) in state.seeded.items() if owner == tenant}
    return [
        {"job_id": ids[s.name], "scenario": s.name, "status": state.status(tenant, ids[s.name])}
        for s in SCENARIOS
    ]


@router.get("/live-jobs")
def list_live_jobs(state: State, tenant: Tenant, response: Response) -> list[dict[str, str]]:
    """The progressing scenarios under new IDs whose clocks start now: a viewer's own, running
    when they open it and completing while they watch (the seeded ones follow the server's
    start, and are completed for everyone a minute and a half after it)."""
    # Every call hands out other jobs: no cache may answer it.
    response.headers["Cache-Control"] = "no-store"
    return [
        {"job_id": job_id, "scenario": scenario.name, "status": state.status(tenant, job_id)}
        for job_id, scenario in state.live_jobs(tenant)
    ]
