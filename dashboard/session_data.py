"""What one browser session keeps for one connection (API and token), typed, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.content_cache import ContentCache, FetchUrl
from dashboard.forecast_csv import ForecastData, ReadOptions
from dashboard.observations import Observations, StartedForecast
from dashboard.polling import PollSlot
from dashboard.watchlist import Watchlist
from eomer_client.client import Fetched
from eomer_client.errors import ContentError, EomerError

_MB = 1024 * 1024


@dataclass(frozen=True)
class DemoJob:
    """One job of the built-in demo API's scenario list."""

    job_id: str
    scenario: str
    status: str


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
    watchlist: Watchlist = field(default_factory=Watchlist)
    # Only the latest job's forecast file and its reading: either can be hundreds of MB.
    forecast_files: dict[str, bytes] = field(default_factory=dict)
    forecasts: dict[tuple[str, ReadOptions], ForecastData] = field(default_factory=dict)
    downloads: dict[str, Downloads] = field(default_factory=dict)
    demo_jobs: list[DemoJob] | None = None
    # Jobs started from /new, by job ID, and files of history or actuals attached to a job.
    started: dict[str, StartedForecast] = field(default_factory=dict)
    attached: dict[str, Observations] = field(default_factory=dict)

    @classmethod
    def start(cls, identity: str, fetch_url: FetchUrl) -> SessionData:
        return cls(identity, ContentCache(fetch_url))

    def feed(self, job_id: str) -> PollSlot:
        """The polling state of `job_id` on the job page."""
        return self.feeds.setdefault(job_id, PollSlot())

    def observed(self, job_id: str) -> Observations | None:
        """What the session knows was observed for the job: its input, then attached files."""
        started = self.started.get(job_id)
        history = started.history if started is not None else None
        attached = self.attached.get(job_id)
        if history is None or attached is None:
            return history or attached
        return history.merged(attached)

    def attach(self, job_id: str, observations: Observations) -> None:
        """Add a file of history or actuals to the job; a later file wins where both overlap."""
        before = self.attached.get(job_id)
        self.attached[job_id] = observations if before is None else before.merged(observations)

    def downloads_of(self, job_id: str) -> Downloads:
        return self.downloads.setdefault(job_id, Downloads())

    def keep_forecast(
        self, key: tuple[str, ReadOptions], reading: ForecastData, budget: int
    ) -> None:
        """Keep a reading of the kept file, or drop both when together they exceed `budget`."""
        file = len(self.forecast_files.get(key[0], b""))
        table = int(reading.frame.memory_usage(deep=True).sum())
        if file + table > budget:
            self.forecast_files.clear()
            self.forecasts.clear()
            raise ContentError(
                f"The forecast takes {(file + table) / _MB:.0f} MB once read (its file "
                f"{file / _MB:.0f} MB, its table {table / _MB:.0f} MB): more than the "
                f"{budget / _MB:.0f} MB one session may keep. Download it from the job page "
                "and open it in a tool made for large files."
            )
        self.forecasts[key] = reading
