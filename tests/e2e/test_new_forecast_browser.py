"""Starting a forecast from /new in a real browser: the job page follows it, the viewer draws it.

One demo API with fault injection and one dashboard configured for it serve the module. The
uploaded file is one of the demo data sets with its last steps held out, written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from components.new.new_forecast_submission import SEND_AGAIN, SEND_AGAIN_ANYWAY
from dashboard.series.sample_series import SAMPLES, split_tail
from demo_api.server import start_background_server
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from tests.e2e.views import VIEWS, Window, open_window, show_top, view_id, window_params

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]

SAMPLE = "sunspots"
HELD_OUT = 24
SUBMIT = "Start forecast"
JOB_URL = re.compile(r"/\?job=([0-9a-f-]{36})$")


@dataclass(frozen=True)
class FaultApi:
    """The module's demo API: faults on POST /forecast, and the upload jobs it created."""

    url: str

    def add(self, **spec: Any) -> None:
        fault = {"path_prefix": "/forecast", "count": 1, **spec}
        httpx.post(f"{self.url}/_demo/faults", json=fault).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.url}/_demo/faults/reset").raise_for_status()

    def uploads(self) -> list[str]:
        answer = httpx.get(
            f"{self.url}/_demo/uploads", headers={"Authorization": "Bearer demo-token"}
        )
        return [str(row["job_id"]) for row in answer.raise_for_status().json()]


@pytest.fixture(scope="module")
def api() -> FaultApi:
    return FaultApi(start_background_server(faults=True, upload_step_seconds=1.0))


@pytest.fixture(scope="module")
def app(api: FaultApi, warm_pages: WarmPages) -> Iterator[Dashboard]:
    """The dashboard preset to the module's demo API, run once so its pages are registered."""
    running = start_dashboard({"EOMER_API_URL": api.url, "EOMER_API_TOKEN": "demo-token"})
    try:
        with warm_pages.pages() as make:
            page = make()
            page.goto(running.url)
            wait_for_app(page)
        yield running
    finally:
        stop_dashboard(running)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The history to upload: the sample without its last steps."""
    folder = tmp_path_factory.mktemp("uploads")
    history, _ = split_tail(SAMPLES[SAMPLE].csv(), HELD_OUT)
    (folder / "sunspots.csv").write_bytes(history)
    return {"history": folder / "sunspots.csv"}


@pytest.fixture
def fresh(api: FaultApi) -> Iterator[FaultApi]:
    api.reset()
    yield api
    api.reset()


def open_new(page: Page, app: Dashboard) -> None:
    page.goto(f"{app.url}/new")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="New forecast")).to_be_visible(timeout=60_000)


def upload(page: Page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(path)
    expect(page.get_by_text(re.compile(r"\d+ series, [\d,]+ rows"))).to_be_visible()
    wait_for_app(page)


def fill_settings(page: Page) -> None:
    """Settings a person changes: the form sends them only with the submit button."""
    length_field(page).fill("12")
    length_field(page).blur()


def length_field(page: Page) -> Locator:
    return page.get_by_label("Prediction length (steps)")


def start(page: Page) -> None:
    page.get_by_role("button", name=SUBMIT).click()


def callout(page: Page, text: str) -> Locator:
    return page.get_by_test_id("stAlert").filter(has_text=text)


def traces(page: Page) -> list[dict[str, Any]]:
    """The fan chart's traces as Plotly holds them in the page: names and x values."""
    chart = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').last
    expect(chart).to_be_visible(timeout=60_000)
    found: list[dict[str, Any]] = chart.evaluate(
        "el => el.data.map(t => ({name: t.name, x: Array.from(t.x || []).map(String)}))"
    )
    return found


