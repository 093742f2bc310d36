"""Process resources: the team store, the HTTP pools, the built-in demo API, the shared caches.

Each is made once per process (`st.cache_resource`) and shared by every browser session.
"""

from __future__ import annotations

import logging
import os
import secrets as _secrets
from dataclasses import dataclass

import streamlit as st

from dashboard.caching.shared_cache import JobAnswers, SharedForecasts
from dashboard.jobs.job_history import WriteThrottle
from dashboard.safety.token_acceptance import TokenAcceptance
from dashboard.session.connection_settings import SettingsError, shared_demo_url
from eomer_client.pools import OriginPools
from store import Store, StoreError, open_store

_log = logging.getLogger(__name__)
DEMO_TOKEN = "demo-token"


# Said on the page by the app shell, which waits for it (components/common/waiting.py).
@st.cache_resource(show_spinner=False)
def demo_api_url() -> str:
    """The built-in demo API: the one the replicas share (EOMER_DEMO_API_URL), else one per
    dashboard process, started on first use."""
    try:
        shared = shared_demo_url(os.environ)
    except SettingsError as err:
        _log.error("%s Starting a demo API in this process instead.", err)
        shared = None
    if shared is not None:
        return shared
    from demo_api.server import start_background_server

    url: str = start_background_server()
    return url


def _close_store(opened: Store) -> None:
    opened.close()


# Opened once per process; each replica opens its own engine on the shared database.
@st.cache_resource(show_spinner=False, on_release=_close_store)
def _open_store() -> Store:
    return open_store()


# Store errors already written to the log, so a store that stays down is logged once.
_LOGGED_STORE_ERRORS: set[str] = set()


def store() -> Store | StoreError:
    """The team store (SQLite in the data folder, or EOMER_DATABASE_URL), or why it cannot open.

    An error is not cached: the next run tries again, once the deployment fixed its settings.
    Its message is for viewers (no URL, no path); its detail goes to the server log once.
    """
    try:
        return _open_store()
    except StoreError as err:
        if err.detail not in _LOGGED_STORE_ERRORS:
            _LOGGED_STORE_ERRORS.add(err.detail)
            _log.error("The team store cannot open: %s", err.detail)
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


@dataclass
class SharedAnswers:
    """Per process: job answers, forecasts, which history writes are due, a key for caches."""

    jobs: JobAnswers
    forecasts: SharedForecasts
    throttle: WriteThrottle
    cache_key: bytes


@st.cache_resource(show_spinner=False)
def shared_answers() -> SharedAnswers:
    """The caches every session of this process shares (keyed by tenant).

    Both serve what they keep only to a token the API accepted within the last 10 s.
    """
    acceptance = TokenAcceptance()
    jobs, forecasts = JobAnswers(acceptance=acceptance), SharedForecasts(acceptance=acceptance)
    return SharedAnswers(jobs, forecasts, WriteThrottle(), _secrets.token_bytes(32))
