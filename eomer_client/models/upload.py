"""What `POST /forecast` is sent (an upload and its options) and what its 202 answer holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from eomer_client.models.fields import OptionalInt, OptionalText, UtcTime

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CONTENT_TYPES = {".csv": "text/csv", ".xlsx": XLSX_TYPE}


@dataclass(frozen=True)
class ForecastUpload:
    """A file in long format (one row per item, timestamp and target) and how to forecast it."""

    file: bytes = field(repr=False)
    filename: str
    prediction_length: int = 24
    presets: str = "chronos_small"
    item_id_column: str = "item_id"
    timestamp_column: str = "timestamp"
    target_column: str = "target"
    freq: str | None = None
    quantile_levels: tuple[float, ...] | None = None
    explainability: bool = False
    explainability_analyses: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """The file part's type, by the file name's extension (`.csv`, `.xlsx`)."""
        name = self.filename.lower()
        return next(
            (kind for ext, kind in _CONTENT_TYPES.items() if name.endswith(ext)),
            "application/octet-stream",
        )

    def form(self) -> dict[str, str]:
        """The multipart form fields besides the file; the optional ones only when set."""
        fields = {
            "prediction_length": str(self.prediction_length),
            "presets": self.presets,
            "item_id_column": self.item_id_column,
            "timestamp_column": self.timestamp_column,
            "target_column": self.target_column,
            "explainability": "true" if self.explainability else "false",
        }
        if self.freq is not None:
            fields["freq"] = self.freq
        if self.quantile_levels is not None:
            fields["quantile_levels"] = ",".join(repr(float(q)) for q in self.quantile_levels)
        if self.explainability_analyses:
            fields["explainability_analyses"] = ",".join(self.explainability_analyses)
        return fields


@dataclass(frozen=True)
class AcceptedJob:
    """The API's 202 answer: the new job's ID, and what else it said about it."""

    job_id: str
    status: str
    created_at: datetime | None
    prediction_length: int | None


class AcceptedAnswer(BaseModel):
    """The 202 body as read: only `job_id` must be there; anything unreadable becomes None."""

    model_config = ConfigDict(extra="ignore", frozen=True, coerce_numbers_to_str=True)

    job_id: str
    status: OptionalText = None
    created_at: UtcTime = None
    prediction_length: OptionalInt = None
