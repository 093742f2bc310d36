"""The fault matrix in a real browser: what the page says, that it stays usable, what it keeps.

One demo API with faults (its progressing jobs held unfinished) and one dashboard configured for
it serve the module. The job-page case loads a running job, breaks its next refresh, and checks
the stale-data banner (the client's explanation and next step), that the last good status is
still shown, the requests sent (from the demo's request log), and that another job then loads.
Every fault of the matrix runs that way under AppTest in tests/pages/test_fault_matrix_page.py;
exact counts for every fault are in tests/eomer_client/test_fault_matrix_contract.py.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from dashboard.jobs.explanations import explain, explain_error
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from eomer_client.errors import InvalidJobIdError
from harness.browser import WarmPages, wait_for_app
from harness.dashboard import Dashboard, start_dashboard, stop_dashboard
from localserve.ports import free_port
from tests.fault_cases import ATTEMPTS, STALE, TRANSPORT, fault_cases, status_fault

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]

RUNNING = SCENARIO_IDS["running_progressing"]
PENDING = SCENARIO_IDS["pending_progressing"]
COMPLETED = SCENARIO_IDS["completed_no_explainability"]
FAILED = SCENARIO_IDS["failed_timeout"]
# Far beyond the module's run time, so the progressing jobs keep being polled throughout.
PROGRESS_SECONDS = 3600
# The dashboard's client times out a read after 10 s and gives up after 30 s in all.
DASHBOARD_READ_TIMEOUT = 10.0
EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class FaultApi:
    """The module's demo API: add and reset faults, count the requests it received."""

    url: str

    def add(self, **spec: Any) -> None:
        httpx.post(f"{self.url}/_demo/faults", json=spec).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.url}/_demo/faults/reset").raise_for_status()

    def requests_for(self, job_id: str, since: datetime = EPOCH) -> int:
        log: list[dict[str, Any]] = httpx.get(f"{self.url}/_demo/requests").json()
        return sum(
            job_id in entry["path"].split("/")
            and datetime.fromisoformat(entry["timestamp"]) >= since
            for entry in log
        )

    def fault_after_poll(self, polled: str, **spec: Any) -> datetime:
        """Add a fault just after a live poll of job `polled`, so no good poll counts with it."""
        seen = self.requests_for(polled)
        deadline = time.monotonic() + 30
        while self.requests_for(polled) == seen:
            assert time.monotonic() < deadline, "the live region stopped polling"
            time.sleep(0.05)  # polling the request log with a deadline
        since = datetime.now(UTC)
        self.add(**spec)
        return since


# The browser keeps one case of the matrix; every case runs under AppTest, with a fake clock,
# in tests/pages/test_fault_matrix_page.py.
BROWSER_CASES = ("500",)
CASES = fault_cases(DASHBOARD_READ_TIMEOUT)


@pytest.fixture(scope="module")
def api() -> FaultApi:
    return FaultApi(start_background_server(faults=True, progress_seconds=PROGRESS_SECONDS))


def _warm_up(dashboard: Dashboard, warm_pages: WarmPages) -> None:
    """Run app.py once, so st.navigation owns /watchlist before a test opens it directly."""
    with warm_pages.pages() as make:
        page = make()
        page.goto(f"{dashboard.url}/?job={FAILED}")
        wait_for_app(page)
        expect(_heading(page, "Failed")).to_be_visible(timeout=60_000)


@pytest.fixture(scope="module")
def app(api: FaultApi, warm_pages: WarmPages) -> Iterator[Dashboard]:
    """The dashboard preset to the faulty demo API and its token."""
    running = start_dashboard({"EOMER_API_URL": api.url, "EOMER_API_TOKEN": "demo-token"})
    try:
        _warm_up(running, warm_pages)
        yield running
    finally:
        stop_dashboard(running)


@pytest.fixture
def fresh(api: FaultApi) -> FaultApi:
    api.reset()
    return api


def _heading(page: Page, status: str) -> Locator:
    """The job's status heading (icon plus word)."""
    return page.get_by_role("heading", name=status)


def _stale_banner(page: Page) -> Locator:
    return page.get_by_test_id("stAlert").filter(has_text=STALE)


