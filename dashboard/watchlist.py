"""The session's watch list: which jobs, their last good data, and when each is next polled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dashboard.job_input import Rejected, parse_job_list
from dashboard.refresh import next_refresh_delay
from eomer_client.errors import ApiError, EomerError
from eomer_client.models import Job

# A shared URL or a paste can carry any number of IDs; past this the page and the API suffer.
MAX_WATCHED = 500
# Seconds between polls of a job that is not terminal, and the longest back-off after errors.
POLL_SECONDS = 5.0
# Seconds between chart redraws while jobs run: four Plotly figures per tick cost the server and
# every viewer's browser far more than the table; a status change redraws them at once.
CHART_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 120.0


@dataclass
class JobSlot:
    """What the session knows about one watched job."""

    job: Job | None = None
    error: EomerError | None = None
    fetched_at: datetime | None = None
    failures: int = 0
    next_poll_at: datetime | None = None

    @property
    def settled(self) -> bool:
        """Terminal jobs are never fetched again in the session."""
        return self.job is not None and self.job.is_terminal


@dataclass(frozen=True)
class AddResult:
    """What a bulk add did: IDs added, those already watched, repeats dropped, entries refused."""

    added: list[str]
    already: list[str]
    repeats: int
    rejected: list[Rejected]


@dataclass
class Watchlist:
    """Watched job IDs in the order they were added, each with its polling state."""

    slots: dict[str, JobSlot] = field(default_factory=dict)
    refreshed_at: datetime | None = None

    @property
    def ids(self) -> list[str]:
        return list(self.slots)

    def add(self, ids: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
        """Append new IDs; returns (added, already watched, refused because the list is full)."""
        added: list[str] = []
        already: list[str] = []
        full: list[str] = []
        for job_id in ids:
            if job_id in self.slots:
                already.append(job_id)
            elif len(self.slots) >= MAX_WATCHED:
                full.append(job_id)
            else:
                self.slots[job_id] = JobSlot()
                added.append(job_id)
        return added, already, full

    def add_text(self, text: str) -> AddResult:
        """Add every job ID found in pasted text; report each entry that is not one."""
        parsed = parse_job_list(text)
        added, already, full = self.add(parsed.ids)
        refused = [
            Rejected(job_id, f"the watch list holds at most {MAX_WATCHED} jobs") for job_id in full
        ]
        return AddResult(added, already, parsed.duplicates, [*parsed.rejected, *refused])

    def remove(self, job_id: str) -> None:
        self.slots.pop(job_id, None)

    def clear(self) -> None:
        self.slots.clear()
        self.refreshed_at = None

    def sync(self, ids: Sequence[str]) -> None:
        """Follow an ID list edited elsewhere (the job page's Watch button), keeping known slots."""
        self.slots = {job_id: self.slots.get(job_id) or JobSlot() for job_id in dict.fromkeys(ids)}

    def due(self, now: datetime) -> list[str]:
        """IDs to fetch now: never fetched or not terminal, and past their back-off."""
        return [
            job_id
            for job_id, slot in self.slots.items()
            if not slot.settled and (slot.next_poll_at is None or slot.next_poll_at <= now)
        ]

    @property
    def is_live(self) -> bool:
        """True while some job may still change, so the page keeps polling."""
        return any(not slot.settled for slot in self.slots.values())

    def record(self, results: Mapping[str, Job | EomerError], now: datetime) -> None:
        """Store one refresh's answers; a failure keeps the job's last good data."""
        for job_id, result in results.items():
            slot = self.slots.get(job_id)
            if slot is None:
                continue  # removed while the refresh was in flight
            if isinstance(result, Job):
                _succeed(slot, result, now)
            else:
                _fail(slot, result, now)
        self.refreshed_at = now

    def retry_now(self) -> None:
        """Make every unsettled job due at once (the viewer pressed Retry)."""
        for slot in self.slots.values():
            if not slot.settled:
                slot.next_poll_at = None

    def jobs(self) -> list[Job]:
        """The last good data of every job that has some."""
        return [slot.job for slot in self.slots.values() if slot.job is not None]

    def statuses(self) -> tuple[tuple[str, str], ...]:
        """(job ID, status) of every loaded job: what the charts must be redrawn for."""
        return tuple((job.job_id, str(job.status)) for job in self.jobs())


def _succeed(slot: JobSlot, job: Job, now: datetime) -> None:
    slot.job, slot.error, slot.fetched_at, slot.failures = job, None, now, 0
    slot.next_poll_at = None if job.is_terminal else now + timedelta(seconds=POLL_SECONDS)


def _fail(slot: JobSlot, err: EomerError, now: datetime) -> None:
    slot.error = err
    slot.failures += 1
    retry_after = err.retry_after if isinstance(err, ApiError) else None
    delay = next_refresh_delay(POLL_SECONDS, slot.failures, retry_after, cap=MAX_BACKOFF_SECONDS)
    slot.next_poll_at = now + timedelta(seconds=delay)


def query_values(watchlist: Watchlist) -> list[str]:
    """The `job` query values that reproduce the list (IDs only: never the token or API)."""
    return watchlist.ids
