"""Wiring: process resources, the session, the team store, job answers, forecasts and uploads.

Pages ask this package; components never do: they receive data, or a function that fetches.
The names below are what callers use; a test that patches one patches the module that owns it.
"""

from deps.browser import DEMO_HISTORY_KEY
from deps.forecasts import FORECAST_BUDGET_BYTES, MAX_FORECAST_BYTES, forecast_data
from deps.history import history_trends, job_history, sightings
from deps.jobs import job_reader, read_jobs, record_answers
from deps.resources import DEMO_TOKEN, Caches, caches, demo_api_url, http_pools, store
from deps.sessions import (
    SESSION_KEY,
    Connected,
    Session,
    Unconnected,
    connect,
    connected,
    demo_jobs,
    session,
)
from deps.snapshots import create_snapshot, delete_snapshot, own_snapshots, snapshot
from deps.team import (
    analyst,
    delete_watchlist,
    forget_me,
    pending_returns,
    remember_connection,
    remember_return,
    save_watchlist,
    saved_connection,
    saved_watchlists,
    sign_in,
    sign_out,
    take_return,
)
from deps.tenants import session_tenant
from deps.uploads import open_uploads, release_uploads

__all__ = [
    "DEMO_HISTORY_KEY",
    "DEMO_TOKEN",
    "FORECAST_BUDGET_BYTES",
    "MAX_FORECAST_BYTES",
    "SESSION_KEY",
    "Caches",
    "Connected",
    "Session",
    "Unconnected",
    "analyst",
    "caches",
    "connect",
    "connected",
    "create_snapshot",
    "delete_snapshot",
    "delete_watchlist",
    "demo_api_url",
    "demo_jobs",
    "forecast_data",
    "forget_me",
    "history_trends",
    "http_pools",
    "job_history",
    "job_reader",
    "open_uploads",
    "own_snapshots",
    "pending_returns",
    "read_jobs",
    "record_answers",
    "release_uploads",
    "remember_connection",
    "remember_return",
    "save_watchlist",
    "saved_connection",
    "saved_watchlists",
    "session",
    "session_tenant",
    "sightings",
    "sign_in",
    "sign_out",
    "snapshot",
    "store",
    "take_return",
]
