"""Load: N real browser sessions on one dashboard server, each watching 20 jobs with live refresh.

`python3 -m bench.load [--sessions 1,5,10,20] [--seconds 30] [--no-fail] [--shared-only]` prints,
per N, page load and rerun times, errors, server RSS (start, peak, after the sessions close),
memory per session and server CPU per script run; it exits 1 when a target is missed. Then, for
sessions sharing one token: the server's memory with ten sessions on one 1,000,000-row forecast
against one session's, and GET /jobs/{id} per minute for ten sessions on one running job against
one session's (issue 16: answers and forecasts are shared within a process, per tenant).
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.load_sessions import (
    BIG_JOB,
    MB,
    RUNNING_JOB,
    SESSION_TTL_SECONDS,
    CountingApi,
    PeakSampler,
    collect,
    log,
    open_session,
    open_sessions,
    pause,
    server_usage,
    settle_rss,
)
from demo_api.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from harness.browser import launch_chromium
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard

# The two progressing jobs (pending, running) keep run_every on; the other 18 are terminal.
JOB_IDS = [
    SCENARIO_IDS[name]
    for name in sorted(SCENARIO_IDS, key=lambda n: (not n.endswith("_progressing"), n))[:20]
]
PROGRESS_SECONDS = 3600  # the progressing jobs finish at 2/3 and 3/3 of it: never during a run
TARGET_SESSIONS = 20
TARGET_P95_RERUN_SECONDS = 1.0
TARGET_MB_PER_SESSION = 30.0
SHARED_SESSIONS = 10
FORECAST_ITEMS, FORECAST_STEPS = 20_000, 50  # 1,000,000 rows
# "Back near the start": at most 50 MB or 20 % above the step's start, whichever is larger.
AFTER_SLACK_MB = 50.0
AFTER_SLACK_RATIO = 0.2


@dataclass
class StepResult:
    """The figures for one N; memory in bytes, CPU in seconds."""

    sessions: int
    load_seconds: list[float]
    rerun_seconds: list[float]
    errors: list[str]
    rss_start: int
    rss_peak: int
    rss_after: int
    cpu_seconds: float = 0.0
    opened: int = 0

    @property
    def mb_per_session(self) -> float:
        return (self.rss_peak - self.rss_start) / MB / max(1, self.opened)

    @property
    def cpu_ms_per_run(self) -> float:
        runs = len(self.load_seconds) + len(self.rerun_seconds)
        return 1000 * self.cpu_seconds / runs if runs else math.nan


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


def run_step(browser: Browser, dashboard: Dashboard, n: int, seconds: float) -> StepResult:
    """Open n sessions, keep them live for `seconds`, close them, let the server settle."""
    pid = dashboard.process.pid
    rss_start, cpu_start = server_usage(pid)
    sampler = PeakSampler(pid)
    url = f"{dashboard.url}/watchlist?" + "&".join(f"job={job_id}" for job_id in JOB_IDS)
    sessions = open_sessions(browser, url, n)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and dashboard.process.poll() is None:
        try:  # Playwright delivers page events (pageerror, crash) only inside its own calls
            sessions[-1].page.wait_for_timeout(max(1, min(1, deadline - time.monotonic()) * 1000))
        except PlaywrightError:
            pause(1)
    reruns = [r for s in sessions if s.load_seconds is not None for r in collect(s)]
    cpu = server_usage(pid)[1] - cpu_start
    for session in sessions:
        session.context.close()
    rss_peak = sampler.stop()
    errors = [f"session {i + 1}: {e}" for i, s in enumerate(sessions) for e in s.errors]
    if dashboard.process.poll() is not None:
        return StepResult(n, [], reruns, [*errors, "the dashboard exited"], rss_start, rss_peak, 0)
    rss_after = settle_rss(dashboard, browser, timeout=SESSION_TTL_SECONDS + 20 + n)
    loads = [s.load_seconds for s in sessions if s.load_seconds is not None]
    return StepResult(n, loads, reruns, errors, rss_start, rss_peak, rss_after, cpu, len(sessions))


def measure(
    browser: Browser,
    counts: Sequence[int],
    seconds: float,
    report: Callable[[StepResult], None] = lambda _: None,
) -> list[StepResult]:
    """One demo API and one dashboard; a warm-up session, then one step per N in `counts`."""
    api_url = start_background_server(progress_seconds=PROGRESS_SECONDS)
    env = {"EOMER_API_URL": api_url, "EOMER_API_TOKEN": "demo-token"}
    env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL_SECONDS)
    dashboard = start_dashboard(env)
    try:
        # The first session imports pandas, plotly and the pages: not per-session memory.
        warm = run_step(browser, dashboard, 1, 0)
        log(f"warm-up: RSS {warm.rss_start / MB:.0f} -> {warm.rss_after / MB:.0f} MB")
        results = []
        for n in counts:
            results.append(run_step(browser, dashboard, n, seconds))
            report(results[-1])
        return results
    finally:
        stop_dashboard(dashboard)


def misses(r: StepResult) -> list[str]:
    """The targets this step missed (no errors is asked up to TARGET_SESSIONS sessions)."""
    missed = []
    if r.errors and r.sessions <= TARGET_SESSIONS:
        missed.append(f"N={r.sessions}: {len(r.errors)} error(s)")
    if not percentile(r.rerun_seconds, 0.95) < TARGET_P95_RERUN_SECONDS:
        missed.append(f"N={r.sessions}: p95 rerun not under {TARGET_P95_RERUN_SECONDS} s")
    if not r.mb_per_session < TARGET_MB_PER_SESSION:
        missed.append(f"N={r.sessions}: memory per session not under {TARGET_MB_PER_SESSION} MB")
    if not r.rss_after <= r.rss_start + max(AFTER_SLACK_MB * MB, AFTER_SLACK_RATIO * r.rss_start):
        missed.append(f"N={r.sessions}: RSS after close not back near the start")
    return missed


HEADER = (
    f"{'N':>3} {'load p50':>8} {'load p95':>8} {'reruns':>6} {'rerun p50':>9} {'rerun p95':>9} "
    f"{'errors':>6} {'RSS start':>9} {'peak':>6} {'after':>6} {'after/start':>11} "
    f"{'MB/session':>10} {'CPU ms/run':>10}"
)


def row(r: StepResult) -> str:
    """One N's figures under HEADER: times in seconds, memory in MB."""
    load = r.load_seconds or [math.nan]
    return (
        f"{r.sessions:>3} {statistics.median(load):>8.2f} {percentile(load, 0.95):>8.2f} "
        f"{len(r.rerun_seconds):>6} {percentile(r.rerun_seconds, 0.5):>9.3f} "
        f"{percentile(r.rerun_seconds, 0.95):>9.3f} {len(r.errors):>6} "
        f"{r.rss_start / MB:>9.0f} {r.rss_peak / MB:>6.0f} {r.rss_after / MB:>6.0f} "
        f"{r.rss_after / r.rss_start:>11.2f} {r.mb_per_session:>10.1f} {r.cpu_ms_per_run:>10.0f}"
    )


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.load", description=__doc__)
    parser.add_argument("--sessions", default="1,5,10,20", help="comma-separated N to sweep")
    parser.add_argument("--seconds", type=float, default=30.0, help="live time per N")
    parser.add_argument("--no-fail", action="store_true", help="print only; exit 0")
    parser.add_argument("--shared-only", action="store_true", help="only the shared figures")
    args = parser.parse_args(argv)
    counts = [] if args.shared_only else [int(p) for p in args.sessions.split(",") if p.strip()]
    started = time.monotonic()
    log(f"load average at start {psutil.getloadavg()}")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        results = measure(browser, counts, args.seconds, lambda r: log(row(r))) if counts else []
        shared = measure_shared(browser, args.seconds)
        browser.close()
    print(f"{len(JOB_IDS)} watched jobs per session (2 live), {args.seconds:.0f} s live per N")
    print("\n".join([HEADER, *map(row, results)]))
    print("\n".join(shared_lines(shared)))
    for r in results:
        for error in r.errors[:10]:
            print(f"  N={r.sessions} {error}")
    missed = [m for r in results for m in misses(r)]
    print("targets: " + ("all met" if not missed else "; ".join(missed)))
    print(f"load average at the end {psutil.getloadavg()}, {time.monotonic() - started:.0f} s")
    return 1 if missed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
