"""Pydantic models of the `GET /jobs/{job_id}` response, read tolerantly and with notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ModelWrapValidatorHandler,
    SkipValidation,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from eomer_client.models.enums import TERMINAL_STATUSES, JobStatus
from eomer_client.models.fields import (
    OR_NONE,
    ErrorCodeField,
    Flag,
    OptionalFloat,
    OptionalInt,
    OptionalText,
    Order,
    StatusField,
    Text,
    UtcTime,
    entries,
    items,
)
from eomer_client.models.notes import collecting_notes, with_collected_notes


class _Tolerant(BaseModel):
    """Extra fields are ignored, numbers are read as text where text is expected; immutable."""

    model_config = ConfigDict(extra="ignore", frozen=True, coerce_numbers_to_str=True)


class Artifact(_Tolerant):
    """One explainability artifact (a figure, table, page or note)."""

    model_config = ConfigDict(title="artifact")

    artifact_id: OptionalText = None
    analysis: OptionalText = None
    label: OptionalText = None
    format: OptionalText = None
    output_path: OptionalText = None
    download_url: OptionalText = None
    embed_url: OptionalText = None
    description: Text = ""
    render_inline: Flag = False
    preview_markdown: Text = ""
    highlights: Annotated[list[str], items("artifact highlight", "artifact highlights")] = Field(
        default_factory=list
    )
    display_order: Order = 0
    is_primary_visual: Flag = False
    is_thumbnail: Flag = False


class ExplainabilitySummary(_Tolerant):
    """Explainability execution status for a forecast job."""

    model_config = ConfigDict(title="explainability")

    enabled: Flag = False
    overview_markdown: Text = ""
    selected_analyses: Annotated[list[str], items("selected analysis", "selected analyses")] = (
        Field(default_factory=list)
    )
    completed_analyses: Annotated[list[str], items("completed analysis", "completed analyses")] = (
        Field(default_factory=list)
    )
    skipped_analyses: Annotated[
        dict[str, JsonValue], entries("skipped analysis", "skipped analyses")
    ] = Field(default_factory=dict)
    warnings: Annotated[list[str], items("warning", "warnings")] = Field(default_factory=list)
    artifacts: Annotated[list[Artifact], items("artifact", "artifacts")] = Field(
        default_factory=list
    )
    summary_path: OptionalText = None


@dataclass(frozen=True)
class RawAnswer:
    """The JSON a job was read from, as parsed; any two are equal, so a Job compares by fields."""

    body: JsonValue = field(compare=False)


class Job(_Tolerant):
    """A forecast job as `GET /jobs/{job_id}` returns it, with notes on how it was read."""

    model_config = ConfigDict(title="job")

    job_id: str
    status: StatusField
    # The status exactly as the API wrote it (`COMPLETED`, or a status this client does not know).
    status_raw: str = ""
    created_at: UtcTime = None
    completed_at: UtcTime = None
    elapsed_seconds: OptionalFloat = None
    num_items: OptionalInt = None
    prediction_length: OptionalInt = None
    error: OptionalText = None
    error_code: ErrorCodeField = None
    download_url: OptionalText = None
    report_url: OptionalText = None
    external_covariate_metadata: Annotated[
        dict[str, JsonValue], entries("covariate setting", "covariate settings")
    ] = Field(default_factory=dict)
    explainability: Annotated[ExplainabilitySummary | None, OR_NONE] = None
    explainability_url: OptionalText = None
    forecast_plot_url: OptionalText = None
    request_id: OptionalText = None
    config_hash: OptionalText = None
    dataset_hash: OptionalText = None
    model_version: OptionalText = None
    delivery_status: OptionalText = None
    delivery_connection_id: OptionalText = None
    delivery_uri: OptionalText = None
    delivery_error: OptionalText = None
    # Kept for a "raw answer" view; never dumped, shown in repr or compared (see RawAnswer).
    raw: Annotated[RawAnswer, SkipValidation] = Field(
        default_factory=lambda: RawAnswer(None), exclude=True, repr=False
    )
    # What was dropped, assumed or kept as written while reading: "1 warning could not be read".
    # Declared last: fields are read in order, so every other field has left its notes by now.
    notes: Annotated[list[str], AfterValidator(with_collected_notes)] = Field(
        default_factory=list, validate_default=True
    )

    @model_validator(mode="wrap")
    @classmethod
    def _read_with_notes(
        cls, data: object, handler: ModelWrapValidatorHandler[Job], info: ValidationInfo
    ) -> Job:
        if isinstance(data, dict):
            # Only JSON is an answer as the API wrote it; Python input may hold datetimes.
            answer = {"raw": RawAnswer(data)} if info.mode == "json" else {}
            status = {"status_raw": data["status"]} if isinstance(data.get("status"), str) else {}
            data = {**status, **data, **answer}
        with collecting_notes():
            return handler(data)

    @property
    def is_terminal(self) -> bool:
        """True for `completed` and `failed` only; an unknown status keeps polling."""
        return self.status in TERMINAL_STATUSES

    @property
    def is_known_status(self) -> bool:
        return isinstance(self.status, JobStatus)

    @property
    def raw_answer(self) -> JsonValue:
        """The answer's JSON exactly as parsed; None when the job was not read from JSON."""
        return self.raw.body


def first_problem(exc: ValidationError) -> str:
    """`status: Field required`: where the first problem is, and what it is."""
    first = exc.errors(include_url=False, include_input=False)[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{field}: {first['msg']}"
