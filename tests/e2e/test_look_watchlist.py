"""The watch list of 53 jobs, on a desktop and a phone, in the light and the dark theme.

Issue 14, parts 5, 6 and 7: charts stay readable with one 30-minute job among fifty short ones
(log axis, at most 600 px tall, labels that never overlap or spill, every job on request);
a cut-off cell can be read in full; an ID the API does not know says "not found", counts as
such, and is no longer asked for.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypedDict

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from harness.serving import serving
from tests.e2e.steps import wait_until
from tests.e2e.views import VIEWS, WATCHLIST_CHARTS, Window, open_window, window_params

pytestmark = pytest.mark.browser
CHARTS = 4  # elapsed per job, timeline, against work size, typical range
_NAMESPACE = uuid.UUID("8d6f0a4e-14a5-4c55-9e0e-5f1b2d7c3a90")
JOBS = [str(uuid.uuid5(_NAMESPACE, f"job-{index}")) for index in range(50)]
LONG_ONE = JOBS[0]  # 30 minutes; every other job takes under two
RUNNING = JOBS[1:10]
FAILED = JOBS[10:14]
MISSING = [str(uuid.uuid5(_NAMESPACE, f"missing-{index}")) for index in range(2)]
TROUBLED = str(uuid.uuid5(_NAMESPACE, "troubled"))
# A server message longer than any table cell: its end must still be readable.
LONG_PROBLEM = (
    "Permission denied: role EOMER_WRITER cannot write to FORECASTS.PUBLIC.RESULTS_2026 "
    "under warehouse policy ANALYST_READ_ONLY; ask an administrator to grant INSERT there"
)
# First the job with a problem, so the details view opens on it; the unknown IDs last.
WATCHED = [TROUBLED, *JOBS, *MISSING]
MAX_CHART_PX = 600
# Every text Plotly draws in a chart: titles, ticks, legend, bar text, annotations.
_TEXTS_JS = """chart => {
    const plot = chart.querySelector('.nsewdrag');
    const area = plot ? plot.getBoundingClientRect() : null;
    const seen = [];
    for (const node of chart.querySelectorAll(
        '.gtitle, .xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext,'
        + ' .bartext, .textpoint text, .annotation-text')) {
        const box = node.getBoundingClientRect();
        const style = getComputedStyle(node);
        if (box.width < 1 || box.height < 1 || style.display === 'none'
            || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
        const kind = node.getAttribute('class') || node.parentNode.getAttribute('class') || '';
        seen.push({text: node.textContent, kind: kind,
                   x: box.x, y: box.y, w: box.width, h: box.height});
    }
    const gd = chart.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout) throw new Error('chart not drawn yet');
    return {texts: seen, height: chart.getBoundingClientRect().height,
            xaxis: gd._fullLayout.xaxis.type,
            plot: area && {x: area.x, y: area.y, w: area.width, h: area.height}};
}"""
# Elements that cut their text with an ellipsis, outside the table's canvas.
_CUT_JS = """main => [...main.querySelectorAll('*')].filter(e =>
    e.children.length === 0 && e.textContent.trim() && e.offsetParent !== null
    && getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1
).map(e => e.textContent)"""


class Drawn(TypedDict):
    """One text Plotly drew, and its box on the page."""

    text: str
    kind: str
    x: float
    y: float
    w: float
    h: float


class FakeApi(ThreadingHTTPServer):
    """GET /jobs/{id}: fifty jobs, a 503 with a long message, 404 for the rest; hits counted."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Answer)
        self.started = datetime.now(UTC)
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def asked(self, job_id: str) -> int:
        with self.lock:
            return self.hits[job_id]

    def answer(self, job_id: str) -> tuple[int, dict[str, object]]:
        if job_id == TROUBLED:
            return 503, {"detail": LONG_PROBLEM, "error_code": "server_overloaded"}
        if job_id not in JOBS:
            return 404, {"detail": "Job not found", "error_code": "job_not_found"}
        return 200, job_body(JOBS.index(job_id), self.started)


