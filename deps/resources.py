"""Process resources: the team store, the HTTP pools, the built-in demo API, the caches.

Each is made once per process (`st.cache_resource`) and shared by every browser session; every
size they keep to is read here, from `BUDGETS` (dashboard/caching/budgets.py).
"""

from __future__ import annotations

import logging
import os
import secrets as _secrets
from dataclasses import dataclass

import streamlit as st

from dashboard.caching.budgets import BUDGETS, Budgets
from dashboard.caching.content_budget import ContentBudget
from dashboard.caching.shared_cache import JobAnswers, SharedForecasts
from dashboard.jobs.job_history import WriteThrottle
from dashboard.safety.token_acceptance import TokenAcceptance
from dashboard.session.connection_settings import SettingsError, shared_demo_url
from dashboard.session.return_to import PendingReturns
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
    return OriginPools(BUDGETS.origins)


@dataclass(frozen=True)
class Caches:
    """What the process keeps for its sessions, each within its budget of `budgets`.

    `content` holds every session's remote content (by session); the others are keyed by
    tenant, and job answers and forecasts are served only to a token the API accepted within
    the last 10 s. `returns` holds each browser's page to go back to after signing in (behind
    HAProxy the sign-in round trip stays on one replica). `cache_key` names tenants when there
    is no store.
    """

    budgets: Budgets
    content: ContentBudget
    jobs: JobAnswers
    forecasts: SharedForecasts
    throttle: WriteThrottle
    returns: PendingReturns
    cache_key: bytes

    @classmethod
    def build(cls, budgets: Budgets) -> Caches:
        acceptance = TokenAcceptance(max_tenants=budgets.tenants)
        return cls(
            budgets,
            ContentBudget(budgets.content_bytes),
            JobAnswers(max_bytes=budgets.job_answers_bytes, acceptance=acceptance),
            SharedForecasts(
                files_bytes=budgets.forecast_files_bytes,
                readings_bytes=budgets.forecast_readings_bytes,
                acceptance=acceptance,
            ),
            WriteThrottle(remember=budgets.written_jobs),
            PendingReturns(budgets.pending_returns),
            _secrets.token_bytes(32),
        )


@st.cache_resource(show_spinner=False)
def caches() -> Caches:
    """The process's one cache object, built from its budgets."""
    return Caches.build(BUDGETS)
