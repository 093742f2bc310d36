"""The load benchmark's steps through HAProxy over dashboard replicas sharing PostgreSQL.

deploy.local's set on one machine: the same sessions and table as the single-process run, with
memory and CPU summed over the replicas, and how many sessions each replica served.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from playwright.sync_api import Browser

from bench.load_sessions import (
    LOAD_TIMEOUT_MS,
    MB,
    SAMPLE_SECONDS,
    SESSION_TTL_SECONDS,
    Session,
    collect,
    keep_live,
    log,
    open_sessions,
    pause,
    server_usage,
)
from bench.load_table import PROGRESS_SECONDS, StepResult, watchlist_url
from demo_api.server import start_background_server
from deploy.deployment import Deployment
from deploy.haproxy_config import COOKIE_NAME
from harness.haproxy import start_replica_set, stop_replica_set
from localserve.postgres import running_postgres


@dataclass
class ReplicaStep:
    """One N through HAProxy: the table's figures and the sessions each replica served."""

    result: StepResult
    spread: Counter[str]


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
    """The replica HAProxy's stickiness cookie pins the session to."""
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


def replica_step(browser: Browser, deployment: Deployment, n: int, seconds: float) -> ReplicaStep:
    """The single-process step through HAProxy: n sessions live for `seconds`, then closed."""
    rss_start, cpu_start = fleet_usage(deployment)
    sampler = FleetPeak(deployment)
    sessions = open_sessions(browser, watchlist_url(deployment.url), n)
    spread = Counter(served_by(session) for session in sessions)
    keep_live(sessions, seconds, lambda: True)
    reruns = [r for s in sessions if s.load_seconds is not None for r in collect(s)]
    cpu = fleet_usage(deployment)[1] - cpu_start
    for session in sessions:
        session.context.close()
    rss_peak = sampler.stop()
    errors = [f"session {i + 1}: {e}" for i, s in enumerate(sessions) for e in s.errors]
    rss_after = settle_fleet(deployment, browser, timeout=SESSION_TTL_SECONDS + 20 + n)
    loads = [s.load_seconds for s in sessions if s.load_seconds is not None]
    result = StepResult(n, loads, reruns, errors, rss_start, rss_peak, rss_after, cpu, n)
    return ReplicaStep(result, spread)


def measure_replicas(
    browser: Browser,
    replicas: int,
    counts: Sequence[int],
    seconds: float,
    report: Callable[[StepResult], None] = lambda _: None,
) -> list[ReplicaStep]:
    """One demo API, PostgreSQL, `replicas` dashboards behind HAProxy; a warm-up, then each N."""
    api_url = start_background_server(progress_seconds=PROGRESS_SECONDS)
    env = {"EOMER_API_URL": api_url, "EOMER_API_TOKEN": "demo-token"}
    env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL_SECONDS)
    with running_postgres() as postgres:
        deployment = start_replica_set(replicas, postgres.create_database("load"), env)
        try:
            # One session per replica imports pandas, plotly and the pages: not per-session.
            warm = replica_step(browser, deployment, replicas, 0).result
            log(f"warm-up: RSS {warm.rss_start / MB:.0f} -> {warm.rss_after / MB:.0f} MB")
            steps = []
            for n in counts:
                steps.append(replica_step(browser, deployment, n, seconds))
                report(steps[-1].result)
            return steps
        finally:
            stop_replica_set(deployment)
