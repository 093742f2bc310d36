"""Where a signed-out visitor was going: kept across the sign-in round trip, checked on return.

Streamlit's sign-in callback always sends the browser to the app's root, so the page and query
a visitor opened (a shared `/watchlist?job=...` link) are remembered on the server, per browser,
as a relative path, and read back once signed in. The path is checked again when read: only
one of the dashboard's own pages with its own query keys is ever followed, never another host.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from dashboard.session.routes import ITEM_PARAM, JOB_PARAM, ROUTES, SNAPSHOT_PARAM, Route
from eomer_client.weighted_lru import WeightedLru, one

# The query keys the pages read: links carry job, item and snapshot IDs, never a token.
QUERY_KEYS = (JOB_PARAM, ITEM_PARAM, SNAPSHOT_PARAM)
MAX_PATH_CHARS = 8192
MAX_VALUES = 500
# Long enough to find a password and pass a second factor; short enough that an abandoned
# sign-in does not redirect the browser's next visit hours later.
KEEP_SECONDS = 15 * 60.0
_ROUTES_BY_PATH = {route.url_path: route for route in ROUTES}


@dataclass(frozen=True)
class ReturnTarget:
    """A page of the dashboard and the query to open it with."""

    route: Route
    query: Mapping[str, tuple[str, ...]]

    @property
    def query_params(self) -> dict[str, list[str]]:
        """The query as `st.switch_page` takes it."""
        return {key: list(values) for key, values in self.query.items()}


def return_path(url_path: str, query: Mapping[str, Sequence[str]]) -> str | None:
    """The relative path `/page?key=value` for a page and its query; None for no known page.

    Only the pages' own query keys are kept: anything else in the address is dropped.
    """
    if url_path not in _ROUTES_BY_PATH:
        return None
    pairs = [(key, value) for key in QUERY_KEYS for value in query.get(key, ())][:MAX_VALUES]
    encoded = urlencode(pairs)
    path = "/" + url_path + (f"?{encoded}" if encoded else "")
    return path if len(path) <= MAX_PATH_CHARS else "/" + url_path


def read_return_path(path: object) -> ReturnTarget | None:
    """The page and query a kept path names, or None unless it is one of ours, relative.

    Refused: anything but a string starting with a single `/`; `//host` and `/\\host` (which
    browsers read as another host); backslashes, control characters and spaces anywhere; a
    scheme, a host, a fragment; a path that is not one of the dashboard's pages.
    """
    if not isinstance(path, str) or not 0 < len(path) <= MAX_PATH_CHARS:
        return None
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in path):
        return None
    try:
        parts = urlsplit(path)
        pairs = parse_qsl(parts.query, keep_blank_values=False, max_num_fields=MAX_VALUES)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    route = _ROUTES_BY_PATH.get(parts.path.removeprefix("/"))
    if route is None:
        return None
    query: dict[str, tuple[str, ...]] = {}
    for key, value in pairs:
        if key in QUERY_KEYS:
            query[key] = (*query.get(key, ()), value)
    return ReturnTarget(route, query)


class PendingReturns:
    """Each browser's path to return to after signing in: taken once, forgotten after a while.

    Bounded: past `max_browsers` the oldest is dropped, so a flood of sign-in clicks cannot
    grow the process. Thread-safe: sessions run in threads of their own.
    """

    def __init__(self, max_browsers: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._paths: WeightedLru[str, str] = WeightedLru(
            max_browsers, one, max_age=KEEP_SECONDS, clock=clock
        )

    def remember(self, browser: str, path: str) -> None:
        """Keep `path` for `browser`, replacing what it had."""
        self._paths.put(browser, path)

    def take(self, browser: str) -> str | None:
        """The path kept for `browser` (then forgotten), unless it is older than KEEP_SECONDS."""
        return self._paths.pop(browser)