def job_body(index: int, started: datetime) -> dict[str, object]:
    """Job `index`: one 30-minute job, nine running, four failed, the rest 30 to 90 s."""
    job_id = JOBS[index]
    seconds = 1800.0 if job_id == LONG_ONE else 30.0 + (index * 7) % 60
    created, now = started - timedelta(minutes=40 - index * 0.5), datetime.now(UTC)
    running = job_id in RUNNING
    status = "running" if running else "failed" if job_id in FAILED else "completed"
    return {
        "job_id": job_id,
        "status": status,
        # Running for 20 to 30 s whenever asked: the chart's scale stays the same all run long.
        "created_at": (now - timedelta(seconds=20 + index) if running else created).isoformat(),
        "completed_at": None if running else (created + timedelta(seconds=seconds)).isoformat(),
        "elapsed_seconds": None if running else seconds,
        "num_items": 5 + index * 3,
        "prediction_length": 12,
        "error_code": "timeout" if status == "failed" else None,
        "config_hash": f"c{index % 4}",
        "dataset_hash": f"d{index % 3}",
    }


class _Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakeApi

    def do_GET(self) -> None:
        job_id = self.path.rsplit("/", 1)[-1]
        with self.server.lock:
            self.server.hits[job_id] += 1
        status, body = self.server.answer(job_id)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: every poll of 53 jobs would fill the test's output."""


@pytest.fixture(scope="module")
def api() -> Iterator[FakeApi]:
    with serving(FakeApi()) as server:
        yield server


@pytest.fixture(scope="module")
def app(api: FakeApi) -> Iterator[Dashboard]:
    running = start_dashboard({"EOMER_API_URL": api.url, "EOMER_API_TOKEN": "look-token"})
    yield running
    stop_dashboard(running)


@pytest.fixture(scope="module", params=window_params(VIEWS))
def window(request: pytest.FixtureRequest, warm_pages: WarmPages) -> Iterator[Window]:
    """One page per view, shared by the module's tests; each test opens the URL it needs."""
    yield from open_window(request, warm_pages)


def open_watchlist(window: Window, app: Dashboard) -> Page:
    page = window.page
    page.goto(f"{app.url}/watchlist?" + "&".join(f"job={job_id}" for job_id in WATCHED))
    wait_for_app(page)
    expect(page.get_by_text("Jobs by status")).to_be_visible(timeout=60_000)
    return page


def scroll_to(element: Locator) -> None:
    """Put `element` near the top of the window, for a screenshot of it."""
    element.evaluate("e => e.scrollIntoView({block: 'start'})")


def overlaps(texts: list[Drawn]) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap by more than a pixel each way."""
    found = []
    for index, one in enumerate(texts):
        for other in texts[index + 1 :]:
            wide = min(one["x"] + one["w"], other["x"] + other["w"]) - max(one["x"], other["x"])
            tall = min(one["y"] + one["h"], other["y"] + other["h"]) - max(one["y"], other["y"])
            if wide > 1 and tall > 1:
                found.append((one["text"], other["text"]))
    return found


def measure(chart: Locator, attempts: int = 5) -> Any:
    """The chart's texts and sizes; measured again if a redraw replaced it meanwhile."""
    for attempt in range(attempts):
        try:
            chart.scroll_into_view_if_needed(timeout=10_000)
            return chart.evaluate(_TEXTS_JS)
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
    return None


def check_charts(charts: Locator) -> list[Any]:
    """Each chart: at most 600 px, no two texts on each other, bar text inside the plot.

    Returns what was measured of each chart. One evaluation per chart: a redraw cannot come
    between the boxes it compares.
    """
    measured = []
    # Counted once settled: while "show all" swaps a chart, old and new are both on the page.
    expect(charts).to_have_count(CHARTS)
    for index in range(CHARTS):
        found = measure(charts.nth(index))
        assert found["height"] <= MAX_CHART_PX, found["height"]
        texts: list[Drawn] = found["texts"]
        assert overlaps(texts) == [], overlaps(texts)
        plot = found["plot"]
        for text in texts:
            if "bartext" in text["kind"]:  # inside its bar: never spilling out or cut off
                assert plot["x"] - 1 <= text["x"], text
                assert text["x"] + text["w"] <= plot["x"] + plot["w"] + 1, text
        measured.append(found)
    return measured


