"""What one browser session keeps for one connection (API and token), typed, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce

from dashboard.caching.content_budget import ContentBudget
from dashboard.caching.content_cache import ContentCache, FetchUrl
from dashboard.jobs.demo_tour import DemoJob
from dashboard.jobs.polling import PollSlot
from dashboard.jobs.watched_jobs import WatchPolls
from dashboard.series.observations import Observations, StartedForecast
from eomer_client.client import Fetched
from eomer_client.errors import EomerError


@dataclass
class Downloads:
    """Files prepared for download on the job page, by offer key, and the ones that failed."""

    ready: dict[str, Fetched] = field(default_factory=dict)
    failures: dict[str, EomerError] = field(default_factory=dict)


@dataclass
class SessionData:
    """Job data belongs to one API and token: a new connection starts a new SessionData."""

    identity: str
    content: ContentCache
    feeds: dict[str, PollSlot] = field(default_factory=dict)
    # The watched IDs are the browser session's (components/common/watched_ids.py).
    watch_polls: WatchPolls = field(default_factory=WatchPolls)
    downloads: dict[str, Downloads] = field(default_factory=dict)
    demo_jobs: list[DemoJob] | None = None
    # Jobs started from /new, by job ID, and files of history or actuals attached to a job.
    started: dict[str, StartedForecast] = field(default_factory=dict)
    attached: dict[str, Observations] = field(default_factory=dict)
    # The history each job's own service plot draws, read once (None: it draws none).
    plotted: dict[str, Observations | None] = field(default_factory=dict)

    @classmethod
    def start(cls, identity: str, fetch_url: FetchUrl, budget: ContentBudget) -> SessionData:
        """A connection's data; its remote content within the process's shared `budget`."""
        return cls(identity, ContentCache(fetch_url, budget))

    def feed(self, job_id: str) -> PollSlot:
        """The polling state of `job_id` on the job page."""
        return self.feeds.setdefault(job_id, PollSlot())

    def observed(self, job_id: str, *, with_plot: bool = False) -> Observations | None:
        """What the session knows was observed for the job: with `with_plot` the history its
        service plot draws, then its input, then attached files (a later one wins)."""
        started = self.started.get(job_id)
        kept = [
            self.plotted.get(job_id) if with_plot else None,
            started.history if started is not None else None,
            self.attached.get(job_id),
        ]
        known = [seen for seen in kept if seen is not None]
        return reduce(Observations.merged, known) if known else None

    def attach(self, job_id: str, observations: Observations) -> None:
        """Add a file of history or actuals to the job; a later file wins where both overlap."""
        before = self.attached.get(job_id)
        self.attached[job_id] = observations if before is None else before.merged(observations)

    def downloads_of(self, job_id: str) -> Downloads:
        return self.downloads.setdefault(job_id, Downloads())
