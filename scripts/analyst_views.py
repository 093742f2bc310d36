"""Refresh the README's pictures of the views issue 24 changed: `python3 -m scripts.analyst_views`.

They need jobs of the analyst's own files (a single series scored on /compare, the macro data's
small multiples), so they come from one demo API and dashboard started here, not from the tests.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from PIL import Image
from playwright.sync_api import (
    Browser,
    FloatRect,
    Locator,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from components.shell.connection_notice import NOTICE_ID
from dashboard.series.sample_series import macro_csv, sunspots_csv
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from eomer_client.client import EomerClient
from eomer_client.models.upload import ForecastUpload
from harness.browser import launch_chromium, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TOKEN = "demo-token"
# Screenshots have few colours: a 128-colour palette keeps them readable at a third of the size.
COLOURS = 128
# A plotly chart once plotly.js has drawn it (before, Streamlit shows a grey placeholder).
DRAWN = '[data-testid="stPlotlyChart"] .main-svg'
SCALES_APART = ("realgdp", "cpi", "unemp", "tbilrate")


def _completed(client: EomerClient, job_id: str) -> None:
    deadline = time.monotonic() + 120
    while (status := client.get_job(job_id).status) != "completed":
        if status not in {"pending", "running"} or time.monotonic() > deadline:
            raise RuntimeError(f"job {job_id} is {status}, not completed")
        time.sleep(0.5)  # polling the job's status with a deadline


def _jobs(api: str, actuals: Path) -> tuple[list[str], str]:
    """Two runs of one single series (its last 9 years kept as actuals), and the macro data."""
    sunspots = pd.read_csv(io.BytesIO(sunspots_csv()))
    known, later = sunspots.iloc[:-9], sunspots.iloc[-9:]
    later[["timestamp", "target"]].to_csv(actuals, index=False, header=["date", "sunspots"])
    with EomerClient(api, TOKEN) as client:
        upload = known.to_csv(index=False).encode()
        runs = [
            client.start_forecast(
                ForecastUpload(upload, "sunspots.csv", prediction_length=8, presets=preset)
            ).job_id
            for preset in ("chronos_tiny", "chronos_small")
        ]
        macro = client.start_forecast(ForecastUpload(macro_csv(), "macro.csv", 8)).job_id
        for job_id in [*runs, macro]:
            _completed(client, job_id)
    return runs, macro


def _box(element: Locator) -> FloatRect:
    """Where `element` is in the window; it must be drawn."""
    box = element.bounding_box()
    if box is None:
        raise RuntimeError(f"{element} is not drawn")
    return box


def _save(page: Page, name: str, top: float, bottom: float) -> None:
    """The window between two heights, in a palette of COLOURS."""
    width = page.evaluate("innerWidth")
    top = max(0.0, top)
    clip: FloatRect = {"x": 0, "y": top, "width": width, "height": bottom - top}
    picture = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    picture = picture.quantize(COLOURS, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    picture.save(FOLDER / name, optimize=True)


def _compare(page: Page, url: str, runs: list[str], actuals: Path, name: str) -> None:
    page.goto(f"{url}/compare?job={runs[0]}&job={runs[1]}")
    wait_for_app(page)
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="A file of actuals")
    if not uploader.is_visible():
        page.get_by_text("Actuals for every run").click()
    uploader.locator('input[type="file"]').set_input_files(str(actuals))
    wait_for_app(page)
    # The grid's own header cells are hidden copies: its caption says the scores are drawn.
    expect(page.get_by_text("Scored against the file").first).to_be_visible()
    expect(page.locator(DRAWN).first).to_be_visible()
    end = _box(page.get_by_role("heading", name="Share a snapshot"))
    _save(page, f"compare-single-series-actuals-{name}.png", 0, end["y"] - 10)


def _service_plot(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/?job={SCENARIO_IDS['large_job']}")
    wait_for_app(page)
    expect(page.get_by_text(re.compile("of 2,500 items"))).to_be_visible()
    expect(page.locator(DRAWN).first).to_be_visible()
    top = _box(page.get_by_role("heading", name="Forecast"))
    end = _box(page.get_by_text("Explore the forecast item by item"))
    _save(page, f"job-service-plot-{name}.png", top["y"] - 20, end["y"] + end["height"] + 20)


def _small_multiples(page: Page, url: str, macro: str, name: str) -> None:
    items = "&".join(f"item={item}" for item in SCALES_APART)
    page.goto(f"{url}/forecast?job={macro}&{items}")
    chart = page.locator('[data-testid="stPlotlyChart"]:visible', has_text="each item on its own")
    expect(chart.locator(".main-svg").first).to_be_visible()
    wait_for_app(page)
    page.get_by_text("Search items").evaluate("e => e.scrollIntoView({block: 'start'})")
    top, end = _box(page.get_by_text("Items to draw")), _box(chart)
    _save(page, f"forecast-small-multiples-{name}.png", top["y"] - 20, end["y"] + end["height"])


def _trends(page: Page, url: str, jobs: list[str], name: str) -> None:
    for job_id in jobs:
        page.goto(f"{url}/?job={job_id}")
        wait_for_app(page)
        expect(page.get_by_role("heading", name=re.compile("(Completed|Failed)$"))).to_be_visible()
    page.goto(f"{url}/history")
    expect(page.locator(DRAWN).first).to_be_visible()
    wait_for_app(page)
    top = _box(page.get_by_role("heading", name="Trends"))
    end = _box(page.get_by_text("One point per day"))
    _save(page, f"history-trends-{name}.png", top["y"] - 20, end["y"] + end["height"] + 20)


def _window(browser: Browser, width: int, scheme: str, height: int) -> Page:
    dark = scheme == "dark"
    viewport: ViewportSize = {"width": width, "height": height}
    return browser.new_context(
        viewport=viewport, color_scheme="dark" if dark else "light"
    ).new_page()


def _connection_lost(browser: Browser, dashboard: Dashboard) -> None:
    """Last: the dashboard is stopped under an open page."""
    page = _window(browser, 390, "dark", 700)
    page.goto(f"{dashboard.url}/?job={SCENARIO_IDS['completed_full']}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile("Completed$"))).to_be_visible()
    stop_dashboard(dashboard)
    expect(page.get_by_test_id(NOTICE_ID)).to_be_visible()
    _save(page, "connection-lost-390-dark.png", 0, 700)


def main() -> int:
    """Start a demo API and a dashboard, take the six pictures, stop them."""
    expect.set_options(timeout=60_000)
    api = start_background_server()
    folder = tempfile.TemporaryDirectory()
    actuals = Path(folder.name) / "actuals.csv"
    runs, macro = _jobs(api, actuals)
    dashboard = start_dashboard({"EOMER_API_URL": api, "EOMER_API_TOKEN": TOKEN})
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            url = dashboard.url
            _compare(_window(browser, 1400, "light", 2400), url, runs, actuals, "1400-light")
            _service_plot(_window(browser, 1400, "light", 1800), url, "1400-light")
            for width, scheme, height in ((1400, "light", 1500), (390, "dark", 2000)):
                page = _window(browser, width, scheme, height)
                _small_multiples(page, url, macro, f"{width}-{scheme}")
            trended = [SCENARIO_IDS["completed_full"], SCENARIO_IDS["failed_timeout"], *runs]
            _trends(_window(browser, 390, "dark", 2600), url, trended, "390-dark")
            _connection_lost(browser, dashboard)
    finally:
        stop_dashboard(dashboard)
        folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
