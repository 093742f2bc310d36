"""Job page figures: the richest job's first run in a cold process and its reruns, against the
same page without a job as a same-run baseline, and API requests per minute.

`python3 -m bench.job_page`. Cold-process figures come from child processes
(`python3 -m bench.job_page --first-run [SCENARIO]`), each starting its own demo API as the
dashboard's built-in demo does, with the demo's fit cache (demo_api.models.fit_cache) in a folder of
this run: empty for the cold-cache child, filled by it for the others.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import httpx
from playwright.sync_api import Page, sync_playwright
from streamlit.testing.v1 import AppTest

from demo_api.models.fit_folder import CACHE_ENV
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from harness.browser import launch_chromium, wait_for_app
from harness.dashboard import ROOT, start_dashboard, stop_dashboard

RERUNS = 15
COLD_PROCESSES = 3  # per page, warm fit cache; their median is printed
WINDOW_SECONDS = 30.0
RICHEST = "completed_full"


def job_page(api_url: str, scenario: str | None) -> AppTest:
    """The app on the job page of `scenario` (None: the page without a job), not yet run."""
    os.environ["EOMER_API_URL"] = api_url
    os.environ["EOMER_API_TOKEN"] = "demo-token"
    at = AppTest.from_file(ROOT / "app.py", default_timeout=120)
    if scenario is not None:
        at.query_params["job"] = SCENARIO_IDS[scenario]
    return at


def timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


def median_rerun_seconds(api_url: str, scenario: str | None = RICHEST) -> tuple[float, float]:
    """First run and median warm rerun of the job page on `scenario`, under AppTest."""
    at = job_page(api_url, scenario)
    first = timed_run(at)
    return first, statistics.median(timed_run(at) for _ in range(RERUNS))


def first_run_in_child(scenario: str | None) -> float:
    """Seconds of the first run of the job page in a new process (see the module's docstring)."""
    command = [
        sys.executable,
        "-m",
        "bench.job_page",
        "--first-run",
        *([scenario] if scenario else []),
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return float(done.stdout.split()[-1])


def cold_process_figures() -> None:
    """Cold-cache, then warm-cache first runs of the richest job, and the no-job baseline."""
    cold = first_run_in_child(RICHEST)
    warm, baseline = [], []
    for _ in range(COLD_PROCESSES):
        warm.append(first_run_in_child(RICHEST))
        baseline.append(first_run_in_child(None))
    median, base = statistics.median(warm), statistics.median(baseline)
    print(f"{RICHEST} first run, cold process, fit cache cold:  {cold * 1000:6.0f} ms")
    print(f"{RICHEST} first run, cold process, fit cache warm:  {median * 1000:6.0f} ms", end="")
    print(f"  median of {COLD_PROCESSES} (target < 3000 ms)")
    print(f"baseline: job page without a job, cold process:  {base * 1000:6.0f} ms", end="")
    print(f"  median of {COLD_PROCESSES}; ratio {median / base:.2f}, cold cache {cold / base:.2f}")


def fresh_tab_seconds(api_url: str, tabs: int = 7) -> list[tuple[float, float]]:
    """A new tab on the richest job, server and browser cache warm: until fully drawn.

    Each tab is a new Streamlit session; tabs share one browser context, as a returning
    analyst's do, so Streamlit's scripts (Plotly's alone is 4.7 MB) come from the cache. Fully
    drawn: the run has finished and the charts, image and table are on the page. Returns, per
    tab, seconds until the run finished and until fully drawn. The first tab warms the server
    and the cache and is left out.
    """
    dashboard = start_dashboard({"EOMER_API_URL": api_url, "EOMER_API_TOKEN": "demo-token"})
    url = f"{dashboard.url}/?job={SCENARIO_IDS['completed_full']}"
    timings = []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            # The first tab meets a cold server (tens of seconds on a busy machine): a deadline,
            # not a measurement.
            context.set_default_timeout(180_000)
            for _ in range(tabs + 1):
                page = context.new_page()
                started = time.perf_counter()
                page.goto(url, wait_until="commit")
                wait_for_app(page)
                finished = time.perf_counter() - started
                fully_drawn(page)
                timings.append((finished, time.perf_counter() - started))
                page.close()
            browser.close()
    finally:
        stop_dashboard(dashboard)
    return timings[1:]


def fully_drawn(page: Page) -> None:
    """Wait until the chart, the analyses table and every image on the page have loaded."""
    # The job page draws no image of completed_full by default since each piece of a job is
    # shown once (its thumbnail repeats the chart): images are waited for when there are some.
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    page.get_by_test_id("stTable").first.wait_for()
    page.wait_for_function("[...document.images].every((image) => image.complete)")


def job_requests(api_url: str, job_id: str) -> int:
    log: list[dict[str, str]] = httpx.get(f"{api_url}/_demo/requests").json()
    return sum(1 for r in log if r["path"] == f"/jobs/{job_id}")


def per_minute(api_url: str, job_id: str, wait: Callable[[float], None]) -> float:
    """Requests for `job_id` during a window of WINDOW_SECONDS, scaled to one minute."""
    before = job_requests(api_url, job_id)
    wait(WINDOW_SECONDS * 1000)  # Playwright waits in milliseconds
    return (job_requests(api_url, job_id) - before) * 60.0 / WINDOW_SECONDS


def requests_per_minute(api_url: str) -> tuple[float, float]:
    """In a real browser: a running job (polled) and a completed one (fetched once)."""
    dashboard = start_dashboard({"EOMER_API_URL": api_url, "EOMER_API_TOKEN": "demo-token"})
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            figures = []
            for scenario in ("running_progressing", "completed_full"):
                job_id = SCENARIO_IDS[scenario]
                page.goto(f"{dashboard.url}/?job={job_id}")
                wait_for_app(page)
                figures.append(per_minute(api_url, job_id, page.wait_for_timeout))
            browser.close()
    finally:
        stop_dashboard(dashboard)
    return figures[0], figures[1]


def main() -> None:
    if sys.argv[1:2] == ["--first-run"]:
        api_url = start_background_server(progress_seconds=3600)
        print(timed_run(job_page(api_url, sys.argv[2] if len(sys.argv) > 2 else None)))
        return
    cache = tempfile.mkdtemp(prefix="eomer-demo-cache-")
    os.environ[CACHE_ENV] = cache
    try:
        cold_process_figures()
        warm_process_figures()
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def warm_process_figures() -> None:
    # Faults mode only turns on the request log; no fault is injected. The long progress keeps
    # the running job running for the whole measurement.
    api_url = start_background_server(faults=True, progress_seconds=3600)
    _, median = median_rerun_seconds(api_url)
    _, base = median_rerun_seconds(api_url, None)
    print(f"{RICHEST} median rerun of {RERUNS} (warm caches): {median * 1000:.0f} ms", end="")
    print(
        f" (target < 50 ms); baseline without a job {base * 1000:.0f} ms, ratio {median / base:.2f}"
    )
    second_session, _ = median_rerun_seconds(api_url)
    print(f"{RICHEST} first run of a new session, warm process: {second_session * 1000:.0f} ms")
    tabs = fresh_tab_seconds(api_url)
    finished = statistics.median(run for run, _ in tabs)
    drawn = statistics.median(all_drawn for _, all_drawn in tabs)
    print(f"{RICHEST} new tab, warm server, median of {len(tabs)}:")
    print(f"  until the run finished:           {finished * 1000:.0f} ms")
    print(f"  until every chart and image drawn: {drawn * 1000:.0f} ms")
    running, completed = requests_per_minute(api_url)
    print(f"GET /jobs/<id> per minute while running:       {running:.1f}")
    print(f"GET /jobs/<id> per minute after completion:     {completed:.1f}")


if __name__ == "__main__":
    main()
