"""Each viewer's own live jobs: running when handed out, completing while they watch."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from demo_api.clock import utc_now
from demo_api.errors import DemoApiError
from demo_api.seeded.live_jobs import KEEP_SECONDS, LiveJobId, read_live_job_id
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.settings import Settings
from demo_api.state import DemoState
from demo_api.testing.clock import ManualClock
from tests.demo_api.conftest import OTHER_TOKEN

PROGRESS = Settings().progress_seconds
LIVE = ("pending_progressing", "running_progressing")


@pytest.fixture
def clock() -> ManualClock:
    """This module's own clock: moving it far must not finish the session server's jobs."""
    return ManualClock()


@pytest.fixture
def state(clock: ManualClock) -> DemoState:
    return DemoState(Settings(warm_up=False), clock)


def live_ids(state: DemoState) -> dict[str, str]:
    return {scenario.name: job_id for job_id, scenario in state.live_jobs("demo")}


def test_a_viewer_arriving_after_the_seeded_jobs_finished_gets_live_jobs_of_their_own(
    state: DemoState, clock: ManualClock
) -> None:
    clock.advance(PROGRESS + 1)
    assert state.status("demo", SCENARIO_IDS["running_progressing"]) == "completed"
    ids = live_ids(state)
    assert sorted(ids) == sorted(LIVE)
    assert not set(ids.values()) & set(SCENARIO_IDS.values())
    running, pending = ids["running_progressing"], ids["pending_progressing"]
    assert [state.status("demo", job_id) for job_id in (pending, running)] == [
        "pending",
        "running",
    ]
    clock.advance(PROGRESS / 3 + 1)
    assert [state.status("demo", job_id) for job_id in (pending, running)] == [
        "running",
        "running",
    ]
    # A second viewer, now: their own job is running, the first one's keeps its own clock.
    later = live_ids(state)["running_progressing"]
    assert later != running
    clock.advance(PROGRESS / 3)
    assert state.status("demo", running) == "completed"
    assert state.status("demo", later) == "running"
    clock.advance(PROGRESS / 3)
    assert state.status("demo", pending) == "completed"
    assert state.status("demo", later) == "completed"


def test_a_live_job_is_created_when_handed_out_and_has_run_since(
    state: DemoState, clock: ManualClock
) -> None:
    clock.advance(3600)
    handed_out = utc_now(clock)
    running = live_ids(state)["running_progressing"]
    clock.advance(10)
    record = state.record("demo", running)
    assert record.job_id == running
    assert handed_out - timedelta(seconds=6) <= record.created_at <= handed_out
    assert record.elapsed_seconds is not None
    assert 10 <= record.elapsed_seconds <= 16


def test_only_progressing_jobs_of_the_tenant_can_be_live_and_only_for_a_while(
    state: DemoState, clock: ManualClock
) -> None:
    now = clock.time()
    seeded = SCENARIO_IDS["running_progressing"]
    refused = (
        LiveJobId(SCENARIO_IDS["completed_full"], now),
        LiveJobId(seeded, now - KEEP_SECONDS - 1),
        LiveJobId(seeded, now + 3600),
    )
    for job_id in [str(live) for live in refused] + [f"{seeded}.x"]:
        with pytest.raises(DemoApiError, match="not found"):
            state.status("demo", job_id)
    with pytest.raises(DemoApiError, match="not found"):
        state.status("other", str(LiveJobId(seeded, now)))


def test_the_demo_api_hands_out_live_jobs_uncached_and_to_their_tenant_only(
    api: httpx.Client,
) -> None:
    response = api.get("/_demo/live-jobs")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    rows = {row["scenario"]: row for row in response.json()}
    assert {name: row["status"] for name, row in rows.items()} == {
        "pending_progressing": "pending",
        "running_progressing": "running",
    }
    running = rows["running_progressing"]["job_id"]
    body = api.get(f"/jobs/{running}").json()
    assert (body["job_id"], body["status"]) == (running, "running")
    other = api.get(f"/jobs/{running}", headers={"Authorization": f"Bearer {OTHER_TOKEN}"})
    assert other.status_code == 404
    assert other.json()["error_code"] == "job_not_found"


@pytest.mark.parametrize(
    "job_id", ["abc", "abc.", ".123", "abc.12a", "abc.-5", "abc.١٢٣", "abc." + "9" * 17]
)
def test_an_id_that_is_not_a_handed_out_live_job_reads_as_none(job_id: str) -> None:
    assert read_live_job_id(job_id, 1e9) is None


def test_a_live_job_id_reads_back() -> None:
    live = LiveJobId("seeded-id", 1_700_000_000.123)
    assert str(live) == "seeded-id.1700000000123"
    assert read_live_job_id(str(live), 1_700_000_100.0) == live
