"""The job page in a real browser: a newcomer's first job, a shared link, a job finishing live."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard.jobs.explanations import explain
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_demo_server
from demo_api.testing.clock import ManualClock
from deps import DEMO_TOKEN
from harness.browser import wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from tests.e2e.colours import contrast, luminance, rgba
from tests.e2e.token_watch import FrameLog

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]
# The demo's progressing jobs finish this long after it starts; its clock is moved by hand.
PROGRESS_SECONDS = 45


def test_newcomer_opens_a_demo_job_and_sees_status_overview_visual_and_plot(
    dashboard: Dashboard, new_page: NewPage, screenshots: Path
) -> None:
    page = new_page()
    elsewhere: list[str] = []  # the browser never calls anyone but the dashboard itself
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if not request.url.startswith((dashboard.url, "data:", "blob:", "about:"))
            else None
        ),
    )
    page.goto(dashboard.url)
    wait_for_app(page)
    expect(page.get_by_text("Demo data").first).to_be_visible()
    page.get_by_role("main").get_by_role(
        "link", name="Completed forecast with explainability"
    ).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile(r"Completed$"))).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("Why the forecast looks like this")).to_be_visible()
    charts = page.locator('[data-testid="stPlotlyChart"]')
    # The forecast plot; its primary visual is the same file, named under Explainability.
    expect(charts).to_have_count(1, timeout=60_000)
    assert f"job={SCENARIO_IDS['completed_full']}" in page.url
    # Streamlit scrolls inside its own container: a tall viewport shows the whole story.
    page.set_viewport_size({"width": 1400, "height": 3200})
    expect(charts).to_have_count(1)
    expect(page.get_by_text("Residual diagnostics").first).to_be_visible()
    page.frame_locator('[data-testid="stIFrame"]').frame_locator("iframe").get_by_text(
        "Ljung-Box tests whether residuals are white noise"
    ).wait_for()
    page.screenshot(path=screenshots / "job-completed.png")
    assert elsewhere == []


def test_shared_link_opens_the_job_in_a_second_browser_context(
    dashboard: Dashboard, new_page: NewPage, fresh_page: NewPage, screenshots: Path
) -> None:
    job_id = SCENARIO_IDS["failed_timeout"]
    first = new_page()
    first.goto(f"{dashboard.url}/?job={job_id}")
    wait_for_app(first)
    # The link's own box: provenance values are code boxes too, and may be drawn above it.
    link_box = first.locator('[data-testid="stCode"]').filter(has_text=f"?job={job_id}")
    expect(link_box).to_have_count(1)
    shared = link_box.inner_text().strip()
    assert shared == f"{dashboard.url}/?job={job_id}"
    second = fresh_page()
    second.goto(shared)
    wait_for_app(second)
    expect(second.get_by_role("heading", name=re.compile(r"Failed$"))).to_be_visible(timeout=60_000)
    expect(second.get_by_text(explain("timeout").summary)).to_be_visible()
    wait_for_app(second)
    expect(second.get_by_label("Job ID, job URL or POST /forecast JSON")).to_have_value(job_id)
    second.screenshot(path=screenshots / "job-failed.png", full_page=True)


def test_a_snapshot_opens_in_a_fresh_context_with_no_token_and_downloads_as_offline_html(
    dashboard: Dashboard, new_page: NewPage, fresh_page: NewPage, tmp_path: Path
) -> None:
    creator = new_page()
    creator.goto(f"{dashboard.url}/?job={SCENARIO_IDS['completed_full']}")
    wait_for_app(creator)
    expect(creator.get_by_role("heading", name=re.compile(r"Completed$"))).to_be_visible(
        timeout=60_000
    )
    creator.get_by_label("Title", exact=True).fill("Weekly CO2")
    creator.get_by_role("button", name="Create a snapshot").click()
    link = creator.locator('[data-testid="stCode"]', has_text="/snapshot?id=")
    expect(link).to_be_visible(timeout=60_000)
    colleague, frames, requests = fresh_page(), FrameLog(), []
    frames.watch(colleague)
    colleague.on("request", lambda request: requests.append(request.url))
    colleague.goto(link.inner_text().strip())
    wait_for_app(colleague)
    expect(colleague.get_by_text("A snapshot", exact=False).first).to_be_visible(timeout=60_000)
    expect(colleague.get_by_role("heading", name=re.compile(r"Completed$"))).to_be_visible()
    expect(colleague.get_by_text("Why the forecast looks like this")).to_be_visible()
    expect(colleague.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    with colleague.expect_download() as download:
        colleague.get_by_role("button", name=re.compile("Download as one HTML file")).click()
    assert frames.sockets > 0
    assert frames.holding(DEMO_TOKEN) == 0
    assert not [url for url in requests if DEMO_TOKEN in url or not url.startswith(dashboard.url)]
    saved = tmp_path / "snapshot.html"
    download.value.save_as(saved)
    offline = fresh_page()
    offline.context.set_offline(True)
    offline.goto(saved.as_uri())
    expect(offline.locator("#snapshot-chart .main-svg").first).to_be_visible()
    expect(offline.get_by_text("Why the forecast looks like this")).to_be_visible()
    phone_in_the_dark(colleague, link.inner_text().strip())
    gone_and_guessed_links_say_so(dashboard, creator, colleague, link.inner_text().strip())


def gone_and_guessed_links_say_so(
    dashboard: Dashboard, creator: Page, colleague: Page, link: str
) -> None:
    """A guessed ID finds nothing; once its creator deletes it, the link says it was deleted."""
    colleague.goto(f"{dashboard.url}/snapshot?id={secrets.token_urlsafe(16)}")
    expect(colleague.get_by_text("Snapshot not found.")).to_be_visible(timeout=60_000)
    creator.goto(f"{dashboard.url}/snapshot")
    wait_for_app(creator)
    delete = creator.get_by_role("button", name=re.compile("Delete$"))
    expect(delete).to_have_count(1, timeout=60_000)
    delete.click()
    expect(delete).to_have_count(0, timeout=60_000)
    colleague.goto(link)
    expect(colleague.get_by_text("This snapshot was deleted")).to_be_visible(timeout=60_000)


def phone_in_the_dark(page: Page, link: str) -> None:
    """The snapshot at 390 px in the dark theme: nothing scrolls sideways, the text reads."""
    assert page.context.browser is not None
    context = page.context.browser.new_context(
        viewport={"width": 390, "height": 900}, color_scheme="dark"
    )
    try:
        phone = context.new_page()
        phone.goto(link)
        wait_for_app(phone)
        title = phone.get_by_role("heading", name="Weekly CO2")
        expect(title).to_be_visible(timeout=60_000)
        expect(phone.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        ink = title.evaluate("e => getComputedStyle(e).color")
        ground = phone.locator('[data-testid="stApp"]').evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert luminance(rgba(ground)[:3]) < 0.2  # the dark theme, not a light page
        assert contrast(rgba(ink)[:3], rgba(ground)[:3]) >= 4.5
    finally:
        context.close()


@dataclass(frozen=True)
class LiveDemo:
    """A dashboard preset to a demo API whose clock moves only when the test moves it."""

    dashboard: Dashboard
    clock: ManualClock


@pytest.fixture
def live_demo() -> Iterator[LiveDemo]:
    clock = ManualClock()
    with start_demo_server(progress_seconds=PROGRESS_SECONDS, clock=clock) as api:
        running = start_dashboard({"EOMER_API_URL": api.url, "EOMER_API_TOKEN": "demo-token"})
        yield LiveDemo(running, clock)
        stop_dashboard(running)


def test_running_job_turns_completed_on_screen_without_a_reload(
    live_demo: LiveDemo, new_page: NewPage, screenshots: Path
) -> None:
    page = new_page()
    page.goto(f"{live_demo.dashboard.url}/?job={SCENARIO_IDS['running_progressing']}")
    expect(page.get_by_role("heading", name=re.compile(r"Running$"))).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Live: updated")).to_be_visible()
    expect(page.get_by_role("button", name="Watch")).to_be_visible()
    page.screenshot(path=screenshots / "job-running.png", full_page=True)
    # A reload would drop this marker: it proves the page changed in place.
    page.evaluate("window.__notReloaded = true")
    live_demo.clock.advance(PROGRESS_SECONDS)  # the job's remaining run time, at once
    expect(page.get_by_role("heading", name=re.compile(r"Completed$"))).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("Job is now ✅ Completed")).to_be_visible()  # the toast
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=60_000)
    assert page.evaluate("window.__notReloaded === true")
