"""When to retry a request, how long to wait, and the time budget it all runs within."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
import tenacity

from eomer_client.errors import (
    ConnectError,
    EomerError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded, jittered retries; `sleep` and `clock` are injectable so tests never wait."""

    attempts: int = 4
    initial_wait: float = 0.5
    max_wait: float = 5.0
    deadline: float = 30.0
    max_retry_after: float = 10.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)


def never_abandoned() -> bool:
    """For callers that wait to the end."""
    return False


@dataclass(frozen=True)
class Deadline:
    """A point in time after which an operation gives up, or sooner once nobody waits for it.

    `abandoned` says the caller has gone (its browser tab closed): the deadline then counts as
    passed, so every check of the deadline (before a hop, between body chunks, before a retry)
    stops the work.
    """

    ends_at: float
    clock: Callable[[], float]
    abandoned: Callable[[], bool] = field(default=never_abandoned, repr=False)

    @classmethod
    def after(
        cls,
        seconds: float,
        clock: Callable[[], float],
        abandoned: Callable[[], bool] = never_abandoned,
    ) -> Deadline:
        return cls(clock() + seconds, clock, abandoned)

    def remaining(self) -> float:
        if self.abandoned():
            return 0.0
        return max(0.0, self.ends_at - self.clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date); None if unusable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_retryable(exc: BaseException, policy: RetryPolicy) -> bool:
    """5xx, connection failures, read timeouts, and 429s whose wait is short; never other 4xx."""
    if isinstance(exc, RateLimitedError):
        return exc.retry_after is None or exc.retry_after <= policy.max_retry_after
    if isinstance(exc, RequestTimeoutError):
        # A timeout of our own total deadline is final; only httpx's per-read timeouts retry.
        return isinstance(exc.__cause__, httpx.TimeoutException)
    return isinstance(exc, ServerError | ConnectError)


def _wait(policy: RetryPolicy) -> Callable[[tenacity.RetryCallState], float]:
    backoff = tenacity.wait_random_exponential(multiplier=policy.initial_wait, max=policy.max_wait)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(exc, EomerError) and isinstance(retry_after, float):
            return min(retry_after, policy.max_retry_after)
        return float(backoff(state))

    return wait


def _stop(policy: RetryPolicy, deadline: Deadline) -> Callable[[tenacity.RetryCallState], bool]:
    def stop(state: tenacity.RetryCallState) -> bool:
        # tenacity computes the upcoming sleep before asking whether to stop.
        out_of_time = state.upcoming_sleep >= deadline.remaining()
        return state.attempt_number >= policy.attempts or out_of_time

    return stop


def call_with_retries(
    policy: RetryPolicy,
    deadline: Deadline,
    attempt: Callable[[], T],
    *,
    retryable: Callable[[BaseException], bool] | None = None,
) -> T:
    """Run `attempt` until it succeeds, fails for good, or the attempts or deadline run out."""
    # `retryable` replaces `is_retryable` for requests that must not be sent twice.
    worth_retrying = retryable or (lambda exc: is_retryable(exc, policy))
    retrying = tenacity.Retrying(
        stop=_stop(policy, deadline),
        wait=_wait(policy),
        retry=tenacity.retry_if_exception(worth_retrying),
        sleep=policy.sleep,
        reraise=True,
    )
    return retrying(attempt)
