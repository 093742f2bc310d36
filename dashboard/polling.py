"""When the job page asks the API again: polling while a job runs, backing off after errors."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime

from dashboard.timing import as_aware
from eomer_client.errors import ApiError, EomerError
from eomer_client.models import TERMINAL_STATUSES, JobStatus

DEFAULT_BASE_SECONDS = 3.0
DEFAULT_CAP_SECONDS = 60.0
# A Retry-After beyond this is treated as this: the page still checks back within 15 minutes.
MAX_RETRY_AFTER_SECONDS = 900.0


def _finite_positive(value: float | None) -> float | None:
    if value is None or not math.isfinite(value) or value <= 0:
        return None
    return value


def next_refresh_delay(
    base: float,
    consecutive_failures: int,
    retry_after: float | None,
    *,
    cap: float = DEFAULT_CAP_SECONDS,
) -> float:
    """Seconds until the next poll: base, doubled per failure up to cap, at least Retry-After."""
    if not math.isfinite(base) or base <= 0:
        raise ValueError(f"The refresh interval must be a positive number of seconds, not {base}.")
    failures = max(0, consecutive_failures)
    # min() before the power keeps the exponent small however long the outage lasts.
    backoff = base * 2.0 ** min(failures, 32)
    delay = max(base, min(backoff, cap))
    wait = _finite_positive(retry_after)
    if wait is not None:
        delay = max(delay, min(wait, MAX_RETRY_AFTER_SECONDS))
    return delay


def should_poll(job_status: JobStatus | str) -> bool:
    """True until a terminal status; an unknown raw status keeps polling."""
    return job_status not in TERMINAL_STATUSES


@dataclass(frozen=True)
class RefreshState:
    """How the last polls went; replaced, never mutated, by the update functions below."""

    last_success_at: datetime | None = None
    consecutive_failures: int = 0
    last_error: EomerError | None = None

    @property
    def is_stale(self) -> bool:
        """True when data is on screen but the latest poll failed."""
        return self.last_success_at is not None and self.consecutive_failures > 0

    @property
    def retry_after(self) -> float | None:
        """The last error's Retry-After, when the API sent one."""
        return self.last_error.retry_after if isinstance(self.last_error, ApiError) else None


def record_success(state: RefreshState, at: datetime) -> RefreshState:
    """The state after a poll that returned a job at `at`."""
    return replace(state, last_success_at=at, consecutive_failures=0, last_error=None)


def record_failure(state: RefreshState, error: EomerError) -> RefreshState:
    """The state after a poll that failed with `error`; the last good time is kept."""
    return replace(state, consecutive_failures=state.consecutive_failures + 1, last_error=error)


def seconds_since_success(state: RefreshState, now: datetime) -> float | None:
    """For "updated N s ago"; None before the first success."""
    if state.last_success_at is None:
        return None
    return max(0.0, (as_aware(now) - as_aware(state.last_success_at)).total_seconds())


@dataclass(frozen=True)
class RefreshPolicy:
    """Polling interval and back-off ceiling for one page."""

    base: float = DEFAULT_BASE_SECONDS
    cap: float = DEFAULT_CAP_SECONDS

    def next_delay(self, state: RefreshState) -> float:
        """Seconds until the next poll given how the last polls went."""
        return next_refresh_delay(
            self.base, state.consecutive_failures, state.retry_after, cap=self.cap
        )
