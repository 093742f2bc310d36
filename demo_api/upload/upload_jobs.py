"""Uploaded jobs: the forecast is fitted in the app's fit queue, the status follows its clock."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from numpy.linalg import LinAlgError

from demo_api.clock import Clock, utc_now
from demo_api.models.artifacts import DISABLED, Explainability
from demo_api.models.data_sets import Dataset
from demo_api.models.forecasting import Forecast, forecast_dataset
from demo_api.models.presets import PRESET_MODELS
from demo_api.records import UPLOAD_SCENARIO, DemoJobRecord, UploadOptions
from demo_api.seeded.results import JobResult
from demo_api.upload.upload_explainability import explain_upload


@dataclass(frozen=True)
class _Outcome:
    """What the worker thread ended with, and when (on the app's monotonic clock)."""

    finished: float
    result: JobResult | None = None
    failure: str | None = None


class UploadedJob:
    """pending for one step (and while its fit waits in the queue), running for at least one
    more, then completed (or failed).

    Each step lasts `upload_step_seconds` of the app's clock, so live refresh sees every status;
    a job is completed (or failed) only once its forecast has really been computed.
    """

    def __init__(
        self,
        job_id: str,
        tenant: str,
        dataset: Dataset,
        options: UploadOptions,
        clock: Clock,
        step: float,
    ) -> None:
        self._clock, self._step, self._dataset = clock, step, dataset
        self._accepted = utc_now(clock)
        self._started = clock.monotonic()
        self._outcome: _Outcome | None = None
        self._fitting = False  # still waiting in the fit queue while False
        created = self._accepted.replace(microsecond=0)
        self.options = options
        self.pending = DemoJobRecord(
            job_id,
            tenant,
            UPLOAD_SCENARIO,
            "pending",
            created,
            prediction_length=options.prediction_length,
            upload=options,
        )

    @property
    def tenant(self) -> str:
        return self.pending.tenant

    def _forecast(self) -> JobResult:
        options = self.options
        choice = PRESET_MODELS[options.preset]
        fc: Forecast = forecast_dataset(
            self._dataset, options.prediction_length, choice=choice, quantiles=options.quantiles
        )
        explained: Explainability = DISABLED
        if options.explainability:
            explained = explain_upload(self._dataset, fc, options.analyses)
        return JobResult(self._dataset, fc, explained)

    def fit(self) -> None:
        """Compute the forecast (in the fit queue's thread); the answer is kept for `record`."""
        self._fitting = True
        try:
            result = self._forecast()
        except (ValueError, ArithmeticError, IndexError, LinAlgError) as exc:
            failure = f"Model fitting failed: {exc}"
            self._outcome = _Outcome(self._clock.monotonic(), failure=failure)
            return
        self._outcome = _Outcome(self._clock.monotonic(), result=result)

    def record(self) -> DemoJobRecord:
        """The job as it stands now on the app's clock."""
        # Within a nanosecond: a manual clock lands exactly on a step, and float rounding of the
        # subtraction must not leave it short.
        elapsed = self._clock.monotonic() - self._started + 1e-9
        outcome = self._outcome
        if elapsed < self._step or not self._fitting:
            return self.pending
        running = replace(self.pending, status="running", num_items=len(self._dataset.series))
        if outcome is None or (outcome.result is not None and elapsed < 2 * self._step):
            return running
        return self._ended(running, outcome)

    def _ended(self, running: DemoJobRecord, outcome: _Outcome) -> DemoJobRecord:
        took = outcome.finished - self._started
        if outcome.result is None:
            done = self._accepted + timedelta(seconds=max(self._step, took))
            return replace(
                running,
                status="failed",
                completed_at=done,
                error=outcome.failure,
                error_code="pipeline_failed",
                elapsed_seconds=(done - running.created_at).total_seconds(),
            )
        done = self._accepted + timedelta(seconds=max(2 * self._step, took))
        return replace(
            running,
            status="completed",
            completed_at=done,
            result=outcome.result,
            elapsed_seconds=round((done - running.created_at).total_seconds(), 3),
        )
