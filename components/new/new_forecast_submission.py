"""Sending a new forecast exactly once per click, and what happened: the job page, or why not.

A Submission is kept in session state from just before the POST until its outcome has been
drawn to the end of a run. A click that arrives while one is in flight (a double click, or a
rerun that interrupted the run that sent it) finds it not yet shown and sends nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted, one_line
from components.common.waiting import waiting
from components.common.watched_ids import watched_jobs
from components.new.new_forecast_draft import Draft
from components.new.new_forecast_form import SUBMIT_LABEL
from dashboard.jobs.explanations import explain_error
from dashboard.jobs.timing import format_absolute, viewer_timezone
from dashboard.series.observations import StartedForecast
from dashboard.series_files import SeriesFileError
from dashboard.session.links import job_page_query
from dashboard.session.routes import JOB_PAGE, JOB_PARAM
from dashboard.session.session_data import SessionData
from eomer_client.errors import (
    AnswerLostError,
    ApiError,
    EomerError,
    RateLimitedError,
    ServerError,
    TransportError,
    UploadTooLargeError,
    ValidationError,
)
from eomer_client.models import AcceptedJob, ForecastUpload

SUBMISSION_KEY = "new_submission"
RESEND_KEY = "new_resend"
RESEND_BUTTON_KEY = "new_resend_button"
SEND_AGAIN = "Send again"
SEND_AGAIN_ANYWAY = "Send again anyway (may start a second job)"
_MB = 1024 * 1024

StartForecast = Callable[[ForecastUpload], AcceptedJob]


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


def _ask_resend() -> None:
    st.session_state[RESEND_KEY] = True


def _send(draft: Draft, start: StartForecast, api_host: str) -> Submission:
    submission = Submission(uuid.uuid4().hex, draft, datetime.now(UTC))
    with waiting(f"Sending {draft.file_name} to the API at {api_host}"):
        # Kept before the call and completed right after it, with no Streamlit call between:
        # a rerun can only interrupt this run at a Streamlit call, so the outcome is never lost.
        st.session_state[SUBMISSION_KEY] = submission
        try:
            submission.outcome = start(draft.upload)
        except EomerError as err:
            submission.outcome = err
        submission.answered_at = datetime.now(UTC)
    return submission


def send_forecast(
    clicked: bool,
    draft: Callable[[], Draft],
    start: StartForecast | None,
    data: SessionData,
    api_host: str,
) -> None:
    """Send `draft()` on a click (or Send again) unless one is in flight; then show the outcome."""
    clicked = bool(st.session_state.pop(RESEND_KEY, False)) or clicked
    current = st.session_state.get(SUBMISSION_KEY)
    current = current if isinstance(current, Submission) else None
    if clicked and current is not None and not current.shown:
        current.ignored_click = True
    elif clicked and start is not None:
        try:
            made = draft()
        except SeriesFileError as err:  # the file could not be written out for sending
            st.error(escape_untrusted(str(err)), icon=":material/error:")
            return
        current = _send(made, start, api_host)
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
        _answer_lost(submission, None)
    else:
        _failure(submission, outcome)
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
    data.watchlist.add([job_id])
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
            f"{escape_markdown(_when(current.sent_at))}.",
            icon=":material/check_circle:",
        )
        st.page_link(JOB_PAGE.script, label="Open its page", query_params={JOB_PARAM: job_id})


def _when(moment: datetime) -> str:
    return format_absolute(moment, viewer_timezone(st.context.timezone))


def _callout(lines: list[str], button: str | None) -> None:
    st.error("  \n".join(lines), icon=":material/error:")
    if button is not None:
        st.button(button, key=RESEND_BUTTON_KEY, on_click=_ask_resend, icon=":material/send:")


def _server_words(err: ApiError) -> str:
    said = one_line(err.server_message or "", 300)
    return f"The API said: {escape_untrusted(said)}" if said else ""


def _failure(submission: Submission, err: EomerError) -> None:
    """What happened and what to do, for each way POST /forecast can fail."""
    if isinstance(err, AnswerLostError):
        _answer_lost(submission, err)
    elif isinstance(err, ValidationError):
        _invalid(err)
    elif isinstance(err, UploadTooLargeError):
        _too_large(submission, err)
    elif isinstance(err, RateLimitedError):
        _rate_limited(submission, err)
    elif isinstance(err, ServerError):
        _callout(
            [
                f"**The API is failing: it answered HTTP {err.status_code}.**",
                "It did not accept the job. " + _server_words(err),
                "Next step: try again in a minute.",
            ],
            SEND_AGAIN,
        )
    elif isinstance(err, TransportError):
        _callout(
            [
                "**The API could not be reached, so the file was not sent.**",
                escape_untrusted(one_line(err.message, 300)),
                "Next step: check the API address in the sidebar and your network, then try again.",
            ],
            SEND_AGAIN,
        )
    else:
        explained = explain_error(err)
        _callout(
            [
                f"**The forecast was not started: {escape_untrusted(one_line(err.message, 300))}**",
                escape_markdown(explained.summary),
                f"Next step: {escape_markdown(explained.next_step)}",
            ],
            SEND_AGAIN,
        )


def _invalid(err: ValidationError) -> None:
    problems = [f"- {escape_untrusted(one_line(problem, 300))}" for problem in err.problems[:20]]
    if len(err.problems) > 20:
        problems.append(f"- and {len(err.problems) - 20} more.")
    if not problems:
        problems = [f"- {escape_untrusted(one_line(err.server_message or err.message, 300))}"]
    st.error(
        "**The API refused the data or the settings (HTTP 422):**\n\n"
        + "\n".join(problems)
        + f"\n\nNext step: correct the file, the columns or the settings above, then press "
        f"{SUBMIT_LABEL} again.",
        icon=":material/error:",
    )


def _too_large(submission: Submission, err: UploadTooLargeError) -> None:
    size = len(submission.draft.upload.file) / _MB
    _callout(
        [
            f"**The file is too large for the API (HTTP 413): {size:.1f} MB was sent.**",
            "The API does not publish its limit. " + _server_words(err),
            "Next step: send fewer series or a shorter history (drop the oldest rows), or "
            f"remove columns the forecast does not use, then press {SUBMIT_LABEL} again.",
        ],
        None,
    )


def _rate_limited(submission: Submission, err: RateLimitedError) -> None:
    answered = submission.answered_at or submission.sent_at
    if err.retry_after is None:
        wait = "It did not say for how long: wait a minute."
    else:
        until = answered + timedelta(seconds=err.retry_after)
        wait = f"It asks to wait {err.retry_after:.0f} s, until {escape_markdown(_when(until))}."
    _callout(
        [
            "**The API is receiving too many requests (HTTP 429) and did not start the job.**",
            wait,
            f"Next step: wait, then press {SEND_AGAIN}.",
        ],
        SEND_AGAIN,
    )


def _answer_lost(submission: Submission, err: AnswerLostError | None) -> None:
    how = "no answer came" if err is None else escape_untrusted(one_line(err.message, 300))
    _callout(
        [
            "**The API may have started the job, but its answer was lost.**",
            f"The file was sent at {escape_markdown(_when(submission.sent_at))}; {how}.",
            "Next step: check in Eomer whether a job was started for this file at that time. "
            "Send again only if none was: sending again may start a second job.",
        ],
        SEND_AGAIN_ANYWAY,
    )
