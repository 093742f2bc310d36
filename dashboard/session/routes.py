"""The pages and the query keys of their links: one registry for links and navigation."""

from __future__ import annotations

from dataclasses import dataclass

# Query keys: links carry job IDs and item IDs, never a token or an API address.
JOB_PARAM = "job"
ITEM_PARAM = "item"
# A snapshot's ID: the link is the capability (256 random bits), it names nothing else.
SNAPSHOT_PARAM = "id"


@dataclass(frozen=True)
class Route:
    """One page: its script under pages/, its URL path (kept for ever), title and icon."""

    script: str
    url_path: str
    title: str
    icon: str

    @property
    def is_default(self) -> bool:
        """The page at the app's root."""
        return self.url_path == ""


# URL contract: the job page is the root (`/?job=<id>`); the others keep their path for ever.
JOB_PAGE = Route("pages/job.py", "", "Job", ":material/work:")
WATCHLIST_PAGE = Route("pages/watchlist.py", "watchlist", "Watch list", ":material/visibility:")
FORECAST_PAGE = Route("pages/forecast.py", "forecast", "Forecast", ":material/show_chart:")
NEW_PAGE = Route("pages/new.py", "new", "New forecast", ":material/add_chart:")
COMPARE_PAGE = Route("pages/compare.py", "compare", "Compare", ":material/compare_arrows:")
HISTORY_PAGE = Route("pages/history.py", "history", "Recent jobs", ":material/history:")
SNAPSHOT_PAGE = Route("pages/snapshot.py", "snapshot", "Snapshots", ":material/photo_camera:")
ROUTES = (
    JOB_PAGE,
    NEW_PAGE,
    WATCHLIST_PAGE,
    FORECAST_PAGE,
    COMPARE_PAGE,
    HISTORY_PAGE,
    SNAPSHOT_PAGE,
)
URL_PATHS = tuple(route.url_path for route in ROUTES)
