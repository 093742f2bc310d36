"""Load: browser sessions watching 20 live jobs each, on one dashboard and through HAProxy.

`python3 -m bench.load [--sessions 1,5,10,20] [--seconds 30] [--replicas 2] [--no-fail]
[--shared-only | --replicas-only]` prints, per N, page load and rerun times, errors, server RSS
(start, peak, after the sessions close), memory per session and server CPU per script run: first
on one `streamlit run`, then the same table through HAProxy with `--replicas` dashboards sharing
PostgreSQL (deploy.local's set; memory and CPU summed over the replicas; `--replicas 0` skips
it). It exits 1 when a target is missed. Then, for sessions sharing one token: the server's
memory with ten sessions on one 1,000,000-row forecast against one session's, and GET /jobs/{id}
per minute for ten sessions on one running job against one session's (issue 16: answers and
forecasts are shared within a process, per tenant).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

import psutil
from playwright.sync_api import Browser, sync_playwright

from bench.load_sessions import (
    MB,
    SESSION_TTL_SECONDS,
    PeakSampler,
    collect,
    keep_live,
    log,
    open_sessions,
    server_usage,
    settle_rss,
)
from bench.load_shared import (
    measure_shared,
    shared_lines,
)
from bench.load_table import (
    HEADER,
    JOB_IDS,
    PROGRESS_SECONDS,
    TARGET_MB_PER_SESSION,
    TARGET_P95_RERUN_SECONDS,
    StepResult,
    misses,
    percentile,
    row,
    watchlist_url,
)
from bench.load_through_haproxy import ReplicaStep, measure_replicas
from demo_api.server import start_background_server
from harness.browser import launch_chromium
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard

# tests/e2e/test_load.py reads the table from here, as `python3 -m bench.load` prints it.
__all__ = [
    "HEADER",
    "TARGET_MB_PER_SESSION",
    "TARGET_P95_RERUN_SECONDS",
    "main",
    "measure",
    "misses",
    "percentile",
    "row",
]

REPLICAS = 2


def run_step(browser: Browser, dashboard: Dashboard, n: int, seconds: float) -> StepResult:
    """Open n sessions, keep them live for `seconds`, close them, let the server settle."""
    pid = dashboard.process.pid
    rss_start, cpu_start = server_usage(pid)
    sampler = PeakSampler(pid)
    sessions = open_sessions(browser, watchlist_url(dashboard.url), n)
    keep_live(sessions, seconds, lambda: dashboard.process.poll() is None)
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


def table(title: str, results: Sequence[StepResult]) -> list[str]:
    """A run's table under its title, then up to ten errors per N."""
    lines = [title, HEADER, *map(row, results)]
    for r in results:
        lines += [f"  N={r.sessions} {error}" for error in r.errors[:10]]
    return lines


def replica_table(steps: Sequence[ReplicaStep], replicas: int) -> list[str]:
    """The HAProxy run's table, then which replica served how many sessions per N."""
    title = f"{replicas} replicas behind HAProxy (memory and CPU summed over the replicas):"
    lines = table(title, [step.result for step in steps])
    for step in steps:
        spread = dict(sorted(step.spread.items()))
        lines.append(f"  N={step.result.sessions}: sessions per replica {spread}")
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python3 -m bench.load", description=__doc__)
    parser.add_argument("--sessions", default="1,5,10,20", help="comma-separated N to sweep")
    parser.add_argument("--seconds", type=float, default=30.0, help="live time per N")
    parser.add_argument(
        "--replicas", type=int, default=REPLICAS, help="replicas behind HAProxy; 0 skips that run"
    )
    parser.add_argument("--no-fail", action="store_true", help="print only; exit 0")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--shared-only", action="store_true", help="only the shared figures")
    only.add_argument("--replicas-only", action="store_true", help="only the HAProxy table")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    counts = [int(part) for part in args.sessions.split(",") if part.strip()]
    single_counts = [] if args.shared_only or args.replicas_only else counts
    fleet_counts = [] if args.shared_only or args.replicas <= 0 else counts
    replicas, seconds = args.replicas, args.seconds
    started = time.monotonic()
    log(f"load average at start {psutil.getloadavg()}")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        single, fleet = [], []
        if single_counts:
            single = measure(browser, single_counts, seconds, lambda r: log(f"one: {row(r)}"))
        if fleet_counts:
            fleet = measure_replicas(
                browser, replicas, fleet_counts, seconds, lambda r: log(f"replicas: {row(r)}")
            )
        shared = None if args.replicas_only else measure_shared(browser, args.seconds)
        browser.close()
    print(f"{len(JOB_IDS)} watched jobs per session (2 live), {args.seconds:.0f} s live per N")
    if single:
        print("\n".join(table("one dashboard process:", single)))
    if fleet:
        print("\n".join(replica_table(fleet, replicas)))
    if shared is not None:
        print("\n".join(shared_lines(shared)))
    missed = [f"one process {m}" for r in single for m in misses(r)]
    missed += [f"{replicas} replicas {m}" for step in fleet for m in misses(step.result)]
    print("targets: " + ("all met" if not missed else "; ".join(missed)))
    print(f"load average at the end {psutil.getloadavg()}, {time.monotonic() - started:.0f} s")
    return 1 if missed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