def _open_running_job(page: Page, app: Dashboard) -> None:
    page.goto(f"{app.url}/?job={RUNNING}")
    wait_for_app(page)
    expect(_heading(page, "Running")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Live: updated")).to_be_visible(timeout=30_000)


def _show_job(page: Page, job_id: str) -> None:
    """Use the job input as an analyst would."""
    page.get_by_label("Job ID, job URL or POST /forecast JSON").fill(job_id)
    page.get_by_role("button", name="Show job").click()


@pytest.mark.parametrize("name", BROWSER_CASES)
def test_a_failed_refresh_explains_itself_keeps_the_job_and_the_page_stays_usable(
    app: Dashboard, fresh: FaultApi, new_page: NewPage, name: str
) -> None:
    case = CASES[name]
    page = new_page()
    _open_running_job(page, app)
    since = fresh.fault_after_poll(RUNNING, job_id=RUNNING, **case.fault)
    banner = _stale_banner(page)
    expect(banner).to_be_visible(timeout=60_000)
    sent = fresh.requests_for(RUNNING, since)
    shown = banner.inner_text()
    # The back-off runs from when the failed refresh ended, however long it took.
    assert "Retrying in 0 s" not in shown, shown
    expect(banner).to_contain_text(case.next_step)
    assert case.fewest <= sent <= case.most
    expect(_heading(page, "Running")).to_be_visible()
    assert "Traceback" not in page.inner_text("body")
    fresh.reset()
    _show_job(page, FAILED)
    expect(_heading(page, "Failed")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(explain("timeout").summary)).to_be_visible()


def test_a_long_retry_after_is_honoured_by_the_live_refresh(
    app: Dashboard, fresh: FaultApi, new_page: NewPage
) -> None:
    page = new_page()
    _open_running_job(page, app)
    since = fresh.fault_after_poll(RUNNING, job_id=RUNNING, **status_fault(429, retry_after="120"))
    banner = _stale_banner(page)
    expect(banner).to_contain_text(explain("rate_limited").next_step, timeout=30_000)
    # Ten and more ticks of the live region later, still no second request.
    expect(banner).to_contain_text("Retrying in 1 min 4", timeout=30_000)
    assert fresh.requests_for(RUNNING, since) == 1


def test_the_live_job_recovers_on_its_own_when_the_fault_ends(
    app: Dashboard, fresh: FaultApi, new_page: NewPage
) -> None:
    page = new_page()
    _open_running_job(page, app)
    fresh.fault_after_poll(RUNNING, job_id=RUNNING, **status_fault(503))
    banner = _stale_banner(page)
    expect(banner).to_be_visible(timeout=30_000)
    fresh.reset()
    expect(banner).to_have_count(0, timeout=30_000)
    expect(page.get_by_text("Live: updated")).to_be_visible()
    expect(_heading(page, "Running")).to_be_visible()


def _watchlist_csv(page: Page) -> list[dict[str, str]]:
    with page.expect_download() as download:
        page.get_by_role("button", name="Download table (CSV)").click()
    text = download.value.path().read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_watch_list_keeps_every_row_when_no_job_can_be_refreshed(
    app: Dashboard, fresh: FaultApi, new_page: NewPage
) -> None:
    page = new_page()
    watched = [RUNNING, PENDING, COMPLETED, FAILED]
    page.goto(f"{app.url}/watchlist?" + "&".join(f"job={job_id}" for job_id in watched))
    wait_for_app(page)
    expect(page.get_by_text("Running: 1")).to_be_visible(timeout=60_000)
    since = fresh.fault_after_poll(RUNNING, path_prefix="/jobs/", **status_fault(503))
    failure = page.get_by_test_id("stAlert").filter(has_text="No watched job could be refreshed")
    expect(failure).to_contain_text(explain("server_overloaded").next_step, timeout=60_000)
    sent = [fresh.requests_for(job_id, since) for job_id in watched]
    assert 1 <= sent[0] <= ATTEMPTS
    assert 1 <= sent[1] <= ATTEMPTS
    assert sent[2:] == [0, 0]  # finished jobs are never fetched again
    for kept in ("Running: 1", "Pending: 1", "Completed: 1", "Failed: 1"):
        expect(page.get_by_text(kept)).to_be_visible()
    rows = _watchlist_csv(page)
    assert [row["Job ID"] for row in rows] == watched
    assert [row["Status"] for row in rows] == ["running", "pending", "completed", "failed"]
    assert "Showing the last data received" in rows[0]["Refresh problem"]
    fresh.reset()
    page.get_by_role("button", name="Retry").click()
    expect(failure).to_have_count(0, timeout=30_000)
    page.get_by_text("Add or remove jobs").click()
    page.get_by_label("Job IDs, job links or POST /forecast answers, any separators").fill(
        SCENARIO_IDS["completed_covariates"]
    )
    page.get_by_role("button", name="Add to watch list").click()
    expect(page.get_by_text("Completed: 2")).to_be_visible(timeout=30_000)


@pytest.fixture(scope="module")
def unreachable_app() -> Iterator[Dashboard]:
    """A dashboard whose API address has nothing listening: every connection is refused."""
    closed = free_port()
    running = start_dashboard(
        {"EOMER_API_URL": f"http://127.0.0.1:{closed}", "EOMER_API_TOKEN": "demo-token"}
    )
    yield running
    stop_dashboard(running)


def test_connection_refused_says_so_and_the_job_input_still_works(
    unreachable_app: Dashboard, new_page: NewPage
) -> None:
    page = new_page()
    page.goto(f"{unreachable_app.url}/?job={RUNNING}")
    wait_for_app(page)
    box = page.get_by_test_id("stAlert").filter(has_text="could not be reached")
    expect(box).to_contain_text(TRANSPORT, timeout=60_000)
    expect(box).to_contain_text("ConnectError")
    _show_job(page, "not a job id")
    invalid = page.get_by_test_id("stAlert").filter(
        has_text=explain_error(InvalidJobIdError("x")).next_step
    )
    expect(invalid).to_be_visible(timeout=30_000)
    _show_job(page, FAILED)
    expect(page.get_by_test_id("stAlert").filter(has_text=FAILED)).to_be_visible(timeout=60_000)
    assert "Traceback" not in page.inner_text("body")
