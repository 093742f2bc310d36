"""The watch list table: one row per job, sortable typed columns, errors in their own cell, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from components.watchlist.watchlist_table import job_link, table_csv, table_frame
from dashboard.jobs.watched_jobs import Watchlist
from eomer_client.errors import (
    ConnectError,
    EomerError,
    NotFoundError,
    RequestTimeoutError,
    ResponseError,
    ServerError,
)
from eomer_client.models import Job

A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"
C = "33333333-3333-4333-8333-333333333333"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
CREATED = NOW - timedelta(minutes=10)


def watched() -> Watchlist:
    """A completed job whose refresh later failed, a job never loaded (404), a failed job."""
    watchlist = Watchlist()
    watchlist.add([A, B, C])
    done = Job(
        job_id=A,
        status="completed",
        created_at=CREATED,
        completed_at=CREATED + timedelta(seconds=90),
        elapsed_seconds=90.0,
        num_items=3,
        prediction_length=24,
        model_version="m-1",
    )
    failed = Job(job_id=C, status="failed", created_at=CREATED, error_code="timeout")
    watchlist.record({A: done, B: NotFoundError("Job not found", status_code=404), C: failed}, NOW)
    watchlist.record({A: ServerError("API error", status_code=503)}, NOW)
    return watchlist


def test_rows_show_status_words_times_in_the_viewer_zone_and_typed_numbers() -> None:
    frame = table_frame(watched(), NOW, ZoneInfo("Asia/Tokyo"))
    first = frame.iloc[0]
    assert first["Status"] == "✅ Completed"
    assert first["Created"].isoformat() == "2025-03-01T20:50:00+09:00"
    assert first["Elapsed (s)"] == 90.0
    assert first["Items"] == 3
    assert first["Open"] == f"./?job={A}"
    assert str(frame["Items"].dtype) == "Int64"
    assert frame.iloc[2]["Error code"] == "timeout"


def test_a_failed_refresh_shows_in_its_own_cell_and_keeps_the_last_good_data() -> None:
    frame = table_frame(watched(), NOW, UTC)
    kept, missing = frame.iloc[0], frame.iloc[1]
    assert "HTTP 503" in kept["Refresh problem"]
    assert "last data" in kept["Refresh problem"]
    assert kept["Model version"] == "m-1"
    assert missing["Status"] == "❓ Not found"
    assert "no job with this ID" in missing["Refresh problem"]
    assert "no longer asked" in missing["Refresh problem"]


def test_csv_has_absolute_utc_times_and_elapsed_seconds() -> None:
    rows = list(csv.DictReader(io.StringIO(table_csv(watched(), NOW).decode("utf-8"))))
    assert rows[0]["Status"] == "completed"
    assert rows[0]["Created"] == "2025-03-01T11:50:00+00:00"
    assert rows[0]["Completed"] == "2025-03-01T11:51:30+00:00"
    assert rows[0]["Elapsed seconds"] == "90.0"
    assert rows[1]["Status"] == "not found"
    assert rows[1]["Created"] == ""
    assert "Open" not in rows[0]


def test_job_links_stay_relative_to_the_app() -> None:
    assert job_link(A) == f"./?job={A}"


ADDRESSED: list[EomerError] = [
    ConnectError(f"The connection to http://10.0.0.5:8765/jobs/{A} failed (ConnectError)."),
    RequestTimeoutError(f"https://eomer.example.com/jobs/{A} did not answer in time."),
    ResponseError(f"http://127.0.0.1:9/jobs/{A} answered with an HTML page instead of a job."),
    ServerError(
        f"GET https://eomer.example.com/jobs/{A} answered HTTP 502: upstream at 10.1.2.3:8080",
        status_code=502,
        server_message="Bad gateway: upstream https://internal.example.com:8443/x failed",
        url=f"https://eomer.example.com/jobs/{A}",
    ),
    NotFoundError(f"GET http://127.0.0.1:9/jobs/{A} answered HTTP 404.", status_code=404),
]


def test_the_refresh_problem_says_what_went_wrong_without_the_api_address() -> None:
    watchlist = Watchlist()
    watchlist.add([A, B, C, "44444444-4444-4444-8444-444444444444", "55555555-5555-4555-8555-5"])
    watchlist.record(dict(zip(watchlist.ids, ADDRESSED, strict=True)), NOW)
    rows = list(csv.DictReader(io.StringIO(table_csv(watchlist, NOW).decode("utf-8"))))
    problems = [row["Refresh problem"] for row in rows]
    for problem in problems:
        for address in ("://", "http", "10.0.0.5", "10.1.2.3", "127.0.0.1", "example.com", ":8"):
            assert address not in problem, problem
    assert problems[0].endswith("The connection to the API failed.")
    assert "did not answer in time" in problems[1]
    assert "not a readable job" in problems[2]
    assert "HTTP 502" in problems[3]
    assert "Bad gateway" in problems[3]
    assert "no job with this ID" in problems[4]
    assert rows[4]["Status"] == "not found"
