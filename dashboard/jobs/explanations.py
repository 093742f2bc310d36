"""What happened and what to do, in plain words: for the client's errors and for failed jobs.

The texts are answer_explanations.py's (HTTP answers) and failure_explanations.py's (failed
jobs); errors without an HTTP answer are explained here, by class.
"""

from __future__ import annotations

from dashboard.jobs.answer_explanations import (
    FOR_ANSWER_CODE,
    FOR_STATUS,
    FOR_STATUS_CLASS,
    UNKNOWN,
    Explanation,
)
from dashboard.jobs.failure_explanations import FOR_FAILED_JOB
from eomer_client.errors import (
    AnswerLostError,
    ApiError,
    ContentError,
    EomerError,
    InvalidJobIdError,
    InvalidTokenError,
    JobNotCompletedError,
    ResponseError,
    TransportError,
    UnsafeUrlError,
)
from eomer_client.models import ErrorCode

__all__ = ["Explanation", "explain", "explain_error", "explain_job_failure"]

# The client's exceptions carry data (status, error_code, retry_after, URL); the advice lives
# here, in the dashboard, where "the sidebar" and "live refresh" mean something.

# Errors without an HTTP answer, by class; the most specific class in an error's ancestry wins.
FOR_ERROR_CLASS: dict[type[EomerError], Explanation] = {
    InvalidJobIdError: Explanation(
        "That is not a valid job ID.",
        "Paste the job ID (a UUID), a URL containing /jobs/<id>, "
        "or the JSON that POST /forecast returned.",
    ),
    InvalidTokenError: Explanation(
        "The API token is malformed.", "Paste the token again, without extra text."
    ),
    UnsafeUrlError: Explanation(
        "The dashboard refused to fetch this link because it is not safe.",
        "Open the job in the Eomer API directly, or ask the service owner to fix the link.",
    ),
    JobNotCompletedError: FOR_ANSWER_CODE[ErrorCode.JOB_NOT_COMPLETED],
    AnswerLostError: Explanation(
        "The upload reached the API but its answer was lost, so the forecast may have started.",
        "Look for a new job (the watch list, or the API's own records) before sending the file "
        "again; send it again only if none appeared.",
    ),
    TransportError: Explanation(
        "The API could not be reached.",
        "Check the API address in the sidebar and your network, then retry.",
    ),
    ResponseError: Explanation(
        "The API sent an answer the dashboard could not read.",
        "Retry in a moment; if it persists, the API address may point at another service.",
    ),
    ContentError: Explanation(
        "This file could not be shown.",
        "Download it instead, or retry later.",
    ),
}


def _known(error_code: str | None) -> ErrorCode | None:
    try:
        return None if error_code is None else ErrorCode(error_code)
    except ValueError:
        return None


def explain(error_code: str | None = None, status_code: int | None = None) -> Explanation:
    """An HTTP answer's `error_code` (preferred) or else its status; unknown ones get a fallback."""
    code = _known(error_code)
    if code is not None:
        return FOR_ANSWER_CODE[code]
    if status_code is not None:
        if status_code in FOR_STATUS:
            return FOR_STATUS[status_code]
        if status_code // 100 in FOR_STATUS_CLASS:
            return FOR_STATUS_CLASS[status_code // 100]
    return UNKNOWN


def explain_job_failure(error_code: str | None) -> Explanation:
    """Why a job failed, from its `error_code`; an unknown or missing code gets a fallback."""
    code = _known(error_code)
    return UNKNOWN if code is None else FOR_FAILED_JOB[code]


def explain_error(err: EomerError) -> Explanation:
    """Any client error as (what happened, what to do)."""
    if isinstance(err, ApiError):
        return explain(err.error_code, err.status_code)
    ancestry = (kind for kind in type(err).__mro__ if kind in FOR_ERROR_CLASS)
    return next((FOR_ERROR_CLASS[kind] for kind in ancestry), UNKNOWN)
