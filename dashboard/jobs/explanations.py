"""What happened and what to do, in plain words: for the client's errors and for failed jobs."""

from __future__ import annotations

from dataclasses import dataclass

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

# The client's exceptions carry data (status, error_code, retry_after, URL); the advice lives
# here, in the dashboard, where "the sidebar" and "live refresh" mean something.


@dataclass(frozen=True)
class Explanation:
    """What went wrong, in plain words, and what the reader can do about it."""

    summary: str
    next_step: str


# An HTTP answer that carried this error_code (and a download refused before asking).
FOR_ANSWER_CODE: dict[ErrorCode, Explanation] = {
    ErrorCode.VALIDATION_ERROR: Explanation(
        "The uploaded data or the request options did not pass validation.",
        "Check the column names, the timestamps and the options, then submit the job again.",
    ),
    ErrorCode.INVALID_PRESET: Explanation(
        "The requested model preset does not exist.",
        "Submit again with a documented preset such as chronos_tiny or chronos_small.",
    ),
    ErrorCode.FILE_TOO_LARGE: Explanation(
        "The uploaded file is larger than the service accepts.",
        "Split the data into smaller files or drop columns you do not need, then resubmit.",
    ),
    ErrorCode.RATE_LIMITED: Explanation(
        "Too many requests were sent in a short time.",
        "Wait a moment and try again; live refresh slows down on its own.",
    ),
    ErrorCode.SERVER_OVERLOADED: Explanation(
        "The forecasting service is overloaded right now.",
        "Try again in a few minutes.",
    ),
    ErrorCode.JOB_NOT_FOUND: Explanation(
        "No job with this ID exists for your API key.",
        "Check the job ID, and that your token belongs to the team that submitted the job.",
    ),
    ErrorCode.JOB_NOT_COMPLETED: Explanation(
        "The job has not completed yet, so its results are not available.",
        "Wait until the job is completed, then download again.",
    ),
    ErrorCode.AUTH_FAILED: Explanation(
        "The API token was missing, wrong or expired.",
        "Enter a valid API token in the sidebar.",
    ),
    ErrorCode.INTERNAL_ERROR: Explanation(
        "The forecasting service hit an internal error.",
        "Try again later; if it keeps failing, contact support with the request ID.",
    ),
    ErrorCode.TIMEOUT: Explanation(
        "The job took longer than the service allows and was stopped.",
        "Submit a smaller job (fewer items or a shorter prediction length) or a faster preset.",
    ),
    ErrorCode.PIPELINE_FAILED: Explanation(
        "The forecasting pipeline failed while processing the data.",
        "Read the error text for the failing step, fix the input, then resubmit.",
    ),
    ErrorCode.STORAGE_ERROR: Explanation(
        "The service could not read or write its storage.",
        "Try again later; if it keeps failing, contact support with the request ID.",
    ),
    ErrorCode.GPU_OFFLOAD_UNAVAILABLE: Explanation(
        "No GPU capacity was available for this job.",
        "Resubmit later, or choose a preset that runs on CPU.",
    ),
    ErrorCode.CONNECTION_NOT_FOUND: Explanation(
        "The data connection named in the request does not exist.",
        "Check the connection ID in your integration settings, then resubmit.",
    ),
    ErrorCode.CONNECTOR_ERROR: Explanation(
        "The data connector failed to read or deliver data.",
        "Check the connector's credentials and the remote system, then retry.",
    ),
    ErrorCode.SANDBOX_DOMAIN_USED: Explanation(
        "Sandbox accounts cannot use this email domain.",
        "Sign up with another email address, or upgrade to a full account.",
    ),
    ErrorCode.SANDBOX_CAPTCHA_FAILED: Explanation(
        "The sandbox sign-up check (captcha) failed.",
        "Complete the captcha again.",
    ),
    ErrorCode.SANDBOX_DATASET_TOO_LARGE: Explanation(
        "The data set is larger than sandbox accounts allow.",
        "Use a smaller data set, or upgrade to a full account.",
    ),
    ErrorCode.SANDBOX_CORPORATE_EMAIL_REQUIRED: Explanation(
        "Sandbox accounts need a corporate email address.",
        "Sign up with your work email address.",
    ),
}

FOR_STATUS_CLASS: dict[int, Explanation] = {
    4: Explanation(
        "The API refused the request.",
        "Check the job ID and your token; retrying the same request will not help.",
    ),
    5: Explanation(
        "The API (or a proxy in front of it) failed to answer.",
        "Try again in a minute; the dashboard already retried a few times.",
    ),
}

