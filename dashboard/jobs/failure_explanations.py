"""Why a job that ran has failed, in plain words, by its error code."""

from __future__ import annotations

from dashboard.jobs.answer_explanations import Explanation
from eomer_client.models import ErrorCode

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