def test_an_uploaded_file_starts_a_job_followed_live_and_drawn_after_its_history(
    app: Dashboard, fresh: FaultApi, new_page: NewPage, files: dict[str, Path]
) -> None:
    page = new_page()
    open_new(page, app)
    upload(page, files["history"])
    before = fresh.uploads()
    start(page)
    page.wait_for_url(JOB_URL, timeout=60_000)
    match = JOB_URL.search(page.url)
    assert match is not None
    job_id = match.group(1)
    assert [job for job in fresh.uploads() if job not in before] == [job_id]
    expect(page.get_by_role("heading", name="Completed")).to_be_visible(timeout=90_000)
    # One forecast chart, the fan after the uploaded history, and one link to the viewer.
    viewer = page.get_by_role("link", name="Every item with its history and accuracy in the")
    expect(viewer).to_be_visible(timeout=60_000)
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Explore the forecast item by item")).to_have_count(0)
    expect(main.get_by_test_id("stPlotlyChart")).to_have_count(1)
    viewer.click()
    page.wait_for_url(re.compile(rf"/forecast\?job={job_id}"), timeout=60_000)
    wait_for_app(page)
    drawn = {trace["name"]: trace["x"] for trace in traces(page)}
    assert "History" in drawn, list(drawn)
    fan = [x for name, xs in drawn.items() if name not in {"History", "Actual"} for x in xs]
    # The uploaded history ends where the fan begins: its last year is the one before.
    last_uploaded = files["history"].read_text().strip().splitlines()[-1].split(",")[1]
    assert drawn["History"][-1].startswith(last_uploaded)
    assert max(drawn["History"]) < min(fan)
    assert "Traceback" not in page.inner_text("body")


# Every refusal (422, 413, 429, 503, a time-out, a lost answer) is in tests/pages/test_new_page.py
# under AppTest; the browser keeps one, to see the form survive it in a real page.
def test_a_refused_start_explains_itself_and_keeps_the_form(
    app: Dashboard, fresh: FaultApi, new_page: NewPage, files: dict[str, Path]
) -> None:
    page = new_page()
    open_new(page, app)
    upload(page, files["history"])
    fill_settings(page)
    fresh.add(kind="status", status=503)
    start(page)
    expect(callout(page, "HTTP 503")).to_be_visible(timeout=60_000)
    expect(length_field(page)).to_have_value("12")
    expect(page.get_by_test_id("stFileChipName")).to_contain_text(files["history"].name)
    expect(page.get_by_role("button", name=SEND_AGAIN)).to_be_visible()
    assert "/new" in page.url
    assert "Traceback" not in page.inner_text("body")


def test_a_lost_answer_leaves_one_job_until_the_user_sends_again_anyway(
    app: Dashboard, fresh: FaultApi, new_page: NewPage, files: dict[str, Path]
) -> None:
    page = new_page()
    open_new(page, app)
    upload(page, files["history"])
    before = len(fresh.uploads())
    fresh.add(kind="accept_then_drop")
    start(page)
    expect(callout(page, "The API may have started the job")).to_be_visible(timeout=60_000)
    assert len(fresh.uploads()) == before + 1
    # The page settles and reruns (a column changed): still nothing sent again.
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Date order").click()
    page.get_by_role("option", name="Day first (31/01/2024)").click()
    wait_for_app(page)
    assert len(fresh.uploads()) == before + 1
    page.get_by_role("button", name=SEND_AGAIN_ANYWAY).click()
    page.wait_for_url(JOB_URL, timeout=60_000)
    assert len(fresh.uploads()) == before + 2


def test_a_double_click_starts_one_job(
    app: Dashboard, fresh: FaultApi, new_page: NewPage, files: dict[str, Path]
) -> None:
    page = new_page()
    open_new(page, app)
    upload(page, files["history"])
    before = len(fresh.uploads())
    # A slow answer, so the second click surely comes while the first request is in flight.
    fresh.add(kind="latency", latency_seconds=2.0)
    page.get_by_role("button", name=SUBMIT).dblclick()
    page.wait_for_url(JOB_URL, timeout=60_000)
    wait_for_app(page)
    assert len(fresh.uploads()) == before + 1


@pytest.fixture(params=window_params(VIEWS))
def window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    yield from open_window(request, warm_pages)


def test_the_filled_in_form_reads_in_each_window(
    app: Dashboard, window: Window, files: dict[str, Path], screenshots: Path
) -> None:
    page = window.page
    # Streamlit scrolls inside its own box: a tall window shows the whole form in one picture.
    page.set_viewport_size({"width": window.view.width, "height": 2000})
    open_new(page, app)
    upload(page, files["history"])
    fill_settings(page)
    expect(page.get_by_role("button", name=SUBMIT)).to_be_enabled()
    show_top(page, page.get_by_role("heading", name="New forecast"))
    page.screenshot(path=screenshots / f"new-forecast-{view_id(window.view)}.png", full_page=True)
