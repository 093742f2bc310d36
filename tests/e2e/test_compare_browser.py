"""Comparing two runs of one file in a real browser: both forecasts overlaid, and the verdict."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.series.sample_series import macro_csv
from demo_api.server import start_background_server
from eomer_client.client import EomerClient
from eomer_client.models.upload import ForecastUpload
from harness.browser import wait_for_app
from harness.dashboard import start_dashboard, stop_dashboard
from tests.e2e.views import View

pytestmark = pytest.mark.browser
TOKEN = "demo-token"
PRESETS = ("chronos_tiny", "chronos_small")
JOB_DEADLINE_SECONDS = 120.0
ITEM = "cpi"


@dataclass(frozen=True)
class TwoRuns:
    """A dashboard on its own demo API, and two jobs of the same file under two presets."""

    url: str
    job_ids: tuple[str, str]


def _wait_completed(client: EomerClient, job_id: str) -> None:
    """Poll the job until it completes, within a deadline; fail on anything else."""
    deadline = time.monotonic() + JOB_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        status = client.get_job(job_id).status
        if status == "completed":
            return
        assert status in {"pending", "running"}, f"job {job_id} ended {status}"
        time.sleep(0.5)  # polling the status above, with a deadline
    pytest.fail(f"job {job_id} did not complete in {JOB_DEADLINE_SECONDS:.0f} s")


@pytest.fixture(scope="module")
def two_runs() -> Iterator[TwoRuns]:
    """Start both runs through the client, as a script would: the browser session never did."""
    api = start_background_server()
    with EomerClient(api, TOKEN) as client:
        job_ids = tuple(
            client.start_forecast(
                ForecastUpload(macro_csv(), "macro.csv", prediction_length=8, presets=preset)
            ).job_id
            for preset in PRESETS
        )
        for job_id in job_ids:
            _wait_completed(client, job_id)
    running = start_dashboard({"EOMER_API_URL": api, "EOMER_API_TOKEN": TOKEN})
    yield TwoRuns(running.url, (job_ids[0], job_ids[1]))
    stop_dashboard(running)


def open_comparison(page: Page, runs: TwoRuns) -> None:
    first, second = runs.job_ids
    page.goto(f"{runs.url}/compare?job={first}&job={second}&item={ITEM}")
    wait_for_app(page)


def expect_both_runs(page: Page, runs: TwoRuns) -> None:
    """One overlay chart naming both runs (by their IDs: the session did not start them)."""
    chart = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
    expect(chart).to_be_visible(timeout=60_000)
    for letter, job_id in zip("AB", runs.job_ids, strict=True):
        expect(
            chart.locator(".legendtext", has_text=f"{letter} · {job_id[:8]}").first
        ).to_be_visible()
    # Per run: its band's two edges and its point line; no history (the session sent no file).
    expect(chart.locator(".scatterlayer .trace")).to_have_count(6)


def test_two_presets_on_one_file_are_overlaid_and_judged_from_the_hashes(
    two_runs: TwoRuns, browser: Browser, screenshots: Path
) -> None:
    for view in (View(1400, "light"), View(1400, "dark")):
        scheme: Literal["dark", "light"] = "dark" if view.scheme == "dark" else "light"
        context = browser.new_context(
            viewport={"width": view.width, "height": 2200}, color_scheme=scheme
        )
        try:
            page = context.new_page()
            open_comparison(page, two_runs)
            expect_both_runs(page, two_runs)
            verdict = page.get_by_text("Same data, other settings (config hash differs)")
            expect(verdict).to_be_visible()
            expect(page.get_by_text("Judged from each job's dataset hash")).to_be_visible()
            settings = page.locator('[data-testid="stDataFrame"]').first
            expect(settings).to_be_visible()
            page.screenshot(
                path=screenshots / f"compare-{view.width}-{view.scheme}.png", full_page=True
            )
        finally:
            context.close()
