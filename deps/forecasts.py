"""Forecast files and their readings, shared by a tenant's sessions, within their budgets.

The process keeps forecast files and readings in `Caches.forecasts` (deps/resources.py); one
forecast's file and table together are at most `FORECAST_BUDGET_BYTES`.
"""

from __future__ import annotations

from dashboard.caching.budgets import BUDGETS
from dashboard.forecasts.forecast_csv import ForecastData, ReadOptions
from deps.resources import caches
from deps.tenants import session_tenant
from eomer_client.client import EomerClient
from eomer_client.errors import ResponseError
from eomer_client.models import Job

FORECAST_BUDGET_BYTES = BUDGETS.forecast_bytes
MAX_FORECAST_BYTES = BUDGETS.max_forecast_file_bytes


def forecast_data(
    client: EomerClient, job: Job, options: ReadOptions, *, budget: int = FORECAST_BUDGET_BYTES
) -> ForecastData:
    """The job's forecast file read with `options`: downloaded and read once per process for
    every session of the tenant. A forecast whose file and reading together exceed `budget` is
    refused with ContentError, and its reading is not kept."""
    known = session_tenant()
    if known is None:
        raise ResponseError("No API is connected: choose one in the sidebar.")

    def download() -> bytes:
        return client.download_forecast(job, max_bytes=min(MAX_FORECAST_BYTES, budget)).content

    def revalidate() -> object:
        return client.get_job(job.job_id)

    return caches().forecasts.reading(
        known.tenant, job.job_id, options, download, budget, revalidate
    )
