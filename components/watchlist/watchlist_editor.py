"""Editing the watch list: restore it from a shared link, paste IDs, remove some, clear all."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.common.plain_text import escape_untrusted, one_line
from components.common.watched_ids import watched_jobs
from dashboard.jobs.job_input import Rejected, read_job_ids
from dashboard.jobs.watched_jobs import Watchlist, query_values
from dashboard.session.routes import JOB_PARAM

URL_READ_KEY = "watchlist_url_read"
PASTE_KEY = "watchlist_paste"
REMOVE_KEY = "watchlist_remove"
REPORT_KEY = "watchlist_report"
# Rejected entries named one by one; the rest are counted. A paste of 100,000 junk entries
# drew a warning box for each on every rerun, slowing every session on the server.
MAX_NAMED_REJECTIONS = 10


def restore_from_link(watchlist: Watchlist) -> None:
    """On a session's first visit the URL wins, so a shared or reloaded link restores its list."""
    if not st.session_state.get(URL_READ_KEY):
        st.session_state[URL_READ_KEY] = True
        from_url = read_job_ids(st.query_params.get_all(JOB_PARAM))
        if from_url.ids:
            watched_jobs().replace(from_url.ids)
        st.session_state[REPORT_KEY] = _rejections("Ignored in the link", from_url.rejected)
    mirror(watchlist)


def mirror(watchlist: Watchlist) -> None:
    """Mirror the list into the URL (job IDs only, never the token)."""
    if watchlist.ids:
        st.query_params[JOB_PARAM] = query_values(watchlist)
    elif JOB_PARAM in st.query_params:
        del st.query_params[JOB_PARAM]


def _add_pasted(watchlist: Watchlist) -> None:
    result = watchlist.add_text(st.session_state.get(PASTE_KEY, ""))
    mirror(watchlist)
    st.session_state[PASTE_KEY] = ""
    report = _rejections("Not added", result.rejected)
    if result.already:
        report.append(f"Already watched: {', '.join(result.already)}")
    if result.repeats:
        report.append(
            f"Dropped {result.repeats} repeated entr{'y' if result.repeats == 1 else 'ies'}."
        )
    st.session_state[REPORT_KEY] = [f"Added {len(result.added)} job(s).", *report]


def _rejections(prefix: str, rejected: Sequence[Rejected]) -> list[str]:
    """A line per rejected entry, up to MAX_NAMED_REJECTIONS, then one line counting the rest."""
    lines = [
        f"{prefix}: {one_line(r.entry, 120)!r}: {r.reason}" for r in rejected[:MAX_NAMED_REJECTIONS]
    ]
    if len(rejected) > MAX_NAMED_REJECTIONS:
        lines.append(f"{prefix}: {len(rejected) - MAX_NAMED_REJECTIONS:,} more entries.")
    return lines


def _remove_selected(watchlist: Watchlist) -> None:
    for job_id in st.session_state.get(REMOVE_KEY, []):
        watchlist.remove(job_id)
    st.session_state[REMOVE_KEY] = []
    mirror(watchlist)


def _clear(watchlist: Watchlist) -> None:
    watchlist.clear()
    st.session_state[REPORT_KEY] = []
    mirror(watchlist)


def watchlist_editor(watchlist: Watchlist) -> None:
    """The "Add or remove jobs" panel, open while the list is empty."""
    with st.expander("Add or remove jobs", expanded=not watchlist.ids):
        st.text_area("Job IDs, job links or POST /forecast answers, any separators", key=PASTE_KEY)
        st.button(
            "Add to watch list", on_click=_add_pasted, args=(watchlist,), icon=":material/add:"
        )
        for line in st.session_state.get(REPORT_KEY, []):
            # Lines echo what was pasted or linked: shown as text, never as markdown.
            if line.startswith(("Not", "Ignored")):
                st.warning(escape_untrusted(line))
            else:
                st.info(escape_untrusted(line))
        st.multiselect("Jobs to remove", watchlist.ids, key=REMOVE_KEY)
        st.button(
            "Remove selected",
            on_click=_remove_selected,
            args=(watchlist,),
            icon=":material/remove:",
        )
        st.button("Clear all", on_click=_clear, args=(watchlist,), icon=":material/delete:")
