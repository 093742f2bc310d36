"""Every fault, over real HTTP against a server started with faults enabled."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_demo_server
from tests.conftest import tls

JOB = SCENARIO_IDS["completed_delivery_delivered"]
OTHER_JOB = SCENARIO_IDS["completed_no_explainability"]
AUTH = {"Authorization": "Bearer demo-token"}


@pytest.fixture(scope="module")
def fault_url() -> Iterator[str]:
    with start_demo_server(faults=True) as server:
        yield server.url


@pytest.fixture
def client(fault_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fault_url, headers=AUTH, timeout=30, verify=tls()) as http:
        http.post("/_demo/faults/reset").raise_for_status()
        yield http


def _fault(client: httpx.Client, **spec: Any) -> None:
    client.post("/_demo/faults", json=spec).raise_for_status()


def test_latency_delays_the_matching_path(client: httpx.Client) -> None:
    _fault(client, kind="latency", path_prefix="/jobs/", latency_seconds=0.5)
    started = time.monotonic()
    assert client.get(f"/jobs/{JOB}").status_code == 200
    assert time.monotonic() - started >= 0.5


def test_status_fault_sends_error_body_and_retry_after(client: httpx.Client) -> None:
    _fault(client, kind="status", job_id=JOB, status=429, retry_after="7")
    response = client.get(f"/jobs/{JOB}")
    assert (response.status_code, response.headers["retry-after"]) == (429, "7")
    assert response.json()["error_code"] == "rate_limited"
    assert client.get(f"/jobs/{OTHER_JOB}").status_code == 200


def test_html_fault_sends_a_proxy_error_page(client: httpx.Client) -> None:
    _fault(client, kind="html", path_prefix="/jobs/")
    response = client.get(f"/jobs/{JOB}")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert b"<html>" in response.content


def test_empty_fault_sends_no_body(client: httpx.Client) -> None:
    _fault(client, kind="empty", job_id=JOB)
    response = client.get(f"/jobs/{JOB}")
    assert (response.status_code, response.content) == (200, b"")


def test_truncated_fault_cuts_the_real_json_in_half(client: httpx.Client) -> None:
    whole = client.get(f"/jobs/{JOB}").content
    _fault(client, kind="truncated", job_id=JOB)
    cut = client.get(f"/jobs/{JOB}").content
    assert whole.startswith(cut)
    assert 0 < len(cut) < len(whole)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut)


def test_array_fault_wraps_the_job_in_a_json_array(client: httpx.Client) -> None:
    _fault(client, kind="array", job_id=JOB)
    body = client.get(f"/jobs/{JOB}").json()
    assert isinstance(body, list)
    assert body[0]["job_id"] == JOB


def test_drip_fault_sends_the_body_slowly_but_completely(client: httpx.Client) -> None:
    _fault(client, kind="drip", job_id=JOB, drip_seconds=1.0, chunk_bytes=512)
    started = time.monotonic()
    assert client.get(f"/jobs/{JOB}").json()["job_id"] == JOB
    assert time.monotonic() - started >= 1.0


def test_drip_fault_with_slow_chunks_trips_a_short_read_timeout(client: httpx.Client) -> None:
    _fault(client, kind="drip", job_id=JOB, drip_seconds=3.0, chunk_bytes=1024)
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"/jobs/{JOB}", timeout=httpx.Timeout(5.0, read=0.2))


def test_oversized_fault_streams_more_than_asked_without_a_length(client: httpx.Client) -> None:
    _fault(client, kind="oversized", job_id=JOB, size_bytes=3_000_000)
    with client.stream("GET", f"/jobs/{JOB}") as response:
        assert "content-length" not in response.headers
        size = sum(len(chunk) for chunk in response.iter_bytes())
    assert size == 3_000_000


def test_drop_fault_closes_the_connection_mid_body(client: httpx.Client) -> None:
    _fault(client, kind="drop", job_id=JOB)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"/jobs/{JOB}")
    assert client.get(f"/jobs/{OTHER_JOB}").status_code == 200


def test_count_limits_a_fault_to_the_next_requests(client: httpx.Client) -> None:
    _fault(client, kind="status", path_prefix="/jobs/", status=503, count=2)
    codes = [client.get(f"/jobs/{JOB}").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert client.get("/_demo/faults").json() == []


def test_request_log_counts_requests_and_never_holds_the_token(
    client: httpx.Client, fault_url: str
) -> None:
    client.get(f"/jobs/{JOB}")
    httpx.get(f"{fault_url}/jobs/{JOB}", timeout=60)
    log = client.get("/_demo/requests").json()
    assert [(r["path"], r["authorization"]) for r in log] == [
        (f"/jobs/{JOB}", True),
        (f"/jobs/{JOB}", False),
    ]
    assert "demo-token" not in json.dumps(log)


def test_reset_clears_faults_and_the_request_log(client: httpx.Client) -> None:
    _fault(client, kind="status", path_prefix="/", status=500)
    assert client.get("/health").status_code == 500
    client.post("/_demo/faults/reset")
    assert client.get("/health").status_code == 200
    assert [r["path"] for r in client.get("/_demo/requests").json()] == ["/health"]


def test_demo_routes_are_never_faulted(client: httpx.Client) -> None:
    _fault(client, kind="status", status=500)
    assert client.get("/_demo/faults").status_code == 200


def test_unknown_fault_kind_is_422(client: httpx.Client) -> None:
    response = client.post("/_demo/faults", json={"kind": "explode"})
    assert (response.status_code, response.json()["error_code"]) == (422, "validation_error")
