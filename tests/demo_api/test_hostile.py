"""Hostile-content mode: fenced, its jobs parse, and the client refuses or scrubs every attack."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser

import httpx
import pytest
from plotly.offline import get_plotlyjs

from dashboard.snapshot.snapshot_content import content_body, read_content, snapshot_content
from dashboard.snapshot.snapshot_html import DRAW_SCRIPT as DRAW
from dashboard.snapshot.snapshot_html import snapshot_html
from dashboard.snapshot.snapshot_visuals import copied_visuals
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


class _Tags(HTMLParser):
    """Every tag and attribute an HTML text holds, as a browser's parser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags


# What a snapshot's page may hold: its own skeleton and the overview's allowlist, nothing live.
SNAPSHOT_TAGS = frozenset(
    {"html", "head", "meta", "title", "body", "h1", "h2", "h3", "h4", "h5", "h6", "p", "br"}
    | {"hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "table"}
    | {"thead", "tbody", "tr", "th", "td", "s", "del", "div"}
)


_JSON = "application/json"
PLOTLY_JS = get_plotlyjs().replace("\r\n", "\n").replace("\r", "\n")


def _inert_copy(tag: str, attributes: dict[str, str | None]) -> bool:
    """A copied visual as the snapshot draws it: an image from a data URI, or a sandboxed frame
    whose srcdoc is sanitised HTML (what runs inside it is checked above, as `drawn`)."""
    names = set(attributes) - {"alt", "style", "referrerpolicy"}
    if tag == "img":
        return names == {"src"} and (attributes["src"] or "").startswith("data:image/")
    if tag == "iframe":
        return names == {"sandbox", "srcdoc"} and attributes["sandbox"] == ""
    if tag == "script":  # the page's own two (checked below), or a chart's inert JSON block
        return not names or (names == {"type", "data-chart"} and attributes["type"] == _JSON)
    return False


@pytest.mark.parametrize("scenario", HOSTILE_SCENARIOS)
def test_a_snapshot_of_a_hostile_job_keeps_no_token_no_api_link_and_nothing_live(
    eomer: EomerClient, hostile_url: str, scenario: str
) -> None:
    job = eomer.get_job(hostile_ids("demo")[scenario])
    # Its remote visuals copied in, fetched as the job page fetches them (through the client).
    visuals = copied_visuals(
        job, lambda r: eomer.fetch(r.url, max_bytes=r.max_bytes, accept=r.accept)
    )
    body = content_body(snapshot_content(job, None, datetime.now(UTC), visuals=visuals))
    for secret in (SENTINEL, hostile_url, "/_hostile/", *_urls(job)):
        assert secret not in body
    content = read_content(body)
    page = snapshot_html(content, job.job_id, datetime.now(UTC), None)
    markdown = [visual.data for visual in content.visuals if visual.kind == "markdown"]
    for tag, attributes in [*_tags(content.overview_html), *_tags(page)] + [
        tag for text in markdown for tag in _tags(text)
    ]:
        if _inert_copy(tag, attributes):
            continue
        assert tag in SNAPSHOT_TAGS
        assert not {name for name in attributes if name.startswith("on") or name == "src"}
    # The page's only scripts are its own two (test_snapshot_html pins them by hash).
    assert set(re.findall(r"<script>(.*?)</script>", page, re.DOTALL)) <= {PLOTLY_JS, DRAW}
    # Copied HTML as the job page's isolation keeps it: nothing that runs, embeds or loads.
    for visual in content.visuals:
        for tag, attributes in _tags(visual.data) if visual.kind == "html" else []:
            assert tag not in {"script", "iframe", "object", "embed", "svg", "form", "meta"}
            assert not {name for name in attributes if name.startswith("on")}
            assert (attributes.get("src") or "data:").startswith("data:")
        href = (attributes.get("href") or "").strip().lower()
        assert not href or href.startswith(("http://", "https://", "mailto:"))
