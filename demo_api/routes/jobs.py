"""GET /jobs/{job_id} and its forecast CSV download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from demo_api.dependencies import State, Tenant
from demo_api.jobs import job_body
from demo_api.records import result_key

router = APIRouter(prefix="/jobs")


@router.get("/{job_id}")
def get_job(job_id: str, request: Request, state: State, tenant: Tenant) -> dict[str, Any]:
    return job_body(state, str(request.base_url), state.record(tenant, job_id))


@router.get("/{job_id}/download")
def download(job_id: str, state: State, tenant: Tenant) -> Response:
    record, result = state.completed(tenant, job_id)
    body = state.memo.get(("csv", result_key(record)), result.forecast.csv)
    disposition = f'attachment; filename="forecast-{job_id}.csv"'
    return Response(
        body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition}
    )
