"""Watch list: every job of the session on one page, refreshed together, with elapsed charts."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from components.app_shell import require_app_shell
from components.connection import current_client, session_cache
from components.error_box import error_box
from components.session_keys import WATCHLIST_JOBS
from components.watchlist_charts import chart_section
from components.watchlist_table import summary_panel, table_csv, watchlist_table
from dashboard.links import JOB_PARAM, job_page_query, read_job_ids
from dashboard.timing import format_duration, viewer_timezone
from dashboard.watchlist import CHART_SECONDS, POLL_SECONDS, Watchlist, query_values

require_app_shell()
CACHE_NAME = "watchlist"
URL_READ_KEY = "watchlist_url_read"
PASTE_KEY = "watchlist_paste"
REMOVE_KEY = "watchlist_remove"
REPORT_KEY = "watchlist_report"
CHARTED_KEY = "watchlist_charted"
JOB_PAGE = "pages/job.py"

st.title("Watch list")
# Job data belongs to one API and token: switching either starts the data afresh, IDs stay.
watchlist: Watchlist = session_cache(CACHE_NAME).setdefault("state", Watchlist())
if not st.session_state.get(URL_READ_KEY):
    # URL wins on a session's first visit, so a shared or reloaded link restores its list.
    st.session_state[URL_READ_KEY] = True
    from_url = read_job_ids(st.query_params.get_all(JOB_PARAM))
    if from_url.ids:
        st.session_state[WATCHLIST_JOBS] = from_url.ids
    st.session_state[REPORT_KEY] = [
        f"Ignored in the link: {r.entry!r}: {r.reason}" for r in from_url.rejected
    ]
watchlist.sync(st.session_state.get(WATCHLIST_JOBS, []))


def _changed() -> None:
    """Mirror the list into session state and the URL (job IDs only, never the token)."""
    st.session_state[WATCHLIST_JOBS] = watchlist.ids
    if watchlist.ids:
        st.query_params[JOB_PARAM] = query_values(watchlist)
    elif JOB_PARAM in st.query_params:
        del st.query_params[JOB_PARAM]


def _add_pasted() -> None:
    result = watchlist.add_text(st.session_state.get(PASTE_KEY, ""))
    _changed()
    st.session_state[PASTE_KEY] = ""
    report = [f"Not added: {r.entry!r}: {r.reason}" for r in result.rejected]
    if result.already:
        report.append(f"Already watched: {', '.join(result.already)}")
    if result.repeats:
        report.append(
            f"Dropped {result.repeats} repeated entr{'y' if result.repeats == 1 else 'ies'}."
        )
    st.session_state[REPORT_KEY] = [f"Added {len(result.added)} job(s).", *report]


def _remove_selected() -> None:
    for job_id in st.session_state.get(REMOVE_KEY, []):
        watchlist.remove(job_id)
    st.session_state[REMOVE_KEY] = []
    _changed()


def _clear() -> None:
    watchlist.clear()
    st.session_state[REPORT_KEY] = []
    _changed()


_changed()
with st.expander("Add or remove jobs", expanded=not watchlist.ids):
    st.text_area("Job IDs, job links or POST /forecast answers, any separators", key=PASTE_KEY)
    st.button("Add to watch list", on_click=_add_pasted, icon=":material/add:")
    for line in st.session_state.get(REPORT_KEY, []):
        if line.startswith(("Not", "Ignored")):
            st.warning(line)
        else:
            st.info(line)
    st.multiselect("Jobs to remove", watchlist.ids, key=REMOVE_KEY)
    st.button("Remove selected", on_click=_remove_selected, icon=":material/remove:")
    st.button("Clear all", on_click=_clear, icon=":material/delete:")

client = current_client()
tz = viewer_timezone(st.context.timezone)


def _refresh() -> None:
    """One bounded concurrent call for the jobs that are due; terminal ones never are."""
    due = watchlist.due(datetime.now(UTC))
    if client is not None and due:
        watchlist.record(client.get_jobs(due), datetime.now(UTC))


def _shared_failure() -> None:
    """When every unfinished job fails (bad token, API down), say it once, with Retry."""
    unsettled = [slot for slot in watchlist.slots.values() if not slot.settled]
    errors = [slot.error for slot in unsettled if slot.error is not None]
    if len(unsettled) > 1 and len(errors) == len(unsettled):
        title = "No watched job could be refreshed"
        if error_box(errors[0], retry_key="watchlist_retry", title=title):
            watchlist.retry_now()
            st.rerun(scope="fragment")


def live_view() -> None:
    """Refresh due jobs, then draw table, summary and the CSV export."""
    _refresh()
    now = datetime.now(UTC)
    _shared_failure()
    if watchlist.refreshed_at is not None:
        ago = format_duration((now - watchlist.refreshed_at).total_seconds())
        live = sum(not slot.settled for slot in watchlist.slots.values())
        st.caption(f"Updated {ago} ago · {live} of {len(watchlist.ids)} job(s) still polled")
    selected = watchlist_table(watchlist, now, tz)
    if selected is not None:
        st.switch_page(JOB_PAGE, query_params=job_page_query(selected))
    # Made on click, from the data of that moment: not rebuilt and held in memory every tick.
    st.download_button(
        "Download table (CSV)",
        lambda: table_csv(watchlist, datetime.now(UTC)),
        "watchlist.csv",
        "text/csv",
    )
    summary_panel(watchlist.jobs(), now)
    if was_live and not watchlist.is_live:
        st.rerun()  # the last job finished: a full run stops the timers
    if watchlist.statuses() != st.session_state.get(CHARTED_KEY):
        st.rerun()  # a job changed status: redraw the charts now, not at their next tick


def chart_view() -> None:
    """The charts, on their own slower timer while jobs run."""
    chart_section(watchlist.jobs(), datetime.now(UTC), tz)
    if was_live:
        st.caption(
            f"Charts redraw every {CHART_SECONDS:.0f} s while jobs run, "
            "and at once when a job changes status."
        )


if not watchlist.ids:
    st.info("No jobs watched yet. Paste job IDs above, or press Watch on a job page.")
    st.stop()
if client is None:
    st.info("Connect to an API in the sidebar to load the watched jobs.")
_refresh()  # before choosing the timer, so a list that is already all finished gets none
was_live = watchlist.is_live
# Set before the fragments run: the live view compares against it, the charts below draw it.
st.session_state[CHARTED_KEY] = watchlist.statuses()
st.fragment(live_view, run_every=POLL_SECONDS if was_live else None)()
st.fragment(chart_view, run_every=CHART_SECONDS if was_live else None)()
