"""The API's two enums, matched without regard to case or surrounding spaces."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class _FoldedEnum(StrEnum):
    """A string enum that also accepts `COMPLETED`, `Completed` or ` completed ` for `completed`."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        folded = value.strip().casefold()
        return next((member for member in cls if member.value == folded), None)


class JobStatus(_FoldedEnum):
    """Documented job states; `completed` and `failed` are terminal."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class ErrorCode(_FoldedEnum):
    """The 19 documented machine-readable error codes."""

    VALIDATION_ERROR = "validation_error"
    INVALID_PRESET = "invalid_preset"
    FILE_TOO_LARGE = "file_too_large"
    RATE_LIMITED = "rate_limited"
    SERVER_OVERLOADED = "server_overloaded"
    JOB_NOT_FOUND = "job_not_found"
    JOB_NOT_COMPLETED = "job_not_completed"
    AUTH_FAILED = "auth_failed"
    INTERNAL_ERROR = "internal_error"
    TIMEOUT = "timeout"
    PIPELINE_FAILED = "pipeline_failed"
    STORAGE_ERROR = "storage_error"
    GPU_OFFLOAD_UNAVAILABLE = "gpu_offload_unavailable"
    CONNECTION_NOT_FOUND = "connection_not_found"
    CONNECTOR_ERROR = "connector_error"
    SANDBOX_DOMAIN_USED = "sandbox_domain_used"
    SANDBOX_CAPTCHA_FAILED = "sandbox_captcha_failed"
    SANDBOX_DATASET_TOO_LARGE = "sandbox_dataset_too_large"
    SANDBOX_CORPORATE_EMAIL_REQUIRED = "sandbox_corporate_email_required"


TERMINAL_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED})
