"""Typed client for the Eomer forecasting API; imports neither Streamlit nor the dashboard."""

from eomer_client.client import EomerClient, Fetched
from eomer_client.errors import (
    ApiError,
    AuthError,
    ConnectError,
    ContentError,
    ContentTooLargeError,
    ContentTypeError,
    EomerError,
    InvalidJobIdError,
    InvalidTokenError,
    JobNotCompletedError,
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ResponseError,
    ServerError,
    TransportError,
    UnsafeUrlError,
)
from eomer_client.job_ids import validate_job_id
from eomer_client.models import (
    TERMINAL_STATUSES,
    Artifact,
    ErrorCode,
    ExplainabilitySummary,
    Job,
    JobStatus,
)
from eomer_client.retry import RetryPolicy

__all__ = [
    "TERMINAL_STATUSES",
    "ApiError",
    "Artifact",
    "AuthError",
    "ConnectError",
    "ContentError",
    "ContentTooLargeError",
    "ContentTypeError",
    "EomerClient",
    "EomerError",
    "ErrorCode",
    "ExplainabilitySummary",
    "Fetched",
    "InvalidJobIdError",
    "InvalidTokenError",
    "Job",
    "JobNotCompletedError",
    "JobStatus",
    "NotFoundError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "UnsafeUrlError",
    "validate_job_id",
]
