"""Times and durations as the viewer reads them: their time zone, offsets shown, relative too."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eomer_client.models import Job

JUST_NOW_SECONDS = 5
_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


def as_aware(dt: datetime) -> datetime:
    """Naive datetimes are read as UTC, as the API writes them."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None or dt.utcoffset() is None else dt


def _offset_text(offset: timedelta | None) -> str:
    total = int((offset or timedelta()).total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), _HOUR)
    return f"UTC{sign}{hours:02d}:{rest // _MINUTE:02d}"


def format_absolute(dt: datetime, tz: tzinfo) -> str:
    """E.g. "2026-11-29 14:03:12 CET (UTC+01:00)"; numeric-only zone names are not repeated."""
    local = as_aware(dt).astimezone(tz)
    offset = _offset_text(local.utcoffset())
    name = local.tzname() or ""
    stamp = local.strftime("%Y-%m-%d %H:%M:%S")
    # Zones such as America/Sao_Paulo are named "-03": the offset already says it.
    if not name or name[0] in "+-" or name == offset:
        return f"{stamp} ({offset})"
    return f"{stamp} {name} ({offset})"


def _amount(seconds: float) -> str:
    if seconds < _MINUTE:
        return f"{int(seconds)} s"
    if seconds < _HOUR:
        return f"{int(seconds // _MINUTE)} min"
    if seconds < _DAY:
        return f"{int(seconds // _HOUR)} h"
    return f"{int(seconds // _DAY)} d"


def format_relative(dt: datetime, now: datetime) -> str:
    """E.g. "3 min ago", "in 2 min" or "just now"."""
    delta = (as_aware(now) - as_aware(dt)).total_seconds()
    if abs(delta) < JUST_NOW_SECONDS:
        return "just now"
    amount = _amount(abs(delta))
    return f"{amount} ago" if delta > 0 else f"in {amount}"


def format_duration(seconds: float) -> str:
    """E.g. "42 s", "3 min 05 s", "2 h 04 min", "3 d 4 h"; unknown for NaN or infinity."""
    if not math.isfinite(seconds):
        return "unknown"
    total = max(0, round(seconds))
    if total < _MINUTE:
        return f"{total} s"
    if total < _HOUR:
        minutes, secs = divmod(total, _MINUTE)
        return f"{minutes} min {secs:02d} s"
    if total < _DAY:
        hours, rest = divmod(total, _HOUR)
        return f"{hours} h {rest // _MINUTE:02d} min"
    days, rest = divmod(total, _DAY)
    return f"{days} d {rest // _HOUR} h"


def _between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (as_aware(end) - as_aware(start)).total_seconds())


def elapsed_seconds(job: Job, now: datetime) -> float | None:
    """Seconds the job took (terminal) or has taken so far (otherwise); None when unknown."""
    if job.is_terminal:
        if job.elapsed_seconds is not None and math.isfinite(job.elapsed_seconds):
            return max(0.0, job.elapsed_seconds)
        return _between(job.created_at, job.completed_at)
    return _between(job.created_at, now)


def viewer_timezone(name: str | None) -> tzinfo:
    """The named IANA zone (as the browser reports it), or UTC when absent or unknown."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # Names come from the browser: anything unknown or malformed falls back to UTC.
        return UTC
