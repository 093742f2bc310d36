"""What one browser session keeps for one connection (API and token), typed, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.content_cache import ContentCache, FetchUrl
from dashboard.forecast_csv import ForecastData, ReadOptions
from dashboard.polling import PollSlot
from dashboard.watchlist import Watchlist
from eomer_client.client import Fetched
from eomer_client.errors import EomerError


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

    @classmethod
    def start(cls, identity: str, fetch_url: FetchUrl) -> SessionData:
        return cls(identity, ContentCache(fetch_url))

    def feed(self, job_id: str) -> PollSlot:
        """The polling state of `job_id` on the job page."""
        return self.feeds.setdefault(job_id, PollSlot())

    def downloads_of(self, job_id: str) -> Downloads:
        return self.downloads.setdefault(job_id, Downloads())
