"""Polling while a job runs: back-off after errors, Retry-After honoured, stop when terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.refresh import (
    MAX_RETRY_AFTER_SECONDS,
    RefreshPolicy,
    RefreshState,
    next_refresh_delay,
    record_failure,
    record_success,
    seconds_since_success,
    should_poll,
)
from eomer_client.errors import ConnectError, RateLimitedError, ServerError
from eomer_client.models import JobStatus

NOW = datetime(2026, 11, 29, 13, 0, tzinfo=UTC)


def test_without_failures_the_delay_is_the_base() -> None:
    assert next_refresh_delay(3, 0, None) == 3


@pytest.mark.parametrize(("failures", "expected"), [(1, 6), (2, 12), (3, 24), (4, 48), (5, 60)])
def test_each_failure_doubles_the_delay_up_to_the_cap(failures: int, expected: float) -> None:
    assert next_refresh_delay(3, failures, None) == expected


def test_a_very_long_outage_stays_at_the_cap() -> None:
    assert next_refresh_delay(3, 10_000, None, cap=45) == 45


def test_retry_after_longer_than_the_backoff_is_honoured() -> None:
    assert next_refresh_delay(3, 1, 120) == 120


def test_retry_after_shorter_than_the_backoff_does_not_shorten_it() -> None:
    assert next_refresh_delay(3, 3, 1) == 24


def test_an_absurd_retry_after_is_bounded() -> None:
    assert next_refresh_delay(3, 1, 86_400) == MAX_RETRY_AFTER_SECONDS


@pytest.mark.parametrize("retry_after", [0, -5, float("nan"), float("inf")])
def test_meaningless_retry_after_is_ignored(retry_after: float) -> None:
    assert next_refresh_delay(3, 1, retry_after) == 6


def test_the_delay_is_never_below_the_base_even_with_a_small_cap() -> None:
    assert next_refresh_delay(10, 2, None, cap=5) == 10
    assert next_refresh_delay(10, -1, None) == 10


@pytest.mark.parametrize("base", [0, -1, float("nan")])
def test_a_base_that_is_not_positive_is_refused(base: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        next_refresh_delay(base, 0, None)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (JobStatus.PENDING, True),
        (JobStatus.RUNNING, True),
        ("queued", True),
        ("COMPLETED", True),
        (JobStatus.COMPLETED, False),
        (JobStatus.FAILED, False),
        ("completed", False),
        ("failed", False),
    ],
)
def test_polling_continues_until_a_terminal_status(status: JobStatus | str, expected: bool) -> None:
    assert should_poll(status) is expected


def test_success_clears_failures_and_stamps_the_time() -> None:
    failed = record_failure(RefreshState(), ConnectError("down"))
    state = record_success(failed, NOW)
    assert state == RefreshState(last_success_at=NOW)
    assert not state.is_stale


def test_failure_keeps_the_last_good_time_and_marks_data_stale() -> None:
    error = ServerError("boom", status_code=503)
    state = record_failure(record_success(RefreshState(), NOW), error)
    assert state.last_success_at == NOW
    assert state.consecutive_failures == 1
    assert state.last_error is error
    assert state.is_stale


def test_a_failure_before_any_data_is_not_called_stale() -> None:
    assert not record_failure(RefreshState(), ConnectError("down")).is_stale


def test_updates_do_not_change_the_previous_state() -> None:
    before = RefreshState()
    record_failure(before, ConnectError("down"))
    assert before == RefreshState()


def test_policy_backs_off_and_honours_the_rate_limit_retry_after() -> None:
    policy = RefreshPolicy(base=2, cap=30)
    state = RefreshState()
    assert policy.next_delay(state) == 2
    state = record_failure(state, ConnectError("down"))
    assert policy.next_delay(state) == 4
    state = record_failure(state, RateLimitedError("slow down", status_code=429, retry_after=50))
    assert state.retry_after == 50
    assert policy.next_delay(state) == 50
    assert policy.next_delay(record_success(state, NOW)) == 2


def test_seconds_since_success_counts_from_the_last_good_poll() -> None:
    state = record_success(RefreshState(), NOW)
    assert seconds_since_success(state, NOW + timedelta(seconds=7)) == 7
    assert seconds_since_success(RefreshState(), NOW) is None