def test_fifty_jobs_charts_are_bounded_log_scaled_and_their_labels_never_overlap(
    window: Window, app: Dashboard, screenshots: Path
) -> None:
    page = open_watchlist(window, app)
    charts = page.locator(WATCHLIST_CHARTS)
    expect(charts).to_have_count(CHARTS, timeout=60_000)
    elapsed = charts.first
    expect(elapsed.locator(".gtitle")).to_have_text("Elapsed time per job")
    expect(elapsed.locator(".barlayer .point")).to_have_count(20)  # the 20 longest
    expect(page.get_by_text(re.compile(r"Drawn: the 20 longest of 50 jobs"))).to_be_visible()
    assert check_charts(charts)[0]["xaxis"] == "log"  # else one job flattens every other bar
    scroll_to(elapsed)
    page.screenshot(path=screenshots / window.view.shot("watchlist-charts"))
    page.get_by_text("Show all 50 jobs in the charts").click()
    expect(elapsed.locator(".barlayer .point")).to_have_count(50)
    expect(page.get_by_text(re.compile(r"Drawn: the 20 longest"))).to_have_count(0)
    every = check_charts(charts)[0]
    assert every["xaxis"] == "log"
    # Every row drawn, labels thinned to fit rather than one row left in view.
    assert len([t for t in every["texts"] if "ytick" in t["kind"]]) >= 10
    scroll_to(elapsed)
    page.screenshot(path=screenshots / window.view.shot("watchlist-charts-all"))


def choose(page: Page, box: Locator, option: str, attempts: int = 3) -> None:
    """Pick `option` in a select box as a person would: open it, type, click the one left.

    The list of options is virtual (only those in view exist): typing narrows it to one. A
    live refresh of the panel that lands between the typing and the click closes the list, and
    a person would open it again; so does this, a few times.
    """
    for attempt in range(attempts):
        box.click()
        page.keyboard.type(option)
        try:
            page.get_by_role("option", name=option).click(timeout=10_000)
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


def test_a_job_the_api_does_not_know_says_not_found_and_is_no_longer_asked_for(
    window: Window, app: Dashboard, api: FakeApi, screenshots: Path
) -> None:
    before = api.asked(MISSING[0])
    page = open_watchlist(window, app)
    main = page.get_by_role("main")
    expect(main.get_by_text(re.compile(r"❓ Not found: 2"))).to_be_visible()
    expect(main.get_by_text("2 job ID(s) not found")).to_be_visible()
    assert api.asked(MISSING[0]) == before + 1
    # The live polls (10 s of them) are the same in every window: one window waits for them.
    if not window.view.is_phone:
        polled = api.asked(RUNNING[0])
        wait_until(lambda: api.asked(RUNNING[0]) >= polled + 2, "two more polls of a running job")
        assert api.asked(MISSING[0]) == before + 1  # final: not asked on either poll
    page.get_by_text("Job details: every cell in full").click()
    details = main.get_by_test_id("stExpander").filter(has_text="every cell in full")
    choose(page, details.get_by_test_id("stSelectbox"), MISSING[0])
    expect(details.get_by_text(re.compile(r"Status: ❓ Not found"))).to_be_visible()
    expect(details.get_by_text("None")).to_have_count(0)
    scroll_to(main.get_by_text(re.compile(r"job ID\(s\) not found")))
    page.screenshot(path=screenshots / window.view.shot("watchlist-not-found"))
    main.get_by_role("button", name="Ask again for jobs not found").click()
    wait_until(lambda: api.asked(MISSING[0]) == before + 2, "the not-found job asked once more")


def test_a_cut_off_cell_can_be_read_in_full(
    window: Window, app: Dashboard, screenshots: Path
) -> None:
    page = open_watchlist(window, app)
    main = page.get_by_role("main")
    page.get_by_text("Job details: every cell in full").click()
    details = main.get_by_test_id("stExpander").filter(has_text="every cell in full")
    ending = details.get_by_text(re.compile("ask an administrator to grant INSERT there"))
    expect(ending).to_be_visible()
    # Wrapped, not cut: the whole text fits the window's width.
    box = ending.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= window.view.width
    assert ending.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert main.evaluate(_CUT_JS) == []
    scroll_to(details)
    page.screenshot(path=screenshots / window.view.shot("watchlist-details"))
