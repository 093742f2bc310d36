"""The load benchmark's browser sessions and its view of the server's memory and CPU."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psutil
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from harness.dashboard import Dashboard

MB = 1024 * 1024
# Streamlit keeps a closed tab's session for server.disconnectedSessionTTL (default 120 s) so a
# reconnect can resume it; the bench shortens it so "after close" is reached in seconds.
SESSION_TTL_SECONDS = 5
LOAD_TIMEOUT_MS = 30_000
OPEN_BUDGET_SECONDS = 20.0  # plus OPEN_SECONDS_PER_SESSION x N; sessions past it stay unopened
OPEN_SECONDS_PER_SESSION = 10.0
SAMPLE_SECONDS = 0.5

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


def open_session(browser: Browser, url: str, ready: str = "stDataFrame") -> Session:
    """A fresh context on `url`; load time is goto until the first run finished, `ready` shown."""
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
        session.page.get_by_test_id(ready).first.wait_for(timeout=LOAD_TIMEOUT_MS)
        session.load_seconds = time.monotonic() - started
    except PlaywrightError as err:
        session.errors.append(f"page did not load: {err.message.splitlines()[0]}")
    return session


def keep_live(sessions: Sequence[Session], seconds: float, alive: Callable[[], bool]) -> None:
    """Let the open sessions refresh for `seconds`, or until `alive()` says the server is gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and alive():
        try:  # Playwright delivers page events (pageerror, crash) only inside its own calls
            sessions[-1].page.wait_for_timeout(max(1, min(1, deadline - time.monotonic()) * 1000))
        except PlaywrightError:
            pause(1)


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


def open_sessions(browser: Browser, url: str, n: int, ready: str = "stDataFrame") -> list[Session]:
    """Open n sessions one after another (each loads while the earlier ones refresh)."""
    budget = time.monotonic() + OPEN_BUDGET_SECONDS + OPEN_SECONDS_PER_SESSION * n
    sessions: list[Session] = []
    while len(sessions) < n and time.monotonic() < budget:
        sessions.append(open_session(browser, url, ready))
        log(f"N={n}: session {len(sessions)} loaded in {sessions[-1].load_seconds} s")
    if len(sessions) < n:
        sessions[0].errors.append(f"only {len(sessions)} of {n} sessions opened in time")
    return sessions
