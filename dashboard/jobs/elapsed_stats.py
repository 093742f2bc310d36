"""Elapsed-time statistics of the watched jobs: summary, typical range, re-runs and ETAs."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from dashboard.jobs.timing import elapsed_seconds
from eomer_client.models import Job, JobStatus

RANGE_METHOD = (
    "Typical range: Tukey fences over completed jobs, Q1 - 1.5 x IQR to Q3 + 1.5 x IQR "
    "(IQR = Q3 - Q1); a completed job outside it is an outlier. Needs 4 completed jobs."
)
ETA_NEIGHBOURS = 5
ETA_METHOD = (
    f"ETA: work size = items x prediction length. For a running job, take the {ETA_NEIGHBOURS} "
    "completed jobs of this session closest in log work size, use their median seconds per work "
    "unit, and multiply by the running job's work size; minus the time it has run so far. "
    "Without a work size, the median elapsed of all completed jobs is used."
)
MIN_RANGE_SAMPLES = 4


@dataclass(frozen=True)
class Summary:
    """Counts by status, median and 95th percentile elapsed of completed jobs, failure rate."""

    counts: dict[str, int]
    completed_samples: int
    median_seconds: float | None
    p95_seconds: float | None
    failure_rate: float | None
    # Watched IDs the API does not know: counted apart, since they have no status.
    not_found: int = 0


@dataclass(frozen=True)
class RerunGroup:
    """Jobs sharing config_hash and dataset_hash: re-runs of the same input."""

    config_hash: str
    dataset_hash: str
    job_ids: list[str]


@dataclass(frozen=True)
class TypicalRange:
    """Tukey fences of completed elapsed times and the jobs outside them."""

    q1: float
    median: float
    q3: float
    low: float
    high: float
    outliers: list[str]


@dataclass(frozen=True)
class Eta:
    """Estimated total and remaining seconds of a running job, and what it was based on."""

    job_id: str
    so_far_seconds: float
    expected_seconds: float
    remaining_seconds: float
    finish_at: datetime
    basis: str


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), as numpy's default method."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def work_size(job: Job) -> int | None:
    """num_items x prediction_length, when both are known and positive."""
    if not job.num_items or not job.prediction_length:
        return None
    size = job.num_items * job.prediction_length
    return size if size > 0 else None


def completed_elapsed(jobs: Sequence[Job], now: datetime) -> dict[str, float]:
    """Elapsed seconds of each completed job that has one."""
    found: dict[str, float] = {}
    for job in jobs:
        seconds = elapsed_seconds(job, now) if job.status == JobStatus.COMPLETED else None
        if seconds is not None and seconds >= 0:
            found[job.job_id] = seconds
    return found


def summarize(jobs: Sequence[Job], now: datetime, not_found: int = 0) -> Summary:
    """Counts by status (raw word for unknown ones), elapsed median/p95, failed / finished."""
    counts = Counter(str(job.status) for job in jobs)
    samples = list(completed_elapsed(jobs, now).values())
    finished = counts[JobStatus.COMPLETED] + counts[JobStatus.FAILED]
    return Summary(
        counts=dict(counts),
        completed_samples=len(samples),
        median_seconds=median(samples) if samples else None,
        p95_seconds=percentile(samples, 95) if samples else None,
        failure_rate=counts[JobStatus.FAILED] / finished if finished else None,
        not_found=not_found,
    )


def rerun_groups(jobs: Sequence[Job]) -> list[RerunGroup]:
    """Groups of two or more jobs with the same config_hash and dataset_hash."""
    groups: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for job in jobs:
        if job.config_hash and job.dataset_hash:
            groups[(job.config_hash, job.dataset_hash)].append(job.job_id)
    return [RerunGroup(c, d, ids) for (c, d), ids in groups.items() if len(ids) > 1]


def typical_range(samples: Mapping[str, float]) -> TypicalRange | None:
    """Tukey fences (1.5 x IQR); None with fewer than MIN_RANGE_SAMPLES samples."""
    if len(samples) < MIN_RANGE_SAMPLES:
        return None
    values = list(samples.values())
    q1, q3 = percentile(values, 25), percentile(values, 75)
    spread = 1.5 * (q3 - q1)
    low, high = q1 - spread, q3 + spread
    outliers = [job_id for job_id, s in samples.items() if s < low or s > high]
    return TypicalRange(q1, percentile(values, 50), q3, low, high, outliers)


def estimate_eta(job: Job, completed: Sequence[Job], now: datetime) -> Eta | None:
    """ETA of a running or pending job from completed jobs of similar work size (ETA_METHOD)."""
    done = completed_elapsed(completed, now)
    if not done or job.is_terminal:
        return None
    so_far = elapsed_seconds(job, now) or 0.0
    size = work_size(job)
    rates = _nearest_rates(size, completed, done) if size else []
    if size and rates:
        expected = median(rates) * size
        basis = f"{len(rates)} completed job(s) of similar work size"
    else:
        expected = median(done.values())
        basis = f"median of {len(done)} completed job(s); work size unknown"
    remaining = max(expected - so_far, 0.0)
    return Eta(job.job_id, so_far, expected, remaining, now + timedelta(seconds=remaining), basis)


def _nearest_rates(size: int, completed: Sequence[Job], done: Mapping[str, float]) -> list[float]:
    """Seconds per work unit of the ETA_NEIGHBOURS completed jobs nearest in log work size."""
    candidates: list[tuple[float, float]] = []
    for other in completed:
        other_size = work_size(other)
        seconds = done.get(other.job_id)
        if other_size and seconds is not None:
            distance = abs(math.log(other_size) - math.log(size))
            candidates.append((distance, seconds / other_size))
    candidates.sort(key=lambda pair: pair[0])
    return [rate for _, rate in candidates[:ETA_NEIGHBOURS]]


def estimate_etas(jobs: Sequence[Job], now: datetime) -> dict[str, Eta]:
    """ETAs of every job that is not terminal, where an estimate is possible."""
    completed = [job for job in jobs if job.status == JobStatus.COMPLETED]
    etas = (estimate_eta(job, completed, now) for job in jobs if not job.is_terminal)
    return {eta.job_id: eta for eta in etas if eta is not None}
