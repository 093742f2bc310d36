"""Where one app reads the time: the system clock by default, a manual one in tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Two readings of the same moment: for measuring durations, and for stamping dates."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (durations, progress)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (dates in job bodies, link expiry)."""
        ...


class SystemClock:
    """The machine's clocks, as every demo server used before clocks could be injected."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()


def utc_now(clock: Clock) -> datetime:
    """The clock's wall time as an aware UTC datetime."""
    return datetime.fromtimestamp(clock.time(), UTC)
