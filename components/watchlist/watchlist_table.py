"""The watch list's tables: one row per job (sortable, opens the job page), CSV, summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

import pandas as pd
import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from components.job.job_summary import status_label
from dashboard.jobs.elapsed_stats import rerun_groups, summarize
from dashboard.jobs.polling import PollSlot
from dashboard.jobs.timing import elapsed_seconds, format_absolute, format_duration
from dashboard.jobs.watched_jobs import Watchlist, problem_words
from dashboard.tables.csv_exports import safe_csv
from eomer_client.errors import EomerError
from eomer_client.models import Job

TABLE_KEY = "watchlist_table"
DETAILS_KEY = "watchlist_details"
_RERUN_HELP = "Every job ID of the group; each job's details give its hashes in full"
COLUMNS = [
    "Status",
    "Job ID",
    "Open",
    "Created",
    "Completed",
    "Elapsed (s)",
    "Items",
    "Prediction length",
    "Model version",
    "Error code",
    "Refresh problem",
]
_TIME_FORMAT = "YYYY-MM-DD HH:mm:ss Z"
# What an empty cell shows: Streamlit's default is the word "None".
MISSING = "—"
NOT_FOUND_LABEL = "❓ Not found"
# Narrow cells cut long text: each column says what it holds, the job's details give it whole.
_HELP = {
    "Status": "The job's status as last received; Not found: the API has no job with this ID",
    "Job ID": "The full ID is in the job's details below the table",
    "Model version": "The model version that ran the job",
    "Error code": "The failed job's error_code; the job page explains it",
    "Refresh problem": "Why the last refresh failed; the whole text is in the job's details",
}


def job_link(job_id: str) -> str:
    """Relative link to the job page of the same app (works under any base path)."""
    return f"./?job={job_id}"


def fetch_problem(err: EomerError | None, slot: PollSlot) -> str:
    """The text of a row's refresh failure, saying whether older data is still shown."""
    if err is None:
        return ""
    kept = " Showing the last data received." if slot.job is not None and not slot.not_found else ""
    return f"⚠️ {problem_words(err)}{kept}"


def _row(job_id: str, slot: PollSlot, now: datetime) -> dict[str, Any]:
    job = slot.job
    if job is None or slot.not_found:
        status = "⚠️ Unavailable" if slot.error else "… Not loaded yet"
        status = NOT_FOUND_LABEL if slot.not_found else status
        return {"Status": status, "Job ID": job_id, "Open": job_link(job_id)} | {
            "Refresh problem": fetch_problem(slot.error, slot)
        }
    return {
        "Status": status_label(job.status),
        "Job ID": job_id,
        "Open": job_link(job_id),
        "Created": job.created_at,
        "Completed": job.completed_at,
        "Elapsed (s)": elapsed_seconds(job, now),
        "Items": job.num_items,
        "Prediction length": job.prediction_length,
        "Model version": job.model_version,
        "Error code": None if job.error_code is None else str(job.error_code),
        "Refresh problem": fetch_problem(slot.error, slot),
    }


