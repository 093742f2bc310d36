"""When a job is asked for again: one polling model for the job page and the watch list."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from eomer_client.errors import ApiError, EomerError, NotFoundError
from eomer_client.models import Job

DEFAULT_CAP_SECONDS = 60.0
# A Retry-After beyond this is treated as this: the page still checks back within 15 minutes.
MAX_RETRY_AFTER_SECONDS = 900.0
# A status this dashboard does not know may never change: ask less and less often, then stop.
UNKNOWN_STATUS_LIMIT_SECONDS = 600.0


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


@dataclass(frozen=True)
class PollPolicy:
    """How often one page asks: the interval while a job runs, and the back-off ceiling."""

    interval: float
    cap: float
    unknown_limit: float = UNKNOWN_STATUS_LIMIT_SECONDS
    # A list of many IDs stops asking for one the API does not know (it will not appear later);
    # one job's own page keeps asking, with back-off, as it always has.
    stop_on_not_found: bool = False

    def delay(self, failures: int, error: EomerError | None) -> float:
        """Seconds until the next poll after `failures` failures in a row, the last `error`."""
        retry_after = error.retry_after if isinstance(error, ApiError) else None
        return next_refresh_delay(self.interval, failures, retry_after, cap=self.cap)


# One job on its own page is watched closely; a list of many is polled more gently.
JOB_PAGE_POLICY = PollPolicy(interval=3.0, cap=60.0)
WATCHLIST_POLICY = PollPolicy(interval=5.0, cap=120.0, stop_on_not_found=True)


@dataclass
class PollSlot:
    """What the session knows about one job: its last good data and when to ask again."""

    job: Job | None = None
    error: EomerError | None = None
    fetched_at: datetime | None = None
    failures: int = 0
    next_poll_at: datetime | None = None
    # Set when a poll saw the status change; the page clears it once it has said so.
    status_changed: bool = False
    # Polls in a row that answered a status this dashboard does not know, and since when.
    unknown_polls: int = 0
    unknown_since: datetime | None = None
    gave_up: bool = False
    # The API answered 404 / job_not_found and the policy treats that as final.
    not_found: bool = False

    @property
    def settled(self) -> bool:
        """Terminal jobs, unknown statuses past the limit and final not-founds are not fetched."""
        return self.gave_up or self.not_found or (self.job is not None and self.job.is_terminal)

    def is_due(self, now: datetime) -> bool:
        """Never fetched or not terminal, and past its back-off."""
        return not self.settled and (self.next_poll_at is None or self.next_poll_at <= now)

    def record(self, result: Job | EomerError, now: datetime, policy: PollPolicy) -> None:
        """Store one answer; a failure keeps the last good job and backs off."""
        if isinstance(result, Job):
            previous = self.job
            self.job, self.error, self.fetched_at, self.failures = result, None, now, 0
            self.not_found = False
            if previous is not None and previous.status != result.status:
                self.status_changed = True
            self._track_unknown(result, now, policy)
        else:
            self.error = result
            self.failures += 1
            self.not_found = policy.stop_on_not_found and isinstance(result, NotFoundError)
        # An unknown status counts like a failure for the back-off: each poll waits longer.
        delay = policy.delay(self.failures + self.unknown_polls, self.error)
        self.next_poll_at = None if self.settled else now + timedelta(seconds=delay)

    def _track_unknown(self, job: Job, now: datetime, policy: PollPolicy) -> None:
        if job.is_known_status:
            self.unknown_polls, self.unknown_since = 0, None
            return
        self.unknown_polls += 1
        self.unknown_since = self.unknown_since or now
        self.gave_up = (now - self.unknown_since).total_seconds() >= policy.unknown_limit

    def ask_again(self) -> None:
        """Forget a final not-found, so the next refresh asks for the job at once."""
        if self.not_found:
            self.not_found, self.next_poll_at = False, None
