"""Retries: bounded, jittered backoff for 5xx and network failures; 429 honours Retry-After."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from eomer_client.errors import (
    ApiError,
    ConnectError,
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
)
from eomer_client.retry import parse_retry_after
from tests.eomer_client.conftest import JOB_ID, Harness, job_json

Handler = Callable[[httpx.Request], httpx.Response]


def sequence(*responses: httpx.Response | Exception) -> Handler:
    """Answer with each response in turn, repeating the last one; exceptions are raised."""
    queue: Iterator[httpx.Response | Exception] = iter(responses)
    last: list[httpx.Response | Exception] = [responses[-1]]

    def handler(request: httpx.Request) -> httpx.Response:
        item = next(queue, last[0])
        if isinstance(item, Exception):
            raise item
        return item

    return handler


def ok() -> httpx.Response:
    return httpx.Response(200, json=job_json())


def test_a_503_then_200_succeeds_on_the_second_request(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.Response(503), ok()))
    assert client.get_job(JOB_ID).job_id == JOB_ID
    assert len(recorder.requests) == 2
    assert len(harness.clock.sleeps) == 1


def test_repeated_500s_give_a_server_error_after_the_bounded_attempts(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.Response(500)), attempts=4)
    with pytest.raises(ServerError, match="HTTP 500"):
        client.get_job(JOB_ID)
    assert len(recorder.requests) == 4
    assert len(harness.clock.sleeps) == 3


def test_backoff_waits_are_jittered_and_capped(harness: Harness) -> None:
    client, _ = harness.client(sequence(httpx.Response(502)), attempts=12)
    with pytest.raises(ServerError):
        client.get_job(JOB_ID)
    assert len(harness.clock.sleeps) == 11
    assert all(0 <= wait <= 5.0 for wait in harness.clock.sleeps)
    assert len(set(harness.clock.sleeps)) > 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_never_retried(harness: Harness, status: int) -> None:
    client, recorder = harness.client(sequence(httpx.Response(status)))
    with pytest.raises(ApiError):
        client.get_job(JOB_ID)
    assert len(recorder.requests) == 1
    assert harness.clock.sleeps == []


def test_a_429_with_a_short_retry_after_waits_that_long_then_retries(harness: Harness) -> None:
    limited = httpx.Response(429, headers={"retry-after": "1"})
    client, recorder = harness.client(sequence(limited, ok()))
    assert client.get_job(JOB_ID).job_id == JOB_ID
    assert harness.clock.sleeps == [1.0]
    assert len(recorder.requests) == 2


def test_a_429_with_a_long_retry_after_raises_at_once_with_the_wait(harness: Harness) -> None:
    limited = httpx.Response(429, headers={"retry-after": "3600"}, json={"detail": "Slow down"})
    client, recorder = harness.client(sequence(limited, ok()))
    with pytest.raises(RateLimitedError, match="Retry after 3600 s") as caught:
        client.get_job(JOB_ID)
    assert caught.value.retry_after == 3600
    assert len(recorder.requests) == 1
    assert harness.clock.sleeps == []


def test_a_429_with_an_http_date_an_hour_ahead_raises_at_once(harness: Harness) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    client, recorder = harness.client(sequence(httpx.Response(429, headers={"retry-after": when})))
    with pytest.raises(RateLimitedError) as caught:
        client.get_job(JOB_ID)
    assert caught.value.retry_after == pytest.approx(3600, abs=5)
    assert len(recorder.requests) == 1


def test_a_429_without_retry_after_backs_off_and_retries(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.Response(429), ok()))
    assert client.get_job(JOB_ID)
    assert len(recorder.requests) == 2


def test_connection_errors_are_retried_then_reported(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.ConnectError("refused")), attempts=3)
    with pytest.raises(ConnectError, match=r"connection to https://eomer\.test/jobs/.* failed"):
        client.get_job(JOB_ID)
    assert len(recorder.requests) == 3


def test_a_dropped_connection_then_success_recovers(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.RemoteProtocolError("eof"), ok()))
    assert client.get_job(JOB_ID)
    assert len(recorder.requests) == 2


def test_read_timeouts_are_retried_then_reported_as_timeouts(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.ReadTimeout("slow")), attempts=2)
    with pytest.raises(RequestTimeoutError, match="did not answer in time"):
        client.get_job(JOB_ID)
    assert len(recorder.requests) == 2


def test_retries_stop_at_the_total_deadline(harness: Harness) -> None:
    def slow_failure(request: httpx.Request) -> httpx.Response:
        harness.clock.now += 12.0
        return httpx.Response(503)

    client, recorder = harness.client(slow_failure, attempts=10)
    with pytest.raises(ServerError):
        client.get_job(JOB_ID)
    # Default deadline 30 s: requests at t=0 and ~12; a third would start past ~24 plus a wait.
    assert 2 <= len(recorder.requests) <= 3
    assert harness.clock.now - 1000.0 <= 30.0 + 12.0


def test_fetch_is_retried_like_get_job(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.Response(503), httpx.Response(200)))
    client.fetch("/jobs/1/plot", max_bytes=10)
    assert len(recorder.requests) == 2


def test_a_404_from_fetch_is_not_retried(harness: Harness) -> None:
    client, recorder = harness.client(sequence(httpx.Response(404)))
    with pytest.raises(NotFoundError):
        client.fetch("https://bucket.example.com/expired.png", max_bytes=10)
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("soon", None),
        ("-1", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_parses_seconds_and_http_dates(
    header: str | None, seconds: float | None
) -> None:
    assert parse_retry_after(header) == seconds


def test_retry_after_dates_count_from_now() -> None:
    now = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Tue, 01 Jan 2030 12:01:30 GMT", now) == 90.0
