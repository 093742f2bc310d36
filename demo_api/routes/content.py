"""What a job's URL fields point to: plot, report, explainability summary, artifacts, storage."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from demo_api.dependencies import State, Tenant
from demo_api.errors import DemoApiError
from demo_api.jobs import Links, explainability_json, storage_signature
from demo_api.models.artifacts import EXTENSIONS, MEDIA_TYPES, ArtifactSpec
from demo_api.models.data_sets import Dataset
from demo_api.models.forecasting import Forecast
from demo_api.records import DemoJobRecord, result_key
from demo_api.seeded.reports import plot, report
from demo_api.state import DemoState

router = APIRouter()
Renderer = Callable[[Dataset, Forecast, str], bytes]


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


def _rendered(state: DemoState, tenant: str, job_id: str, kind: str) -> tuple[bytes, str]:
    """The job's plot or report in the format its scenario serves, rendered once per app."""
    record, result = state.completed(tenant, job_id)
    fmt = record.scenario.plot_format if kind == "plot" else record.scenario.report_format
    render: Renderer = plot if kind == "plot" else report
    body = state.memo.get(
        (kind, result_key(record), fmt), lambda: render(result.dataset, result.forecast, fmt)
    )
    return body, fmt


def _artifact(
    state: DemoState, record: DemoJobRecord, spec: ArtifactSpec, *, inline: bool
) -> Response:
    body = state.memo.get(("artifact", result_key(record), spec.artifact_id), spec.render)
    return _send(body, spec.format, f"{spec.artifact_id}.{EXTENSIONS[spec.format]}", inline=inline)


@router.get("/jobs/{job_id}/plot")
def get_plot(job_id: str, state: State, tenant: Tenant) -> Response:
    body, fmt = _rendered(state, tenant, job_id, "plot")
    return _send(body, fmt, f"forecast-plot.{EXTENSIONS[fmt]}", inline=True)


@router.get("/jobs/{job_id}/report")
def get_report(job_id: str, state: State, tenant: Tenant) -> Response:
    body, fmt = _rendered(state, tenant, job_id, "report")
    return _send(body, fmt, f"report.{EXTENSIONS[fmt]}", inline=fmt != "pdf")


@router.get("/jobs/{job_id}/explainability")
def get_explainability(job_id: str, request: Request, state: State, tenant: Tenant) -> Response:
    record, result = state.completed(tenant, job_id)
    links = Links(state, str(request.base_url), record)
    body = explainability_json(result.explainability, links, record)
    return Response(json.dumps(body).encode(), media_type="application/json")


def _spec(record: DemoJobRecord, artifact_id: str) -> ArtifactSpec:
    assert record.result is not None
    spec = record.result.explainability.artifact(artifact_id)
    if spec is None:
        raise DemoApiError("job_not_found", f"Job {record.job_id} has no artifact {artifact_id}.")
    return spec


@router.get("/jobs/{job_id}/artifacts/{artifact_id}")
def get_artifact(job_id: str, artifact_id: str, state: State, tenant: Tenant) -> Response:
    record, _ = state.completed(tenant, job_id)
    return _artifact(state, record, _spec(record, artifact_id), inline=False)


@router.get("/jobs/{job_id}/artifacts/{artifact_id}/embed")
def embed_artifact(job_id: str, artifact_id: str, state: State, tenant: Tenant) -> Response:
    record, _ = state.completed(tenant, job_id)
    spec = _spec(record, artifact_id)
    if not spec.embeddable:
        raise DemoApiError("job_not_found", f"Artifact {artifact_id} has no embeddable form.")
    return _artifact(state, record, spec, inline=True)


@router.get("/_storage/{job_id}/{filename}")
def get_stored(
    job_id: str,
    filename: str,
    request: Request,
    state: State,
    expires: Annotated[int, Query()],
    signature: Annotated[str, Query()],
    inline: Annotated[int, Query()] = 0,
) -> Response:
    """Stand-in for a presigned storage URL: no token, an expiry and a signature instead."""
    expected = storage_signature(state.secret, request.url.path, expires)
    if not hmac.compare_digest(expected, signature) or expires < state.clock.time():
        raise DemoApiError(
            "auth_failed",
            "Storage link is invalid or expired; fetch the job again for a new one.",
            status_code=403,
        )
    record, _ = state.completed(state.owner(job_id), job_id)
    artifact_id = filename.split(".", 1)[0]
    return _artifact(state, record, _spec(record, artifact_id), inline=bool(inline))
