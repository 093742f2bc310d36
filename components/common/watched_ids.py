"""The job IDs a browser session watches, kept in its session state (their one owner)."""

from __future__ import annotations

import streamlit as st

from dashboard.jobs.watched_jobs import WatchedJobs, Watchlist, WatchPolls

# Kept in session state, not in the connection's data: switching API or token keeps the IDs.
WATCHED_KEY = "watchlist_jobs"


def watched_jobs() -> WatchedJobs:
    """The session's watched jobs, made empty on first use."""
    found = st.session_state.get(WATCHED_KEY)
    if not isinstance(found, WatchedJobs):
        found = WatchedJobs()
        st.session_state[WATCHED_KEY] = found
    return found


def watchlist(polls: WatchPolls) -> Watchlist:
    """The session's watched jobs with one connection's polling state of them."""
    return Watchlist(watched_jobs(), polls)
