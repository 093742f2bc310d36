"""Load: N real browser sessions on one dashboard server, each watching 20 jobs with live refresh.

`python3 -m bench.load [--sessions 1,5,10,20] [--seconds 30] [--no-fail]` prints, per
N, page load and rerun times, errors, server RSS (start, peak, after the sessions close), memory
per session and server CPU per script run; it exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psutil
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from demo_api.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from harness.browser import launch_chromium
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard

MB = 1024 * 1024
# The two progressing jobs (pending, running) keep run_every on; the other 18 are terminal.
JOB_IDS = [
    SCENARIO_IDS[name]
    for name in sorted(SCENARIO_IDS, key=lambda n: (not n.endswith("_progressing"), n))[:20]
]
PROGRESS_SECONDS = 3600  # the progressing jobs finish at 2/3 and 3/3 of it: never during a run
# Streamlit keeps a closed tab's session for server.disconnectedSessionTTL (default 120 s) so a
# reconnect can resume it; the bench shortens it so "after close" is reached in seconds.
SESSION_TTL_SECONDS = 5
LOAD_TIMEOUT_MS = 30_000
OPEN_BUDGET_SECONDS = 20.0  # plus OPEN_SECONDS_PER_SESSION x N; sessions past it stay unopened
OPEN_SECONDS_PER_SESSION = 10.0
SAMPLE_SECONDS = 0.5
TARGET_SESSIONS = 20
TARGET_P95_RERUN_SECONDS = 1.0
TARGET_MB_PER_SESSION = 30.0
# "Back near the start": at most 50 MB or 20 % above the step's start, whichever is larger.
AFTER_SLACK_MB = 50.0
AFTER_SLACK_RATIO = 0.2
# In the page: a run is the time stApp's data-test-script-state spends away from "notRunning"
# (full reruns and run_every fragment runs both go "running" -> "notRunning"); after each run,
# any exception or error box on the page; every drop of the websocket. Times: ms since navigation.
RECORDER_JS = """
(() => {
  const rec = {runs: [], problems: [], disconnects: [], running: null};
  window.__load = rec;
  let connection = null;
  const PROBLEMS = '[data-testid="stException"], [data-testid="stAlertContentError"]';
  const watch = (app) => {
    const update = () => {
      const now = performance.now();
      const state = app.getAttribute('data-test-script-state');
      const conn = app.getAttribute('data-test-connection-state');
      if (connection === 'CONNECTED' && conn !== 'CONNECTED') rec.disconnects.push(conn);
      connection = conn;
      if (state === 'notRunning' && rec.running !== null) {
        rec.runs.push([rec.running, now]);
        rec.running = null;
        for (const el of document.querySelectorAll(PROBLEMS)) {
          const text = el.innerText.slice(0, 200);
          if (!rec.problems.includes(text)) rec.problems.push(text);
        }
      } else if (state !== 'notRunning' && state !== 'initial' && rec.running === null) {
        rec.running = now;
      }
    };
    update();
    new MutationObserver(update).observe(app, {attributes: true,
      attributeFilter: ['data-test-script-state', 'data-test-connection-state']});
  };
  const find = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app) watch(app); else setTimeout(find, 20);
  };
  find();
})();
"""


@dataclass
class Session:
    """One browser context on the watch list; `errors` are what its page reported."""

    context: BrowserContext
    page: Page
    load_seconds: float | None = None
    errors: list[str] = field(default_factory=list)


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


def server_usage(pid: int) -> tuple[int, float]:
    """RSS (bytes) and CPU time (s) of the streamlit process and all its children."""
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)]
        rss = sum(int(p.memory_info().rss) for p in family)
        return rss, sum(p.cpu_times().user + p.cpu_times().system for p in family)
    except psutil.NoSuchProcess:
        return 0, 0.0


class PeakSampler:
    """Samples server RSS every SAMPLE_SECONDS in a thread and keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, server_usage(pid)[0]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, server_usage(self.pid)[0])

    def stop(self) -> int:
        self._stop.set()
        self._thread.join(timeout=5)
        return max(self.peak, server_usage(self.pid)[0])


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pause(seconds: float) -> None:
    """A fixed interval (RSS sampling, the session TTL): time itself is what is waited for."""
    threading.Event().wait(seconds)


