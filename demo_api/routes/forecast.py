"""POST /forecast: check an uploaded CSV or XLSX, answer 202, forecast it in a background thread."""

from __future__ import annotations

import hashlib
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from demo_api.data import Dataset
from demo_api.dependencies import State, Tenant
from demo_api.errors import DemoApiError
from demo_api.upload_form import UploadOptions, check_preset, parse_analyses, parse_quantiles
from demo_api.upload_series import to_dataset
from demo_api.upload_tables import read_table
from demo_api.uploads import UploadedJob

router = APIRouter()


def _dataset(data: bytes, filename: str, columns: dict[str, str], freq: str | None) -> Dataset:
    return to_dataset(read_table(data, filename, columns), freq, filename)


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
    quantiles = parse_quantiles(quantile_levels)
    analyses = parse_analyses(explainability_analyses)
    limit = state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise DemoApiError("file_too_large", f"The upload exceeds the {limit} byte limit.")
    columns = {"item_id": item_id_column, "timestamp": timestamp_column, "target": target_column}
    filename = file.filename or "upload.csv"
    dataset = await run_in_threadpool(_dataset, data, filename, columns, freq)
    options = UploadOptions(
        filename=filename,
        preset=presets,
        prediction_length=prediction_length,
        freq=dataset.freq,
        quantiles=quantiles,
        explainability=explainability,
        analyses=analyses,
        dataset_hash=hashlib.sha256(data).hexdigest(),
    )
    step = state.settings.upload_step_seconds
    job = UploadedJob(str(uuid.uuid4()), tenant, dataset, options, state.clock, step)
    state.upload(job)
    body = {
        "job_id": job.pending.job_id,
        "status": "pending",
        "created_at": job.pending.created_at.isoformat().replace("+00:00", "Z"),
        "prediction_length": prediction_length,
    }
    return JSONResponse(body, status_code=202)
