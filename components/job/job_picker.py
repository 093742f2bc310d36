"""The job page's input (bound to `?job=`), its share link and its Watch button."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from components.common.plain_text import escape_markdown
from components.common.watched_ids import watched_jobs
from dashboard.jobs.explanations import explain_error
from dashboard.jobs.job_input import parse_job_input
from dashboard.session.links import ShareLinkError, job_page_query, share_url
from dashboard.session.routes import JOB_PARAM, WATCHLIST_PAGE
from eomer_client.errors import InvalidJobIdError

FORM_KEY = "job_form"
INPUT_KEY = "job_input"
# The `?job=` value the input last took over, so only a new link replaces what was typed.
SHOWN_JOB_PARAM = "job_input_query"
INPUT_LABEL = "Job ID, job URL or POST /forecast JSON"
WATCH_KEY = "job_watch"
UNWATCH_KEY = "job_unwatch"


def job_picker() -> str | None:
    """The valid job ID to show (from the input or the link), else None after saying why."""
    raw = st.query_params.get(JOB_PARAM, "")
    if st.session_state.get(SHOWN_JOB_PARAM) != raw or INPUT_KEY not in st.session_state:
        # A new `?job=` (a clicked link, a shared URL) is what the input shows.
        st.session_state[SHOWN_JOB_PARAM] = raw
        st.session_state[INPUT_KEY] = raw
    with st.form(FORM_KEY, border=False, enter_to_submit=True):
        # A fixed key: an ID derived from the value would drop the next entry once ?job= changes.
        text = st.text_input(INPUT_LABEL, key=INPUT_KEY, placeholder="e.g. 3f2b…-…")
        if st.form_submit_button("Show job", icon=":material/search:", type="primary"):
            raw = text
    if not raw.strip():
        return None
    try:
        job_id = parse_job_input(raw)
    except InvalidJobIdError as err:
        st.error(
            f"**{escape_markdown(err.message)}**  \n"
            f"{escape_markdown(explain_error(err).next_step)}",
            icon=":material/error:",
        )
        return None
    # Set even when equal: after a page link the browser's address may not show it yet.
    st.query_params[JOB_PARAM] = job_id
    st.session_state[SHOWN_JOB_PARAM] = job_id
    return job_id


def share_and_watch(job_id: str) -> None:
    """A copyable link to this job (no token, no API address) and a button to watch it."""
    try:
        link = share_url(st.context.url or "", "", [job_id])
    except ShareLinkError:
        # Without the browser's address (tests, odd proxies) a relative link still works.
        link = "/?" + urlencode(job_page_query(job_id))
    link_column, watch_column = st.columns([3, 2], vertical_alignment="bottom")
    with link_column:
        st.caption("Link to this job (copy it with the button on the right of the box)")
        st.code(link, language=None, wrap_lines=True)
    with watch_column:
        watch_control(job_id)


def _watch(job_id: str) -> None:
    # A callback: it runs before the page does, so the run the click starts draws the new state.
    watched_jobs().add([job_id])
    st.toast("Added to the watch list.", icon="👀")


def _unwatch(job_id: str) -> None:
    watched_jobs().remove(job_id)
    st.toast("Removed from the watch list.", icon=":material/visibility_off:")


def watch_control(job_id: str) -> None:
    """Watch, or once watched a link to the watch list and Unwatch: the state of this run."""
    watched = watched_jobs()
    if job_id not in watched:
        st.button(
            "Watch", key=WATCH_KEY, icon=":material/visibility:", on_click=_watch, args=[job_id]
        )
        return
    st.page_link(
        WATCHLIST_PAGE.script,
        label="Watching: open the watch list",
        icon="👀",
        query_params={JOB_PARAM: watched.ids},
    )
    st.button(
        "Unwatch",
        key=UNWATCH_KEY,
        icon=":material/visibility_off:",
        on_click=_unwatch,
        args=[job_id],
    )
