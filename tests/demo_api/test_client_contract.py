"""The real client against the demo API: it reads every scenario and fetches every URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demo_api.seeded.scenarios import SCENARIO_IDS
from eomer_client.client import EomerClient
from eomer_client.models import Job, JobStatus


@pytest.fixture(scope="module")
def eomer(demo_url: str) -> Iterator[EomerClient]:
    with EomerClient(demo_url, "demo-token", timeout=60) as client:
        yield client


def _urls(job: Job) -> list[str]:
    urls = [job.download_url, job.forecast_plot_url, job.report_url, job.explainability_url]
    if job.explainability is not None:
        for artifact in job.explainability.artifacts:
            urls += [artifact.download_url, artifact.embed_url]
    return [url for url in urls if url]


@pytest.mark.parametrize("name", sorted(SCENARIO_IDS))
def test_client_reads_every_scenario_and_fetches_every_url(eomer: EomerClient, name: str) -> None:
    job = eomer.get_job(SCENARIO_IDS[name])
    assert job.job_id == SCENARIO_IDS[name]
    assert job.is_known_status
    if job.status == JobStatus.FAILED:
        assert job.error_code is not None
        assert job.error
    for url in _urls(job):
        fetched = eomer.fetch(url, max_bytes=50 * 1024 * 1024)
        assert fetched.content, url


def test_client_reads_every_scenario_at_once(eomer: EomerClient) -> None:
    jobs = eomer.get_jobs(list(SCENARIO_IDS.values()))
    assert all(isinstance(job, Job) for job in jobs.values())
