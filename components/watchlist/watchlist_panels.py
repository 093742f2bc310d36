"""The watch list's live parts: table and summary on one timer, the charts on a slower one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo

import pandas as pd
import streamlit as st

from components.common.error_box import error_box
from components.watchlist.watchlist_chart_marks import TOP_N
from components.watchlist.watchlist_charts import elapsed_figure, size_figure, timeline_figure
from components.watchlist.watchlist_range_chart import range_figure
from components.watchlist.watchlist_table import (
    job_details,
    summary_panel,
    table_csv,
    watchlist_table,
)
from dashboard.jobs.elapsed_stats import (
    ETA_METHOD,
    MIN_RANGE_SAMPLES,
    RANGE_METHOD,
    Eta,
    completed_elapsed,
    estimate_etas,
    typical_range,
)
from dashboard.jobs.timing import format_absolute, format_duration
from dashboard.jobs.watched_jobs import CHART_SECONDS, POLL_SECONDS, Watchlist
from dashboard.session.links import job_page_query
from dashboard.session.routes import JOB_PAGE
from eomer_client.models import Job

CHARTED_KEY = "watchlist_charted"
ASK_AGAIN_KEY = "watchlist_ask_again"
SHOW_ALL_KEY = "watchlist_charts_all"
# Asks the API for the jobs that are due, and records the answers in the list.
Refresh = Callable[[], None]


def watch_live(watchlist: Watchlist, refresh: Refresh, tz: tzinfo) -> None:
    """Refresh once, then run the table and the charts on timers while any job may change."""
    refresh()  # before choosing the timer, so a list that is already all finished gets none
    was_live = watchlist.is_live
    # Set before the fragments run: the live view compares against it, the charts draw it.
    st.session_state[CHARTED_KEY] = watchlist.statuses()
    live = st.fragment(_live_panel, run_every=POLL_SECONDS if was_live else None)
    live(watchlist, refresh, tz, was_live)
    _csv_button(watchlist)
    charts = st.fragment(_chart_panel, run_every=CHART_SECONDS if was_live else None)
    charts(watchlist, tz, was_live)


def _shared_failure(watchlist: Watchlist) -> None:
    """When every unfinished job fails (bad token, API down), say it once, with Retry."""
    unsettled = [slot for slot in watchlist.slots.values() if not slot.settled]
    errors = [slot.error for slot in unsettled if slot.error is not None]
    if len(unsettled) > 1 and len(errors) == len(unsettled):
        title = "No watched job could be refreshed"
        if error_box(errors[0], retry_key="watchlist_retry", title=title):
            watchlist.retry_now()
            st.rerun(scope="fragment")


def _not_found_note(watchlist: Watchlist) -> None:
    """Say which IDs are no longer asked for, and offer to ask once more."""
    missing = watchlist.not_found_ids
    if not missing:
        return
    st.caption(
        f"{len(missing)} job ID(s) not found: the API has no such job for this token, so they "
        "are no longer asked for. Ask again if the job may exist now, or check the token."
    )
    # A callback: the rerun the click starts then asks at once, whichever scope it has.
    st.button(
        "Ask again for jobs not found",
        key=ASK_AGAIN_KEY,
        icon=":material/refresh:",
        on_click=watchlist.ask_again,
    )


def _csv_button(watchlist: Watchlist) -> None:
    """The table as CSV, made on click from the data of that moment."""
    # Outside the timed fragment: each redraw of a deferred download revokes the file id the
    # browser holds, so a click that met a tick got nothing (seen in CI under load).
    st.download_button(
        "Download table (CSV)",
        lambda: table_csv(watchlist, datetime.now(UTC)),
        "watchlist.csv",
        "text/csv",
        key="watchlist_csv",
        on_click="ignore",  # the file is made on click; the page has nothing to redraw
    )


def _live_panel(watchlist: Watchlist, refresh: Refresh, tz: tzinfo, was_live: bool) -> None:
    """Refresh due jobs, then draw the table and the summary."""
    refresh()
    now = datetime.now(UTC)
    _shared_failure(watchlist)
    if watchlist.refreshed_at is not None:
        ago = format_duration((now - watchlist.refreshed_at).total_seconds())
        live = sum(not slot.settled for slot in watchlist.slots.values())
        st.caption(f"Updated {ago} ago · {live} of {len(watchlist.ids)} job(s) still polled")
    _not_found_note(watchlist)
    selected = watchlist_table(watchlist, now, tz)
    if selected is not None:
        st.switch_page(JOB_PAGE.script, query_params=job_page_query(selected))
    job_details(watchlist, now, tz)
    summary_panel(watchlist.jobs(), now, len(watchlist.not_found_ids))
    if was_live and not watchlist.is_live:
        st.rerun()  # the last job finished: a full run stops the timers
    if watchlist.statuses() != st.session_state.get(CHARTED_KEY):
        st.rerun()  # a job changed status: redraw the charts now, not at their next tick


def _chart_panel(watchlist: Watchlist, tz: tzinfo, was_live: bool) -> None:
    """The charts, on their own slower timer while jobs run."""
    jobs = watchlist.jobs()
    many = len(jobs) > TOP_N
    show_all = many and st.toggle(
        f"Show all {len(jobs)} jobs in the charts",
        key=SHOW_ALL_KEY,
        help=f"Off: the bar charts draw the {TOP_N} most telling jobs; the table lists every job.",
    )
    chart_section(jobs, datetime.now(UTC), tz, None if show_all else TOP_N)
    if many and not show_all:
        st.caption(
            f"Drawn: the {TOP_N} longest of {len(jobs)} jobs per job, the {TOP_N} created last "
            f"on the timeline, the {TOP_N} running longest with an ETA."
        )
    if was_live:
        st.caption(
            f"Charts redraw every {CHART_SECONDS:.0f} s while jobs run, "
            "and at once when a job changes status."
        )


def chart_section(
    jobs: Sequence[Job], now: datetime, tz: tzinfo, limit: int | None = TOP_N
) -> None:
    """Every chart that has something to draw (bars of `limit` jobs), with what it leaves out."""
    if not jobs:
        st.info("No job data yet: charts appear once a watched job has loaded.")
        return
    completed = completed_elapsed(jobs, now)
    band = typical_range(completed)
    etas = estimate_etas(jobs, now)
    figures = {
        "elapsed": elapsed_figure(jobs, now, limit),
        "timeline": timeline_figure(jobs, now, tz, limit),
        "size": size_figure(jobs, now, band.outliers if band else []),
        "range": range_figure(completed, band, etas, limit),
    }
    for name, figure in figures.items():
        if figure is not None:
            # A chart of every job is a new chart: redrawn in place, plotly kept the axis of
            # the 20 bars before and showed a single row of the 50.
            scope = "all" if limit is None else "top"
            st.plotly_chart(figure, theme="streamlit", key=f"watchlist_chart_{name}_{scope}")
    missing = [name for name, figure in figures.items() if figure is None]
    if missing:
        st.caption(
            f"Not drawn for lack of data (times, sizes or completed jobs): {', '.join(missing)}."
        )
    st.caption(
        RANGE_METHOD if band else f"Typical range: needs {MIN_RANGE_SAMPLES} completed jobs."
    )
    if etas:
        st.caption(ETA_METHOD)
        st.dataframe(
            _eta_frame(etas.values(), tz),
            hide_index=True,
            key="watchlist_etas",
            column_config={"Based on": st.column_config.TextColumn(help=ETA_METHOD)},
        )


def _eta_frame(etas: Iterable[Eta], tz: tzinfo) -> pd.DataFrame:
    rows = [
        {
            "Job ID": eta.job_id,
            "Running for": format_duration(eta.so_far_seconds),
            "Expected total": format_duration(eta.expected_seconds),
            "Expected finish": "overdue: longer than similar jobs"
            if eta.so_far_seconds > eta.expected_seconds
            else format_absolute(eta.finish_at, tz),
            "Based on": eta.basis,
        }
        for eta in etas
    ]
    return pd.DataFrame(rows)
