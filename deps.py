"""Wiring in one place: the shared HTTP pool, the built-in demo API, the session's client and data.

Pages ask this module; components never do: they receive data, or a function that fetches.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx
import streamlit as st

from dashboard.forecast_csv import ForecastData, ReadOptions, parse_forecast_csv
from dashboard.session_data import DemoJob, SessionData
from dashboard.settings import Connection
from eomer_client.client import EomerClient, Fetched
from eomer_client.errors import EomerError, ResponseError
from eomer_client.models import Job

DEMO_TOKEN = "demo-token"
SESSION_KEY = "deps_session"
_SCENARIOS_MAX_BYTES = 1024 * 1024
LINK_DEADLINE_SECONDS = 10.0


@st.cache_resource(show_spinner="Starting the built-in demo API…")
def demo_api_url() -> str:
    """One built-in demo API per dashboard process, started on first use."""
    from demo_api.server import start_background_server

    url: str = start_background_server()
    return url


def _close_pool(http: httpx.Client) -> None:
    http.close()


# Closed when the cache lets it go, so its sockets are not left for the garbage collector.
@st.cache_resource(show_spinner=False, on_release=_close_pool)
def shared_http() -> httpx.Client:
    """One connection pool for every session; it holds no token and keeps no cookies."""
    # A shared cookie jar would carry one analyst's session cookies into another's requests.
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    return httpx.Client(follow_redirects=False, cookies=jar, limits=limits)


@dataclass
class Session:
    """The connection this browser session uses, its client (None until usable), and its data."""

    connection: Connection
    client: EomerClient | None
    data: SessionData
    pool: httpx.Client
    problem: EomerError | None = None


def _unconnected(url: str, max_bytes: int, accept: Collection[str] | None) -> Fetched:
    raise ResponseError("No API is connected: choose one in the sidebar.")


def _new_session(connection: Connection, pool: httpx.Client) -> Session:
    problem = None
    client = None
    if connection.api_url is not None and connection.token is not None:
        try:
            client = EomerClient(connection.api_url, connection.token, http=pool)
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

    return Session(connection, client, SessionData.start(connection.identity, fetch), pool, problem)


def connect(choice: Connection) -> EomerError | None:
    """Make `choice` the session's connection; keep client and data while it is the same one.

    Returns why no client could be made for it (for the sidebar to show), else None.
    """
    if choice.is_demo:
        choice = Connection(demo_api_url(), DEMO_TOKEN, is_demo=True)
    pool = shared_http()
    current = st.session_state.get(SESSION_KEY)
    # A released pool is closed: the session then needs a client on the new one.
    if not (
        isinstance(current, Session)
        and current.connection.identity == choice.identity
        and current.pool is pool
    ):
        current = _new_session(choice, pool)
        st.session_state[SESSION_KEY] = current
    return current.problem


def session() -> Session:
    """The session's connection, client and data, as the app shell's sidebar left them."""
    current = st.session_state.get(SESSION_KEY)
    if not isinstance(current, Session):
        # Only a page run outside the app shell gets here: nothing is connected yet.
        current = _new_session(Connection(None), shared_http())
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


# Big enough for ~2.5 million rows with nine quantiles; the parsed frame is about as large
# again, and it stays in this session's memory while the page is open.
MAX_FORECAST_BYTES = 300 * 1024 * 1024


def forecast_data(client: EomerClient, job: Job, options: ReadOptions) -> ForecastData:
    """The job's forecast file read with `options`, downloaded once per connection.

    Only the latest job's file and reading are kept; a new reading of the same file (the viewer
    corrected a guess) parses the kept bytes again instead of downloading them.
    """
    data = session().data
    if job.job_id not in data.forecast_files:
        data.forecast_files.clear()  # free the previous job's file and frame first
        data.forecasts.clear()
        with st.spinner("Downloading the forecast file…"):
            fetched = client.download_forecast(job, max_bytes=MAX_FORECAST_BYTES)
        data.forecast_files[job.job_id] = fetched.content
    key = (job.job_id, options)
    if key not in data.forecasts:
        data.forecasts.clear()
        with st.spinner("Reading the forecast file…"):
            data.forecasts[key] = parse_forecast_csv(data.forecast_files[job.job_id], options)
    return data.forecasts[key]
