"""A job as it stands at one moment, whatever made it (a seeded scenario or an upload)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from demo_api.seeded.results import JobResult
from demo_api.seeded.scenarios import Scenario
from demo_api.upload.upload_form import UploadOptions

UPLOAD_SCENARIO = Scenario("upload", "pending", plot_format="plotly_json")


@dataclass(frozen=True)
class DemoJobRecord:
    """Every field a job body is built from."""

    job_id: str
    tenant: str
    scenario: Scenario
    status: str
    created_at: datetime
    prediction_length: int = 24
    completed_at: datetime | None = None
    elapsed_seconds: float | None = None
    num_items: int | None = None
    error: str | None = None
    error_code: str | None = None
    result: JobResult | None = None
    # What an uploaded job was asked for (None for the seeded jobs).
    upload: UploadOptions | None = None


def result_key(record: DemoJobRecord) -> str:
    """Cache key of a record's result: shared by every tenant's copy of a seeded scenario."""
    return record.scenario.bundle or record.job_id
