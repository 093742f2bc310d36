"""What an analyst sees first, on a desktop and on a phone, in the light and the dark theme.

One page per viewport and colour scheme, reused by every test of the module: the sidebar is
open on a desktop and collapsed on a phone, the first page says what the dashboard does and
offers three demo jobs, the ⋮ menu switches the theme, chart toolbars leave titles clear, and a
report in remote HTML stays readable on the dark theme.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Locator, Page, expect

from components.job.welcome import MORE_LABEL, WHAT_IT_DOES
from dashboard.jobs.demo_tour import SHOWCASES
from demo_api.seeded.scenarios import SCENARIO_IDS
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard
from tests.e2e.colours import composite, contrast, luminance, rgba
from tests.e2e.steps import click_until
from tests.e2e.views import (
    VIEWS,
    WATCHLIST_CHARTS,
    Window,
    open_window,
    show_top,
    window_params,
)

pytestmark = pytest.mark.browser
# WCAG AA for body text.
MIN_CONTRAST = 4.5
# Background colours from an element up to its document's root, nearest first.
_BACKGROUNDS_JS = """element => {
    const colours = [];
    for (let node = element; node; node = node.parentElement) {
        colours.push(getComputedStyle(node).backgroundColor);
    }
    return colours;
}"""
_APP = '[data-testid="stApp"]'
CHARTS = 4  # the watch list's: elapsed per job, timeline, against work size, typical range
_TITLE_AND_TOOLBAR_JS = """chart => {
    const title = chart.querySelector(".gtitle"), toolbar = chart.querySelector(".modebar");
    if (!title || !toolbar) return null;
    const top = title.getBoundingClientRect(), bar = toolbar.getBoundingClientRect();
    return {title: top.y, toolbar_bottom: bar.y + bar.height};
}"""


@pytest.fixture(scope="module", params=window_params(VIEWS))
def window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    """One page per view, shared by the module's tests; each test opens the URL it needs."""
    yield from open_window(request, warm_pages)


def open_first_page(window: Window, dashboard: Dashboard) -> Page:
    page = window.page
    page.goto(dashboard.url)
    wait_for_app(page)
    first = page.get_by_role("main").get_by_role("link", name=SHOWCASES[0].label)
    expect(first).to_be_visible(timeout=60_000)
    return page


def app_background(page: Page) -> tuple[float, float, float]:
    return composite(page.locator(_APP).evaluate(_BACKGROUNDS_JS))


def frame_of(element: Locator) -> Frame:
    frame = element.element_handle().content_frame()
    assert frame is not None
    return frame


def text_contrasts(page: Page) -> dict[str, float]:
    """Contrast of every text element of the isolated report against what shows behind it.

    A frame is transparent: behind the report's own page lies our wrapper page, then the app.
    """
    outer = page.locator('[data-testid="stIFrame"]').first
    wrapper = frame_of(outer)
    report = frame_of(wrapper.locator("iframe"))
    behind = [
        *wrapper.locator("iframe").evaluate(_BACKGROUNDS_JS),
        *outer.evaluate(_BACKGROUNDS_JS),
    ]
    found: dict[str, float] = {}
    for text in report.locator("h2, th, td, p").all():
        *colour, _ = rgba(text.evaluate("e => getComputedStyle(e).color"))
        backdrop = composite([*text.evaluate(_BACKGROUNDS_JS), *behind])
        found[text.inner_text()[:40]] = contrast((colour[0], colour[1], colour[2]), backdrop)
    return found


def test_sidebar_is_open_on_a_desktop_and_collapsed_on_a_phone(
    window: Window, dashboard: Dashboard
) -> None:
    page = open_first_page(window, dashboard)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true" if window.view.is_phone else "false")
    # Nothing covers the page: the first demo job takes a click where it is drawn.
    page.get_by_role("main").get_by_role("link", name=SHOWCASES[0].label).click(trial=True)


