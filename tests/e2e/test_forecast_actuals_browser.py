"""History and actuals on the viewer in a real browser: attach files, read the scores and chart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import FilePayload, Locator, Page, expect

from demo_api.models.data_sets import load_dataset
from demo_api.seeded.scenarios import SCENARIO_IDS
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard
from tests.e2e.steps import wait_until
from tests.e2e.views import VIEWS, View, Window, open_window, show_top, view_id, window_params

pytestmark = pytest.mark.browser
JOB = SCENARIO_IDS["completed_full"]
ITEM = "mauna_loa_co2"
LINK = f"/forecast?job={JOB}&item={ITEM}"
SCORED = 12
# Steps whose actual is put far above the widest band.
MISSES = (3, 7)
DESKTOPS = [view for view in VIEWS if not view.is_phone]
# Plotly keeps what it drew on the chart's element: one calcdata entry per point of a trace.
_TRACE_POINTS = """(chart, name) => {
    const index = chart.data.findIndex(candidate => candidate.name === name);
    return index < 0 ? -1 : chart.calcdata[index].length;
}"""


@pytest.fixture(params=window_params(DESKTOPS))
def window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    yield from open_window(request, warm_pages)


def history_csv() -> bytes:
    """The CO2 job's input: monthly means up to the forecast's first month."""
    frame = load_dataset("co2").long_frame()
    return frame.to_csv(index=False, date_format="%Y-%m-%d").encode()


def downloaded_forecast(page: Page) -> pd.DataFrame:
    """The item's forecast rows, as the viewer's own download button hands them out."""
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the selection as CSV").click()
    return pd.read_csv(download.value.path(), parse_dates=["timestamp"])


def actuals_csv(forecast: pd.DataFrame) -> bytes:
    """A held-out tail: the first 12 steps near the mean, two of them far above the band."""
    head = forecast.head(SCORED)
    values = head["mean"] + 0.1
    values.iloc[list(MISSES)] = head["0.9"].iloc[list(MISSES)] + 5.0
    tail = pd.DataFrame({"date": head["timestamp"].dt.strftime("%Y-%m-%d"), "ppm": values})
    return tail.to_csv(index=False, sep=";").encode()


def fan_chart(page: Page) -> Locator:
    return page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').last


def attach(page: Page, name: str, content: bytes) -> None:
    """Open the attach area, upload `content` as `name`, accept the guessed columns."""
    label = page.get_by_text("Attach a file of history or actuals")
    if not label.is_visible():  # the area is folded away until asked for
        page.get_by_text("History and actuals: attach a file").click()
    expect(label).to_be_visible()
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": content}
    uploader.set_input_files(files=[payload])
    page.get_by_role("button", name="Attach to this job").click()
    caption = page.locator('[data-testid="stCaptionContainer"]', has_text=name)
    expect(caption).to_be_visible(timeout=60_000)
    wait_for_app(page)


def open_with_history_and_actuals(page: Page, app_url: str) -> None:
    page.goto(app_url + LINK)
    wait_for_app(page)
    expect(fan_chart(page)).to_be_visible(timeout=60_000)
    forecast = downloaded_forecast(page)
    attach(page, "co2-history.csv", history_csv())
    attach(page, "co2-actuals.csv", actuals_csv(forecast))


def test_attached_actuals_are_scored_and_drawn_in_each_theme(
    dashboard: Dashboard, window: Window, screenshots: Path
) -> None:
    page = window.page
    page.set_viewport_size({"width": window.view.width, "height": 1500})
    open_with_history_and_actuals(page, dashboard.url)
    expect(page.get_by_text(f"Scored {SCORED} of 24 forecast steps")).to_be_visible()
    scores = page.locator('[data-testid="stDataFrame"]', has_text="in 80% band").last
    expect(scores).to_be_visible()
    # The grid keeps an accessible copy of its cells, unformatted: the item, its 80% coverage.
    expect(scores).to_contain_text(ITEM)
    expect(scores).to_contain_text(repr((SCORED - len(MISSES)) / SCORED))
    chart = fan_chart(page)
    for name in ("History", "Actual", "Outside the 80% band"):
        expect(chart.locator(".legendtext", has_text=name)).to_be_visible()
    assert chart.evaluate(_TRACE_POINTS, "Outside the 80% band") == len(MISSES)
    assert chart.evaluate(_TRACE_POINTS, "Actual") == SCORED
    start_note_inside_the_plot(page)
    shoot(page, window.view, screenshots)
    # The same page on a phone, dark (issue 24, item 10: there the note covered the y-axis).
    page.set_viewport_size({"width": 390, "height": 1500})
    page.emulate_media(color_scheme="dark")
    start_note_inside_the_plot(page)


def start_note_inside_the_plot(page: Page) -> None:
    """The "Forecast starts" note never reaches over the y-axis and its labels."""
    chart = fan_chart(page)
    note = chart.locator(".annotation", has_text="Forecast starts").first
    expect(note).to_contain_text("2002-01-01")
    width = page.evaluate("innerWidth")

    def inside() -> bool:
        # Plotly redraws after a resize: polled until the plot fits the window.
        box, plot = note.bounding_box(), chart.locator(".nsewdrag").first.bounding_box()
        assert box is not None
        assert plot is not None
        if plot["x"] + plot["width"] > width:
            return False
        assert plot["x"] <= box["x"] <= box["x"] + box["width"] <= plot["x"] + plot["width"], box
        return True

    wait_until(inside, "the chart drawn at the window's width", seconds=30)


def shoot(page: Page, view: View, screenshots: Path) -> None:
    """The accuracy section and the chart under it, in one picture."""
    show_top(page, page.get_by_role("heading", name="Accuracy against the actuals"))
    wait_for_app(page)
    page.screenshot(path=screenshots / f"forecast-actuals-{view_id(view)}.png")
