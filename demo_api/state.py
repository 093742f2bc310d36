"""One app's state: settings, clock, seeded and uploaded jobs, and the cache of results."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from demo_api.errors import DemoApiError
from demo_api.results import JobResult, Memo, build_result
from demo_api.scenarios import (
    FAILURE_MESSAGES,
    SCENARIOS_BY_NAME,
    Scenario,
    scenario_ids,
    status_at,
)
from demo_api.settings import Settings

UPLOAD_SCENARIO = Scenario("upload", "pending", plot_format="plotly_json")


@dataclass(frozen=True)
class JobRecord:
    """A job as it stands now, whatever made it (a seeded scenario or an upload)."""

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


def result_key(record: JobRecord) -> str:
    """Cache key of a record's result: shared by every tenant's copy of a seeded scenario."""
    return record.scenario.bundle or record.job_id


@dataclass
class UploadedJob:
    """A job started by POST /forecast; its worker thread replaces `record` as it progresses."""

    record: JobRecord
    started: float = field(default_factory=time.monotonic)


class DemoState:
    """Everything one app instance owns; nothing here is shared with another instance."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started_at = datetime.now(UTC).replace(microsecond=0)
        self._started = time.monotonic()
        # Signs /_storage URLs; random per instance, like a real presigning key.
        self.secret = secrets.token_bytes(32)
        self.memo = Memo()
        self.uploads: dict[str, UploadedJob] = {}
        self.seeded: dict[str, tuple[str, Scenario]] = {
            job_id: (tenant, SCENARIOS_BY_NAME[name])
            for tenant in sorted(set(settings.tokens.values()))
            for name, job_id in scenario_ids(tenant).items()
        }

    def since_start(self) -> float:
        return time.monotonic() - self._started

    def result(self, bundle: str) -> JobResult:
        """The computed result of a bundle, built on first use."""
        large = self.settings.large_job_items
        return self.memo.get(("result", bundle), lambda: build_result(bundle, large_items=large))

    def record(self, tenant: str, job_id: str) -> JobRecord:
        """The tenant's job, or 404 `job_not_found` (also for another tenant's job)."""
        upload = self.uploads.get(job_id)
        if upload is not None and upload.record.tenant == tenant:
            return upload.record
        owner, scenario = self.seeded.get(job_id, ("", UPLOAD_SCENARIO))
        if owner != tenant:
            raise DemoApiError("job_not_found", f"Job {job_id} not found.")
        return self._seeded_record(tenant, job_id, scenario)

    def status(self, tenant: str, job_id: str) -> str:
        """The job's status without computing its result."""
        upload = self.uploads.get(job_id)
        if upload is not None and upload.record.tenant == tenant:
            return upload.record.status
        owner, scenario = self.seeded.get(job_id, ("", UPLOAD_SCENARIO))
        if owner != tenant:
            raise DemoApiError("job_not_found", f"Job {job_id} not found.")
        return status_at(scenario, self.since_start(), self.settings.progress_seconds)

    def owner(self, job_id: str) -> str:
        """The tenant a job belongs to (for token-less storage URLs), or 404."""
        upload = self.uploads.get(job_id)
        if upload is not None:
            return upload.record.tenant
        if job_id in self.seeded:
            return self.seeded[job_id][0]
        raise DemoApiError("job_not_found", f"Job {job_id} not found.")

    def completed(self, tenant: str, job_id: str) -> tuple[JobRecord, JobResult]:
        """The job and its result, or 409 `job_not_completed`."""
        record = self.record(tenant, job_id)
        if record.result is None:
            raise DemoApiError(
                "job_not_completed",
                f"Job {job_id} is {record.status}; results exist only once it has completed.",
            )
        return record, record.result

    def _seeded_record(self, tenant: str, job_id: str, scenario: Scenario) -> JobRecord:
        created = self.started_at - timedelta(seconds=scenario.age_seconds)
        status = status_at(scenario, self.since_start(), self.settings.progress_seconds)
        base = JobRecord(job_id, tenant, scenario, status, created)
        if status in ("pending", "running"):
            running_for = (datetime.now(UTC) - created).total_seconds()
            return replace(
                base, elapsed_seconds=round(running_for, 1) if status == "running" else None
            )
        if status == "failed":
            return self._failed(base)
        assert scenario.bundle is not None
        result = self.result(scenario.bundle)
        elapsed = scenario.elapsed_seconds
        if scenario.status == "progressing":
            elapsed = scenario.done_share * self.settings.progress_seconds + scenario.age_seconds
        return replace(
            base,
            completed_at=created + timedelta(seconds=elapsed),
            elapsed_seconds=elapsed,
            num_items=len(result.dataset.series),
            prediction_length=result.horizon,
            result=result,
        )

    @staticmethod
    def _failed(base: JobRecord) -> JobRecord:
        code = base.scenario.error_code or "internal_error"
        elapsed = base.scenario.elapsed_seconds
        return replace(
            base,
            completed_at=base.created_at + timedelta(seconds=elapsed),
            elapsed_seconds=elapsed,
            num_items=40 if code in ("pipeline_failed", "timeout") else None,
            error=FAILURE_MESSAGES[code],
            error_code=code,
        )
