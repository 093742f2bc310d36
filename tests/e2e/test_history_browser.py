"""Recent jobs in a real browser: jobs opened on the demo are listed, filtered, and trended."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from demo_api.seeded.scenarios import SCENARIO_IDS
from harness.browser import wait_for_app
from harness.dashboard import Dashboard
from tests.e2e.steps import wait_until

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]
COMPLETED = SCENARIO_IDS["completed_full"]
FAILED = SCENARIO_IDS["failed_timeout"]
# Each trend chart's plot area against its chart, and its markers (today's among them) that
# reach out of the plot area: cut by its edge.
_TRENDS_JS = """charts => charts.map(chart => {
    const box = e => e.getBoundingClientRect();
    const plot = box(chart.querySelector(".nsewdrag")), whole = box(chart);
    const cut = [...chart.querySelectorAll(".scatterlayer .point")].map(box).filter(p =>
        p.left < plot.left - 0.5 || p.right > plot.right + 0.5
        || p.top < plot.top - 0.5 || p.bottom > plot.bottom + 0.5);
    return {plot: plot.width, chart: whole.width, points:
        chart.querySelectorAll(".scatterlayer .point").length, cut: cut.length};
})"""


def open_job(page: Page, dashboard: Dashboard, job_id: str, heading: str) -> None:
    page.goto(f"{dashboard.url}/?job={job_id}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile(f"{heading}$"))).to_be_visible(
        timeout=60_000
    )


def history_table(page: Page) -> Locator:
    return page.locator('[data-testid="stDataFrame"]').first


def test_two_opened_jobs_are_listed_filtered_and_trended(
    dashboard: Dashboard, new_page: NewPage
) -> None:
    page = new_page()
    open_job(page, dashboard, COMPLETED, "Completed")
    open_job(page, dashboard, FAILED, "Failed")
    page.get_by_role("link", name="Recent jobs").first.click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Recent jobs")).to_be_visible()
    table = history_table(page)
    expect(table).to_contain_text(COMPLETED, timeout=30_000)
    expect(table).to_contain_text(FAILED)

    prefix = page.get_by_label("Job ID starts with")
    prefix.fill(COMPLETED[:8])
    prefix.press("Enter")
    wait_for_app(page)
    expect(history_table(page)).to_contain_text(COMPLETED)
    expect(history_table(page)).not_to_contain_text(FAILED)

    prefix.fill("")
    prefix.press("Enter")
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Status").click()
    page.get_by_role("option", name="failed", exact=True).click()
    wait_for_app(page)
    expect(history_table(page)).to_contain_text(FAILED)
    expect(history_table(page)).not_to_contain_text(COMPLETED)

    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts.first).to_be_visible(timeout=30_000)
    expect(charts).to_have_count(2)
    expect(charts.first).to_contain_text("Elapsed time per day")
    trends_read_whole(page)
    # The same page on a phone in the dark theme: the trends keep the width (they were ~100 px).
    page.set_viewport_size({"width": 390, "height": 900})
    page.emulate_media(color_scheme="dark")
    trends_read_whole(page)


def trends_read_whole(page: Page) -> None:
    """Every point inside its plot area, which takes most of its chart's width (issue 24)."""
    plots = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot')
    drawn: list[dict[str, float]] = []

    def settled() -> bool:
        # Plotly redraws after a resize: polled until both charts are drawn at the new width.
        drawn[:] = plots.evaluate_all(_TRENDS_JS)
        return len(drawn) == 2 and all(c["plot"] >= 0.75 * c["chart"] > 0 for c in drawn)

    wait_until(settled, "both trend charts at the window's width", seconds=30)
    # Filtered to failed jobs, the elapsed chart may hold none; the failure rate holds today's.
    assert sum(chart["points"] for chart in drawn) > 0, drawn
    assert all(chart["cut"] == 0 for chart in drawn), drawn
