"""What the API's answers mean in plain words, by error code or else by HTTP status."""

from __future__ import annotations

from dataclasses import dataclass

from eomer_client.models import ErrorCode


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
