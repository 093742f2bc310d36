"""The job page on a desktop and a phone, light and dark: it says what it waits for, and shows
each piece of a job once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from components.job.downloads import DOWNLOADS_PAGE_SIZE
from dashboard.session.routes import HISTORY_PAGE, NEW_PAGE, WATCHLIST_PAGE
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from tests.e2e.views import VIEWS, Window, open_window, view_id, window_params

pytestmark = pytest.mark.browser
SLOW_SECONDS = 6.0
# Where the service's plot draws its legend: the entries' boxes, the legend's visible box, the
# plot area's and the chart's, and whether plotly.js drew a scroll bar (a cut legend).
_LEGEND_JS = """chart => {
    const box = e => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width}; };
    const bar = chart.querySelector(".legend .scrollbar");
    return {entries: [...chart.querySelectorAll(".legend .traces")].map(box),
            legend: box(chart.querySelector(".legend .bg")),
            plot: box(chart.querySelector(".nsewdrag")), chart: box(chart),
            scrolls: !!bar && bar.getBoundingClientRect().height > 0};
}"""


@pytest.fixture(scope="module")
def api() -> str:
    """A demo API of the module's own, whose faults the tests set."""
    return start_background_server(faults=True)


@pytest.fixture(scope="module")
def app(api: str) -> Iterator[Dashboard]:
    """The dashboard preset to that API and its token, as a team's deployment would be."""
    running = start_dashboard({"EOMER_API_URL": api, "EOMER_API_TOKEN": "demo-token"})
    yield running
    stop_dashboard(running)


@pytest.fixture(scope="module", params=window_params(VIEWS))
def window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    yield from open_window(request, warm_pages)


@pytest.fixture
def faults(api: str) -> Iterator[str]:
    httpx.post(f"{api}/_demo/faults/reset").raise_for_status()
    yield api
    httpx.post(f"{api}/_demo/faults/reset").raise_for_status()


SLOW_JOBS = {
    "1400-light": "completed_no_explainability",
    "1400-dark": "completed_delivery_delivered",
    "390-light": "completed_delivery_failed",
    "390-dark": "completed_covariates",
}


def open_job(page: Page, app: Dashboard, scenario: str) -> None:
    page.goto(f"{app.url}/?job={SCENARIO_IDS[scenario]}")


def test_a_slow_answer_shows_what_the_page_waits_for_and_since_when(
    window: Window, app: Dashboard, faults: str, screenshots: Path
) -> None:
    # A job of its own per window: completed answers are shared by the sessions of a process,
    # so a job an earlier window opened would be answered at once, without asking the API.
    scenario = SLOW_JOBS[view_id(window.view)]
    job_id = SCENARIO_IDS[scenario]
    httpx.post(
        f"{faults}/_demo/faults",
        json={"kind": "latency", "latency_seconds": SLOW_SECONDS, "job_id": job_id, "count": 1},
    ).raise_for_status()
    page = window.page
    open_job(page, app, scenario)
    host = faults.removeprefix("http://")
    message = page.get_by_text(f"Asking the API at {host} for job {job_id}, since ")
    expect(message).to_be_visible()
    # Said while the answer is still awaited: the job's status is not on the page yet.
    expect(page.get_by_text(f"Job ID: {job_id}")).to_have_count(0)
    expect(message).to_contain_text(re.compile(r"since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d"))
    page.screenshot(path=screenshots / window.view.shot("waiting"))
    expect(page.get_by_text(f"Job ID: {job_id}")).to_be_visible()
    expect(message).to_have_count(0)


