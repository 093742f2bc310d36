"""bench.load's shared-cache figures: what ten sessions on one job cost in memory and requests."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser

from bench.counting_api import BIG_JOB, RUNNING_JOB, CountingApi
from bench.load_sessions import (
    MB,
    SESSION_TTL_SECONDS,
    PeakSampler,
    log,
    open_session,
    open_sessions,
    pause,
    server_usage,
)
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard

SHARED_SESSIONS = 10
FORECAST_ITEMS, FORECAST_STEPS = 20_000, 50  # 1,000,000 rows


@dataclass
class SharedFigures:
    """Server memory growth (bytes) on the big forecast, GET /jobs/{id} per minute on a live job."""

    memory: dict[int, int]
    per_minute: dict[int, float]


def _shared_dashboard(api: CountingApi) -> Dashboard:
    env = {"EOMER_API_URL": api.url, "EOMER_API_TOKEN": "bench-shared-token"}
    env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL_SECONDS)
    return start_dashboard(env)


def forecast_memory(browser: Browser, api: CountingApi, n: int) -> int:
    """How much a fresh server grows while n same-token sessions open the big forecast."""
    dashboard = _shared_dashboard(api)
    try:
        # Imports (pandas, plotly, the pages) first: they are not what the sessions hold.
        warm = open_session(browser, f"{dashboard.url}/forecast", ready="stAlert")
        warm.context.close()
        start = server_usage(dashboard.process.pid)[0]
        sampler = PeakSampler(dashboard.process.pid)
        url = f"{dashboard.url}/forecast?job={BIG_JOB}"
        sessions = open_sessions(browser, url, n, ready="stPlotlyChart")
        peak = sampler.stop()
        for session in sessions:
            for error in session.errors:
                log(f"forecast x{n}: {error}")
            session.context.close()
        return peak - start
    finally:
        stop_dashboard(dashboard)


def job_requests_per_minute(browser: Browser, api: CountingApi, n: int, seconds: float) -> float:
    """GET /jobs/{id} per minute the API sees while n same-token sessions watch a running job."""
    dashboard = _shared_dashboard(api)
    try:
        url = f"{dashboard.url}/?job={RUNNING_JOB}"
        sessions = open_sessions(browser, url, n, ready="stCaptionContainer")
        before, started = api.count(RUNNING_JOB), time.monotonic()
        pause(seconds)
        asked = api.count(RUNNING_JOB) - before
        rate = 60 * asked / (time.monotonic() - started)
        for session in sessions:
            session.context.close()
        return rate
    finally:
        stop_dashboard(dashboard)


def measure_shared(browser: Browser, seconds: float) -> SharedFigures:
    """One session, then SHARED_SESSIONS, each on a fresh server, against one counting API."""
    from bench.forecast_view import write_forecast_csv

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "forecast.csv"
        write_forecast_csv(path, FORECAST_ITEMS, FORECAST_STEPS)
        api = CountingApi(path.read_bytes())
    try:
        counts = (1, SHARED_SESSIONS)
        memory = {n: forecast_memory(browser, api, n) for n in counts}
        per_minute = {n: job_requests_per_minute(browser, api, n, seconds) for n in counts}
        return SharedFigures(memory, per_minute)
    finally:
        api.close()


def shared_lines(figures: SharedFigures) -> list[str]:
    """The shared-cache figures and their ratios, ten sessions against one."""
    one, ten = figures.memory[1], figures.memory[SHARED_SESSIONS]
    rate_one, rate_ten = figures.per_minute[1], figures.per_minute[SHARED_SESSIONS]
    return [
        f"same token, {FORECAST_ITEMS * FORECAST_STEPS:,}-row forecast: server grew "
        f"{one / MB:.0f} MB for 1 session, {ten / MB:.0f} MB for {SHARED_SESSIONS} "
        f"(ratio {ten / max(one, 1):.2f})",
        f"same token, one running job: GET /jobs/{{id}} {rate_one:.1f}/min for 1 session, "
        f"{rate_ten:.1f}/min for {SHARED_SESSIONS} (ratio {rate_ten / max(rate_one, 0.1):.2f})",
    ]
