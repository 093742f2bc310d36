"""What a job's URL fields point to: plot, report, explainability summary, artifacts, storage."""

from __future__ import annotations

import hmac
import json
import time
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from demo_api.artifacts import EXTENSIONS, MEDIA_TYPES, ArtifactSpec
from demo_api.auth import Tenant
from demo_api.errors import DemoApiError
from demo_api.jobs import Links, explainability_json, storage_signature
from demo_api.reports import plot, report
from demo_api.state import DemoState, JobRecord, result_key

router = APIRouter()


def _state(request: Request) -> DemoState:
    state: DemoState = request.app.state.demo
    return state


def _send(body: bytes, fmt: str, filename: str, *, inline: bool) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            # Artifacts are remote content: no sniffing, and scripts in them get no origin.
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
        },
    )


def _artifact(state: DemoState, record: JobRecord, spec: ArtifactSpec, *, inline: bool) -> Response:
    body = state.memo.get(("artifact", result_key(record), spec.artifact_id), spec.render)
    return _send(body, spec.format, f"{spec.artifact_id}.{EXTENSIONS[spec.format]}", inline=inline)


@router.get("/jobs/{job_id}/plot")
def get_plot(job_id: str, request: Request, tenant: Tenant) -> Response:
    state = _state(request)
    record, result = state.completed(tenant, job_id)
    fmt = record.scenario.plot_format
    body = state.memo.get(
        ("plot", result_key(record), fmt), lambda: plot(result.dataset, result.forecast, fmt)
    )
    return _send(body, fmt, f"forecast-plot.{EXTENSIONS[fmt]}", inline=True)


@router.get("/jobs/{job_id}/report")
def get_report(job_id: str, request: Request, tenant: Tenant) -> Response:
    state = _state(request)
    record, result = state.completed(tenant, job_id)
    fmt = record.scenario.report_format
    body = state.memo.get(
        ("report", result_key(record), fmt), lambda: report(result.dataset, result.forecast, fmt)
    )
    return _send(body, fmt, f"report.{EXTENSIONS[fmt]}", inline=fmt != "pdf")


@router.get("/jobs/{job_id}/explainability")
def get_explainability(job_id: str, request: Request, tenant: Tenant) -> Response:
    state = _state(request)
    record, result = state.completed(tenant, job_id)
    links = Links(state, str(request.base_url), record, time.time())
    body = explainability_json(result.explainability, links, record)
    return Response(json.dumps(body).encode(), media_type="application/json")


def _spec(state: DemoState, record: JobRecord, artifact_id: str) -> ArtifactSpec:
    assert record.result is not None
    spec = record.result.explainability.artifact(artifact_id)
    if spec is None:
        raise DemoApiError("job_not_found", f"Job {record.job_id} has no artifact {artifact_id}.")
    return spec


@router.get("/jobs/{job_id}/artifacts/{artifact_id}")
def get_artifact(job_id: str, artifact_id: str, request: Request, tenant: Tenant) -> Response:
    state = _state(request)
    record, _ = state.completed(tenant, job_id)
    return _artifact(state, record, _spec(state, record, artifact_id), inline=False)


@router.get("/jobs/{job_id}/artifacts/{artifact_id}/embed")
def embed_artifact(job_id: str, artifact_id: str, request: Request, tenant: Tenant) -> Response:
    state = _state(request)
    record, _ = state.completed(tenant, job_id)
    spec = _spec(state, record, artifact_id)
    if not spec.embeddable:
        raise DemoApiError("job_not_found", f"Artifact {artifact_id} has no embeddable form.")
    return _artifact(state, record, spec, inline=True)


@router.get("/_storage/{job_id}/{filename}")
def get_stored(
    job_id: str,
    filename: str,
    request: Request,
    expires: Annotated[int, Query()],
    signature: Annotated[str, Query()],
    inline: Annotated[int, Query()] = 0,
) -> Response:
    """Stand-in for a presigned storage URL: no token, an expiry and a signature instead."""
    state = _state(request)
    expected = storage_signature(state.secret, request.url.path, expires)
    if not hmac.compare_digest(expected, signature) or expires < time.time():
        raise DemoApiError(
            "auth_failed",
            "Storage link is invalid or expired; fetch the job again for a new one.",
            status_code=403,
        )
    record, _ = state.completed(state.owner(job_id), job_id)
    artifact_id = filename.split(".", 1)[0]
    return _artifact(state, record, _spec(state, record, artifact_id), inline=bool(inline))