FOR_STATUS: dict[int, Explanation] = {
    401: FOR_ANSWER_CODE[ErrorCode.AUTH_FAILED],
    403: Explanation(
        "Your API token is not allowed to see this.",
        "Use a token of the team that owns the job.",
    ),
    404: FOR_ANSWER_CODE[ErrorCode.JOB_NOT_FOUND],
    409: FOR_ANSWER_CODE[ErrorCode.JOB_NOT_COMPLETED],
    413: FOR_ANSWER_CODE[ErrorCode.FILE_TOO_LARGE],
    422: FOR_ANSWER_CODE[ErrorCode.VALIDATION_ERROR],
    429: FOR_ANSWER_CODE[ErrorCode.RATE_LIMITED],
    503: FOR_ANSWER_CODE[ErrorCode.SERVER_OVERLOADED],
    504: Explanation(
        "A gateway in front of the API timed out.",
        "Try again in a minute.",
    ),
}

UNKNOWN = Explanation(
    "The service reported a problem this dashboard does not know about.",
    "Read the message shown; if it is unclear, contact support with the request ID.",
)


# A job that ran and failed with this error_code. On its own page the job exists and the token
# worked, and the only way forward is to submit it again: advice for an HTTP answer with the same
# code (the sidebar's token, a wrong job ID, downloading again, live refresh) would contradict it.
_AGAIN_OR_SUPPORT = (
    "Submit the job again later; if it keeps failing, contact support with the request ID."
)
FOR_FAILED_JOB: dict[ErrorCode, Explanation] = {
    ErrorCode.VALIDATION_ERROR: Explanation(
        "The job's data or options did not pass validation.",
        "Check the column names, the timestamps and the options, then submit the job again.",
    ),
    ErrorCode.INVALID_PRESET: Explanation(
        "The job asked for a model preset that does not exist.",
        "Submit the job again with a documented preset such as chronos_tiny or chronos_small.",
    ),
    ErrorCode.FILE_TOO_LARGE: Explanation(
        "The job's input file is larger than the service accepts.",
        "Split the data into smaller files or drop columns you do not need, then submit again.",
    ),
    ErrorCode.RATE_LIMITED: Explanation(
        "The service stopped the job because too many jobs were started in a short time.",
        "Wait a few minutes, then submit the job again.",
    ),
    ErrorCode.SERVER_OVERLOADED: Explanation(
        "The forecasting service was overloaded and could not run the job.",
        "Submit the job again in a few minutes.",
    ),
    ErrorCode.JOB_NOT_FOUND: Explanation(
        "Something the job referred to, such as another job, could not be found while it ran.",
        "Check the IDs the job refers to, then submit it again; if it happens again, contact "
        "support with the request ID.",
    ),
    ErrorCode.JOB_NOT_COMPLETED: Explanation(
        "The job needed the results of another job that had not completed yet.",
        "Submit the job again once the job it depends on has completed; if it depends on none, "
        "contact support with the request ID.",
    ),
    ErrorCode.AUTH_FAILED: Explanation(
        "The job was refused access to something it needed while it ran, such as a data source "
        "or a delivery target.",
        "Check the credentials of the connections the job uses, then submit the job again.",
    ),
    ErrorCode.INTERNAL_ERROR: Explanation(
        "The forecasting service hit an internal error while running the job.", _AGAIN_OR_SUPPORT
    ),
    ErrorCode.TIMEOUT: Explanation(
        "The job took longer than the service allows and was stopped.",
        "Submit a smaller job (fewer items or a shorter prediction length) or a faster preset.",
    ),
    ErrorCode.PIPELINE_FAILED: Explanation(
        "The forecasting pipeline failed while processing the job's data.",
        "Read the error reported by the service for the failing step, fix the input, then "
        "submit the job again.",
    ),
    ErrorCode.STORAGE_ERROR: Explanation(
        "The service could not read or write its storage while running the job.",
        _AGAIN_OR_SUPPORT,
    ),
    ErrorCode.GPU_OFFLOAD_UNAVAILABLE: Explanation(
        "No GPU capacity was available for this job.",
        "Submit the job again later, or with a preset that runs on CPU.",
    ),
    ErrorCode.CONNECTION_NOT_FOUND: Explanation(
        "The data connection named in the job does not exist.",
        "Check the connection ID in your integration settings, then submit the job again.",
    ),
    ErrorCode.CONNECTOR_ERROR: Explanation(
        "The data connector failed to read or deliver the job's data.",
        "Check the connector's credentials and the remote system, then submit the job again.",
    ),
    ErrorCode.SANDBOX_DOMAIN_USED: Explanation(
        "The job ran under a sandbox account, and sandbox accounts may not use this domain.",
        "Submit the job from a full account, or upgrade this one.",
    ),
    ErrorCode.SANDBOX_CAPTCHA_FAILED: Explanation(
        "The sandbox account's captcha check failed, so the job was not run.",
        "Complete the captcha in Eomer again, then submit the job again.",
    ),
    ErrorCode.SANDBOX_DATASET_TOO_LARGE: Explanation(
        "The job's data set is larger than sandbox accounts allow.",
        "Submit a smaller data set, or upgrade to a full account.",
    ),
    ErrorCode.SANDBOX_CORPORATE_EMAIL_REQUIRED: Explanation(
        "Sandbox accounts need a corporate email address, so the job was not run.",
        "Give the account your work email address (or upgrade it), then submit the job again.",
    ),
}

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
