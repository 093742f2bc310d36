"""The first page's demo jobs: one completed, one live, one failed, named in an analyst's words."""

from __future__ import annotations

from dashboard.jobs.demo_tour import SHOWCASES, DemoJob, readable_label, showcase_jobs
from demo_api.seeded.scenarios import SCENARIOS


def demo_job(scenario: str, status: str) -> DemoJob:
    return DemoJob(f"id-{scenario}", scenario, status)


def demo_list() -> list[DemoJob]:
    """The demo's own scenarios, with the live ones still running."""
    live = {"progressing": "running"}
    return [demo_job(s.name, live.get(s.status, s.status)) for s in SCENARIOS]


def test_every_showcase_names_a_scenario_the_demo_has() -> None:
    names = {scenario.name for scenario in SCENARIOS}
    assert {showcase.scenario for showcase in SHOWCASES} <= names


def test_showcase_is_a_completed_a_running_and_a_failed_job_with_plain_labels() -> None:
    chosen = showcase_jobs(demo_list())
    assert [job.status for _, job in chosen] == ["completed", "running", "failed"]
    assert [label for label, _ in chosen] == [showcase.label for showcase in SHOWCASES]
    assert not any("_" in label for label, _ in chosen)


def test_live_job_that_has_finished_is_not_called_running() -> None:
    jobs = [demo_job("running_progressing", "completed")]
    ((label, job),) = showcase_jobs(jobs)
    assert job.scenario == "running_progressing"
    assert "Running" not in label
    assert label == readable_label(job)


def test_a_missing_scenario_is_replaced_by_another_job_of_its_status() -> None:
    jobs = [
        demo_job("completed_covariates", "completed"),
        demo_job("pending_progressing", "pending"),
        demo_job("failed_timeout", "failed"),
    ]
    chosen = showcase_jobs(jobs)
    assert [job.scenario for _, job in chosen] == [job.scenario for job in jobs]
    assert [label for label, _ in chosen] == [readable_label(job) for job in jobs]


def test_no_job_is_shown_twice_and_nothing_is_invented() -> None:
    only = [demo_job("completed_full", "completed")]
    assert [job for _, job in showcase_jobs(only)] == only
    assert showcase_jobs([]) == []


def test_every_scenario_gets_a_label_without_test_vocabulary() -> None:
    labels = [readable_label(job) for job in demo_list()]
    assert len(set(labels)) == len(labels)
    assert not [label for label in labels if "_" in label or "progressing" in label]
    assert readable_label(demo_job("failed_rate_limited", "failed")) == "Failed: rate limited"


def test_an_unknown_scenario_is_spelled_out_and_an_empty_one_falls_back_to_the_id() -> None:
    assert readable_label(demo_job("brand_new_case", "completed")) == "Brand new case"
    assert readable_label(DemoJob("id-1", "", "completed")) == "id-1"
