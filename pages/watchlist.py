"""Watch list: every job of the session on one page, refreshed together, with elapsed charts."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import streamlit as st

import deps
from components.common.waiting import waiting
from components.common.watched_ids import watchlist as watched_list
from components.history.history_trends import TREND_DAYS, token_trends
from components.shell.app_shell import require_app_shell
from components.watchlist.saved_watchlists import Shelf, saved_watchlists
from components.watchlist.watchlist_editor import restore_from_link, watchlist_editor
from components.watchlist.watchlist_panels import watch_live
from dashboard.jobs.timing import viewer_timezone

require_app_shell(deps)
live = deps.connected()
st.title("Watch list")
# Job data belongs to one API and token: switching either starts the data afresh, IDs stay.
watchlist = watched_list(live.data.watch_polls)
restore_from_link(watchlist)
watchlist_editor(watchlist)
if deps.analyst() is not None:
    shelf = Shelf(deps.saved_watchlists, deps.save_watchlist, deps.delete_watchlist)
    saved_watchlists(shelf, viewer_timezone(st.context.timezone))
if not watchlist.ids:
    st.info("No jobs watched yet. Paste job IDs above, or press Watch on a job page.")
    st.stop()

if isinstance(live, deps.Unconnected):
    st.info("Connect to an API in the sidebar to load the watched jobs.")


def refresh() -> None:
    """One bounded concurrent call for the jobs that are due; terminal ones never are."""
    # The slot is made on every run, asked or not: elements that shift between runs are redrawn.
    slot = st.empty()
    if isinstance(live, deps.Unconnected):
        return
    due = watchlist.due(datetime.now(UTC))
    jobs = "1 watched job" if len(due) == 1 else f"{len(due)} watched jobs"
    if due:
        with waiting(f"Asking the API at {live.api_host} for {jobs}", where=slot):
            watchlist.record(deps.read_jobs(due), datetime.now(UTC))


tz = viewer_timezone(st.context.timezone)
watch_live(watchlist, refresh, tz)
if deps.session_tenant() is not None:
    token_trends(
        partial(deps.history_trends, days=TREND_DAYS, by_preset=True, zone=tz),
        datetime.now(UTC).astimezone(tz).date(),
        TREND_DAYS,
    )
