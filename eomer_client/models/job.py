"""Pydantic models of the `GET /jobs/{job_id}` response, read tolerantly."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class JobStatus(StrEnum):
    """Documented job states; `completed` and `failed` are terminal."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class ErrorCode(StrEnum):
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


E = TypeVar("E", bound=StrEnum)


def _known_or_raw(enum: type[E], value: object) -> E | str | None:
    """Map a string to the enum member when known, else keep the raw string."""
    if value is None:
        return None
    text = str(value)
    try:
        return enum(text)
    except ValueError:
        return text


def _status(value: object) -> JobStatus | str:
    if value is None:
        raise ValueError("status is required")
    # An object or list is not an unknown status but a broken answer; str() would hide that.
    if not isinstance(value, str):
        raise ValueError("status must be a string")
    try:
        return JobStatus(value)
    except ValueError:
        return value


def _error_code(value: object) -> ErrorCode | str | None:
    return _known_or_raw(ErrorCode, value)


def _list_or_empty(value: object) -> object:
    """Null lists become empty lists; everything else is left for validation."""
    return [] if value is None else value


def _dict_or_empty(value: object) -> object:
    return {} if value is None else value


def _str_or_empty(value: object) -> object:
    return "" if value is None else value


def _bool_or_false(value: object) -> object:
    return False if value is None else value


StatusField = Annotated[JobStatus | str, BeforeValidator(_status)]
ErrorCodeField = Annotated[ErrorCode | str | None, BeforeValidator(_error_code)]
StrList = Annotated[list[str], BeforeValidator(_list_or_empty)]
Text = Annotated[str, BeforeValidator(_str_or_empty)]
Flag = Annotated[bool, BeforeValidator(_bool_or_false)]


class _Tolerant(BaseModel):
    """Extra fields are ignored; the instances are immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Artifact(_Tolerant):
    """One explainability artifact (a figure, table, page or note)."""

    artifact_id: str | None = None
    analysis: str | None = None
    label: str | None = None
    format: str | None = None
    output_path: str | None = None
    download_url: str | None = None
    embed_url: str | None = None
    description: Text = ""
    render_inline: Flag = False
    preview_markdown: Text = ""
    highlights: StrList = Field(default_factory=list)
    display_order: Annotated[int, BeforeValidator(lambda v: 0 if v is None else v)] = 0
    is_primary_visual: Flag = False
    is_thumbnail: Flag = False


class ExplainabilitySummary(_Tolerant):
    """Explainability execution status for a forecast job."""

    enabled: Flag = False
    overview_markdown: Text = ""
    selected_analyses: StrList = Field(default_factory=list)
    completed_analyses: StrList = Field(default_factory=list)
    skipped_analyses: Annotated[dict[str, Any], BeforeValidator(_dict_or_empty)] = Field(
        default_factory=dict
    )
    warnings: StrList = Field(default_factory=list)
    artifacts: Annotated[list[Artifact], BeforeValidator(_list_or_empty)] = Field(
        default_factory=list
    )
    summary_path: str | None = None


class Job(_Tolerant):
    """A forecast job as `GET /jobs/{job_id}` returns it."""

    job_id: str
    status: StatusField
    created_at: datetime | None = None
    completed_at: datetime | None = None
    elapsed_seconds: float | None = None
    num_items: int | None = None
    prediction_length: int | None = None
    error: str | None = None
    error_code: ErrorCodeField = None
    download_url: str | None = None
    report_url: str | None = None
    external_covariate_metadata: Annotated[dict[str, Any], BeforeValidator(_dict_or_empty)] = Field(
        default_factory=dict
    )
    explainability: ExplainabilitySummary | None = None
    explainability_url: str | None = None
    forecast_plot_url: str | None = None
    request_id: str | None = None
    config_hash: str | None = None
    dataset_hash: str | None = None
    model_version: str | None = None
    delivery_status: str | None = None
    delivery_connection_id: str | None = None
    delivery_uri: str | None = None
    delivery_error: str | None = None

    @property
    def is_terminal(self) -> bool:
        """True for `completed` and `failed` only; an unknown status keeps polling."""
        return self.status in TERMINAL_STATUSES

    @property
    def is_known_status(self) -> bool:
        return isinstance(self.status, JobStatus)
