"""Job page figures: median rerun time of the richest job, and API requests per minute."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import httpx
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from demo_api.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from harness.browser import launch_chromium, wait_for_app
from harness.dashboard import ROOT, start_dashboard, stop_dashboard

RERUNS = 15
WINDOW_SECONDS = 30.0


def median_rerun_seconds(api_url: str) -> tuple[float, float]:
    """First run and median warm rerun of the job page on completed_full, under AppTest."""
    os.environ["EOMER_API_URL"] = api_url
    os.environ["EOMER_API_TOKEN"] = "demo-token"
    at = AppTest.from_file(ROOT / "app.py", default_timeout=120)
    at.query_params["job"] = SCENARIO_IDS["completed_full"]
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    timings = []
    for _ in range(RERUNS):
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
    return first, statistics.median(timings)


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
            for _ in range(tabs + 1):
                page = context.new_page()
                started = time.perf_counter()
                page.goto(url, wait_until="commit")
                wait_for_app(page)
                finished = time.perf_counter() - started
                page.locator(".js-plotly-plot .main-svg").first.wait_for()
                page.get_by_test_id("stImage").first.wait_for()
                page.get_by_test_id("stDataFrame").first.wait_for()
                timings.append((finished, time.perf_counter() - started))
                page.close()
            browser.close()
    finally:
        stop_dashboard(dashboard)
    return timings[1:]


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
    # Faults mode only turns on the request log; no fault is injected. The long progress keeps
    # the running job running for the whole measurement.
    api_url = start_background_server(faults=True, progress_seconds=3600)
    first, median = median_rerun_seconds(api_url)
    print(f"completed_full first run (cold process, cold caches): {first * 1000:.0f} ms")
    print(f"completed_full median rerun of {RERUNS} (warm caches): {median * 1000:.0f} ms")
    second_session, _ = median_rerun_seconds(api_url)
    print(
        f"completed_full first run of a new session, warm process: {second_session * 1000:.0f} ms"
    )
    tabs = fresh_tab_seconds(api_url)
    finished = statistics.median(run for run, _ in tabs)
    drawn = statistics.median(all_drawn for _, all_drawn in tabs)
    print(f"completed_full new tab, warm server, median of {len(tabs)}:")
    print(f"  until the run finished:           {finished * 1000:.0f} ms")
    print(f"  until every chart and image drawn: {drawn * 1000:.0f} ms")
    running, completed = requests_per_minute(api_url)
    print(f"GET /jobs/<id> per minute while running:       {running:.1f}")
    print(f"GET /jobs/<id> per minute after completion:     {completed:.1f}")


if __name__ == "__main__":
    main()
