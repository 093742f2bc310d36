"""What the job history keeps of an API answer, and when an answer is worth writing down."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dashboard.series.observations import StartedForecast
from dashboard.session.connection_settings import CLOUD_API_URL, ApiPreset
from eomer_client.models import Job
from eomer_client.weighted_lru import WeightedLru, one
from store import HistoryEntry, JobFacts, api_origin

PRESET_SETTING = "Preset"
# A job already written is written again only when its status changes or after this long, so
# a live page asking every 3 s costs the store one write a minute per job at most.
REWRITE_AFTER = timedelta(minutes=1)


def job_facts(job: Job, started: StartedForecast | None = None) -> JobFacts:
    """The facts of one answer; the preset comes from /new when this session started the job."""
    preset = started.settings.get(PRESET_SETTING) if started is not None else None
    return JobFacts(
        job_id=job.job_id,
        status=str(job.status),
        created_at=job.created_at,
        completed_at=job.completed_at,
        elapsed_seconds=job.elapsed_seconds,
        num_items=job.num_items,
        prediction_length=job.prediction_length,
        preset=preset or None,
        dataset_hash=job.dataset_hash,
        config_hash=job.config_hash,
        model_version=job.model_version,
    )


def facts_of(jobs: Iterable[Job], started: Mapping[str, StartedForecast]) -> list[JobFacts]:
    """The facts of every answer, each with its preset when the session started it."""
    return [job_facts(job, started.get(job.job_id)) for job in jobs]


class WriteThrottle:
    """Which facts need writing: new jobs, changed statuses, and jobs not written for a minute."""

    def __init__(self, *, remember: int, every: timedelta = REWRITE_AFTER) -> None:
        """Remember the last write of at most `remember` jobs; older ones are written again."""
        self.every = every
        self.remember = remember
        self._written: WeightedLru[tuple[str, str, str], tuple[str, datetime]] = WeightedLru(
            remember, one
        )
        # Held across one call's facts, so two sessions never both write the same fact.
        self._lock = threading.Lock()

    def due(
        self, tenant: str, origin: str, facts: Iterable[JobFacts], now: datetime
    ) -> list[JobFacts]:
        """The facts to write now; they count as written (call `forget` if the write fails)."""
        chosen: list[JobFacts] = []
        with self._lock:
            for fact in facts:
                key = (tenant, origin, fact.job_id)
                last = self._written.get(key)
                if last is None or last[0] != fact.status or now - last[1] >= self.every:
                    self._written.put(key, (fact.status, now))
                    chosen.append(fact)
        return chosen

    def forget(self, tenant: str, origin: str, facts: Iterable[JobFacts]) -> None:
        """Forget writes that failed, so the next answer tries again."""
        for fact in facts:
            self._written.pop((tenant, origin, fact.job_id))


# The built-in demo runs on a new port in every process (and replica): its history is kept
# under one name, so it survives restarts and follows a session to another replica.
DEMO_ORIGIN = "demo://built-in"


def history_origin(api_url: str | None, is_demo: bool) -> str | None:
    """The origin a connection's history is kept under; None when there is no API yet."""
    if is_demo:
        return DEMO_ORIGIN
    return api_origin(api_url) if api_url else None


def origin_label(origin: str) -> str:
    """An origin as people read it."""
    return "the built-in demo API" if origin == DEMO_ORIGIN else origin


@dataclass(frozen=True)
class KnownTenant:
    """A connection this browser session has held: enough to find its history and go back."""

    tenant: str
    origin: str
    api_url: str | None  # None for the built-in demo
    token: str = field(repr=False)

    @property
    def preset(self) -> ApiPreset:
        if self.origin == DEMO_ORIGIN:
            return ApiPreset.DEMO
        return ApiPreset.CLOUD if self.origin == api_origin(CLOUD_API_URL) else ApiPreset.CUSTOM


@dataclass(frozen=True)
class Sighting:
    """A job found in the history of a connection other than the session's current one."""

    known: KnownTenant
    entry: HistoryEntry
