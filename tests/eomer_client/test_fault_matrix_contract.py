"""The fault matrix at the client level: the real client against the demo API's faults.

Each fault gets the error class the pages show, the explanation and next step, and the exact
number of requests the retry policy allows. Waits between retries go to a recording fake sleep,
so the counts are exact and the tests fast; timeouts are real, made short.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from dashboard.jobs.explanations import Explanation, explain, explain_error
from demo_api.seeded.scenarios import SCENARIO_IDS
from eomer_client.client import EomerClient
from eomer_client.errors import (
    ApiError,
    AuthError,
    ConnectError,
    ContentTooLargeError,
    EomerError,
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseError,
    ServerError,
    ValidationError,
)
from eomer_client.models import Job
from eomer_client.retry import RetryPolicy
from tests.conftest import DemoApi, loopback

TOKEN = "demo-token"
JOB = SCENARIO_IDS["completed_no_explainability"]
OTHER_JOB = SCENARIO_IDS["failed_timeout"]
THIRD_JOB = SCENARIO_IDS["completed_covariates"]
ATTEMPTS = RetryPolicy().attempts
# Short enough to keep the matrix fast, long enough for a loopback answer on a busy machine.
TIMEOUT_SECONDS = 1.0
TRANSPORT = explain_error(ConnectError("x"))
UNREADABLE = explain_error(ResponseError("x"))
TOO_LARGE = explain_error(ContentTooLargeError("x"))


@dataclass
class Sleeps:
    """The retry waits the policy asked for; nothing really waits."""

    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass(frozen=True)
class Case:
    """One row of the matrix: the fault, what the client raises, and how many requests it sent."""

    fault: dict[str, Any]
    error: type[EomerError] | None
    requests: int
    explanation: Explanation | None = None
    deadline: float = 30.0


def _status(status: int, **extra: Any) -> dict[str, Any]:
    return {"kind": "status", "status": status, **extra}


CASES: dict[str, Case] = {
    "401": Case(_status(401), AuthError, 1, explain("auth_failed", 401)),
    "403": Case(_status(403), AuthError, 1, explain("auth_failed", 403)),
    "404": Case(_status(404), NotFoundError, 1, explain("job_not_found", 404)),
    "409": Case(_status(409), ApiError, 1, explain("job_not_completed", 409)),
    "422": Case(_status(422), ValidationError, 1, explain("validation_error", 422)),
    "429 short Retry-After": Case(
        _status(429, retry_after="1"), RateLimitedError, ATTEMPTS, explain("rate_limited")
    ),
    "429 short Retry-After once": Case(_status(429, retry_after="1", count=1), None, 2),
    "429 without Retry-After": Case(_status(429), RateLimitedError, ATTEMPTS),
    "429 long Retry-After": Case(
        _status(429, retry_after="120"), RateLimitedError, 1, explain("rate_limited")
    ),
    "429 long Retry-After as a date": Case(
        _status(429, retry_after="Fri, 01 Jan 2100 00:00:00 GMT"), RateLimitedError, 1
    ),
    "500": Case(_status(500), ServerError, ATTEMPTS, explain("internal_error", 500)),
    "500 twice then fine": Case(_status(500, count=2), None, 3),
    "502 HTML page": Case({"kind": "html"}, ServerError, ATTEMPTS, explain(None, 502)),
    "200 HTML page": Case({"kind": "html", "status": 200}, ResponseError, 1, UNREADABLE),
    "503": Case(_status(503), ServerError, ATTEMPTS, explain("server_overloaded", 503)),
    "504": Case(_status(504), ServerError, ATTEMPTS, explain("timeout", 504)),
    "read timeout": Case(
        {"kind": "latency", "latency_seconds": 3 * TIMEOUT_SECONDS},
        RequestTimeoutError,
        ATTEMPTS,
        TRANSPORT,
    ),
    "latency within the timeout": Case({"kind": "latency", "latency_seconds": 0.2}, None, 1),
    "dropped connection": Case({"kind": "drop"}, ConnectError, ATTEMPTS, TRANSPORT),
    "truncated body": Case({"kind": "truncated"}, ResponseError, 1, UNREADABLE),
    "empty body": Case({"kind": "empty"}, ResponseError, 1, UNREADABLE),
    "array body": Case({"kind": "array"}, ResponseError, 1, UNREADABLE),
    "slow drip within the limits": Case({"kind": "drip", "drip_seconds": 0.5}, None, 1),
    "drip stalling past the read timeout": Case(
        {"kind": "drip", "drip_seconds": 2 * TIMEOUT_SECONDS, "chunk_bytes": 1 << 20},
        RequestTimeoutError,
        ATTEMPTS,
        TRANSPORT,
    ),
    "drip outlasting the total deadline": Case(
        {"kind": "drip", "drip_seconds": 4.0, "chunk_bytes": 64},
        RequestTimeoutError,
        1,
        TRANSPORT,
        deadline=1.5,
    ),
    "oversized body without a length": Case(
        {"kind": "oversized", "size_bytes": 40 << 20}, ContentTooLargeError, 1, TOO_LARGE
    ),
    "oversized body with its length": Case(
        {"kind": "oversized", "size_bytes": 40 << 20, "declare_length": True},
        ContentTooLargeError,
        1,
        TOO_LARGE,
    ),
    "big body that is another job": Case(
        {"kind": "oversized", "size_bytes": 1 << 20}, ResponseError, 1, UNREADABLE
    ),
}


class CountingTransport(httpx.HTTPTransport):
    """A real transport that counts the requests it was asked to send (for closed ports)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return super().handle_request(request)


