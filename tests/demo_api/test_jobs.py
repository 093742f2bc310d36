"""Job lifecycle, downloads before completion, storage links, health and start-up."""

from __future__ import annotations

import time

import httpx

from demo_api.errors import ERROR_CODES, ERROR_STATUS
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_demo_server
from demo_api.testing.clock import ManualClock
from tests.conftest import tls

AUTH = {"Authorization": "Bearer demo-token"}


def test_failed_scenarios_cover_every_error_code(api: httpx.Client) -> None:
    codes = {
        api.get(f"/jobs/{SCENARIO_IDS[f'failed_{c}']}").json()["error_code"] for c in ERROR_CODES
    }
    assert codes == set(ERROR_CODES)
    assert len(codes) == 19


def test_failed_job_has_error_and_no_result_urls(api: httpx.Client) -> None:
    body = api.get(f"/jobs/{SCENARIO_IDS['failed_timeout']}").json()
    assert body["status"] == "failed"
    assert body["error"]
    assert body["download_url"] is None
    assert body["forecast_plot_url"] is None


def test_download_of_an_unfinished_job_is_409_job_not_completed(api: httpx.Client) -> None:
    for name in ("pending_progressing", "failed_pipeline_failed"):
        response = api.get(f"/jobs/{SCENARIO_IDS[name]}/download")
        assert response.status_code == ERROR_STATUS["job_not_completed"] == 409
        assert response.json()["error_code"] == "job_not_completed"


def test_unknown_job_is_404_job_not_found(api: httpx.Client) -> None:
    response = api.get("/jobs/00000000-0000-0000-0000-000000000000")
    assert (response.status_code, response.json()["error_code"]) == (404, "job_not_found")


def test_storage_link_with_a_bad_signature_or_past_expiry_is_403(api: httpx.Client) -> None:
    artifacts = api.get(f"/jobs/{SCENARIO_IDS['completed_full']}").json()["explainability"]
    url = next(
        a["download_url"] for a in artifacts["artifacts"] if "/_storage/" in a["download_url"]
    )
    tampered = url.replace("signature=", "signature=0")
    expired = url.split("?")[0] + "?expires=1&signature=" + url.split("signature=")[1]
    for bad in (tampered, expired):
        response = httpx.get(bad, timeout=60)
        assert (response.status_code, response.json()["error_code"]) == (403, "auth_failed")


def test_health_answers_the_documented_fields(anonymous: httpx.Client) -> None:
    body = anonymous.get("/health").json()
    assert set(body) == {"version", "timestamp", "status", "commit", "checks"}
    assert body["status"] in ("ok", "degraded")


def _statuses_until_completed(
    base: str, job_id: str, clock: ManualClock, deadline_s: float
) -> list[str]:
    """Each status the job shows, reading it once per second of the server's clock."""
    seen: list[str] = []
    deadline = clock.monotonic() + deadline_s
    with httpx.Client(base_url=base, headers=AUTH, timeout=30, verify=tls()) as client:
        while not seen or seen[-1] != "completed":
            assert clock.monotonic() < deadline, f"still {seen} at the deadline"
            status = client.get(f"/jobs/{job_id}").json()["status"]
            if not seen or seen[-1] != status:
                seen.append(status)
            clock.advance(1.0)
    return seen


def test_progressing_jobs_go_pending_running_completed() -> None:
    clock = ManualClock()
    with start_demo_server(progress_seconds=6, clock=clock) as server:
        base = server.url
        pending = _statuses_until_completed(base, SCENARIO_IDS["pending_progressing"], clock, 60)
        assert pending == ["pending", "running", "completed"]
        running = _statuses_until_completed(base, SCENARIO_IDS["running_progressing"], clock, 5)
        assert running == ["completed"]
        csv = httpx.get(
            f"{base}/jobs/{SCENARIO_IDS['pending_progressing']}/download", headers=AUTH, timeout=60
        )
    assert csv.status_code == 200
    assert csv.text.startswith("item_id,timestamp,mean")


def test_server_starts_in_under_three_seconds() -> None:
    started = time.monotonic()
    with start_demo_server() as server:
        assert time.monotonic() - started < 3
        assert httpx.get(f"{server.url}/health", timeout=60).status_code == 200


def test_two_servers_do_not_share_state() -> None:
    with start_demo_server(faults=True) as first, start_demo_server(faults=True) as second:
        one, two = first.url, second.url
        httpx.post(f"{one}/_demo/faults", json={"kind": "status", "status": 500}, timeout=60)
        assert httpx.get(f"{one}/health", timeout=60).status_code == 500
        assert httpx.get(f"{two}/health", timeout=60).status_code == 200
        assert httpx.get(f"{two}/_demo/faults", timeout=60).json() == []


def test_fault_routes_do_not_exist_unless_enabled(anonymous: httpx.Client) -> None:
    assert anonymous.get("/_demo/faults").status_code == 404
    assert anonymous.get("/_demo/requests").status_code == 404
