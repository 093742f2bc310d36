"""The browser session's connection: its client on the shared pool, its data, the demo's jobs.

Named in the plural so the module never shadows `deps.session()`, the function pages call.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
import streamlit as st

from dashboard.caching.session_data import SessionData
from dashboard.jobs.demo_tour import DemoJob
from dashboard.session.connection_settings import Connection
from deps.browser import abandonment_check
from deps.resources import DEMO_TOKEN, caches, demo_api_url, http_pools
from eomer_client.client import EomerClient, Fetched
from eomer_client.errors import EomerError, ResponseError
from eomer_client.pools import OriginPools
from eomer_client.retry import RetryPolicy

_log = logging.getLogger(__name__)
SESSION_KEY = "deps_session"
_SCENARIOS_MAX_BYTES = 1024 * 1024
LINK_DEADLINE_SECONDS = 10.0
# Requests one session may have in flight: a watch list refresh asks 8 jobs at once.
SESSION_IN_FLIGHT = 8


@dataclass(frozen=True)
class ClientTiming:
    """How long a session's client waits: each read, and the retries of one call."""

    read_timeout: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)


# The API's real waits. Page tests of the fault matrix put a short read timeout and a retry
# policy on a fake clock here (on this module: `deps` does not re-export it, so patching the
# package cannot silently miss), so no test waits out the production deadlines.
client_timing = ClientTiming()


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
                timeout=client_timing.read_timeout,
                retry=client_timing.retry,
                max_in_flight=SESSION_IN_FLIGHT,
                abandoned=abandonment_check(),
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

    data = SessionData.start(connection.identity, fetch, caches().content)
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


@dataclass(frozen=True)
class Connected:
    """A session that can ask its API: the client, the connection's data, its origin's host."""

    client: EomerClient
    data: SessionData
    connection: Connection

    @property
    def api_host(self) -> str:
        return urlsplit(self.client.base_url).netloc


@dataclass(frozen=True)
class Unconnected:
    """A session that cannot ask an API yet; its data (IDs, files) is still kept.

    Why it cannot is the sidebar's to say (the connection's problem, or the missing API or
    token); a page says only what it would show once connected.
    """

    data: SessionData
    connection: Connection


def connected() -> Connected | Unconnected:
    """The session resolved once for a page: with a client, or without one."""
    current = session()
    if current.client is not None:
        return Connected(current.client, current.data, current.connection)
    return Unconnected(current.data, current.connection)


def demo_jobs() -> list[DemoJob]:
    """The built-in demo's jobs when the session is on it, else an empty list."""
    current = session()
    if not current.connection.is_demo or current.client is None:
        return []
    if current.data.demo_jobs is None:
        seeded = _demo_rows(current.client, "/_demo/scenarios")
        # The session's own live jobs, running from now (the seeded ones follow the demo's
        # start, and are completed for everyone a minute and a half after it).
        try:
            own = {job.scenario: job for job in _demo_rows(current.client, "/_demo/live-jobs")}
        except EomerError as err:
            _log.info("The demo hands out no live jobs (%s); showing its seeded ones.", err)
            own = {}
        current.data.demo_jobs = [own.get(job.scenario, job) for job in seeded]
    return current.data.demo_jobs


def _demo_rows(client: EomerClient, path: str) -> list[DemoJob]:
    """The demo jobs an endpoint of the built-in demo lists."""
    fetched = client.fetch(
        client.base_url + path, max_bytes=_SCENARIOS_MAX_BYTES, accept=["application/json"]
    )
    rows = json.loads(fetched.content)
    return [
        DemoJob(*(str(row.get(key, "")) for key in ("job_id", "scenario", "status")))
        for row in rows
        if isinstance(row, dict)
    ]
