"""The team store: connections, watch lists, job history and snapshots in SQLite or PostgreSQL.

Open it with `open_store()`; every other function takes the `Store` it returns. No Streamlit.
"""

from store.analysts import (
    LOCAL_SUBJECT,
    AnalystProfile,
    analyst_subject,
    forget_analyst,
    load_analyst,
    record_sign_in,
)
from store.connections import (
    SavedConnection,
    forget_connection,
    load_connection,
    save_connection,
)
from store.engine import Store, open_store
from store.errors import (
    AnalystGoneError,
    SecretKeyError,
    SnapshotError,
    StoreConfigError,
    StoreError,
    StoreUnansweredError,
    WatchlistError,
)
from store.history import HistoryEntry, JobFacts, adopt_previous_keys, recent_jobs, record_jobs
from store.keys import api_origin
from store.snapshots import (
    SavedSnapshot,
    SnapshotLookup,
    SnapshotState,
    create_snapshot,
    delete_snapshot,
    get_snapshot,
    list_snapshots,
)
from store.trends import DailyTrend, daily_trends
from store.watchlists import (
    SavedWatchlist,
    delete_watchlist,
    list_watchlists,
    load_watchlist,
    save_watchlist,
)

__all__ = [
    "LOCAL_SUBJECT",
    "AnalystGoneError",
    "AnalystProfile",
    "DailyTrend",
    "HistoryEntry",
    "JobFacts",
    "SavedConnection",
    "SavedSnapshot",
    "SavedWatchlist",
    "SecretKeyError",
    "SnapshotError",
    "SnapshotLookup",
    "SnapshotState",
    "Store",
    "StoreConfigError",
    "StoreError",
    "StoreUnansweredError",
    "WatchlistError",
    "adopt_previous_keys",
    "analyst_subject",
    "api_origin",
    "create_snapshot",
    "daily_trends",
    "delete_snapshot",
    "delete_watchlist",
    "forget_analyst",
    "forget_connection",
    "get_snapshot",
    "list_snapshots",
    "list_watchlists",
    "load_analyst",
    "load_connection",
    "load_watchlist",
    "open_store",
    "recent_jobs",
    "record_jobs",
    "record_sign_in",
    "save_connection",
    "save_watchlist",
]
