"""Polling while a job runs: back-off after errors, Retry-After honoured, stop when terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.jobs.polling import (
    MAX_RETRY_AFTER_SECONDS,
    UNKNOWN_STATUS_LIMIT_SECONDS,
    PollPolicy,
    PollSlot,
    next_refresh_delay,
)
from eomer_client.errors import ConnectError, NotFoundError, RateLimitedError, ServerError
from eomer_client.models import Job

NOW = datetime(2026, 11, 29, 13, 0, tzinfo=UTC)
POLICY = PollPolicy(interval=2, cap=30)


def job(status: str) -> Job:
    return Job.model_validate({"job_id": "j", "status": status})


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
        ("pending", False),
        ("running", False),
        ("queued", False),
        ("completed", True),
        ("failed", True),
    ],
)
def test_polling_continues_until_a_terminal_status(status: str, expected: bool) -> None:
    slot = PollSlot()
    slot.record(job(status), NOW, POLICY)
    assert slot.settled is expected
    assert (slot.next_poll_at is None) is expected


def test_success_clears_failures_and_stamps_the_time() -> None:
    slot = PollSlot()
    slot.record(ConnectError("down"), NOW, POLICY)
    slot.record(job("running"), NOW, POLICY)
    assert (slot.failures, slot.error, slot.fetched_at) == (0, None, NOW)
    assert slot.next_poll_at == NOW + timedelta(seconds=2)


def test_failure_keeps_the_last_good_job_and_time() -> None:
    slot = PollSlot()
    slot.record(job("running"), NOW, POLICY)
    error = ServerError("boom", status_code=503)
    slot.record(error, NOW + timedelta(seconds=2), POLICY)
    assert slot.job is not None
    assert slot.fetched_at == NOW
    assert (slot.failures, slot.error) == (1, error)


def test_policy_backs_off_and_honours_the_rate_limit_retry_after() -> None:
    slot = PollSlot()
    assert slot.is_due(NOW)
    slot.record(ConnectError("down"), NOW, POLICY)
    assert slot.next_poll_at == NOW + timedelta(seconds=4)
    assert not slot.is_due(NOW + timedelta(seconds=3.9))
    slot.record(RateLimitedError("slow down", status_code=429, retry_after=50), NOW, POLICY)
    assert slot.next_poll_at == NOW + timedelta(seconds=50)
    slot.record(job("running"), NOW, POLICY)
    assert slot.next_poll_at == NOW + timedelta(seconds=2)


def test_a_status_change_is_flagged_once_there_was_an_earlier_status() -> None:
    slot = PollSlot()
    slot.record(job("running"), NOW, POLICY)
    assert not slot.status_changed
    slot.record(job("completed"), NOW, POLICY)
    assert slot.status_changed


def test_an_unknown_status_is_polled_less_and_less_often_then_no_more() -> None:
    slot, now, delays = PollSlot(), NOW, []
    while not slot.settled:
        slot.record(job("paused-by-operator"), now, POLICY)
        if slot.next_poll_at is not None:
            delays.append((slot.next_poll_at - now).total_seconds())
            now = slot.next_poll_at
    assert delays[:4] == [4, 8, 16, 30]
    assert delays == sorted(delays)
    assert slot.gave_up
    assert slot.unknown_since is not None
    assert (now - slot.unknown_since).total_seconds() >= UNKNOWN_STATUS_LIMIT_SECONDS
    assert slot.next_poll_at is None


def test_a_known_status_after_an_unknown_one_polls_at_the_usual_pace() -> None:
    slot = PollSlot()
    slot.record(job("paused-by-operator"), NOW, POLICY)
    slot.record(job("running"), NOW, POLICY)
    assert (slot.unknown_polls, slot.unknown_since) == (0, None)
    assert slot.next_poll_at == NOW + timedelta(seconds=2)


def test_a_not_found_answer_is_final_only_where_the_policy_says_so() -> None:
    gone = NotFoundError("gone", status_code=404)
    page, listed = PollSlot(), PollSlot()
    page.record(gone, NOW, POLICY)
    listed.record(gone, NOW, PollPolicy(interval=2, cap=30, stop_on_not_found=True))
    # One job's own page keeps asking, with back-off, as before.
    assert not page.settled
    assert page.next_poll_at == NOW + timedelta(seconds=4)
    assert listed.settled
    assert listed.not_found
    assert listed.next_poll_at is None
    listed.ask_again()
    assert listed.is_due(NOW)