@pytest.fixture
def api(demo_api: DemoApi) -> Iterator[DemoApi]:
    """The session's demo API with no faults and an empty request log, left without faults."""
    demo_api.reset()
    yield demo_api
    demo_api.reset()  # a fault left behind would answer the next test file's requests


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(follow_redirects=False) as client:
        yield client


def _client(url: str, http: httpx.Client, sleeps: Sleeps, deadline: float = 30.0) -> EomerClient:
    policy = RetryPolicy(deadline=deadline, sleep=sleeps)
    return EomerClient(url, TOKEN, http=http, timeout=TIMEOUT_SECONDS, retry=policy)


def _add_fault(api: DemoApi, **spec: Any) -> None:
    loopback().post(f"{api.url}/_demo/faults", json=spec, timeout=60).raise_for_status()


def _requests_for(api: DemoApi, job_id: str) -> int:
    return sum(job_id in entry["path"].split("/") for entry in api.requests())


@pytest.fixture(scope="module", autouse=True)
def _warm(demo_api: DemoApi) -> None:
    """The first read waits for the seeded forecasts; no timed case should pay for that."""
    with EomerClient(demo_api.url, TOKEN, timeout=120) as client:
        client.get_jobs([JOB, OTHER_JOB, THIRD_JOB])


@pytest.mark.parametrize("name", list(CASES))
def test_each_fault_gives_its_error_and_sends_only_the_requests_the_policy_allows(
    api: DemoApi, http: httpx.Client, name: str
) -> None:
    case = CASES[name]
    _add_fault(api, job_id=JOB, **case.fault)
    client = _client(api.url, http, Sleeps(), case.deadline)
    if case.error is None:
        assert client.get_job(JOB).job_id == JOB
    else:
        with pytest.raises(case.error) as caught:
            client.get_job(JOB)
        assert type(caught.value) is case.error
        _assert_explained(caught.value, case.explanation)
    assert _requests_for(api, JOB) == case.requests


def _assert_explained(err: EomerError, expected: Explanation | None) -> None:
    explanation = explain_error(err)
    assert err.message
    assert explanation.summary
    assert explanation.next_step
    assert TOKEN not in err.message
    if expected is not None:
        assert explanation == expected


def test_connection_refused_is_a_connect_error_after_every_attempt(
    http: httpx.Client,
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    transport = CountingTransport()
    with httpx.Client(transport=transport) as counting:
        client = _client(f"http://127.0.0.1:{port}", counting, Sleeps())
        with pytest.raises(ConnectError) as caught:
            client.get_job(JOB)
    assert transport.sent == ATTEMPTS
    assert explain_error(caught.value) == TRANSPORT
    assert f"127.0.0.1:{port}" in caught.value.message


def test_short_retry_after_is_waited_and_long_one_is_not(api: DemoApi, http: httpx.Client) -> None:
    short, long = Sleeps(), Sleeps()
    _add_fault(api, job_id=JOB, **_status(429, retry_after="2"))
    with pytest.raises(RateLimitedError):
        _client(api.url, http, short).get_job(JOB)
    api.reset()
    _add_fault(api, job_id=JOB, **_status(429, retry_after="600"))
    with pytest.raises(RateLimitedError) as caught:
        _client(api.url, http, long).get_job(JOB)
    assert short.waits == [2.0] * (ATTEMPTS - 1)
    assert long.waits == []
    assert caught.value.retry_after == 600.0


def test_server_errors_back_off_within_the_policy_bounds(api: DemoApi, http: httpx.Client) -> None:
    sleeps = Sleeps()
    policy = RetryPolicy()
    _add_fault(api, job_id=JOB, **_status(503))
    with pytest.raises(ServerError):
        _client(api.url, http, sleeps).get_job(JOB)
    assert len(sleeps.waits) == policy.attempts - 1
    assert all(0 <= wait <= policy.max_wait for wait in sleeps.waits)


def test_html_error_page_becomes_a_short_plain_message(api: DemoApi, http: httpx.Client) -> None:
    _add_fault(api, job_id=JOB, kind="html")
    with pytest.raises(ServerError) as caught:
        _client(api.url, http, Sleeps()).get_job(JOB)
    assert caught.value.server_message == "502 Bad Gateway 502 Bad Gateway nginx"
    assert "<" not in caught.value.message


def test_the_same_client_reads_other_jobs_during_a_fault_and_the_job_after_it(
    api: DemoApi, http: httpx.Client
) -> None:
    client = _client(api.url, http, Sleeps())
    _add_fault(api, job_id=JOB, kind="truncated")
    with pytest.raises(ResponseError):
        client.get_job(JOB)
    assert client.get_job(OTHER_JOB).job_id == OTHER_JOB
    api.reset()
    assert client.get_job(JOB).job_id == JOB


def test_a_fault_on_one_watched_job_leaves_the_others_loaded(
    api: DemoApi, http: httpx.Client
) -> None:
    _add_fault(api, job_id=OTHER_JOB, **_status(503))
    results = _client(api.url, http, Sleeps()).get_jobs([JOB, OTHER_JOB, THIRD_JOB])
    assert isinstance(results[JOB], Job)
    assert isinstance(results[THIRD_JOB], Job)
    assert isinstance(results[OTHER_JOB], ServerError)
    counts = [_requests_for(api, job_id) for job_id in (JOB, OTHER_JOB, THIRD_JOB)]
    assert counts == [1, ATTEMPTS, 1]


def test_a_fault_on_every_path_fails_each_watched_job_alone(
    api: DemoApi, http: httpx.Client
) -> None:
    _add_fault(api, path_prefix="/jobs/", **_status(401))
    results = _client(api.url, http, Sleeps()).get_jobs([JOB, OTHER_JOB, THIRD_JOB])
    assert all(isinstance(result, AuthError) for result in results.values())
    assert len(api.requests()) == 3
