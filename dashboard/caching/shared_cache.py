"""Caches shared by the sessions of one process, always keyed by tenant so no answer crosses one.

A tenant is an API origin and a token, named by a keyed hash (`store.Store.tenant_key`): ten
analysts sharing a token share the answers, an analyst with another token never sees them.
Memory is bounded by weight (bytes, or an estimate of them), least recently used first out
(`weighted_lru.py`). Job answers are kept here; forecast files and readings in
`shared_forecasts.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.caching.shared_forecasts import SharedForecasts
from dashboard.jobs.polling import JOB_PAGE_POLICY, WATCHLIST_POLICY
from dashboard.safety.token_acceptance import TokenAcceptance
from eomer_client.models import Job
from eomer_client.weighted_lru import Clock, WeightedLru

__all__ = [
    "FINAL_SECONDS",
    "RECENT_SECONDS",
    "JobAnswers",
    "SharedForecasts",
    "WeightedLru",
    "job_weight",
]

# A running job's answer is reused by other sessions for as long as the asking page waits
# between its own polls, never longer: however many sessions watch one running job, the API is
# asked about once per poll interval, and no session is served an answer older than its own
# interval. A caller that names no interval gets the shortest one.
RECENT_SECONDS = min(JOB_PAGE_POLICY.interval, WATCHLIST_POLICY.interval)
# A finished job never changes, but its answer may carry signed links (download_url) that
# expire: it is reused for five minutes, then asked again.
FINAL_SECONDS = 300.0
# About 2 KB per job plus 1 KB per artifact (the budget: dashboard/caching/budgets.py).
_JOB_BYTES = 2048
_ARTIFACT_BYTES = 1024


def job_weight(job: Job) -> int:
    """An estimate of a job answer's size in memory, from its artifacts."""
    artifacts = len(job.explainability.artifacts) if job.explainability is not None else 0
    return _JOB_BYTES + _ARTIFACT_BYTES * artifacts


@dataclass(frozen=True)
class _Answer:
    job: Job
    asker: str


class JobAnswers:
    """Answers of GET /jobs/{id} per (tenant, job): finished ones for minutes, others briefly.

    A running job's answer is reused by the other sessions only, and only while it is no older
    than the asker's poll interval (`fresh_for`): a session asking again itself (its own
    schedule, a Retry) always reaches the API, exactly as without this cache. Sessions asking
    while one of them fetches wait for that answer instead of asking too.
    """

    def __init__(
        self,
        *,
        max_bytes: int,
        acceptance: TokenAcceptance,
        recent_seconds: float = RECENT_SECONDS,
        final_seconds: float = FINAL_SECONDS,
        clock: Clock = time.monotonic,
    ) -> None:
        self.recent_seconds = recent_seconds
        # Nothing kept is served to a tenant whose token the API has not accepted lately.
        self.acceptance = acceptance
        self._answers: WeightedLru[tuple[str, str], _Answer] = WeightedLru(
            max_bytes, lambda answer: job_weight(answer.job), max_age=final_seconds, clock=clock
        )

    def kept(
        self, tenant: str, job_id: str, asker: str = "", *, fresh_for: float | None = None
    ) -> Job | None:
        """A finished job's answer, or a running one another asker got within `fresh_for` s."""
        answer = self._answers.get((tenant, job_id))
        if answer is None or answer.job.is_terminal:
            return None if answer is None else answer.job
        if answer.asker == asker:
            return None
        window = self.recent_seconds if fresh_for is None else fresh_for
        recent = self._answers.get((tenant, job_id), max_age=window)
        return None if recent is None else recent.job

    def keep(self, tenant: str, job_id: str, job: Job, asker: str = "") -> None:
        self._answers.put((tenant, job_id), _Answer(job, asker))

    def get(
        self,
        tenant: str,
        job_id: str,
        fetch: Callable[[str], Job],
        asker: str = "",
        *,
        fresh_for: float | None = None,
    ) -> Job:
        """The kept answer, else `fetch(job_id)`; sessions asking at once share one request.

        A kept answer is served only while the tenant's token was accepted lately.
        """
        kept = self._servable(tenant, job_id, asker, fresh_for)
        if kept is not None:
            return kept
        with self._answers.making((tenant, job_id)):
            kept = self._servable(tenant, job_id, asker, fresh_for)
            if kept is not None:
                return kept
            job = self.acceptance.asked(tenant, lambda: fetch(job_id))
            self.keep(tenant, job_id, job, asker)
            return job

    def _servable(self, tenant: str, job_id: str, asker: str, fresh: float | None) -> Job | None:
        if not self.acceptance.recent(tenant):
            return None
        return self.kept(tenant, job_id, asker, fresh_for=fresh)

    def __len__(self) -> int:
        return len(self._answers)
