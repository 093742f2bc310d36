"""Wiring in one place: the shared HTTP pool, the built-in demo API, the session's client and data.

Pages ask this module; components never do: they receive data, or a function that fetches.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass

import httpx
import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.forecast_csv import ForecastData, ReadOptions, parse_forecast_csv
from dashboard.session_data import DemoJob, SessionData
from dashboard.settings import Connection
from eomer_client.client import EomerClient, Fetched
from eomer_client.errors import EomerError, ResponseError
from eomer_client.models import Job
from eomer_client.pools import OriginPools
from eomer_client.retry import never_abandoned
from store import Store, StoreError, open_store

DEMO_TOKEN = "demo-token"
SESSION_KEY = "deps_session"
_SCENARIOS_MAX_BYTES = 1024 * 1024
LINK_DEADLINE_SECONDS = 10.0
# Requests one session may have in flight: a watch list refresh asks 8 jobs at once.
SESSION_IN_FLIGHT = 8


# Said on the page by the app shell, which waits for it (components/waiting.py).
@st.cache_resource(show_spinner=False)
def demo_api_url() -> str:
    """One built-in demo API per dashboard process, started on first use."""
    from demo_api.server import start_background_server

    url: str = start_background_server()
    return url


def _close_store(opened: Store) -> None:
    opened.close()


# Opened once per process; each replica opens its own engine on the shared database.
@st.cache_resource(show_spinner=False, on_release=_close_store)
def _open_store() -> Store:
    return open_store()


def store() -> Store | StoreError:
    """The team store (SQLite in the data folder, or EOMER_DATABASE_URL), or why it cannot open.

    An error is not cached: the next run tries again, once the deployment fixed its settings.
    """
    try:
        return _open_store()
    except StoreError as err:
        return err


def _close_pools(pools: OriginPools) -> None:
    pools.close()


# Closed when the cache lets it go, so their sockets are not left for the garbage collector.
@st.cache_resource(show_spinner=False, on_release=_close_pools)
def http_pools() -> OriginPools:
    """Connection pools shared by every session, one per API origin; none holds a token.

    One per origin, so a session pointed at a slow or hostile API exhausts that API's pool
    only, never the connections of another analyst's healthy one.
    """
    return OriginPools()


def _abandonment_check() -> Callable[[], bool]:
    """True once this run's browser session has gone, so its requests stop at their next check."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return never_abandoned
    runtime, session_id = Runtime.instance(), ctx.session_id
    # Streamlit documents is_active_session as safe from any thread: fetch workers call it too.
    return lambda: not runtime.is_active_session(session_id)


@dataclass
class Session:
    """The connection this browser session uses, its client (None until usable), and its data."""

    connection: Connection
    client: EomerClient | None
    data: SessionData
    pools: OriginPools
    pool: httpx.Client | None = None
    problem: EomerError | None = None


def _unconnected(url: str, max_bytes: int, accept: Collection[str] | None) -> Fetched:
    raise ResponseError("No API is connected: choose one in the sidebar.")


def _new_session(connection: Connection, pools: OriginPools) -> Session:
    problem = None
    client = None
    pool = None
    if connection.api_url is not None and connection.token is not None:
        try:
            pool = pools.for_api(connection.api_url)
            client = EomerClient(
                connection.api_url,
                connection.token,
                http=pool,
                max_in_flight=SESSION_IN_FLIGHT,
                abandoned=_abandonment_check(),
            )
        except EomerError as err:
            problem = err
    fetch = _unconnected
    if client is not None:
        bound = client

        def fetch(url: str, max_bytes: int, accept: Collection[str] | None) -> Fetched:
            # A page run waits for its links: one try with a short deadline, and the failure
            # shown in place with its own Retry button, instead of the API's retry policy.
            return bound.fetch(
                url, max_bytes=max_bytes, accept=accept, deadline=LINK_DEADLINE_SECONDS, attempts=1
            )

    data = SessionData.start(connection.identity, fetch)
    return Session(connection, client, data, pools, pool, problem)


def connect(choice: Connection) -> EomerError | None:
    """Make `choice` the session's connection; keep client and data while it is the same one.

    Returns why no client could be made for it (for the sidebar to show), else None.
    """
    if choice.is_demo:
        choice = Connection(demo_api_url(), DEMO_TOKEN, is_demo=True)
    pools = http_pools()
    current = st.session_state.get(SESSION_KEY)
    # Released pools are closed: the session then needs a client on a new one.
    if not (
        isinstance(current, Session)
        and current.connection.identity == choice.identity
        and current.pools is pools
        and not (current.pool is not None and current.pool.is_closed)
    ):
        current = _new_session(choice, pools)
        st.session_state[SESSION_KEY] = current
    return current.problem


def session() -> Session:
    """The session's connection, client and data, as the app shell's sidebar left them."""
    current = st.session_state.get(SESSION_KEY)
    if not isinstance(current, Session):
        # Only a page run outside the app shell gets here: nothing is connected yet.
        current = _new_session(Connection(None), http_pools())
        st.session_state[SESSION_KEY] = current
    return current


def demo_jobs() -> list[DemoJob]:
    """The built-in demo's jobs when the session is on it, else an empty list."""
    current = session()
    if not current.connection.is_demo or current.client is None:
        return []
    if current.data.demo_jobs is None:
        client = current.client
        fetched = client.fetch(
            client.base_url + "/_demo/scenarios",
            max_bytes=_SCENARIOS_MAX_BYTES,
            accept=["application/json"],
        )
        rows = json.loads(fetched.content)
        current.data.demo_jobs = [
            DemoJob(*(str(row.get(key, "")) for key in ("job_id", "scenario", "status")))
            for row in rows
            if isinstance(row, dict)
        ]
    return current.data.demo_jobs


# What one session may keep of a forecast while its page is open: the file and the table read
# from it, together. The table takes about 0.8 x the file (a 200 MB file kept 430 MB in all).
FORECAST_BUDGET_BYTES = 400 * 1024 * 1024
# A bigger file leaves no room for its table, so it is refused before it is read in full. About
# 1.7 million rows with nine quantiles.
MAX_FORECAST_BYTES = FORECAST_BUDGET_BYTES // 2


def forecast_data(
    client: EomerClient, job: Job, options: ReadOptions, *, budget: int = FORECAST_BUDGET_BYTES
) -> ForecastData:
    """The job's forecast file read with `options`, downloaded once per connection.

    Only the latest job's file and reading are kept; a new reading of the same file (the viewer
    corrected a guess) parses the kept bytes again instead of downloading them. A forecast whose
    file and reading together exceed `budget` is refused with ContentError, and nothing is kept.
    """
    data = session().data
    if job.job_id not in data.forecast_files:
        data.forecast_files.clear()  # free the previous job's file and frame first
        data.forecasts.clear()
        fetched = client.download_forecast(job, max_bytes=min(MAX_FORECAST_BYTES, budget))
        data.forecast_files[job.job_id] = fetched.content
    key = (job.job_id, options)
    if key not in data.forecasts:
        data.forecasts.clear()
        reading = parse_forecast_csv(data.forecast_files[job.job_id], options)
        data.keep_forecast(key, reading, budget)
    return data.forecasts[key]
