"""Daily trends on known data: counts, median and 95th percentile elapsed, failure rate."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from store import DailyTrend, JobFacts, Store, daily_trends, record_jobs

API = "https://api.example"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DAY1 = datetime(2026, 3, 8, 10, 0, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)


def job(
    n: int, status: str, at: datetime, elapsed: float | None = None, preset: str | None = None
) -> JobFacts:
    return JobFacts(f"job-{n}", status, created_at=at, elapsed_seconds=elapsed, preset=preset)


@pytest.fixture
def known(store: Store) -> str:
    """Day 1: four completed (10-40 s), one failed, one running; day 2: one completed, one
    failed without elapsed; today: one failed; 60 days ago: one completed (out of the window)."""
    jobs = [
        job(1, "completed", DAY1, 10.0, "tiny"),
        job(2, "completed", DAY1, 20.0, "tiny"),
        job(3, "completed", DAY1, 30.0, "small"),
        job(4, "completed", DAY1, 40.0, "small"),
        job(5, "failed", DAY1, 5.0, "small"),
        job(6, "running", DAY1, 1.0),
        job(7, "completed", DAY2, 100.0, "tiny"),
        job(8, "failed", DAY2),
        job(9, "failed", NOW - timedelta(hours=1)),
        job(10, "completed", NOW - timedelta(days=60), 999.0),
    ]
    key = store.tenant_key(API, "token-a")
    record_jobs(store, key, API, jobs, now=NOW)
    record_jobs(store, store.tenant_key(API, "token-b"), API, [job(11, "failed", DAY1)], now=NOW)
    return key


def test_daily_figures_on_known_data(store: Store, known: str) -> None:
    assert daily_trends(store, known, API, now=NOW) == [
        # p95 of 10, 20, 30, 40 interpolates between 30 and 40: 30 + 0.85 * 10.
        DailyTrend(date(2026, 3, 8), None, 6, 4, 1, 25.0, 38.5, 1 / 5),
        DailyTrend(date(2026, 3, 9), None, 2, 1, 1, 100.0, 100.0, 1 / 2),
        DailyTrend(date(2026, 3, 10), None, 1, 0, 1, None, None, 1.0),
    ]


def test_daily_figures_by_preset_keep_unknown_presets_apart(store: Store, known: str) -> None:
    day1 = daily_trends(store, known, API, by_preset=True, now=NOW)
    assert day1[:3] == [
        DailyTrend(date(2026, 3, 8), None, 1, 0, 0, None, None, None),
        DailyTrend(date(2026, 3, 8), "small", 3, 2, 1, 35.0, 39.5, 1 / 3),
        DailyTrend(date(2026, 3, 8), "tiny", 2, 2, 0, 15.0, 19.5, 0.0),
    ]


def test_the_window_counts_back_whole_days_from_today(store: Store, known: str) -> None:
    assert [trend.day for trend in daily_trends(store, known, API, days=2, now=NOW)] == [
        date(2026, 3, 9),
        date(2026, 3, 10),
    ]
    old = daily_trends(store, known, API, days=61, now=NOW)[0]
    assert (old.day, old.median_elapsed) == (date(2026, 1, 9), 999.0)


def test_days_follow_the_zone_asked_for(store: Store) -> None:
    key = store.tenant_key(API, "token-a")
    late = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    record_jobs(store, key, API, [job(1, "completed", late, 5.0)], now=NOW)
    assert [t.day for t in daily_trends(store, key, API, now=NOW)] == [date(2026, 3, 8)]
    paris = daily_trends(store, key, API, zone=ZoneInfo("Europe/Paris"), now=NOW)
    assert [t.day for t in paris] == [date(2026, 3, 9)]


def test_another_tenant_has_no_trends_from_this_one(store: Store, known: str) -> None:
    other = daily_trends(store, store.tenant_key(API, "token-b"), API, now=NOW)
    assert [(t.day, t.count, t.failure_rate) for t in other] == [(date(2026, 3, 8), 1, 1.0)]
    assert daily_trends(store, known, "https://other.example", now=NOW) == []


def test_daily_figures_follow_the_recent_jobs_filters(store: Store, known: str) -> None:
    """The same prefix, status and dates as the Recent jobs table: the same rows counted."""
    assert daily_trends(store, known, API, now=NOW, id_prefix="job-7") == [
        DailyTrend(date(2026, 3, 9), None, 1, 1, 0, 100.0, 100.0, 0.0)
    ]
    failed = daily_trends(store, known, API, now=NOW, status="failed", until=DAY2)
    assert [(t.day, t.count, t.failed) for t in failed] == [(date(2026, 3, 8), 1, 1)]
    old = daily_trends(store, known, API, now=NOW, since=NOW - timedelta(days=61), until=DAY1)
    assert [(t.day, t.median_elapsed) for t in old] == [(date(2026, 1, 9), 999.0)]
