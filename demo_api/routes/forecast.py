"""POST /forecast: check an uploaded CSV or XLSX, answer 202, fit it in the app's fit queue."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from demo_api.dependencies import State, Tenant
from demo_api.errors import DemoApiError
from demo_api.models.data_sets import Dataset
from demo_api.records import UploadOptions
from demo_api.state import DemoState
from demo_api.upload.upload_form import check_preset, parse_analyses, parse_quantiles
from demo_api.upload.upload_jobs import UploadedJob
from demo_api.upload.upload_series import to_dataset
from demo_api.upload.upload_tables import read_table

router = APIRouter()


def _dataset(data: bytes, filename: str, columns: dict[str, str], freq: str | None) -> Dataset:
    return to_dataset(read_table(data, filename, columns), freq, filename)


@dataclass(frozen=True)
class _Form:
    """The upload's form fields, as the route received them."""

    prediction_length: int
    presets: str
    columns: dict[str, str]
    freq: str | None
    quantiles: tuple[float, ...]
    explainability: bool
    analyses: tuple[str, ...]


async def _job(state: DemoState, tenant: str, file: UploadFile, form: _Form) -> UploadedJob:
    """Read and check the file, and make its job (not yet fitted)."""
    limit = state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise DemoApiError("file_too_large", f"The upload exceeds the {limit} byte limit.")
    filename = file.filename or "upload.csv"
    dataset = await run_in_threadpool(_dataset, data, filename, form.columns, form.freq)
    options = UploadOptions(
        filename=filename,
        preset=form.presets,
        prediction_length=form.prediction_length,
        freq=dataset.freq,
        quantiles=form.quantiles,
        explainability=form.explainability,
        analyses=form.analyses,
        dataset_hash=hashlib.sha256(data).hexdigest(),
    )
    step = state.settings.upload_step_seconds
    return UploadedJob(str(uuid.uuid4()), tenant, dataset, options, state.clock, step)


@router.post("/forecast", status_code=202)
async def start_forecast(
    state: State,
    tenant: Tenant,
    file: UploadFile,
    prediction_length: Annotated[int, Form(ge=1, le=1000)] = 24,
    presets: Annotated[str, Form()] = "chronos_small",
    item_id_column: Annotated[str, Form()] = "item_id",
    timestamp_column: Annotated[str, Form()] = "timestamp",
    target_column: Annotated[str, Form()] = "target",
    freq: Annotated[str | None, Form()] = None,
    quantile_levels: Annotated[str | None, Form()] = None,
    explainability: Annotated[bool, Form()] = False,
    explainability_analyses: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    check_preset(presets)
    columns = {"item_id": item_id_column, "timestamp": timestamp_column, "target": target_column}
    form = _Form(
        prediction_length,
        presets,
        columns,
        freq,
        parse_quantiles(quantile_levels),
        explainability,
        parse_analyses(explainability_analyses),
    )
    # A place in the fit queue before the file is read: a busy demo answers 503 at once.
    state.fits.reserve()
    try:
        job = await _job(state, tenant, file, form)
    except BaseException:
        state.fits.release()
        raise
    state.upload(job)
    body = {
        "job_id": job.pending.job_id,
        "status": "pending",
        "created_at": job.pending.created_at.isoformat().replace("+00:00", "Z"),
        "prediction_length": prediction_length,
    }
    return JSONResponse(body, status_code=202)
