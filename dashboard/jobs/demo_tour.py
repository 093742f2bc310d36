"""Which demo jobs a newcomer sees first, and a readable name for every demo scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LIVE_STATUSES = frozenset({"pending", "running"})
# Scenario names are the demo API's test vocabulary; an analyst reads these instead.
_LABELS = {
    "completed_full": "Completed forecast with explainability",
    "completed_no_explainability": "Completed forecast without explainability",
    "completed_delivery_delivered": "Completed and delivered to a warehouse",
    "completed_delivery_failed": "Completed, but its delivery failed",
    "completed_covariates": "Completed forecast with external covariates",
    "pending_progressing": "Live job: pending, then running, then completed",
    "running_progressing": "Live job: running, then completed",
    "large_job": "Large job: 2,500 items",
    "many_artifacts": "Job with hundreds of artifacts",
}
_FAILED_PREFIX = "failed_"


@dataclass(frozen=True)
class DemoJob:
    """One job of the built-in demo API's scenario list."""

    job_id: str
    scenario: str
    status: str


@dataclass(frozen=True)
class Showcase:
    """One of the first page's demo jobs: its preferred scenario, else any job in `statuses`."""

    scenario: str
    statuses: frozenset[str]
    label: str


SHOWCASES = (
    Showcase("completed_full", frozenset({"completed"}), "Completed forecast with explainability"),
    Showcase("running_progressing", LIVE_STATUSES, "Running job, refreshed live"),
    Showcase(
        "failed_validation_error", frozenset({"failed"}), "Failed job: what went wrong, what to do"
    ),
)


def readable_label(job: DemoJob) -> str:
    """The scenario in an analyst's words: "Failed: rate limited", not "failed_rate_limited"."""
    if job.scenario in _LABELS:
        return _LABELS[job.scenario]
    if job.scenario.startswith(_FAILED_PREFIX):
        return "Failed: " + job.scenario.removeprefix(_FAILED_PREFIX).replace("_", " ")
    return job.scenario.replace("_", " ").capitalize() or job.job_id


def _showcase_label(showcase: Showcase, job: DemoJob) -> str:
    """The showcase's label while it holds, else the job's own (the live job finishes)."""
    if job.scenario == showcase.scenario and job.status in showcase.statuses:
        return showcase.label
    return readable_label(job)


def showcase_jobs(jobs: Sequence[DemoJob]) -> list[tuple[str, DemoJob]]:
    """Up to three representative jobs with their labels: completed, live, failed.

    A scenario the demo no longer has is replaced by another job of the same status.
    """
    chosen: list[tuple[str, DemoJob]] = []
    taken: set[str] = set()
    by_scenario = {job.scenario: job for job in jobs}
    for showcase in SHOWCASES:
        job = by_scenario.get(showcase.scenario)
        if job is None or job.job_id in taken:
            job = next(
                (j for j in jobs if j.status in showcase.statuses and j.job_id not in taken), None
            )
        if job is not None:
            chosen.append((_showcase_label(showcase, job), job))
            taken.add(job.job_id)
    return chosen