def test_first_page_says_what_the_dashboard_does_and_offers_three_demo_jobs(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    page = open_first_page(window, dashboard)
    main = page.get_by_role("main")
    for line in WHAT_IT_DOES:
        opening = line.split("**")[1]
        expect(main.get_by_text(opening)).to_be_visible()
    expect(main.get_by_role("link", name=SHOWCASES[2].label)).to_be_visible()
    live = main.get_by_role("link", name=re.compile(r"^(Running job|Live job)"))
    expect(live).to_have_count(1)
    expect(
        main.get_by_role("link", name=f"Watch all {len(SCENARIO_IDS)} demo jobs")
    ).to_be_visible()
    more = main.get_by_test_id("stExpander").filter(has_text=MORE_LABEL)
    expect(more.get_by_role("link")).to_have_count(0)  # collapsed until asked
    expect(main.get_by_test_id("stPageLink-NavLink").filter(visible=True)).to_have_count(4)
    page.screenshot(path=screenshots / window.view.shot("first-page"))
    # The live job is this viewer's own: running when opened, refreshed in place (issue 24, 9).
    live.click()
    running = main.get_by_role("heading", name=re.compile(r"Running$"))
    expect(running).to_be_visible(timeout=60_000)
    expect(main.get_by_text("Live: updated")).to_be_visible()


def test_theme_switch_in_the_menu_changes_the_app_background(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    page = open_first_page(window, dashboard)
    app = page.locator(_APP)
    before = app.evaluate("e => getComputedStyle(e).backgroundColor")
    assert is_dark(app_background(page)) == (window.view.scheme == "dark")
    opposite = "Light" if window.view.scheme == "dark" else "Dark"
    try:
        page.get_by_test_id("stMainMenuButton").click()
        expect(page.get_by_role("menuitemradio", name="System")).to_be_visible()
        page.screenshot(path=screenshots / window.view.shot("theme-menu"))
        page.get_by_role("menuitemradio", name=opposite).click()
        expect(app).not_to_have_css("background-color", before)
        assert is_dark(app_background(page)) == (opposite == "Dark")
    finally:
        # The choice lives in the browser's storage: the module's other tests get the OS's.
        page.keyboard.press("Escape")
        page.get_by_test_id("stMainMenuButton").click()
        page.get_by_role("menuitemradio", name="System").click()
        expect(app).to_have_css("background-color", before)


def is_dark(colour: tuple[float, float, float]) -> bool:
    return luminance(colour) < 0.2


def test_watch_all_link_opens_every_demo_job_and_chart_toolbars_leave_titles_clear(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    page = open_first_page(window, dashboard)
    watch_all = page.get_by_role("main").get_by_role(
        "link", name=f"Watch all {len(SCENARIO_IDS)} demo jobs"
    )
    # A click during a rerun was lost once in CI (390 px, dark), and the page stayed put.
    click_until(page, watch_all, lambda: "/watchlist?" in page.url, "on the watch list", 20.0)
    assert all(job_id in page.url for job_id in SCENARIO_IDS.values())
    charts = page.locator(WATCHLIST_CHARTS)
    expect(charts.first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    show_top(page, charts.first)
    page.screenshot(path=screenshots / window.view.shot("watchlist"))
    expect(charts).to_have_count(CHARTS)
    for index in range(CHARTS):
        boxes = title_and_toolbar(charts.nth(index))
        # The title starts below the toolbar, however wide either is.
        assert boxes["title"] >= boxes["toolbar_bottom"], boxes


def title_and_toolbar(chart: Locator, attempts: int = 5) -> dict[str, float]:
    """Where a chart's title starts and its toolbar ends, read in one go.

    A live watch list redraws its charts (a running job finishes): a chart met mid-redraw has
    no title yet, so it is read again, a few times, before the test gives up.
    """
    for _ in range(attempts):
        boxes = chart.evaluate(_TITLE_AND_TOOLBAR_JS)
        if boxes is not None:
            return dict(boxes)
        chart.page.wait_for_timeout(1_000)  # a redraw takes well under a second
    raise AssertionError(f"no title and toolbar in the chart after {attempts} reads")


def test_remote_html_report_is_readable_in_either_theme(
    window: Window, dashboard: Dashboard, screenshots: Path
) -> None:
    page = window.page
    page.goto(f"{dashboard.url}/?job={SCENARIO_IDS['completed_full']}")
    wait_for_app(page)
    report = page.frame_locator('[data-testid="stIFrame"]').frame_locator("iframe")
    closing = report.get_by_text("Ljung-Box tests whether residuals are white noise")
    closing.wait_for(timeout=60_000)
    found = text_contrasts(page)
    assert len(found) >= 4, found
    assert min(found.values()) >= MIN_CONTRAST, found
    show_top(page, page.get_by_test_id("stIFrame").first)
    # The report's frame lays out on its own: its text is on screen before the screenshot.
    expect(closing).to_be_in_viewport()
    page.screenshot(path=screenshots / window.view.shot("html-report"))
