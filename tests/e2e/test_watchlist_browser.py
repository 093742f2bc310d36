"""A shared watch-list link opened in a fresh browser; a running job finishes on screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import DemoServer, start_demo_server
from demo_api.testing.clock import ManualClock
from harness.dashboard import start_dashboard, stop_dashboard
from tests.e2e.views import WATCHLIST_CHARTS

# The demo's progressing jobs finish this long after it starts; its clock is moved by hand.
PROGRESS_SECONDS = 45
WATCHED = [
    SCENARIO_IDS[name]
    for name in (
        "running_progressing",
        "completed_full",
        "completed_covariates",
        "completed_no_explainability",
        "large_job",
        "failed_timeout",
    )
]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def clock() -> ManualClock:
    """The demo API's clock: it moves only when the test moves it."""
    return ManualClock()


@pytest.fixture(scope="module")
def api(clock: ManualClock) -> Iterator[DemoServer]:
    with start_demo_server(progress_seconds=PROGRESS_SECONDS, clock=clock) as server:
        yield server


@pytest.fixture(scope="module")
def app_url(api: DemoServer) -> Iterator[str]:
    """`streamlit run app.py` preset to use the demo API."""
    running = start_dashboard({"EOMER_API_URL": api.url, "EOMER_API_TOKEN": "demo-token"})
    yield running.url
    stop_dashboard(running)


def test_a_shared_link_shows_the_jobs_and_a_running_one_finishes_on_screen(
    clock: ManualClock, app_url: str, new_page: Callable[[], Page], screenshots: Path
) -> None:
    # The shared link is the server's first request: the page must still run inside app.py.
    page = new_page()
    page.set_viewport_size({"width": 1400, "height": 2200})  # the screenshot shows the charts
    query = "&".join(f"job={job_id}" for job_id in WATCHED)
    page.goto(f"{app_url}/watchlist?{query}")
    expect(page.get_by_role("heading", name="Watch list")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Connection")).to_be_visible()
    expect(page.get_by_text("Running: 1")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Failed: 1")).to_be_visible()
    assert page.url.count("job=") == len(WATCHED)
    assert "token" not in page.url
    clock.advance(PROGRESS_SECONDS)  # the running job's remaining time, at once
    expect(page.get_by_text("Completed: 5")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("0 of 6 job(s) still polled")).to_be_visible(timeout=30_000)
    expect(page.locator(WATCHLIST_CHARTS)).to_have_count(4, timeout=30_000)
    # The full rerun after the last job finishes redraws the charts without the running bar.
    expect(page.get_by_text("so far")).to_have_count(0, timeout=30_000)
    page.screenshot(path=screenshots / "watchlist.png", full_page=True)
