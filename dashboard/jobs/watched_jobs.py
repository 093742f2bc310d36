"""The session's watch list: which jobs (one owner), their last good data, when each is polled.

`WatchedJobs` owns the IDs a browser session watches, whatever its connection; `WatchPolls` is
one connection's polling state of them; `Watchlist` reads the one through the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from dashboard.jobs.job_input import Rejected, parse_job_list
from dashboard.jobs.polling import WATCHLIST_POLICY, PollSlot
from eomer_client.errors import (
    ApiError,
    ConnectError,
    EomerError,
    NotFoundError,
    RequestTimeoutError,
    ResponseError,
)
from eomer_client.models import Job

# A shared URL or a paste can carry any number of IDs; past this the page and the API suffer.
MAX_WATCHED = 500
# Seconds between polls of a job that is not terminal.
POLL_SECONDS = WATCHLIST_POLICY.interval
# Seconds between chart redraws while jobs run: four Plotly figures per tick cost the server and
# every viewer's browser far more than the table; a status change redraws them at once.
CHART_SECONDS = 30.0
NOT_FOUND_WORDS = "Not found: the API has no job with this ID for this token; no longer asked."
# The client's messages name the URL they fetched; a table cell or a CSV shared with others
# says what went wrong, never where the API lives (scheme://host..., host:port, IP address).
# A scheme or a host is matched only from the start of its run of characters (the lookbehinds),
# and possessively: tried from every letter of a long word, it cost the square of its length.
# What precedes the address in its run (digits before a scheme, dots before a host) is kept.
_ADDRESS = re.compile(
    r"(?<![a-z0-9+.-])(?P<digits>[0-9+.-]*+)[a-z][a-z0-9+.-]*+://\S*"
    r"|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\S*"
    r"|(?<![\w.-])(?P<dots>[.-]*+)[\w.-]++:\d{2,5}\S*",
    re.IGNORECASE,
)
# Failures whose message is mostly the URL: said in our own words instead.
_WORDS: tuple[tuple[type[EomerError], str], ...] = (
    (RequestTimeoutError, "The API did not answer in time."),
    (ConnectError, "The connection to the API failed."),
    (ResponseError, "The API's answer was not a readable job."),
)


@dataclass(frozen=True)
class AddResult:
    """What a bulk add did: IDs added, those already watched, repeats dropped, entries refused."""

    added: list[str]
    already: list[str]
    repeats: int
    rejected: list[Rejected]


@dataclass
class WatchedJobs:
    """Job IDs in the order they were first watched, each once: the one list of them."""

    ids: list[str] = field(default_factory=list)

    def __contains__(self, job_id: object) -> bool:
        return job_id in self.ids

    def add(self, job_ids: Iterable[str]) -> list[str]:
        """Watch `job_ids`; returns the ones that were not watched before."""
        added = [job_id for job_id in dict.fromkeys(job_ids) if job_id not in self.ids]
        self.ids.extend(added)
        return added

    def remove(self, job_id: str) -> bool:
        """Stop watching `job_id`; says whether it was watched."""
        if job_id not in self.ids:
            return False
        self.ids.remove(job_id)
        return True

    def replace(self, job_ids: Iterable[str]) -> None:
        """Watch exactly `job_ids` (a shared link, a saved list)."""
        self.ids = list(dict.fromkeys(job_ids))


@dataclass
class WatchPolls:
    """One connection's polling state of the watched jobs, by ID, and its last refresh."""

    slots: dict[str, PollSlot] = field(default_factory=dict)
    refreshed_at: datetime | None = None


