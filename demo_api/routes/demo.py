"""The product demo's own /_demo/ endpoint: which seeded job plays which scenario."""

from __future__ import annotations

from fastapi import APIRouter

from demo_api.dependencies import State, Tenant
from demo_api.scenarios import SCENARIOS

router = APIRouter(prefix="/_demo")


@router.get("/scenarios")
def list_scenarios(state: State, tenant: Tenant) -> list[dict[str, str]]:
    ids = {s.name: job_id for job_id, (owner, s) in state.seeded.items() if owner == tenant}
    return [
        {"job_id": ids[s.name], "scenario": s.name, "status": state.status(tenant, ids[s.name])}
        for s in SCENARIOS
    ]
