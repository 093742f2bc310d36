"""Load through HAProxy over two replicas, printed next to the same run on one dashboard process.

`python3 -m bench.load_replicas [--sessions 1,5,10] [--seconds 20]` runs bench.load's table twice:
once on one `streamlit run` (bench.load's own run), once through HAProxy with two replicas
sharing PostgreSQL (deploy.local's set). Memory and CPU of the replica run are both replicas'
sums; it also says how many sessions each replica served.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence

import psutil
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.load import HEADER, JOB_IDS, PROGRESS_SECONDS, StepResult, measure, row
from bench.load_sessions import (
    LOAD_TIMEOUT_MS,
    MB,
    SAMPLE_SECONDS,
    SESSION_TTL_SECONDS,
    Session,
    collect,
    log,
    open_sessions,
    pause,
    server_usage,
)
from demo_api.server import start_background_server
from deploy.haproxy_config import COOKIE_NAME
from deploy.local import Deployment
from harness.browser import launch_chromium
from harness.haproxy import start_replica_set, stop_replica_set
from harness.postgres import running_postgres

REPLICAS = 2


def fleet_usage(deployment: Deployment) -> tuple[int, float]:
    """RSS (bytes) and CPU time (s) summed over every replica and its children."""
    usages = [
        server_usage(replica.running.pid)
        for replica in deployment.replicas
        if replica.running is not None
    ]
    return sum(rss for rss, _ in usages), sum(cpu for _, cpu in usages)


class FleetPeak:
    """The peak of the replicas' summed RSS, sampled in a thread."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment, self.peak = deployment, fleet_usage(deployment)[0]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fleet-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, fleet_usage(self.deployment)[0])

    def stop(self) -> int:
        self._stop.set()
        self._thread.join(timeout=5)
        return max(self.peak, fleet_usage(self.deployment)[0])


def served_by(session: Session) -> str:
    cookies = {c.get("name"): c.get("value") for c in session.context.cookies()}
    return str(cookies.get(COOKIE_NAME, "no cookie"))


def settle_fleet(deployment: Deployment, browser: Browser, timeout: float) -> int:
    """Summed RSS once closed sessions are reaped on every replica and memory stops falling."""
    deadline = time.monotonic() + timeout
    pause(SESSION_TTL_SECONDS + 0.5)
    for replica in deployment.replicas:
        # A probe pinned to each replica by its cookie: a disconnect there reaps expired sessions.
        probe = browser.new_context()
        probe.add_cookies([{"name": COOKIE_NAME, "value": replica.name, "url": deployment.url}])
        page = probe.new_page()
        page.goto(f"{deployment.url}/watchlist", timeout=LOAD_TIMEOUT_MS)
        page.get_by_text("No jobs watched yet").wait_for(timeout=LOAD_TIMEOUT_MS)
        probe.close()
    samples = [fleet_usage(deployment)[0]]
    while time.monotonic() < deadline:
        pause(SAMPLE_SECONDS)
        samples.append(fleet_usage(deployment)[0])
        if len(samples) >= 8 and max(samples[-8:]) - min(samples[-8:]) < 2 * MB:
            break  # flat for 4 s
    return samples[-1]


def replica_step(
    browser: Browser, deployment: Deployment, n: int, seconds: float
) -> tuple[StepResult, Counter[str]]:
    """bench.load's step through HAProxy: n sessions live for `seconds`, then closed."""
    rss_start, cpu_start = fleet_usage(deployment)
    sampler = FleetPeak(deployment)
    url = f"{deployment.url}/watchlist?" + "&".join(f"job={job_id}" for job_id in JOB_IDS)
    sessions = open_sessions(browser, url, n)
    spread = Counter(served_by(session) for session in sessions)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:  # Playwright delivers page events only inside its own calls
            sessions[-1].page.wait_for_timeout(max(1, min(1, deadline - time.monotonic()) * 1000))
        except PlaywrightError:
            pause(1)
    reruns = [r for s in sessions if s.load_seconds is not None for r in collect(s)]
    cpu = fleet_usage(deployment)[1] - cpu_start
    for session in sessions:
        session.context.close()
    rss_peak = sampler.stop()
    errors = [f"session {i + 1}: {e}" for i, s in enumerate(sessions) for e in s.errors]
    rss_after = settle_fleet(deployment, browser, timeout=SESSION_TTL_SECONDS + 20 + n)
    loads = [s.load_seconds for s in sessions if s.load_seconds is not None]
    result = StepResult(n, loads, reruns, errors, rss_start, rss_peak, rss_after, cpu, n)
    return result, spread


def measure_replicas(
    browser: Browser,
    counts: Sequence[int],
    seconds: float,
    report: Callable[[StepResult], None] = lambda _: None,
) -> list[tuple[StepResult, Counter[str]]]:
    """One demo API, PostgreSQL, two replicas behind HAProxy; a warm-up, then one step per N."""
    api_url = start_background_server(progress_seconds=PROGRESS_SECONDS)
    env = {"EOMER_API_URL": api_url, "EOMER_API_TOKEN": "demo-token"}
    env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL_SECONDS)
    with running_postgres() as postgres:
        deployment = start_replica_set(REPLICAS, postgres.create_database("load"), env)
        try:
            # One session per replica imports pandas, plotly and the pages: not per-session.
            warm, _ = replica_step(browser, deployment, REPLICAS, 0)
            log(f"warm-up: RSS {warm.rss_start / MB:.0f} -> {warm.rss_after / MB:.0f} MB")
            results = []
            for n in counts:
                results.append(replica_step(browser, deployment, n, seconds))
                report(results[-1][0])
            return results
        finally:
            stop_replica_set(deployment)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.load_replicas", description=__doc__)
    parser.add_argument("--sessions", default="1,5,10", help="comma-separated N to sweep")
    parser.add_argument("--seconds", type=float, default=20.0, help="live time per N")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.sessions.split(",") if part.strip()]
    started = time.monotonic()
    log(f"load average at start {psutil.getloadavg()}")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        single = measure(browser, counts, args.seconds, lambda r: log(f"single: {row(r)}"))
        replicated = measure_replicas(
            browser, counts, args.seconds, lambda r: log(f"replicas: {row(r)}")
        )
        browser.close()
    print(f"{len(JOB_IDS)} watched jobs per session (2 live), {args.seconds:.0f} s live per N")
    print("one dashboard process:")
    print("\n".join([HEADER, *map(row, single)]))
    print(f"{REPLICAS} replicas behind HAProxy (memory and CPU summed over the replicas):")
    print("\n".join([HEADER, *(row(result) for result, _ in replicated)]))
    for result, spread in replicated:
        print(f"  N={result.sessions}: sessions per replica {dict(sorted(spread.items()))}")
        for error in result.errors[:10]:
            print(f"  N={result.sessions} {error}")
    print(f"load average at the end {psutil.getloadavg()}, {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