@dataclass
class Watchlist:
    """The watched jobs (`watched` owns their IDs), each with its polling state (`polls`)."""

    watched: WatchedJobs = field(default_factory=WatchedJobs)
    polls: WatchPolls = field(default_factory=WatchPolls)

    @property
    def ids(self) -> list[str]:
        return list(self.watched.ids)

    @property
    def slots(self) -> dict[str, PollSlot]:
        """Each watched job's polling state, made on first use; unwatched jobs' are dropped."""
        known = self.polls.slots
        self.polls.slots = {job_id: known.get(job_id) or PollSlot() for job_id in self.ids}
        return self.polls.slots

    @property
    def refreshed_at(self) -> datetime | None:
        return self.polls.refreshed_at

    def add(self, ids: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
        """Watch new IDs; returns (added, already watched, refused because the list is full)."""
        already: list[str] = []
        room: list[str] = []
        full: list[str] = []
        for job_id in ids:
            if job_id in self.watched or job_id in room:
                already.append(job_id)
            elif len(self.watched.ids) + len(room) >= MAX_WATCHED:
                full.append(job_id)
            else:
                room.append(job_id)
        return self.watched.add(room), already, full

    def add_text(self, text: str) -> AddResult:
        """Add every job ID found in pasted text; report each entry that is not one."""
        parsed = parse_job_list(text)
        added, already, full = self.add(parsed.ids)
        refused = [
            Rejected(job_id, f"the watch list holds at most {MAX_WATCHED} jobs") for job_id in full
        ]
        return AddResult(added, already, parsed.duplicates, [*parsed.rejected, *refused])

    def remove(self, job_id: str) -> None:
        self.watched.remove(job_id)

    def clear(self) -> None:
        self.watched.replace([])
        self.polls = WatchPolls()

    def due(self, now: datetime) -> list[str]:
        """IDs to fetch now: never fetched or not terminal, and past their back-off."""
        return [job_id for job_id, slot in self.slots.items() if slot.is_due(now)]

    @property
    def is_live(self) -> bool:
        """True while some job may still change, so the page keeps polling."""
        return any(not slot.settled for slot in self.slots.values())

    def record(self, results: Mapping[str, Job | EomerError], now: datetime) -> None:
        """Store one refresh's answers; a failure keeps the job's last good data."""
        slots = self.slots
        for job_id, result in results.items():
            slot = slots.get(job_id)
            if slot is not None:  # else removed while the refresh was in flight
                slot.record(result, now, WATCHLIST_POLICY)
        self.polls.refreshed_at = now

    def retry_now(self) -> None:
        """Make every unsettled job due at once (the viewer pressed Retry)."""
        for slot in self.slots.values():
            if not slot.settled:
                slot.next_poll_at = None

    def ask_again(self) -> None:
        """Make every job the API did not find due at once (the viewer asked again)."""
        for slot in self.slots.values():
            slot.ask_again()

    @property
    def not_found_ids(self) -> list[str]:
        """IDs the API answered 404 / job_not_found for: no longer polled."""
        return [job_id for job_id, slot in self.slots.items() if slot.not_found]

    def jobs(self) -> list[Job]:
        """The last good data of every job that has some and that the API still knows."""
        return [s.job for s in self.slots.values() if s.job is not None and not s.not_found]

    def statuses(self) -> tuple[tuple[str, str], ...]:
        """(job ID, status) of every loaded job: what the charts must be redrawn for."""
        return tuple((job.job_id, str(job.status)) for job in self.jobs())


def query_values(watchlist: Watchlist) -> list[str]:
    """The `job` query values that reproduce the list (IDs only: never the token or API)."""
    return watchlist.ids


def without_addresses(text: str) -> str:
    """`text` with every URL, host:port and IP address replaced by "the API"."""
    return _ADDRESS.sub(lambda found: (found["digits"] or found["dots"] or "") + "the API", text)


def problem_words(err: EomerError) -> str:
    """What went wrong with one refresh, in a sentence without the API's address."""
    if isinstance(err, NotFoundError):
        return NOT_FOUND_WORDS
    if isinstance(err, ApiError):
        code = f" [{err.error_code}]" if err.error_code else ""
        said = f": {without_addresses(err.server_message)}" if err.server_message else ""
        return f"The API answered HTTP {err.status_code}{code}{said}".rstrip(".") + "."
    words = next((words for kind, words in _WORDS if isinstance(err, kind)), None)
    return words or without_addresses(err.message)
