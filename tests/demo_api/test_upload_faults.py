"""Faults on POST /forecast, and /_demo/uploads: what a lost answer left behind on the server."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from demo_api.server import start_demo_server
from tests.conftest import tls

TOKENS = {"demo-token": "demo", "other-token": "other"}
AUTH = {"Authorization": "Bearer demo-token"}
CSV = b"item_id,timestamp,target\n" + b"".join(
    f"a,2024-01-{day + 1:02d},{10 + day % 4}\n".encode() for day in range(20)
)


@pytest.fixture(scope="module")
def fault_url() -> Iterator[str]:
    with start_demo_server(faults=True, tokens=TOKENS) as server:
        yield server.url


@pytest.fixture
def client(fault_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fault_url, headers=AUTH, timeout=30, verify=tls()) as http:
        http.post("/_demo/faults/reset").raise_for_status()
        yield http
        http.post("/_demo/faults/reset").raise_for_status()


def _fault(client: httpx.Client, **spec: Any) -> None:
    client.post("/_demo/faults", json={"path_prefix": "/forecast", **spec}).raise_for_status()


def _post(client: httpx.Client, name: str, **form: str) -> httpx.Response:
    return client.post("/forecast", files={"file": (name, CSV, "text/csv")}, data=form)


def _uploads(client: httpx.Client, name: str) -> list[dict[str, str]]:
    return [job for job in client.get("/_demo/uploads").json() if job["filename"] == name]


def _raw_post(url: str, name: str) -> bytes:
    """POST /forecast over a bare socket; everything the server wrote before it closed."""
    boundary = "demo-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: text/csv\r\n\r\n{CSV.decode()}\r\n--{boundary}--\r\n"
    ).encode()
    parts = urlsplit(url)
    head = (
        f"POST /forecast HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer demo-token\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    received = b""
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=30) as sock:
        sock.sendall(head + body)
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_accept_then_drop_creates_the_job_and_closes_without_a_byte(
    client: httpx.Client, fault_url: str
) -> None:
    _fault(client, kind="accept_then_drop", count=1)
    name = f"{uuid.uuid4()}.csv"
    assert _raw_post(fault_url, name) == b""
    [job] = _uploads(client, name)
    assert client.get(f"/jobs/{job['job_id']}").status_code == 200


def test_accept_then_drop_looks_like_a_disconnect_to_httpx(client: httpx.Client) -> None:
    _fault(client, kind="accept_then_drop", count=1)
    name = f"{uuid.uuid4()}.csv"
    with pytest.raises(httpx.RemoteProtocolError):
        _post(client, name)
    assert len(_uploads(client, name)) == 1
    assert _post(client, name).status_code == 202
    assert len(_uploads(client, name)) == 2


def test_a_status_fault_answers_post_forecast_in_fastapi_s_shape(client: httpx.Client) -> None:
    _fault(client, kind="status", status=429, retry_after="7", error_code="rate_limited")
    name = f"{uuid.uuid4()}.csv"
    response = _post(client, name)
    assert (response.status_code, response.headers["retry-after"]) == (429, "7")
    assert response.json() == {"detail": "Injected fault: HTTP 429.", "error_code": "rate_limited"}
    assert _uploads(client, name) == []


def test_a_latency_fault_delays_post_forecast(client: httpx.Client) -> None:
    _fault(client, kind="latency", latency_seconds=0.5)
    started = time.monotonic()
    assert _post(client, "slow.csv").status_code == 202
    assert time.monotonic() - started >= 0.5


def test_a_drop_fault_cuts_the_202_after_the_job_was_made(client: httpx.Client) -> None:
    _fault(client, kind="drop", count=1)
    name = f"{uuid.uuid4()}.csv"
    with pytest.raises(httpx.RemoteProtocolError):
        _post(client, name)
    assert len(_uploads(client, name)) == 1


def test_uploads_lists_only_the_caller_s_jobs_with_their_options(
    client: httpx.Client, fault_url: str
) -> None:
    name = f"{uuid.uuid4()}.csv"
    job_id = _post(client, name, presets="chronos_tiny").json()["job_id"]
    [listed] = _uploads(client, name)
    assert listed["job_id"] == job_id
    assert (listed["filename"], listed["presets"]) == (name, "chronos_tiny")
    assert listed["created_at"].endswith("Z")
    other = httpx.get(
        f"{fault_url}/_demo/uploads", headers={"Authorization": "Bearer other-token"}, timeout=30
    )
    assert name not in {job["filename"] for job in other.json()}
    assert httpx.get(f"{fault_url}/_demo/uploads", timeout=30).status_code == 401


def test_uploads_is_not_served_without_faults(api: httpx.Client) -> None:
    assert api.get("/_demo/uploads").status_code == 404
