"""Comparing two runs of one file in a real browser: both forecasts overlaid, and the verdict."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect

from dashboard.series.sample_series import macro_csv
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from eomer_client.client import EomerClient
from eomer_client.models.upload import ForecastUpload
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import start_dashboard, stop_dashboard
from tests.e2e.views import View, Window, open_window, window_params

pytestmark = pytest.mark.browser
TOKEN = "demo-token"
PRESETS = ("chronos_tiny", "chronos_small")
JOB_DEADLINE_SECONDS = 120.0
ITEM = "cpi"
# The seeded run of one single series (Mauna Loa CO2, monthly from 2002-01), another tool's
# forecast of it, and a file of its actuals with a time and a value column only: /compare
# crashed on it (issue 24, item 1).
SINGLE_SERIES_RUN = SCENARIO_IDS["completed_full"]
MONTHS = [f"{year}-{month:02}-01" for year in (2002, 2003) for month in range(1, 13)]
OTHER_TOOLS_FORECAST = "unique_id,ds,yhat\n" + "".join(
    f"mauna_loa_co2,{day},373\n" for day in MONTHS
)
SINGLE_SERIES_ACTUALS = "date,ppm\n" + "".join(
    f"2002-{m:02}-01,{372 + m / 4}\n" for m in range(1, 7)
)
# Macro items whose scales differ far more than tenfold (item 8: drawn on one axis, the small
# ones were flat lines).
SCALES_APART = ("realgdp", "cpi", "unemp", "tbilrate")


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
    two_runs: TwoRuns, warm_pages: WarmPages, screenshots: Path
) -> None:
    for view in (View(1400, "light"), View(1400, "dark")):
        with warm_pages.pages() as make:
            page = make(view.width, 2200, view.scheme)
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


def upload(page: Page, section: str, label: str, name: str, text: str, kept: int) -> None:
    """Upload `text` as `name` into the uploader `label` of the folded `section`; `kept`
    files are then kept on the page."""
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
    if not uploader.is_visible():  # folded away until asked for
        page.get_by_text(section, exact=True).click()
    payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    uploader.locator('input[type="file"]').set_input_files(files=[payload])
    # Read and kept: the section offers to leave it out (its rerun is over).
    expect(page.get_by_role("button", name=re.compile("^Leave the .* out$"))).to_have_count(kept)
    wait_for_app(page)


@pytest.fixture(params=window_params([View(1400, "light"), View(390, "dark")]))
def window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    yield from open_window(request, warm_pages)


def test_single_series_actuals_are_scored_and_scales_apart_get_an_axis_each(
    two_runs: TwoRuns, window: Window
) -> None:
    page = window.page
    # Tall: the grid keeps its cells' accessible copy only while it is in view.
    page.set_viewport_size({"width": window.view.width, "height": 3000})
    page.goto(f"{two_runs.url}/compare?job={SINGLE_SERIES_RUN}")
    wait_for_app(page)
    upload(
        page, "Another tool's forecast", "A forecast file", "prophet.csv", OTHER_TOOLS_FORECAST, 1
    )
    upload(
        page, "Actuals for every run", "A file of actuals", "actuals.csv", SINGLE_SERIES_ACTUALS, 2
    )
    # Scored, not "This app has encountered an error"; sMAPE in percent, as on the viewer.
    main = page.get_by_role("main")
    expect(main).to_contain_text("Scored against the file actuals.csv", timeout=60_000)
    expect(main).to_contain_text("sMAPE (%): 100 x the mean")
    scores = page.get_by_test_id("stDataFrame").last
    expect(scores).to_contain_text(f"A · {SINGLE_SERIES_RUN[:8]}")
    expect(scores).to_contain_text("B · prophet.csv")
    expect(page.get_by_test_id("stException")).to_have_count(0)

    items = "&".join(f"item={item}" for item in SCALES_APART)
    page.goto(f"{two_runs.url}/forecast?job={two_runs.job_ids[0]}&{items}")
    chart = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').filter(
        has_text="each item on its own"
    )
    expect(chart).to_be_visible(timeout=60_000)
    expect(chart.locator(".gtitle")).to_contain_text(re.compile(r"4 of \d+ items"))
    axes = chart.evaluate("el => Object.keys(el._fullLayout).filter(k => /^yaxis\\d*$/.test(k))")
    assert len(axes) == len(SCALES_APART), axes
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= page.evaluate("innerWidth"), box
