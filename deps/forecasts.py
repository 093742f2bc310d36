"""Forecast files and their readings: the budgets, per session and shared by a tenant's sessions.

Forecast files and readings shared by the sessions of this process are at most 512 MB each
(dashboard/caching/shared_forecasts.py).
"""

from __future__ import annotations

from dashboard.forecasts.forecast_csv import ForecastData, ReadOptions
from dashboard.isolation.isolated_reading import read_forecast_file
from deps.resources import shared_answers
from deps.sessions import session
from deps.tenants import session_tenant
from eomer_client.client import EomerClient
from eomer_client.models import Job

# What one session may keep of a forecast while its page is open: the file and the table read
# from it, together. The table takes about 0.8 x the file (a 200 MB file kept 430 MB in all).
FORECAST_BUDGET_BYTES = 400 * 1024 * 1024
# A bigger file leaves no room for its table, so it is refused before it is read in full. About
# 1.7 million rows with nine quantiles.
MAX_FORECAST_BYTES = FORECAST_BUDGET_BYTES // 2


def forecast_data(
    client: EomerClient, job: Job, options: ReadOptions, *, budget: int = FORECAST_BUDGET_BYTES
) -> ForecastData:
    """The job's forecast file read with `options`, downloaded once per connection.

    Only the latest job's file and reading are kept; a new reading of the same file (the viewer
    corrected a guess) parses the kept bytes again instead of downloading them. A forecast whose
    file and reading together exceed `budget` is refused with ContentError, and nothing is kept.
    """
    data = session().data
    if job.job_id not in data.forecast_files:
        data.forecast_files.clear()  # free the previous job's file and frame first
        data.forecasts.clear()
        fetched = client.download_forecast(job, max_bytes=min(MAX_FORECAST_BYTES, budget))
        data.forecast_files[job.job_id] = fetched.content
    key = (job.job_id, options)
    if key not in data.forecasts:
        data.forecasts.clear()
        reading = read_forecast_file(data.forecast_files[job.job_id], options)  # in a worker
        data.keep_forecast(key, reading, budget)
    return data.forecasts[key]


def shared_forecast_data(
    client: EomerClient, job: Job, options: ReadOptions, *, budget: int = FORECAST_BUDGET_BYTES
) -> ForecastData:
    """Like forecast_data, but one copy per process for every session of the same tenant."""
    known = session_tenant()
    if known is None:
        return forecast_data(client, job, options, budget=budget)

    def download() -> bytes:
        return client.download_forecast(job, max_bytes=min(MAX_FORECAST_BYTES, budget)).content

    def revalidate() -> object:
        return client.get_job(job.job_id)

    return shared_answers().forecasts.reading(
        known.tenant, job.job_id, options, download, budget, revalidate
    )
