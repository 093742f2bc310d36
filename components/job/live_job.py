"""The job's status region: fetched once, refreshed live while the job is not finished."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import streamlit as st

from components.common.error_box import error_box
from components.common.plain_text import escape_markdown
from components.common.waiting import waiting
from components.job.job_summary import status_header, status_label
from dashboard.jobs.explanations import explain_error
from dashboard.jobs.polling import JOB_PAGE_POLICY, PollSlot
from dashboard.jobs.timing import format_duration, viewer_timezone
from eomer_client.errors import EomerError
from eomer_client.models import Job

# The region redraws every second (elapsed and "updated N s ago" tick); it asks the API only
# when the back-off schedule says so.
TICK_SECONDS = 1.0
GetJob = Callable[[str], Job]


def refresh_feed(feed: PollSlot, get_job: GetJob, job_id: str) -> None:
    """Fetch the job once; on failure keep the last good job and schedule a backed-off retry."""
    try:
        result: Job | EomerError = get_job(job_id)
    except EomerError as err:
        result = err
    # From when the call ended: one that timed out took up to the client's 30 s deadline.
    feed.record(result, datetime.now(UTC), JOB_PAGE_POLICY)


def job_status(feed: PollSlot, get_job: GetJob, job_id: str, api: str) -> Job | None:
    """Show the status region; return the last good job, or None when none could be fetched.

    `api` names the API's host in what the region says while it waits for an answer.
    """
    # The slot is made on every run, asked or not: a page whose elements shift between runs
    # makes the browser redraw (and reset) what follows.
    slot = st.empty()
    if feed.job is None or feed.is_due(datetime.now(UTC)):
        with waiting(f"Asking the API at {api} for job {job_id}", where=slot):
            refresh_feed(feed, get_job, job_id)
    if feed.job is None:
        if feed.error is not None and error_box(feed.error, retry_key="job_load_retry"):
            st.rerun()
        return None
    if feed.settled:
        _status_region(feed)
    else:
        _live_status(feed, get_job, job_id, api)
    return feed.job


@st.fragment(run_every=TICK_SECONDS)
def _live_status(feed: PollSlot, get_job: GetJob, job_id: str, api: str) -> None:
    # As in job_status; the timer thread starts only when the API is asked, not every tick.
    slot = st.empty()
    if feed.is_due(datetime.now(UTC)):
        with waiting(f"Asking the API at {api} for the job's latest status", where=slot):
            refresh_feed(feed, get_job, job_id)
    if feed.settled:
        # The rest of the page (results, failure, downloads) only draws on a full run; that run
        # shows the toast too, since the browser drops one sent just before a rerun.
        st.rerun(scope="app")
    _status_region(feed)


def _announce(feed: PollSlot) -> None:
    if feed.status_changed and feed.job is not None:
        st.toast(
            f"Job is now {escape_markdown(status_label(feed.job.status))}",
            icon=":material/update:",
        )
        feed.status_changed = False


def _status_region(feed: PollSlot) -> None:
    if feed.job is None:
        return
    _announce(feed)
    now = datetime.now(UTC)
    status_header(feed.job, now, viewer_timezone(st.context.timezone))
    fetched_ago = format_duration((now - (feed.fetched_at or now)).total_seconds())
    if feed.error is not None:
        wait = (feed.next_poll_at or now) - now
        explanation = explain_error(feed.error)
        st.warning(
            f"**Showing data from {fetched_ago} ago: the last refresh failed.** "
            f"{escape_markdown(feed.error.message)}  \n"
            f"{escape_markdown(explanation.next_step)} "
            f"Retrying in {format_duration(max(0.0, wait.total_seconds()))}.",
            icon=":material/sync_problem:",
        )
    elif feed.gave_up:
        st.warning(
            f"**The API still answers a status this dashboard does not know, so it stopped "
            f"asking after {format_duration(JOB_PAGE_POLICY.unknown_limit)}.** "
            "Reload the page to ask again.",
            icon=":material/help:",
        )
    elif not feed.settled:
        st.caption(f"Live: updated {fetched_ago} ago.{_unknown_note(feed.job)}")
    else:
        st.caption("Final status; it will not change.")


def _unknown_note(job: Job) -> str:
    if job.is_known_status:
        return ""
    return (
        " This status is not one the dashboard knows: it asks less and less often, and stops "
        f"after {format_duration(JOB_PAGE_POLICY.unknown_limit)}."
    )