def table_frame(watchlist: Watchlist, now: datetime, tz: tzinfo) -> pd.DataFrame:
    """One row per watched job; times are tz-aware in the viewer's zone so they sort."""
    rows = [_row(job_id, slot, now) for job_id, slot in watchlist.slots.items()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("Created", "Completed"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(tz)
    for column in ("Items", "Prediction length"):
        frame[column] = frame[column].astype("Int64")
    frame["Elapsed (s)"] = frame["Elapsed (s)"].astype("Float64").round(1)
    return frame


def watchlist_table(watchlist: Watchlist, now: datetime, tz: tzinfo) -> str | None:
    """Draw the table; returns the job ID of a row the viewer selected, if any."""
    event = st.dataframe(
        table_frame(watchlist, now, tz),
        hide_index=True,
        width="stretch",
        key=TABLE_KEY,
        on_select="rerun",
        selection_mode="single-row",
        placeholder=MISSING,
        column_config={
            **{name: st.column_config.Column(name, help=text) for name, text in _HELP.items()},
            "Open": st.column_config.LinkColumn(
                "Open", display_text="Open in new tab", help="Job page in a new browser tab"
            ),
            "Created": st.column_config.DatetimeColumn("Created", format=_TIME_FORMAT),
            "Completed": st.column_config.DatetimeColumn("Completed", format=_TIME_FORMAT),
            "Elapsed (s)": st.column_config.NumberColumn("Elapsed (s)", format="%.1f"),
            "Items": st.column_config.NumberColumn("Items", format="%d"),
            "Prediction length": st.column_config.NumberColumn("Prediction length", format="%d"),
            "Refresh problem": st.column_config.TextColumn(
                "Refresh problem", width="large", help=_HELP["Refresh problem"]
            ),
        },
    )
    rows = event.selection.rows
    return str(watchlist.ids[rows[0]]) if rows and rows[0] < len(watchlist.ids) else None


def table_csv(watchlist: Watchlist, now: datetime) -> bytes:
    """The table as CSV with absolute UTC ISO 8601 times and elapsed seconds."""
    frame = table_frame(watchlist, now, UTC).drop(columns=["Open"])
    frame["Status"] = [_plain_status(slot) for slot in watchlist.slots.values()]
    for column in ("Created", "Completed"):
        frame[column] = frame[column].map(_iso_utc)
    frame = frame.rename(columns={"Elapsed (s)": "Elapsed seconds"})
    return safe_csv(frame)


def _plain_status(slot: PollSlot) -> str:
    if slot.not_found:
        return "not found"
    if slot.job is not None:
        return str(slot.job.status)
    return "unavailable" if slot.error else "not loaded"


def _iso_utc(value: object) -> str:
    return value.isoformat() if isinstance(value, pd.Timestamp) else ""


def summary_panel(jobs: Sequence[Job], now: datetime, not_found: int = 0) -> None:
    """Counts by status (and of IDs not found), median and p95 elapsed, failure rate, re-runs."""
    summary = summarize(jobs, now, not_found)
    counted = [(status_label(s), n) for s, n in sorted(summary.counts.items())]
    counted += [(NOT_FOUND_LABEL, summary.not_found)] if summary.not_found else []
    counts = ", ".join(f"{label}: {n}" for label, n in counted)
    st.markdown(f"**Jobs by status** · {escape_markdown(counts) or 'none loaded yet'}")
    median_col, p95_col, rate_col = st.columns(3)
    median_col.metric("Median elapsed (completed)", _duration(summary.median_seconds))
    p95_col.metric("95th percentile elapsed (completed)", _duration(summary.p95_seconds))
    rate = "—" if summary.failure_rate is None else f"{summary.failure_rate:.0%}"
    rate_col.metric("Failure rate (failed / finished)", rate)
    groups = rerun_groups(jobs)
    if groups:
        st.markdown("**Re-runs of the same input** (same `config_hash` and `dataset_hash`)")
        st.dataframe(
            pd.DataFrame(
                {
                    "config_hash": [g.config_hash for g in groups],
                    "dataset_hash": [g.dataset_hash for g in groups],
                    "Runs": [len(g.job_ids) for g in groups],
                    "Job IDs": [", ".join(g.job_ids) for g in groups],
                }
            ),
            hide_index=True,
            key="watchlist_reruns",
            placeholder=MISSING,
            column_config={"Job IDs": st.column_config.TextColumn(help=_RERUN_HELP)},
        )


def job_details(watchlist: Watchlist, now: datetime, tz: tzinfo) -> None:
    """Every cell of one chosen row in full, wrapped: what a narrow table cell cuts off."""
    if not watchlist.ids:
        return
    with st.expander("Job details: every cell in full"):
        chosen = st.selectbox(
            "Job", watchlist.ids, index=_first_with_problem(watchlist), key=DETAILS_KEY
        )
        slot = watchlist.slots.get(str(chosen))
        if slot is not None:
            # Remote text (IDs, messages, hashes): shown as written, never as markdown.
            lines = [
                f"**{name}:** {escape_untrusted(value)}" for name, value in _details(slot, now, tz)
            ]
            st.markdown("  \n".join(lines))


def _first_with_problem(watchlist: Watchlist) -> int:
    """The first row with a refresh problem: the text most likely to have been cut."""
    problems = [i for i, slot in enumerate(watchlist.slots.values()) if slot.error is not None]
    return problems[0] if problems else 0


def _details(slot: PollSlot, now: datetime, tz: tzinfo) -> list[tuple[str, str]]:
    job = None if slot.not_found else slot.job
    status = status_label(job.status) if job is not None else _plain_status(slot).capitalize()
    found: list[tuple[str, object]] = [("Status", NOT_FOUND_LABEL if slot.not_found else status)]
    if job is not None:
        seconds = elapsed_seconds(job, now)
        found += [
            ("Created", job.created_at and format_absolute(job.created_at, tz)),
            ("Completed", job.completed_at and format_absolute(job.completed_at, tz)),
            ("Elapsed", None if seconds is None else format_duration(seconds)),
            ("Items", job.num_items),
            ("Prediction length", job.prediction_length),
            ("Model version", job.model_version),
            ("Error code", job.error_code),
            ("config_hash", job.config_hash),
            ("dataset_hash", job.dataset_hash),
        ]
    found.append(("Refresh problem", fetch_problem(slot.error, slot)))
    return [(name, MISSING if value in (None, "") else str(value)) for name, value in found]


def _duration(seconds: float | None) -> str:
    return "—" if seconds is None else format_duration(seconds)
