"""Hostile-content mode: fenced, its jobs parse, and the client refuses or scrubs every attack."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import httpx
import pytest

from demo_api.server import start_demo_server
from demo_api.testing.beacon import Beacon
from demo_api.testing.hostile_scenarios import HOSTILE_SCENARIOS, REDIRECTS, hostile_ids
from eomer_client.client import EomerClient
from eomer_client.errors import ApiError, EomerError, UnsafeUrlError
from eomer_client.models import Job
from eomer_client.retry import RetryPolicy
from eomer_client.urls import system_resolver

SENTINEL = "sentinel-hostile-0123456789abcdef"
OTHER = "other-tenant-token"
MAX_BYTES = 5 * 1024 * 1024


class RecordingResolver:
    """The system resolver, remembering every host the client asked about."""

    def __init__(self) -> None:
        self.hosts: list[str] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.hosts.append(host)
        return system_resolver(host, port)


@pytest.fixture(scope="module")
def beacon() -> Iterator[Beacon]:
    running = Beacon()
    yield running
    running.close()


@pytest.fixture(scope="module")
def hostile_url(beacon: Beacon) -> Iterator[str]:
    with start_demo_server(
        faults=True,
        hostile=True,
        tokens={SENTINEL: "demo", OTHER: "other"},
        hostile_beacon_url=beacon.url,
    ) as server:
        yield server.url


@pytest.fixture
def resolver() -> RecordingResolver:
    return RecordingResolver()


@pytest.fixture
def eomer(hostile_url: str, resolver: RecordingResolver) -> Iterator[EomerClient]:
    # No waiting between retries: the hostile error routes answer 5xx on purpose.
    retry = RetryPolicy(sleep=lambda _: None)
    with EomerClient(hostile_url, SENTINEL, timeout=30, retry=retry, resolver=resolver) as client:
        yield client


def _urls(job: Job) -> list[str]:
    urls = [job.download_url, job.forecast_plot_url, job.report_url, job.explainability_url]
    for artifact in job.explainability.artifacts if job.explainability else []:
        urls += [artifact.download_url, artifact.embed_url]
    return list(dict.fromkeys(url for url in urls if url))


def _outcome(client: EomerClient, url: str) -> bytes | EomerError:
    try:
        return client.fetch(url, max_bytes=MAX_BYTES).content
    except EomerError as err:
        return err


def test_without_the_flag_there_are_no_hostile_jobs_or_routes() -> None:
    headers = {"Authorization": f"Bearer {SENTINEL}"}
    job_id = hostile_ids("demo")["hostile_text"]
    with start_demo_server(tokens={SENTINEL: "demo"}) as server:
        plain = server.url
        assert httpx.get(f"{plain}/jobs/{job_id}", headers=headers, timeout=60).status_code == 404
        assert httpx.get(f"{plain}/_demo/hostile", headers=headers, timeout=60).status_code == 404
        pixel = httpx.get(f"{plain}/_hostile/{job_id}/pixel.png", headers=headers, timeout=60)
        assert pixel.status_code == 404


def test_the_environment_turns_hostile_mode_on_for_a_demo_started_without_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EOMER_DEMO_HOSTILE", "1")
    monkeypatch.setenv("EOMER_DEMO_TOKENS", f"{SENTINEL}:demo")
    with start_demo_server() as server:
        listed = httpx.get(
            f"{server.url}/_demo/hostile",
            headers={"Authorization": f"Bearer {SENTINEL}"},
            timeout=60,
        )
    assert [row["scenario"] for row in listed.json()] == list(HOSTILE_SCENARIOS)


def test_another_tenant_cannot_read_a_hostile_job(hostile_url: str) -> None:
    job_id = hostile_ids("demo")["hostile_urls"]
    answer = httpx.get(
        f"{hostile_url}/jobs/{job_id}", headers={"Authorization": f"Bearer {OTHER}"}, timeout=60
    )
    assert answer.status_code == 404
    assert answer.json()["error_code"] == "job_not_found"


@pytest.mark.parametrize("scenario", HOSTILE_SCENARIOS)
def test_every_hostile_job_parses_and_shows_no_echoed_token(
    eomer: EomerClient, scenario: str
) -> None:
    job = eomer.get_job(hostile_ids("demo")[scenario])
    assert job.job_id == hostile_ids("demo")[scenario]
    assert SENTINEL not in job.model_dump_json()


@pytest.mark.parametrize("scenario", HOSTILE_SCENARIOS)
def test_nothing_fetched_from_a_hostile_job_reaches_the_beacon_or_shows_the_token(
    eomer: EomerClient, beacon: Beacon, scenario: str
) -> None:
    job = eomer.get_job(hostile_ids("demo")[scenario])
    for url in _urls(job):
        outcome = _outcome(eomer, url)
        shown = outcome if isinstance(outcome, bytes) else f"{outcome} {vars(outcome)}".encode()
        assert SENTINEL.encode() not in shown, url
    assert beacon.hits() == []


def test_every_url_of_the_urls_job_is_refused_without_a_connection(
    eomer: EomerClient, resolver: RecordingResolver, hostile_url: str
) -> None:
    job = eomer.get_job(hostile_ids("demo")["hostile_urls"])
    outcomes = {url: _outcome(eomer, url) for url in _urls(job)}
    assert all(isinstance(o, UnsafeUrlError) for o in outcomes.values()), outcomes
    log = httpx.get(f"{hostile_url}/_demo/requests", timeout=60).json()
    # The only request that left was the job itself: every link was refused before connecting.
    assert [entry["path"] for entry in log][-1:] == [f"/jobs/{job.job_id}"]
    assert "169.254.169.254" in resolver.hosts
    assert "10.0.0.1" in resolver.hosts


@pytest.mark.parametrize("target", sorted(REDIRECTS))
def test_a_redirect_to_a_forbidden_place_is_refused(
    eomer: EomerClient, beacon: Beacon, target: str
) -> None:
    job_id = hostile_ids("demo")["hostile_redirects"]
    outcome = _outcome(eomer, f"/_hostile/{job_id}/redirect/{target}")
    assert isinstance(outcome, UnsafeUrlError)
    assert SENTINEL not in str(outcome)
    assert beacon.hits() == []


def test_errors_that_echo_the_token_are_scrubbed(eomer: EomerClient) -> None:
    job_id = hostile_ids("demo")["hostile_errors"]
    outcome = _outcome(eomer, f"/_hostile/{job_id}/error/token_echo")
    assert isinstance(outcome, ApiError)
    assert "***" in outcome.message
    assert SENTINEL not in f"{outcome} {outcome.server_message} {outcome.request_id}"


def test_the_status_job_alternates_between_running_and_hostile_text(eomer: EomerClient) -> None:
    job_id = hostile_ids("demo")["hostile_status"]
    statuses = {str(eomer.get_job(job_id).status) for _ in range(2)}
    assert "running" in statuses
    assert any("javascript:" in status for status in statuses)


def test_the_beacon_records_what_reaches_it() -> None:
    beacon = Beacon()
    try:
        httpx.get(f"{beacon.url}/probe", headers={"X-Probe": "yes"}, timeout=60)
        [hit] = beacon.hits()
    finally:
        beacon.close()
    assert beacon.url.startswith("http://127.0.0.2:")
    assert (hit.method, hit.path, hit.headers["x-probe"]) == ("GET", "/probe", "yes")
