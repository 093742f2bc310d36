"""The fault matrix on the job page: every fault on a running job's refresh, under AppTest.

The client reads with a 1 s timeout and retries on a fake clock (deps.sessions.client_timing), so
no case waits out the production deadlines. What only a browser shows (the countdown ticking,
recovery on its own, the watch list, a refused connection) is in tests/e2e/test_fault_matrix.py.
"""

from __future__ import annotations

import pytest

import deps.sessions
from components.job.job_summary import status_heading
from dashboard.jobs.explanations import explain
from demo_api.seeded.scenarios import SCENARIO_IDS
from eomer_client.retry import RetryPolicy
from tests.conftest import DemoApi
from tests.fake_clock import FakeClock
from tests.fault_cases import STALE, fault_cases
from tests.pages.reading import make_poll_due, open_app, texts

RUNNING = SCENARIO_IDS["running_progressing"]
FAILED = SCENARIO_IDS["failed_timeout"]
READ_TIMEOUT = 1.0
CASES = fault_cases(READ_TIMEOUT)


@pytest.fixture
def quick_client(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    retry = RetryPolicy(sleep=clock.sleep, clock=clock)
    # On the module whose _new_session reads it: `deps` re-exports the session, not its timing.
    timing = deps.sessions.ClientTiming(READ_TIMEOUT, retry)
    monkeypatch.setattr(deps.sessions, "client_timing", timing)
    return clock


@pytest.mark.parametrize("name", list(CASES))
def test_a_failed_refresh_explains_itself_keeps_the_job_and_another_job_still_opens(
    on_slow_demo: DemoApi, quick_client: FakeClock, name: str
) -> None:
    case = CASES[name]
    at = open_app(RUNNING)
    assert status_heading("running") in texts(at)
    before = on_slow_demo.job_requests(RUNNING)
    on_slow_demo.add_fault(job_id=RUNNING, **case.fault)
    make_poll_due(at, RUNNING)
    at.run()
    assert not at.exception, at.exception
    page = texts(at)
    sent = on_slow_demo.job_requests(RUNNING) - before
    assert STALE in page
    assert case.next_step in page
    # The back-off runs from when the failed refresh ended, however long it took.
    assert "Retrying in 0 s" not in page
    assert case.fewest <= sent <= case.most
    assert status_heading("running") in page
    assert "Traceback" not in page
    on_slow_demo.reset()
    at.text_input[0].input(FAILED)
    next(button for button in at.button if button.label == "Show job").click().run()
    assert not at.exception, at.exception
    page = texts(at)
    assert status_heading("failed") in page
    assert explain("timeout").summary in page
