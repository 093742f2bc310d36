"""Pydantic models of the API's job answers, read tolerantly, and its two enums."""

from eomer_client.models.enums import TERMINAL_STATUSES, ErrorCode, JobStatus
from eomer_client.models.job import (
    Artifact,
    ExplainabilitySummary,
    Job,
    RawAnswer,
    first_problem,
)

__all__ = [
    "TERMINAL_STATUSES",
    "Artifact",
    "ErrorCode",
    "ExplainabilitySummary",
    "Job",
    "JobStatus",
    "RawAnswer",
    "first_problem",
]
