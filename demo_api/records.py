"""A job as it stands at one moment, whatever made it (a seeded scenario or an upload's options)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from demo_api.models.forecasting import QUANTILES
from demo_api.seeded.results import JobResult
from demo_api.seeded.scenarios import Scenario

UPLOAD_SCENARIO = Scenario("upload", "pending", plot_format="plotly_json")


@dataclass(frozen=True)
class UploadOptions:
    """What an upload asked for, and what identifies its file."""

    filename: str
    preset: str
    prediction_length: int
    freq: str
    quantiles: tuple[float, ...] = QUANTILES
    explainability: bool = False
    analyses: tuple[str, ...] = ()
    dataset_hash: str = ""

    def config_hash(self) -> str:
        """Changes with the preset, horizon, frequency or quantile levels, and with nothing else."""
        parts = (self.preset, self.prediction_length, self.freq, [repr(q) for q in self.quantiles])
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


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
