"""The session's watch list: which jobs, their last good data, and when each is next polled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dashboard.job_input import Rejected, parse_job_list
from dashboard.polling import WATCHLIST_POLICY, PollSlot
from eomer_client.errors import EomerError
from eomer_client.models import Job

# A shared URL or a paste can carry any number of IDs; past this the page and the API suffer.
MAX_WATCHED = 500
# Seconds between polls of a job that is not terminal.
POLL_SECONDS = WATCHLIST_POLICY.interval
# Seconds between chart redraws while jobs run: four Plotly figures per tick cost the server and
# every viewer's browser far more than the table; a status change redraws them at once.
CHART_SECONDS = 30.0


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

    slots: dict[str, PollSlot] = field(default_factory=dict)
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
                self.slots[job_id] = PollSlot()
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
        self.slots = {job_id: self.slots.get(job_id) or PollSlot() for job_id in dict.fromkeys(ids)}

    def due(self, now: datetime) -> list[str]:
        """IDs to fetch now: never fetched or not terminal, and past their back-off."""
        return [job_id for job_id, slot in self.slots.items() if slot.is_due(now)]

    @property
    def is_live(self) -> bool:
        """True while some job may still change, so the page keeps polling."""
        return any(not slot.settled for slot in self.slots.values())

    def record(self, results: Mapping[str, Job | EomerError], now: datetime) -> None:
        """Store one refresh's answers; a failure keeps the job's last good data."""
        for job_id, result in results.items():
            slot = self.slots.get(job_id)
            if slot is not None:  # else removed while the refresh was in flight
                slot.record(result, now, WATCHLIST_POLICY)
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


def query_values(watchlist: Watchlist) -> list[str]:
    """The `job` query values that reproduce the list (IDs only: never the token or API)."""
    return watchlist.ids