def test_the_forecast_plot_shows_once_and_no_text_repeats(
    window: Window, app: Dashboard, screenshots: Path
) -> None:
    page = window.page
    open_job(page, app, "completed_full")
    wait_for_app(page)
    main = page.get_by_role("main")
    expect(main.get_by_text("Residual diagnostics", exact=True)).to_be_visible()
    # Drawn under Forecast; under Explainability it is named, not drawn again, nor its thumbnail.
    expect(main.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(main.get_by_text("the forecast plot, drawn under Forecast above")).to_be_visible()
    expect(main.get_by_test_id("stImage")).to_have_count(0)
    # The model summary opens by itself: its preview is not drawn beside it.
    expect(main.get_by_text("Fitted with statsmodels ETSModel.")).to_have_count(1)
    # A skipped analysis's reason is read in full at any width: the table wraps it.
    reason = main.get_by_role("cell", name="ETS is not a feature-based model, so there").first
    expect(reason).to_contain_text("no features to attribute to.")
    box = reason.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= window.view.width, box
    # Two columns, not four: on a phone the reason's column is wide enough for whole phrases
    # (four columns left it about 60 px, a word per line).
    assert box["width"] >= 0.4 * min(window.view.width, 700), box
    explainability = main.get_by_role("heading", name="Explainability")
    explainability.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / window.view.shot("job-once"))
    # Watching shows in the run of the click, and its link to the list reads whole (item 5).
    main.get_by_role("button", name="Watch", exact=True).click()
    expect(main.get_by_role("button", name="Unwatch", exact=True)).to_be_visible()
    link = main.get_by_role("link", name="Watching: open the watch list")
    expect(link).to_be_visible()
    # Cut short is a box that hides what overflows it (Streamlit ends such a label with "…").
    cut = link.evaluate(
        """a => [a, ...a.querySelectorAll('*')].filter(e => {
          const style = getComputedStyle(e);
          return style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
        }).some(e => e.scrollWidth > e.clientWidth + 1)"""
    )
    assert not cut, "the watch list link is cut short"
    box = link.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= window.view.width, box


def test_the_services_plot_of_many_items_shows_its_whole_legend_under_it_and_says_n_of_n(
    window: Window, app: Dashboard
) -> None:
    page = window.page
    open_job(page, app, "large_job")
    wait_for_app(page)
    main = page.get_by_role("main")
    expect(main.get_by_text("The service's plot draws 6 of 2,500 items.")).to_be_visible()
    chart = main.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
    # Six items, each with its history, band and mean: 18 entries (plotly.js cut it at 15).
    expect(chart.locator(".legend .traces")).to_have_count(18)
    drawn = chart.evaluate(_LEGEND_JS)
    legend, plot, whole = drawn["legend"], drawn["plot"], drawn["chart"]
    assert not drawn["scrolls"], drawn
    for entry in drawn["entries"]:
        # Each entry inside the legend's visible box, which is inside the chart.
        assert legend["top"] <= entry["top"] <= entry["bottom"] <= legend["bottom"] + 1, drawn
        assert whole["left"] <= entry["left"] <= entry["right"] <= whole["right"] + 1, drawn
    # Under the plot, which keeps the chart's width (beside it, it took half a phone's).
    assert legend["top"] >= plot["bottom"], drawn
    assert plot["width"] >= 0.8 * whole["width"], drawn


def test_a_job_of_hundreds_of_artifacts_offers_a_page_of_downloads(
    window: Window, app: Dashboard
) -> None:
    page = window.page
    open_job(page, app, "many_artifacts")
    wait_for_app(page)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Downloads")).to_be_visible()
    prepare = main.get_by_role("button", name=re.compile(r"^Prepare "))
    expect(prepare).to_have_count(DOWNLOADS_PAGE_SIZE)
    expect(main.get_by_role("button", name=re.compile(r"more of \d+ downloads"))).to_be_visible()


def test_a_fresh_server_says_it_is_starting_the_demo_api(
    new_page: Callable[[], Page], screenshots: Path
) -> None:
    fresh = start_dashboard()
    try:
        page = new_page()
        page.goto(fresh.url)
        main = page.get_by_role("main")
        expect(main.get_by_text("Starting the built-in demo API, since ")).to_be_visible()
        # From the first paint the navigation names its pages, with their icons, not their
        # files (a cold start showed "watchlist" and "new" over a blank page; issue 24, 9).
        nav = page.get_by_test_id("stSidebarNav")
        for route in (WATCHLIST_PAGE, NEW_PAGE, HISTORY_PAGE):
            link = nav.get_by_role("link").filter(has_text=route.title)
            expect(link).to_contain_text(route.icon.strip(":").removeprefix("material/"))
        expect(nav.get_by_role("link").filter(has_text="watchlist")).to_have_count(0)
        page.screenshot(path=screenshots / "look-cold-start-1400-light.png")
        expect(main.get_by_text("Follow Eomer forecast jobs live")).to_be_visible(timeout=60_000)
        expect(main.get_by_text("Starting the built-in demo API")).to_have_count(0)
    finally:
        stop_dashboard(fresh)
