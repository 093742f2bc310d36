"""Sending a new forecast exactly once per click, and what happened: the job page, or why not.

A Submission is kept in session state from just before the POST until its outcome has been
drawn to the end of a run. A click that arrives while one is in flight (a double click, or a
rerun that interrupted the run that sent it) finds it not yet shown and sends nothing. What a
failure says is new_forecast_failures.py's.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from components.common.waiting import waiting
from components.common.watched_ids import watched_jobs
from components.new.new_forecast_draft import Draft
from components.new.new_forecast_failures import (
    RESEND_KEY,
    SEND_AGAIN,
    SEND_AGAIN_ANYWAY,
    answer_lost_callout,
    failure_callout,
    local_time,
)
from dashboard.caching.session_data import SessionData
from dashboard.series.observations import StartedForecast
from dashboard.series_files import SeriesFileError
from dashboard.session.links import job_page_query
from dashboard.session.routes import JOB_PAGE, JOB_PARAM
from eomer_client.errors import (
    EomerError,
)
from eomer_client.models import AcceptedJob, ForecastUpload

SUBMISSION_KEY = "new_submission"

__all__ = [
    "SEND_AGAIN",
    "SEND_AGAIN_ANYWAY",
    "SUBMISSION_KEY",
    "Destination",
    "StartForecast",
    "Submission",
    "last_start",
    "record_started",
    "send_forecast",
]

StartForecast = Callable[[ForecastUpload], AcceptedJob]


@dataclass(frozen=True)
class Destination:
    """Where a forecast goes: the API's POST /forecast, and its host for the wait's words."""

    start: StartForecast
    host: str


@dataclass
class Submission:
    """One POST /forecast: what it sent and when; its outcome once known (None: in flight)."""

    submission_id: str
    draft: Draft
    sent_at: datetime
    outcome: AcceptedJob | EomerError | None = None
    answered_at: datetime | None = None
    # Its outcome was drawn to the end of a run: a later click is a new one.
    shown: bool = False
    ignored_click: bool = False


def _send(draft: Draft, destination: Destination) -> Submission:
    submission = Submission(uuid.uuid4().hex, draft, datetime.now(UTC))
    with waiting(f"Sending {draft.file_name} to the API at {destination.host}"):
        # Kept before the call and completed right after it, with no Streamlit call between:
        # a rerun can only interrupt this run at a Streamlit call, so the outcome is never lost.
        st.session_state[SUBMISSION_KEY] = submission
        try:
            submission.outcome = destination.start(draft.upload)
        except EomerError as err:
            submission.outcome = err
        submission.answered_at = datetime.now(UTC)
    return submission


def send_forecast(
    clicked: bool,
    draft: Callable[[], Draft],
    destination: Destination | None,
    data: SessionData,
) -> None:
    """Send `draft()` on a click (or Send again) unless one is in flight; then show the outcome.

    Without a `destination` (no API connected) nothing is sent.
    """
    clicked = bool(st.session_state.pop(RESEND_KEY, False)) or clicked
    current = st.session_state.get(SUBMISSION_KEY)
    current = current if isinstance(current, Submission) else None
    if clicked and current is not None and not current.shown:
        current.ignored_click = True
    elif clicked and destination is not None:
        try:
            made = draft()
        except SeriesFileError as err:  # the file could not be written out for sending
            st.error(escape_untrusted(str(err)), icon=":material/error:")
            return
        current = _send(made, destination)
    if current is not None:
        _outcome(current, data)


def _outcome(submission: Submission, data: SessionData) -> None:
    outcome = submission.outcome
    if isinstance(outcome, AcceptedJob):
        _started(submission, outcome, data)
        return
    if submission.ignored_click:
        st.info(
            "That click came while the previous request was still being sent, so nothing was "
            "sent again.",
            icon=":material/block:",
        )
        submission.ignored_click = False
    if outcome is None:
        answer_lost_callout(submission.sent_at, None)
    else:
        sent_bytes = len(submission.draft.upload.file)
        failure_callout(outcome, submission.sent_at, submission.answered_at, sent_bytes)
    submission.shown = True


def record_started(submission: Submission, accepted: AcceptedJob, data: SessionData) -> None:
    """Keep what was sent with the job, and watch it."""
    job_id, draft = accepted.job_id, submission.draft
    if job_id not in data.started:
        data.started[job_id] = StartedForecast(
            job_id=job_id,
            settings=dict(draft.settings),
            input_hash=draft.input_hash,
            history=draft.history,
            started_at=submission.answered_at or submission.sent_at,
            file_name=draft.file_name,
        )
    watched_jobs().add([job_id])


def _started(submission: Submission, accepted: AcceptedJob, data: SessionData) -> None:
    if submission.shown:
        return  # said at the top of the page by last_start
    record_started(submission, accepted, data)
    submission.shown = True
    st.switch_page(JOB_PAGE.script, query_params=job_page_query(accepted.job_id))


def last_start() -> None:
    """Back on the page after a start: which job it was, with a link, so it is not sent twice."""
    current = st.session_state.get(SUBMISSION_KEY)
    if not (isinstance(current, Submission) and current.shown):
        return
    if isinstance(current.outcome, AcceptedJob):
        job_id = current.outcome.job_id
        st.success(
            f"Last started: job {escape_markdown(job_id)} from "
            f"{escape_untrusted(current.draft.file_name)}, at "
            f"{escape_markdown(local_time(current.sent_at))}.",
            icon=":material/check_circle:",
        )
        st.page_link(JOB_PAGE.script, label="Open its page", query_params={JOB_PARAM: job_id})
