"""Pydantic models of the API's job answers, read tolerantly, and its two enums."""

from eomer_client.models.enums import TERMINAL_STATUSES, ErrorCode, JobStatus
from eomer_client.models.job import (
    Artifact,
    ExplainabilitySummary,
    Job,
    RawAnswer,
    first_problem,
)
from eomer_client.models.upload import AcceptedJob, ForecastUpload

__all__ = [
    "TERMINAL_STATUSES",
    "AcceptedJob",
    "Artifact",
    "ErrorCode",
    "ExplainabilitySummary",
    "ForecastUpload",
    "Job",
    "JobStatus",
    "RawAnswer",
    "first_problem",
]
