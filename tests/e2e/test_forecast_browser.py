"""The forecast viewer in a real browser: a shared /forecast?job=&item= link shows a fan chart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from demo_api.seeded.scenarios import SCENARIO_IDS
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]
JOB = SCENARIO_IDS["completed_full"]
ITEM = "mauna_loa_co2"
LINK = f"/forecast?job={JOB}&item={ITEM}"


@pytest.fixture(scope="module")
def app_url(dashboard: Dashboard, warm_pages: WarmPages) -> str:
    """The dashboard once a session has loaded its root: see the expected failure at the end."""
    with warm_pages.pages() as make:
        page = make()
        page.goto(dashboard.url)
        wait_for_app(page)
    return dashboard.url


def expect_fan_chart(page: Page) -> None:
    """The fan chart is drawn by Plotly with its intervals named in the legend, after the
    history the service's plot draws (issue 24, item 6: the viewer said it knew none)."""
    chart = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').last
    expect(chart).to_be_visible(timeout=60_000)
    for name in ("History", "80% interval", "20% interval", "mean"):
        expect(chart.locator(".legendtext", has_text=name)).to_be_visible()
    expect(page.get_by_text("No history or actuals known")).to_have_count(0)


def test_a_shared_forecast_link_opens_on_the_item_with_its_fan_chart(
    app_url: str, new_page: NewPage, screenshots: Path
) -> None:
    page = new_page()
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(app_url + LINK)
    wait_for_app(page)
    expect_fan_chart(page)
    # Above the chart: what the viewer took as series, time, point forecast and bands.
    read_as = page.locator('[data-testid="stCaptionContainer"]', has_text="Read as").first
    expect(read_as).to_be_visible()
    expect(read_as).to_contain_text("time: timestamp")
    expect(page.locator('[data-testid="stMultiSelect"]', has_text=ITEM)).to_be_visible()
    expect(page.get_by_role("button", name="Download the selection as CSV")).to_be_visible()
    assert f"item={ITEM}" in page.url
    page.screenshot(path=screenshots / "forecast.png", full_page=True)


def test_the_fan_chart_reads_in_the_dark_theme(
    app_url: str, new_page: NewPage, screenshots: Path
) -> None:
    page = new_page()
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.emulate_media(color_scheme="dark")
    page.goto(app_url + LINK)
    wait_for_app(page)
    expect_fan_chart(page)
    page.screenshot(path=screenshots / "forecast-dark.png", full_page=True)


def test_a_shared_forecast_link_works_as_the_first_visit_after_a_restart(
    new_page: NewPage,
) -> None:
    fresh = start_dashboard()
    try:
        page = new_page()
        # The windows the other tests leave out: a phone, dark.
        page.set_viewport_size({"width": 390, "height": 900})
        page.emulate_media(color_scheme="dark")
        page.goto(fresh.url + LINK)
        wait_for_app(page)
        expect_fan_chart(page)
    finally:
        stop_dashboard(fresh)
