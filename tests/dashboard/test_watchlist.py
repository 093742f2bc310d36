"""The watch list model: editing, URL values, and which jobs each refresh polls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.jobs.job_input import read_job_ids
from dashboard.jobs.watched_jobs import (
    MAX_WATCHED,
    POLL_SECONDS,
    WatchedJobs,
    Watchlist,
    WatchPolls,
    problem_words,
    query_values,
    without_addresses,
)
from eomer_client.errors import NotFoundError, RateLimitedError, ServerError
from eomer_client.models import Job

A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"
C = "33333333-3333-4333-8333-333333333333"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def job(job_id: str, status: str) -> Job:
    return Job(job_id=job_id, status=status, created_at=NOW)


def test_bulk_add_reports_junk_repeats_and_jobs_already_watched() -> None:
    watchlist = Watchlist()
    watchlist.add([A])
    result = watchlist.add_text(f"{A}, {B};{B}\noops!! | https://example.com/nope {C}")
    assert result.added == [B, C]
    assert result.already == [A]
    assert result.repeats == 1
    assert [r.entry for r in result.rejected] == ["oops!!", "https://example.com/nope"]
    assert watchlist.ids == [A, B, C]


def test_the_list_refuses_jobs_past_its_limit_and_says_why() -> None:
    watchlist = Watchlist()
    watchlist.add(f"{i:08x}-0000-4000-8000-000000000000" for i in range(MAX_WATCHED))
    result = watchlist.add_text(A)
    assert result.added == []
    assert "at most" in result.rejected[0].reason


def test_remove_and_clear_forget_jobs() -> None:
    watchlist = Watchlist()
    watchlist.add([A, B, C])
    watchlist.remove(B)
    assert watchlist.ids == [A, C]
    watchlist.clear()
    assert watchlist.ids == []


def test_url_values_round_trip_the_list() -> None:
    watchlist = Watchlist()
    watchlist.add([C, A])
    restored = read_job_ids(query_values(watchlist))
    assert restored.ids == [C, A]
    assert restored.rejected == []


def test_the_watched_ids_have_one_owner_and_each_connection_its_own_polls() -> None:
    watched = WatchedJobs()
    first = Watchlist(watched, WatchPolls())
    first.add([A])
    first.record({A: job(A, "completed")}, NOW)
    watched.add([B, A, B])  # the job page's Watch button
    assert first.ids == [A, B] == watched.ids
    assert first.slots[A].settled
    other = Watchlist(watched, WatchPolls())  # another API or token: the same IDs, no data
    other.remove(A)
    assert first.ids == [B]
    assert not other.slots[B].settled


def test_terminal_jobs_are_never_polled_again() -> None:
    watchlist = Watchlist()
    watchlist.add([A, B, C])
    assert watchlist.due(NOW) == [A, B, C]
    watchlist.record({A: job(A, "completed"), B: job(B, "failed"), C: job(C, "running")}, NOW)
    later = NOW + timedelta(seconds=POLL_SECONDS)
    assert watchlist.due(later) == [C]
    watchlist.record({C: job(C, "completed")}, later)
    assert watchlist.due(later + timedelta(hours=1)) == []
    assert not watchlist.is_live


def test_a_failed_fetch_keeps_the_last_good_data_and_backs_off() -> None:
    watchlist = Watchlist()
    watchlist.add([A])
    watchlist.record({A: job(A, "running")}, NOW)
    error = ServerError("boom", status_code=503)
    watchlist.record({A: error}, NOW)
    slot = watchlist.slots[A]
    assert slot.job is not None
    assert slot.job.status == "running"
    assert slot.error is error
    assert slot.failures == 1
    assert watchlist.due(NOW + timedelta(seconds=POLL_SECONDS - 0.1)) == []
    assert slot.next_poll_at is not None
    first_delay = slot.next_poll_at - NOW
    watchlist.record({A: error}, NOW)
    assert slot.next_poll_at - NOW >= first_delay


def test_a_rate_limited_job_waits_at_least_retry_after() -> None:
    watchlist = Watchlist()
    watchlist.add([A])
    watchlist.record({A: RateLimitedError("slow down", status_code=429, retry_after=40)}, NOW)
    assert watchlist.due(NOW + timedelta(seconds=39)) == []
    assert watchlist.due(NOW + timedelta(seconds=40)) == [A]


def test_success_clears_the_error_and_retry_now_makes_failed_jobs_due() -> None:
    watchlist = Watchlist()
    watchlist.add([A, B])
    watchlist.record({A: ServerError("down", status_code=503), B: job(B, "completed")}, NOW)
    assert watchlist.due(NOW) == []
    watchlist.retry_now()
    assert watchlist.due(NOW) == [A]
    watchlist.record({A: job(A, "pending")}, NOW)
    assert watchlist.slots[A].error is None
    assert watchlist.refreshed_at == NOW


def test_answers_for_jobs_removed_mid_refresh_are_ignored() -> None:
    watchlist = Watchlist()
    watchlist.add([A])
    watchlist.record({B: job(B, "running")}, NOW)
    assert watchlist.ids == [A]


def test_statuses_change_when_a_job_loads_or_changes_status_and_not_otherwise() -> None:
    watchlist = Watchlist()
    watchlist.add([A, B])
    assert watchlist.statuses() == ()
    watchlist.record({A: job(A, "running"), B: NotFoundError("gone", status_code=404)}, NOW)
    before = watchlist.statuses()
    assert before == ((A, "running"),)
    watchlist.record({A: job(A, "running")}, NOW + timedelta(seconds=POLL_SECONDS))
    assert watchlist.statuses() == before
    watchlist.record({A: job(A, "completed")}, NOW + timedelta(seconds=2 * POLL_SECONDS))
    assert watchlist.statuses() == ((A, "completed"),)


def test_a_job_the_api_does_not_know_is_final_until_the_viewer_asks_again() -> None:
    watchlist = Watchlist()
    watchlist.add([A, B])
    watchlist.record({A: NotFoundError("gone", status_code=404), B: job(B, "running")}, NOW)
    later = NOW + timedelta(hours=1)
    assert watchlist.due(later) == [B]
    assert watchlist.not_found_ids == [A]
    watchlist.retry_now()  # Retry after a shared failure is not for jobs that do not exist
    assert watchlist.due(NOW) == [B]
    watchlist.ask_again()
    assert watchlist.due(NOW) == [A, B]
    assert watchlist.not_found_ids == []
    watchlist.record({A: job(A, "completed")}, NOW)
    assert watchlist.not_found_ids == []
    assert [j.job_id for j in watchlist.jobs()] == [A, B]


def test_a_list_of_only_unknown_and_finished_jobs_stops_polling() -> None:
    watchlist = Watchlist()
    watchlist.add([A, B])
    watchlist.record({A: NotFoundError("gone", status_code=404), B: job(B, "failed")}, NOW)
    assert not watchlist.is_live


def test_a_job_that_vanishes_leaves_the_charts_and_counts_as_not_found() -> None:
    watchlist = Watchlist()
    watchlist.add([A])
    watchlist.record({A: job(A, "running")}, NOW)
    watchlist.record({A: NotFoundError("gone", status_code=404)}, NOW)
    assert watchlist.jobs() == []
    assert watchlist.not_found_ids == [A]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET http://127.0.0.1:8765/jobs/x answered", "GET the API answered"),
        ("upstream 10.0.0.3:8080 failed", "upstream the API failed"),
        ("see https://eomer.example.com/docs.", "see the API"),
        ("host eomer.internal:8443 refused", "host the API refused"),
        ("no address here: 3 of 40 items", "no address here: 3 of 40 items"),
    ],
)
def test_addresses_are_taken_out_of_problem_text(text: str, expected: str) -> None:
    assert without_addresses(text) == expected


def test_problem_words_name_the_http_answer_and_the_servers_words() -> None:
    err = ServerError(
        "GET http://x:1/jobs/a answered HTTP 503 [overloaded]: busy.",
        status_code=503,
        error_code="overloaded",
        server_message="busy.",
    )
    assert problem_words(err) == "The API answered HTTP 503 [overloaded]: busy."
