"""The Recent jobs page's filters and table: the tenant's job history, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components.common.watched_ids import watched_jobs
from dashboard.jobs.timing import format_absolute, format_duration
from dashboard.session.links import job_page_query
from store import HistoryEntry

STATUSES = ("completed", "failed", "running", "pending")
ANY_STATUS = "any status"
PREFIX_KEY = "history_prefix"
STATUS_KEY = "history_status"
DATES_KEY = "history_dates"
TABLE_KEY = "history_table"
WATCH_KEY = "history_watch"
DEFAULT_DAYS = 56


@dataclass(frozen=True)
class HistoryFilter:
    """What the viewer asked for: an ID prefix, a status, and [since, until) in their zone."""

    id_prefix: str | None
    status: str | None
    since: datetime | None
    until: datetime | None


def _bounds(picked: object, tz: tzinfo) -> tuple[datetime | None, datetime | None]:
    """The picked days as instants: from the first day's midnight to after the last day."""
    days = [d for d in picked if isinstance(d, date)] if isinstance(picked, tuple) else []
    if not days:
        return None, None
    since = datetime.combine(days[0], time(), tzinfo=tz)
    until = datetime.combine(days[-1] + timedelta(days=1), time(), tzinfo=tz)
    return since, until


def history_filters(today: date, tz: tzinfo) -> HistoryFilter:
    """ID prefix, status and date range, side by side."""
    prefix_column, status_column, dates_column = st.columns([2, 1, 2])
    prefix = prefix_column.text_input("Job ID starts with", key=PREFIX_KEY, max_chars=200)
    status = status_column.selectbox("Status", (ANY_STATUS, *STATUSES), key=STATUS_KEY)
    picked = dates_column.date_input(
        "Created between (your time zone)",
        value=(today - timedelta(days=DEFAULT_DAYS - 1), today),
        max_value=today,
        key=DATES_KEY,
        format="YYYY-MM-DD",
    )
    since, until = _bounds(picked, tz)
    chosen_status = None if status == ANY_STATUS else status
    return HistoryFilter(prefix.strip() or None, chosen_status, since, until)


def _link(job_id: str) -> str:
    # Relative, so it also works below a base URL path: the job page is the app's root.
    return "./?" + urlencode(job_page_query(job_id))


def _when(moment: datetime | None, tz: tzinfo) -> str:
    return format_absolute(moment, tz) if moment is not None else ""


def history_frame(entries: Sequence[HistoryEntry], tz: tzinfo) -> pd.DataFrame:
    """One row per job, as the table shows it."""
    rows = [
        {
            "Job": _link(entry.facts.job_id),
            "Status": entry.facts.status,
            "Created": _when(entry.facts.created_at, tz),
            "Completed": _when(entry.facts.completed_at, tz),
            "Elapsed": format_duration(entry.facts.elapsed_seconds)
            if entry.facts.elapsed_seconds is not None
            else "",
            "Items": entry.facts.num_items,
            "Preset": entry.facts.preset or "",
            "Last seen": _when(entry.last_seen, tz),
        }
        for entry in entries
    ]
    columns = ["Job", "Status", "Created", "Completed", "Elapsed", "Items", "Preset", "Last seen"]
    return pd.DataFrame(rows, columns=columns).astype({"Items": "Int64"})


def history_table(entries: Sequence[HistoryEntry], tz: tzinfo) -> list[str]:
    """The table, each job linked to its page; returns the IDs of the selected rows."""
    selection = st.dataframe(
        history_frame(entries, tz),
        hide_index=True,
        key=TABLE_KEY,
        on_select="rerun",
        selection_mode="multi-row",
        column_config={
            "Job": st.column_config.LinkColumn(
                "Job ID", display_text=r"job=([^&]+)", help="Opens the job's page"
            ),
            "Items": st.column_config.NumberColumn("Items", format="%d"),
        },
    )
    rows = selection.selection.rows if selection is not None else []
    return [entries[row].facts.job_id for row in rows if 0 <= row < len(entries)]


def _watch(fresh: Sequence[str]) -> None:
    # A callback: it runs before the page does, so the run the click starts draws the new state.
    watched_jobs().add(fresh)
    st.toast(f"Added {len(fresh)} job(s) to the watch list.", icon="👀")


def watch_selected(job_ids: Sequence[str]) -> None:
    """A button that adds the selected jobs to the session's watch list, saying when it has."""
    watched = watched_jobs()
    fresh = [job_id for job_id in job_ids if job_id not in watched]
    if job_ids and not fresh:
        label = f"Watching the {len(job_ids)} selected job(s)"
    else:
        label = f"Watch {len(fresh)} selected job(s)" if fresh else "Watch selected jobs"
    st.button(
        label,
        key=WATCH_KEY,
        icon=":material/visibility:",
        disabled=not fresh,
        on_click=_watch,
        args=[fresh],
    )
