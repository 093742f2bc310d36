"""One app's state: settings, clock, seeded and uploaded jobs, and the cache of results."""

from __future__ import annotations

import math
import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from demo_api.clock import Clock, SystemClock, utc_now
from demo_api.errors import DemoApiError
from demo_api.models.fit_queue import FitQueue
from demo_api.records import UPLOAD_SCENARIO, DemoJobRecord
from demo_api.seeded.live_jobs import LiveJobId, read_live_job_id
from demo_api.seeded.results import JobResult, Memo, build_result
from demo_api.seeded.scenarios import (
    FAILURE_MESSAGES,
    SCENARIOS_BY_NAME,
    Scenario,
    scenario_ids,
    status_at,
)
from demo_api.settings import Settings
from demo_api.upload.upload_jobs import UploadedJob


class DemoState:
    """Everything one app instance owns; nothing here is shared with another instance."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.started_at = utc_now(self.clock).replace(microsecond=0)
        self._started = self.clock.monotonic()
        # Signs /_storage URLs; random per instance, like a real presigning key.
        self.secret = secrets.token_bytes(32)
        self.memo = Memo()
        self.uploads: dict[str, UploadedJob] = {}
        self.fits = FitQueue(
            settings.fit_workers, settings.fit_waiting, settings.fit_retry_after_seconds
        )
        # What the test apparatus mounted on this app keeps for it (the fault registry), by name.
        self.apparatus: dict[str, object] = {}
        self.seeded: dict[str, tuple[str, Scenario]] = {
            job_id: (tenant, SCENARIOS_BY_NAME[name])
            for tenant in sorted(set(settings.tokens.values()))
            for name, job_id in scenario_ids(tenant).items()
        }

    def since_start(self) -> float:
        return self.clock.monotonic() - self._started

    def result(self, bundle: str) -> JobResult:
        """The computed result of a bundle, built on first use."""
        large = self.settings.large_job_items
        return self.memo.get(("result", bundle), lambda: build_result(bundle, large_items=large))

    def upload(self, job: UploadedJob) -> None:
        """Keep an accepted upload and queue its forecast (in the place reserved for it)."""
        self.uploads[job.pending.job_id] = job
        self.fits.run(job.fit)

    def record(self, tenant: str, job_id: str) -> DemoJobRecord:
        """The tenant's job, or 404 `job_not_found` (also for another tenant's job)."""
        found = self._find(tenant, job_id)
        if isinstance(found, UploadedJob):
            return found.record()
        return self._seeded_record(tenant, job_id, found)

    def status(self, tenant: str, job_id: str) -> str:
        """The job's status without computing its result."""
        found = self._find(tenant, job_id)
        if isinstance(found, UploadedJob):
            return found.record().status
        since, _ = self._timeline(job_id, found)
        return status_at(found, since, self.settings.progress_seconds)

    def live_jobs(self, tenant: str) -> list[tuple[str, Scenario]]:
        """Fresh IDs of the tenant's progressing jobs, whose clocks start now (a viewer's own)."""
        started = math.floor(self.clock.time() * 1000) / 1000
        return [
            (str(LiveJobId(job_id, started)), scenario)
            for job_id, (owner, scenario) in self.seeded.items()
            if owner == tenant and scenario.status == "progressing"
        ]

    def owner(self, job_id: str) -> str:
        """The tenant a job belongs to (for token-less storage URLs), or 404."""
        upload = self.uploads.get(job_id)
        if upload is not None:
            return upload.tenant
        seeded_id = self._seeded_id(job_id)
        if seeded_id in self.seeded:
            return self.seeded[seeded_id][0]
        raise _not_found(job_id)

    def completed(self, tenant: str, job_id: str) -> tuple[DemoJobRecord, JobResult]:
        """The job and its result, or 409 `job_not_completed`."""
        record = self.record(tenant, job_id)
        if record.result is None:
            raise DemoApiError(
                "job_not_completed",
                f"Job {job_id} is {record.status}; results exist only once it has completed.",
            )
        return record, record.result

    def _find(self, tenant: str, job_id: str) -> UploadedJob | Scenario:
        upload = self.uploads.get(job_id)
        if upload is not None and upload.tenant == tenant:
            return upload
        owner, scenario = self.seeded.get(self._seeded_id(job_id), ("", UPLOAD_SCENARIO))
        if owner != tenant:
            raise _not_found(job_id)
        return scenario

    def _seeded_id(self, job_id: str) -> str:
        """The seeded job `job_id` is, or plays when it is a handed-out live job."""
        if job_id in self.seeded:
            return job_id
        live = read_live_job_id(job_id, self.clock.time())
        if live is None or live.seeded_id not in self.seeded:
            return job_id
        _, scenario = self.seeded[live.seeded_id]
        return live.seeded_id if scenario.status == "progressing" else job_id

    def _timeline(self, job_id: str, scenario: Scenario) -> tuple[float, datetime]:
        """Seconds since the job's clock started (the server's, or a live job's own), and when
        it was created."""
        age = timedelta(seconds=scenario.age_seconds)
        live = None if job_id in self.seeded else read_live_job_id(job_id, self.clock.time())
        if live is None:
            return self.since_start(), self.started_at - age
        started = datetime.fromtimestamp(live.started, UTC)
        return self.clock.time() - live.started, started - age

    def _seeded_record(self, tenant: str, job_id: str, scenario: Scenario) -> DemoJobRecord:
        since, created = self._timeline(job_id, scenario)
        status = status_at(scenario, since, self.settings.progress_seconds)
        base = DemoJobRecord(job_id, tenant, scenario, status, created)
        if status in ("pending", "running"):
            running_for = (utc_now(self.clock) - created).total_seconds()
            return replace(
                base, elapsed_seconds=round(running_for, 1) if status == "running" else None
            )
        if status == "failed":
            return _failed(base)
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


def _not_found(job_id: str) -> DemoApiError:
    return DemoApiError("job_not_found", f"Job {job_id} not found.")


def _failed(base: DemoJobRecord) -> DemoJobRecord:
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
