"""POST /forecast: validate an uploaded CSV, answer 202, forecast it in a background thread."""

from __future__ import annotations

import io
import threading
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pandas.tseries.frequencies import to_offset

from demo_api.artifacts import DISABLED
from demo_api.auth import Tenant
from demo_api.data import Dataset
from demo_api.errors import DemoApiError
from demo_api.forecasting import forecast_dataset
from demo_api.results import JobResult
from demo_api.state import UPLOAD_SCENARIO, DemoState, JobRecord, UploadedJob

router = APIRouter()
PRESETS = frozenset(
    {
        "chronos_tiny",
        "chronos_mini",
        "chronos_small",
        "chronos_base",
        "chronos_large",
        "chronos_bolt_small",
        "chronos_bolt_base",
    }
)
MAX_ITEMS = 500
_WEEKLY = tuple(f"W-{day}" for day in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"))
_FREQUENCIES = ("min", "h", "D", *_WEEKLY, "MS", "ME", "QS", "QE", "YS", "YE")


def _invalid(detail: str) -> DemoApiError:
    return DemoApiError("validation_error", detail)


def _read_csv(data: bytes, filename: str, columns: dict[str, str]) -> pd.DataFrame:
    if not filename.lower().endswith(".csv"):
        raise _invalid(f"{filename!r}: the demo API accepts CSV files only.")
    try:
        frame = pd.read_csv(io.BytesIO(data))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _invalid(f"{filename!r} is not a readable CSV file: {exc}") from exc
    missing = [name for name in columns.values() if name not in frame.columns]
    if missing:
        raise _invalid(f"Missing column(s) {', '.join(missing)}; found {list(frame.columns)}.")
    frame = frame.rename(columns={v: k for k, v in columns.items()})[list(columns)]
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], errors="coerce", format="mixed")
    frame["target"] = pd.to_numeric(frame["target"], errors="coerce")
    bad = frame[frame["timestamp"].isna() | frame["target"].isna()]
    if len(bad):
        raise _invalid(
            f"{len(bad)} row(s) have an unreadable timestamp or target (first: row "
            f"{int(bad.index[0]) + 2})."
        )
    return frame


def _frequency(frame: pd.DataFrame, freq: str | None) -> str:
    if freq:
        try:
            return str(to_offset(freq).freqstr)
        except ValueError as exc:
            raise _invalid(f"Unknown freq {freq!r}.") from exc
    longest = max((g.sort_values() for _, g in frame.groupby("item_id")["timestamp"]), key=len)
    stamps = pd.DatetimeIndex(longest)
    # Tried in order instead of pd.infer_freq, which warns under pandas 3 and needs 3 points.
    for candidate in _FREQUENCIES:
        if pd.date_range(stamps[0], periods=len(stamps), freq=candidate).equals(stamps):
            return candidate
    raise _invalid("Could not infer the series frequency; pass freq (e.g. D, W-MON, MS).")


def _dataset(frame: pd.DataFrame, freq: str, filename: str) -> Dataset:
    series: dict[str, pd.Series] = {}
    for item, group in frame.groupby("item_id", sort=False):
        if len(group) < 2:
            raise _invalid(f"Series {item!r} has {len(group)} point; at least 2 are needed.")
        if group["timestamp"].duplicated().any():
            raise _invalid(f"Series {item!r} has duplicate timestamps.")
        values = group.set_index("timestamp")["target"].sort_index().astype(float)
        regular = values.asfreq(freq)
        if regular.notna().sum() < 2:
            raise _invalid(f"Series {item!r} does not follow the frequency {freq}.")
        series[str(item)] = regular.interpolate()
    if len(series) > MAX_ITEMS:
        raise _invalid(f"{len(series)} items; the demo API forecasts at most {MAX_ITEMS}.")
    return Dataset(
        name=f"upload:{filename}",
        source=f"uploaded file {filename}",
        freq=freq,
        season=None,
        series=series,
    )


def _work(state: DemoState, job_id: str, dataset: Dataset, horizon: int) -> None:
    """pending -> running -> completed (or failed), each step visible for upload_step_seconds."""
    step, pause = state.settings.upload_step_seconds, threading.Event()
    job = state.uploads[job_id]
    pause.wait(step)
    job.record = replace(job.record, status="running", num_items=len(dataset.series))
    try:
        result = JobResult(dataset, forecast_dataset(dataset, horizon), DISABLED)
    except (ValueError, ArithmeticError, IndexError) as exc:
        done = datetime.now(UTC)
        job.record = replace(
            job.record,
            status="failed",
            completed_at=done,
            error=f"Model fitting failed: {exc}",
            error_code="pipeline_failed",
            elapsed_seconds=(done - job.record.created_at).total_seconds(),
        )
        return
    pause.wait(step)
    done = datetime.now(UTC)
    job.record = replace(
        job.record,
        status="completed",
        completed_at=done,
        result=result,
        elapsed_seconds=round((done - job.record.created_at).total_seconds(), 3),
    )


@router.post("/forecast", status_code=202)
async def start_forecast(
    request: Request,
    tenant: Tenant,
    file: UploadFile,
    prediction_length: Annotated[int, Form(ge=1, le=1000)] = 24,
    presets: Annotated[str, Form()] = "chronos_small",
    item_id_column: Annotated[str, Form()] = "item_id",
    timestamp_column: Annotated[str, Form()] = "timestamp",
    target_column: Annotated[str, Form()] = "target",
    freq: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    state: DemoState = request.app.state.demo
    if presets not in PRESETS:
        raise DemoApiError(
            "invalid_preset",
            f"Unknown preset {presets!r}; use one of {', '.join(sorted(PRESETS))}.",
        )
    limit = state.settings.max_upload_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise DemoApiError("file_too_large", f"The upload exceeds the {limit} byte limit.")
    columns = {"item_id": item_id_column, "timestamp": timestamp_column, "target": target_column}
    filename = file.filename or "upload.csv"
    frame = await run_in_threadpool(_read_csv, data, filename, columns)
    dataset = _dataset(frame, _frequency(frame, freq), filename)
    job_id = str(uuid.uuid4())
    created = datetime.now(UTC).replace(microsecond=0)
    record = JobRecord(
        job_id, tenant, UPLOAD_SCENARIO, "pending", created, prediction_length=prediction_length
    )
    state.uploads[job_id] = UploadedJob(record)
    threading.Thread(
        target=_work,
        args=(state, job_id, dataset, prediction_length),
        name=f"forecast-{job_id[:8]}",
        daemon=True,
    ).start()
    body = {
        "job_id": job_id,
        "status": "pending",
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "prediction_length": prediction_length,
    }
    return JSONResponse(body, status_code=202)
