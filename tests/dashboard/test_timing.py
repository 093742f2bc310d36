"""Times as the viewer reads them: their zone with its offset, relative times, durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from dashboard.jobs.timing import (
    elapsed_seconds,
    format_absolute,
    format_duration,
    format_relative,
    viewer_timezone,
)
from eomer_client.models import Job

NOW = datetime(2026, 11, 29, 13, 10, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 29, 13, 3, 12, tzinfo=UTC)


def test_absolute_time_shows_zone_name_and_offset() -> None:
    assert format_absolute(CREATED, ZoneInfo("Europe/Berlin")) == (
        "2026-11-29 14:03:12 CET (UTC+01:00)"
    )


def test_absolute_time_follows_daylight_saving() -> None:
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert format_absolute(summer, ZoneInfo("Europe/Berlin")) == (
        "2026-07-01 14:00:00 CEST (UTC+02:00)"
    )


def test_naive_datetimes_are_read_as_utc() -> None:
    naive = CREATED.replace(tzinfo=None)
    assert format_absolute(naive, ZoneInfo("Europe/Berlin")) == format_absolute(
        CREATED, ZoneInfo("Europe/Berlin")
    )


def test_half_hour_and_negative_offsets_are_written_in_full() -> None:
    assert format_absolute(CREATED, ZoneInfo("Asia/Kolkata")).endswith("IST (UTC+05:30)")
    assert format_absolute(CREATED, ZoneInfo("America/New_York")).endswith("EST (UTC-05:00)")


def test_numeric_zone_names_are_not_repeated_before_the_offset() -> None:
    assert format_absolute(CREATED, ZoneInfo("America/Sao_Paulo")) == (
        "2026-11-29 10:03:12 (UTC-03:00)"
    )


def test_utc_viewer_sees_utc() -> None:
    assert format_absolute(CREATED, UTC) == "2026-11-29 13:03:12 UTC (UTC+00:00)"


def test_fixed_offset_without_a_name_shows_the_offset_once() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert format_absolute(CREATED, plus_two) == "2026-11-29 15:03:12 (UTC+02:00)"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (NOW, "just now"),
        (NOW - timedelta(seconds=3), "just now"),
        (NOW + timedelta(seconds=4), "just now"),
        (NOW - timedelta(seconds=42), "42 s ago"),
        (NOW - timedelta(minutes=3, seconds=20), "3 min ago"),
        (NOW + timedelta(minutes=2), "in 2 min"),
        (NOW - timedelta(hours=5, minutes=59), "5 h ago"),
        (NOW - timedelta(days=3, hours=1), "3 d ago"),
        (NOW.replace(tzinfo=None) - timedelta(minutes=1), "1 min ago"),
    ],
)
def test_relative_time_reads_like_speech(moment: datetime, expected: str) -> None:
    assert format_relative(moment, NOW) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0 s"),
        (0.4, "0 s"),
        (42, "42 s"),
        (59.6, "1 min 00 s"),
        (185, "3 min 05 s"),
        (7440, "2 h 04 min"),
        (3 * 86400 + 4 * 3600 + 59, "3 d 4 h"),
        (-5, "0 s"),
        (float("nan"), "unknown"),
        (float("inf"), "unknown"),
    ],
)
def test_durations_use_two_units_at_most(seconds: float, expected: str) -> None:
    assert format_duration(seconds) == expected


def job(status: str, **fields: object) -> Job:
    return Job.model_validate({"job_id": "j", "status": status, **fields})


def test_terminal_job_elapsed_comes_from_the_api() -> None:
    done = job("completed", created_at=CREATED, elapsed_seconds=12.5)
    assert elapsed_seconds(done, NOW) == 12.5


def test_terminal_job_without_elapsed_uses_its_timestamps() -> None:
    failed = job("failed", created_at=CREATED, completed_at=CREATED + timedelta(seconds=30))
    assert elapsed_seconds(failed, NOW) == 30.0


@pytest.mark.parametrize("status", ["pending", "running", "queued_somewhere_new"])
def test_unfinished_job_elapsed_ticks_from_created_at(status: str) -> None:
    assert elapsed_seconds(job(status, created_at=CREATED), NOW) == 408.0


def test_elapsed_is_unknown_without_timestamps() -> None:
    assert elapsed_seconds(job("running"), NOW) is None
    assert elapsed_seconds(job("completed"), NOW) is None


def test_elapsed_never_goes_negative_when_clocks_disagree() -> None:
    assert elapsed_seconds(job("running", created_at=NOW + timedelta(seconds=9)), NOW) == 0.0


def test_viewer_timezone_reads_iana_names() -> None:
    assert viewer_timezone("Europe/Berlin") == ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    "name", [None, "", "Not/AZone", "../../etc/passwd", "Europe", "a\x00b", "/abs"]
)
def test_viewer_timezone_falls_back_to_utc(name: str | None) -> None:
    assert viewer_timezone(name) is UTC
