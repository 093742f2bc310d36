"""The job's status region: fetched once, refreshed live while the job is not finished."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from components.connection import session_cache
from components.error_box import error_box
from components.job_summary import status_header, status_label
from components.plain_text import escape_markdown
from dashboard.refresh import next_refresh_delay, should_poll
from dashboard.timing import format_duration, viewer_timezone
from eomer_client.client import EomerClient
from eomer_client.errors import ApiError, EomerError
from eomer_client.models import Job

# The region redraws every second (elapsed and "updated N s ago" tick); it asks the API only
# when the back-off schedule says so.
TICK_SECONDS = 1.0
POLL_SECONDS = 3.0
FEEDS_CACHE = "job_feeds"


@dataclass
class JobFeed:
    """What this session knows about one job on the current connection."""

    job: Job | None = None
    fetched_at: float = 0.0
    error: EomerError | None = None
    failures: int = 0
    next_fetch_at: float = 0.0
    announcement: str | None = None  # a status change not yet shown as a toast


def job_feed(job_id: str) -> JobFeed:
    """The session's feed for `job_id`, scoped to the current API and token."""
    feeds: dict[str, JobFeed] = session_cache(FEEDS_CACHE)
    return feeds.setdefault(job_id, JobFeed())


def refresh_feed(feed: JobFeed, client: EomerClient, job_id: str) -> None:
    """Fetch the job once; on failure keep the last good job and schedule a backed-off retry."""
    try:
        job = client.get_job(job_id)
    except EomerError as err:
        # From when the call ended: one that timed out took up to the client's 30 s deadline.
        now = time.time()
        feed.error = err
        feed.failures += 1
        retry_after = err.retry_after if isinstance(err, ApiError) else None
        feed.next_fetch_at = now + next_refresh_delay(POLL_SECONDS, feed.failures, retry_after)
        return
    now = time.time()
    previous = feed.job
    feed.job, feed.fetched_at, feed.error, feed.failures = job, now, None, 0
    feed.next_fetch_at = now + next_refresh_delay(POLL_SECONDS, 0, None)
    if previous is not None and previous.status != job.status:
        feed.announcement = f"Job is now {escape_markdown(status_label(job.status))}"


def job_status(client: EomerClient, job_id: str) -> Job | None:
    """Show the status region; return the last good job, or None when none could be fetched."""
    feed = job_feed(job_id)
    finished = feed.job is not None and not should_poll(feed.job.status)
    if feed.job is None or (not finished and time.time() >= feed.next_fetch_at):
        refresh_feed(feed, client, job_id)
    if feed.job is None:
        if feed.error is not None and error_box(feed.error, retry_key="job_load_retry"):
            st.rerun()
        return None
    if should_poll(feed.job.status):
        _live_status(client, job_id)
    else:
        _status_region(feed)
    return feed.job


@st.fragment(run_every=TICK_SECONDS)
def _live_status(client: EomerClient, job_id: str) -> None:
    feed = job_feed(job_id)
    if time.time() >= feed.next_fetch_at:
        refresh_feed(feed, client, job_id)
    if feed.job is not None and not should_poll(feed.job.status):
        # The rest of the page (results, failure, downloads) only draws on a full run; that run
        # shows the toast too, since the browser drops one sent just before a rerun.
        st.rerun(scope="app")
    _status_region(feed)


def _status_region(feed: JobFeed) -> None:
    if feed.job is None:
        return
    if feed.announcement is not None:
        st.toast(feed.announcement, icon=":material/update:")
        feed.announcement = None
    now = time.time()
    status_header(feed.job, datetime.now(UTC), viewer_timezone(st.context.timezone))
    if feed.error is not None:
        wait = format_duration(max(0.0, feed.next_fetch_at - now))
        st.warning(
            f"**Showing data from {format_duration(now - feed.fetched_at)} ago: the last "
            f"refresh failed.** {escape_markdown(feed.error.message)}  \n"
            f"{escape_markdown(feed.error.next_step)} Retrying in {wait}.",
            icon=":material/sync_problem:",
        )
    elif should_poll(feed.job.status):
        st.caption(f"Live: updated {format_duration(now - feed.fetched_at)} ago.")
    else:
        st.caption("Final status; it will not change.")