def open_session(browser: Browser, url: str) -> Session:
    """A fresh context on `url`; load time is goto until the first run finished, table shown."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    session = Session(context, context.new_page())
    session.page.on("pageerror", lambda exc: session.errors.append(f"page error: {exc}"))
    session.page.on("crash", lambda _: session.errors.append("page crashed"))
    session.page.add_init_script(RECORDER_JS)
    started = time.monotonic()
    finished = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    try:
        session.page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        session.page.locator(finished).wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
        session.page.get_by_test_id("stDataFrame").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        session.load_seconds = time.monotonic() - started
    except PlaywrightError as err:
        session.errors.append(f"page did not load: {err.message.splitlines()[0]}")
    return session


def collect(session: Session) -> list[float]:
    """Rerun durations after the page loaded; adds shown errors and disconnects to `errors`."""
    try:
        state: list[Any] = session.page.evaluate("[window.__load, performance.now()]")
    except PlaywrightError as err:
        session.errors.append(f"page unreadable: {err.message.splitlines()[0]}")
        return []
    rec: dict[str, Any] = state[0]
    now_ms: float = state[1]
    session.errors += [f"shown on the page: {text}" for text in rec["problems"]]
    session.errors += [f"websocket {state}" for state in rec["disconnects"]]
    reruns = [(end - start) / 1000 for start, end in rec["runs"][1:]]
    if not reruns:
        session.errors.append("live refresh never ran")
    if rec["running"] is not None and now_ms - rec["running"] > 10_000:
        session.errors.append("a rerun has been running for more than 10 s")
    return reruns


def settle_rss(dashboard: Dashboard, browser: Browser, timeout: float) -> int:
    """RSS once closed sessions are dropped and memory stops falling (or at the timeout)."""
    deadline = time.monotonic() + timeout
    # Sessions expire after the TTL but are reaped only when the session store is written to;
    # a disconnect writes, so a light probe session that opens and closes reaps them.
    pause(SESSION_TTL_SECONDS + 0.5)
    probe = browser.new_context()
    page = probe.new_page()
    page.goto(f"{dashboard.url}/watchlist", timeout=LOAD_TIMEOUT_MS)
    page.get_by_text("No jobs watched yet").wait_for(timeout=LOAD_TIMEOUT_MS)
    probe.close()
    samples = [server_usage(dashboard.process.pid)[0]]
    while time.monotonic() < deadline:
        pause(SAMPLE_SECONDS)
        samples.append(server_usage(dashboard.process.pid)[0])
        if len(samples) >= 8 and max(samples[-8:]) - min(samples[-8:]) < 2 * MB:
            break  # flat for 4 s
    return samples[-1]


def open_sessions(browser: Browser, url: str, n: int) -> list[Session]:
    """Open n sessions one after another (each loads while the earlier ones refresh)."""
    budget = time.monotonic() + OPEN_BUDGET_SECONDS + OPEN_SECONDS_PER_SESSION * n
    sessions: list[Session] = []
    while len(sessions) < n and time.monotonic() < budget:
        sessions.append(open_session(browser, url))
        log(f"N={n}: session {len(sessions)} loaded in {sessions[-1].load_seconds} s")
    if len(sessions) < n:
        sessions[0].errors.append(f"only {len(sessions)} of {n} sessions opened in time")
    return sessions


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bench.load", description=__doc__)
    parser.add_argument("--sessions", default="1,5,10,20", help="comma-separated N to sweep")
    parser.add_argument("--seconds", type=float, default=30.0, help="live time per N")
    parser.add_argument("--no-fail", action="store_true", help="print only; exit 0")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.sessions.split(",") if part.strip()]
    started = time.monotonic()
    log(f"load average at start {psutil.getloadavg()}")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        results = measure(browser, counts, args.seconds, lambda r: log(row(r)))
        browser.close()
    print(f"{len(JOB_IDS)} watched jobs per session (2 live), {args.seconds:.0f} s live per N")
    print("\n".join([HEADER, *map(row, results)]))
    for r in results:
        for error in r.errors[:10]:
            print(f"  N={r.sessions} {error}")
    missed = [m for r in results for m in misses(r)]
    print("targets: " + ("all met" if not missed else "; ".join(missed)))
    print(f"load average at the end {psutil.getloadavg()}, {time.monotonic() - started:.0f} s")
    return 1 if missed and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
