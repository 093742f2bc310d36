"""Summary, typical range (Tukey fences), re-run groups and ETAs of watched jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.jobs.elapsed_stats import (
    ETA_NEIGHBOURS,
    estimate_eta,
    estimate_etas,
    percentile,
    rerun_groups,
    summarize,
    typical_range,
    work_size,
)
from eomer_client.models import Job

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def job(
    job_id: str,
    status: str = "completed",
    elapsed: float | None = 60.0,
    *,
    items: int | None = 10,
    length: int | None = 10,
    started_ago: float = 600.0,
    config: str | None = None,
    dataset: str | None = None,
) -> Job:
    """A job created `started_ago` seconds before NOW; terminal ones took `elapsed` seconds."""
    created = NOW - timedelta(seconds=started_ago)
    terminal = status in {"completed", "failed"}
    return Job(
        job_id=job_id,
        status=status,
        created_at=created,
        completed_at=created + timedelta(seconds=elapsed) if terminal and elapsed else None,
        elapsed_seconds=elapsed if terminal else None,
        num_items=items,
        prediction_length=length,
        config_hash=config,
        dataset_hash=dataset,
    )


def test_percentile_interpolates_like_numpy_default() -> None:
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)
    assert percentile([7], 95) == 7


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_summary_counts_statuses_and_measures_completed_jobs_only() -> None:
    jobs = [
        job("a", elapsed=10),
        job("b", elapsed=20),
        job("c", elapsed=30),
        job("d", "failed", elapsed=1),
        job("e", "running", started_ago=5),
        job("f", "mystery"),
    ]
    summary = summarize(jobs, NOW)
    assert summary.counts == {"completed": 3, "failed": 1, "running": 1, "mystery": 1}
    assert summary.median_seconds == 20
    assert summary.p95_seconds == pytest.approx(29.0)
    assert summary.failure_rate == pytest.approx(0.25)
    assert summary.completed_samples == 3


def test_summary_of_no_jobs_has_no_figures() -> None:
    summary = summarize([], NOW)
    assert summary.counts == {}
    assert summary.median_seconds is None
    assert summary.p95_seconds is None
    assert summary.failure_rate is None


def test_all_failed_jobs_give_full_failure_rate_and_no_elapsed_figures() -> None:
    summary = summarize([job("a", "failed"), job("b", "failed", elapsed=None)], NOW)
    assert summary.failure_rate == 1.0
    assert summary.median_seconds is None


def test_reruns_group_jobs_sharing_both_hashes() -> None:
    jobs = [
        job("a", config="c1", dataset="d1"),
        job("b", config="c1", dataset="d1"),
        job("c", config="c1", dataset="d2"),
        job("d", config=None, dataset="d1"),
        job("e", config=None, dataset="d1"),
    ]
    groups = rerun_groups(jobs)
    assert [(g.config_hash, g.dataset_hash, g.job_ids) for g in groups] == [
        ("c1", "d1", ["a", "b"])
    ]


def test_typical_range_uses_tukey_fences_and_flags_outliers() -> None:
    samples = {"a": 10.0, "b": 11.0, "c": 12.0, "d": 13.0, "e": 100.0, "f": 0.5}
    band = typical_range(samples)
    assert band is not None
    assert band.q1 == pytest.approx(10.25)
    assert band.q3 == pytest.approx(12.75)
    assert band.low == pytest.approx(10.25 - 1.5 * 2.5)
    assert band.high == pytest.approx(12.75 + 1.5 * 2.5)
    assert band.outliers == ["e", "f"]


def test_typical_range_needs_four_samples() -> None:
    assert typical_range({"a": 1.0, "b": 2.0, "c": 3.0}) is None


def test_work_size_is_items_times_prediction_length_when_both_are_known() -> None:
    assert work_size(job("a", items=4, length=24)) == 96
    assert work_size(job("a", items=None)) is None
    assert work_size(job("a", length=0)) is None


def test_eta_uses_seconds_per_unit_of_the_nearest_completed_jobs_by_log_size() -> None:
    # Small jobs run at 1 s/unit, big ones at 2 s/unit: a big running job must use the big rate.
    small = [job(f"s{i}", elapsed=100, items=10, length=10) for i in range(ETA_NEIGHBOURS)]
    big = [job(f"b{i}", elapsed=20_000, items=100, length=100) for i in range(ETA_NEIGHBOURS)]
    running = job("r", "running", items=100, length=90, started_ago=1000)
    eta = estimate_eta(running, [*small, *big], NOW)
    assert eta is not None
    assert eta.expected_seconds == pytest.approx(2.0 * 9000)
    assert eta.so_far_seconds == pytest.approx(1000)
    assert eta.remaining_seconds == pytest.approx(17_000)
    assert eta.finish_at == NOW + timedelta(seconds=17_000)
    assert "similar work size" in eta.basis


def test_eta_without_work_size_falls_back_to_median_elapsed() -> None:
    done = [job("a", elapsed=100), job("b", elapsed=300), job("c", elapsed=200)]
    eta = estimate_eta(job("r", "running", items=None, started_ago=50), done, NOW)
    assert eta is not None
    assert eta.expected_seconds == 200
    assert eta.remaining_seconds == 150
    assert "work size unknown" in eta.basis


def test_overdue_job_has_no_time_remaining() -> None:
    eta = estimate_eta(job("r", "running", started_ago=5000), [job("a", elapsed=100)], NOW)
    assert eta is not None
    assert eta.remaining_seconds == 0
    assert eta.so_far_seconds > eta.expected_seconds


def test_no_eta_without_completed_jobs_or_for_finished_ones() -> None:
    assert estimate_eta(job("r", "running"), [job("f", "failed")], NOW) is None
    assert estimate_eta(job("c"), [job("a")], NOW) is None


def test_etas_cover_every_unfinished_job() -> None:
    jobs = [job("a"), job("p", "pending", started_ago=1), job("r", "running", started_ago=1)]
    assert sorted(estimate_etas(jobs, NOW)) == ["p", "r"]


def test_ids_the_api_does_not_know_are_counted_apart_from_statuses() -> None:
    summary = summarize([], NOW, not_found=2)
    assert summary.not_found == 2
    assert summary.counts == {}
