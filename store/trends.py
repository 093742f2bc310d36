"""Daily trends of a tenant's jobs: how many, how long completed ones took, how many failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import pandas as pd
from sqlalchemy import ColumnElement, select

from store.clock import utc_now
from store.engine import Store
from store.history import filtered_rows
from store.keys import api_origin
from store.schema import JobRecord

# SQLite has no percentile function, so figures are computed here from at most this many rows.
MAX_TREND_ROWS = 200_000


@dataclass(frozen=True)
class DailyTrend:
    """One day (and preset, when asked) of a tenant's jobs; elapsed figures of completed jobs."""

    day: date
    preset: str | None
    count: int
    completed: int
    failed: int
    median_elapsed: float | None
    p95_elapsed: float | None
    failure_rate: float | None  # failed / (completed + failed); None when none finished


def daily_trends(
    store: Store,
    tenant: str,
    origin: str,
    *,
    days: int = 56,
    by_preset: bool = False,
    zone: tzinfo = UTC,
    now: datetime | None = None,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[DailyTrend]:
    """Per calendar day in `zone` of the last `days` days (today included), oldest first.

    `id_prefix`, `status`, `since` and `until` choose the rows as `recent_jobs` does, so a
    trend can follow the table of the same filters; `since` replaces the `days` window.
    """
    start = since if since is not None else _window_start(now or utc_now(), days, zone)
    chosen = filtered_rows(id_prefix=id_prefix, status=status, since=start, until=until)
    frame = _jobs_frame(store, tenant, origin, chosen)
    if frame.empty:
        return []
    frame["day"] = frame["dated_at"].dt.tz_convert(zone).dt.date
    frame["preset"] = frame["preset"].fillna("") if by_preset else ""
    return [
        _day_figures(day, preset, group)
        for (day, preset), group in frame.groupby(["day", "preset"], sort=True)
    ]


def _window_start(now: datetime, days: int, zone: tzinfo) -> datetime:
    first_day = now.astimezone(zone).date() - timedelta(days=max(1, days) - 1)
    return datetime.combine(first_day, time(), tzinfo=zone)


def _jobs_frame(
    store: Store, tenant: str, origin: str, chosen: list[ColumnElement[bool]]
) -> pd.DataFrame:
    query = (
        select(JobRecord.dated_at, JobRecord.status, JobRecord.elapsed_seconds, JobRecord.preset)
        .where(JobRecord.tenant_key == tenant, JobRecord.api_origin == api_origin(origin), *chosen)
        .order_by(JobRecord.dated_at.desc())
        .limit(MAX_TREND_ROWS)
    )
    with store.transaction() as session:
        rows = session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["dated_at", "status", "elapsed_seconds", "preset"])
    frame["dated_at"] = pd.to_datetime(frame["dated_at"], utc=True)
    frame["elapsed_seconds"] = pd.to_numeric(frame["elapsed_seconds"], errors="coerce")
    return frame


def _day_figures(day: object, preset: object, group: pd.DataFrame) -> DailyTrend:
    completed = group[group["status"] == "completed"]
    failed = int((group["status"] == "failed").sum())
    elapsed = completed["elapsed_seconds"].dropna()
    finished = len(completed) + failed
    return DailyTrend(
        day=day if isinstance(day, date) else date.fromisoformat(str(day)),
        preset=str(preset) or None,
        count=len(group),
        completed=len(completed),
        failed=failed,
        median_elapsed=float(elapsed.median()) if len(elapsed) else None,
        p95_elapsed=float(elapsed.quantile(0.95)) if len(elapsed) else None,
        failure_rate=failed / finished if finished else None,
    )
