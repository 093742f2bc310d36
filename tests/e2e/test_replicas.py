"""Two dashboard replicas behind a real HAProxy and PostgreSQL: images, failover, rolling restarts.

One demo API in this process serves both replicas, so a session that moves keeps its data source.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, Response, expect

from components.shell.connection_notice import LOST, NOTICE_ID
from demo_api.seeded.scenarios import SCENARIO_IDS
from demo_api.server import start_background_server
from deploy.deployment import SECRET_KEY_ENV, Deployment
from deploy.haproxy_config import COOKIE_NAME
from harness.browser import wait_for_app
from harness.haproxy import log_sections, start_replica_set, stop_replica_set, wait_for_states
from localserve.postgres import PostgresServer, running_postgres
from store import analyst_subject, list_watchlists, open_store, save_watchlist
from tests.e2e.colours import composite, contrast, rgba
from tests.e2e.steps import (
    FAILOVER_SECONDS,
    RAN_AFTER_RECONNECT,
    RECONNECTED,
    RECORDER,
    served_by,
)

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]

# Completed, its forecast plot a PNG: Streamlit serves it from the session's replica at /media.
JOB_ID = SCENARIO_IDS["completed_no_explainability"]
COMPLETED = re.compile(r"Completed$")
RUNNING_JOB_ID = SCENARIO_IDS["running_progressing"]
PROGRESS_SECONDS = 3600
SESSIONS = 10
REPLICAS = ("replica1", "replica2")
ANALYST = analyst_subject("https://id.example.org", "analyst-7")
# Issue 24: a page whose server went away says so within this long, until it is back.
NOTICE_SECONDS = 5.0


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def database_url(postgres: PostgresServer) -> str:
    return postgres.create_database("replicas")


@pytest.fixture(scope="module")
def api_url() -> str:
    """The replicas' demo API; its request log says which requests a page caused."""
    # Its running job stays running for the whole module (it would finish after 40 min).
    url: str = start_background_server(progress_seconds=PROGRESS_SECONDS, faults=True)
    return url


@pytest.fixture(scope="module")
def replicas(database_url: str, api_url: str) -> Iterator[Deployment]:
    env = {"EOMER_API_URL": api_url, "EOMER_API_TOKEN": "demo-token"}
    deployment = start_replica_set(2, database_url, env)
    yield deployment
    stop_replica_set(deployment)


@pytest.fixture(autouse=True)
def both_up_and_logs_on_failure(replicas: Deployment) -> Iterator[None]:
    """Each test starts with both replicas up; pytest shows this output only when it fails."""
    wait_for_states(replicas, dict.fromkeys(REPLICAS, "UP"))
    yield
    for title, text in log_sections(replicas):
        sys.stdout.write(f"\n----- {title} -----\n{text[-20_000:]}\n")


def back_on_a_live_replica(page: Page, timeout_ms: float) -> None:
    """Wait for the reconnect and for the page's run on the new replica, with no click.

    After a reconnect to a replica that never knew the session, Streamlit's frontend asks for a
    run only when the page has live parts: the shell's hourly timer is one on every page, so the
    page runs again on its own (before it, the old page stayed drawn until a click).
    """
    started = time.monotonic()

    def left() -> float:
        return max(0.0, timeout_ms - 1000 * (time.monotonic() - started))

    page.wait_for_function(RECONNECTED, timeout=left(), polling=100)
    page.wait_for_function(RAN_AFTER_RECONNECT, timeout=left(), polling=100)
    expect(page.get_by_role("heading", name=COMPLETED)).to_be_visible(timeout=left())


def open_job(page: Page, base_url: str, job_id: str = JOB_ID, status: str = "Completed") -> None:
    page.goto(f"{base_url}/?job={job_id}")
    wait_for_app(page)
    heading = page.get_by_role("heading", name=re.compile(f"{status}$"))
    expect(heading).to_be_visible(timeout=60_000)


def watch_media(page: Page, seen: list[str], failed: list[str]) -> None:
    """Every /media answer goes to `seen`, and any failed one (4xx, 5xx, no answer) to `failed`."""

    def answered(response: Response) -> None:
        if "/media/" in response.url:
            seen.append(response.url)
            if response.status >= 400:
                failed.append(f"{response.status} {response.url}")

    page.on("response", answered)
    page.on(
        "requestfailed",
        lambda request: (
            failed.append(f"failed {request.url}") if "/media/" in request.url else None
        ),
    )


def test_ten_sessions_over_two_replicas_load_every_image(
    replicas: Deployment, fresh_page: NewPage
) -> None:
    served: list[str] = []
    failed: list[str] = []
    per_session: list[int] = []
    for _ in range(SESSIONS):
        page = fresh_page()
        page.set_viewport_size({"width": 1400, "height": 3200})  # every image in view
        seen: list[str] = []
        watch_media(page, seen, failed)
        open_job(page, replicas.url)
        images = page.get_by_test_id("stImage").locator("img")
        expect(images.first).to_be_visible(timeout=60_000)
        for image in images.all():
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("img => img.naturalWidth") > 0
        per_session.append(len(seen))
        served.append(served_by(page))
    assert failed == []
    assert all(count > 0 for count in per_session), per_session
    assert sorted(set(served)) == list(REPLICAS), served


def test_killing_a_replica_brings_its_session_back_on_the_other_with_the_same_page(
    replicas: Deployment, fresh_page: NewPage
) -> None:
    page = fresh_page()
    open_job(page, replicas.url)
    before = page.url
    victim = served_by(page)
    survivor = next(name for name in REPLICAS if name != victim)
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.evaluate(RECORDER)
    killed_at = time.monotonic()

    def left_ms() -> float:
        return max(0.0, FAILOVER_SECONDS - (time.monotonic() - killed_at)) * 1000

    try:
        replicas.kill(victim)
        back_on_a_live_replica(page, left_ms())
        assert time.monotonic() - killed_at < FAILOVER_SECONDS
        assert sockets, "the browser never opened a new websocket"
        assert served_by(page) == survivor
        assert page.url == before
    finally:
        replicas.restart(victim)


def test_a_rolling_restart_loses_no_saved_watch_list_and_the_session_keeps_working(
    replicas: Deployment,
    database_url: str,
    fresh_page: NewPage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SECRET_KEY_ENV, replicas.replicas[0].env[SECRET_KEY_ENV])
    store = open_store(database_url, data_dir=tmp_path)
    ids = [SCENARIO_IDS["completed_full"], SCENARIO_IDS["failed_timeout"]]
    save_watchlist(store, ANALYST, "night shift", ids)
    save_watchlist(store, ANALYST, "capacity", [SCENARIO_IDS["large_job"]])
    saved = [(w.name, w.job_ids) for w in list_watchlists(store, ANALYST)]
    store.close()

    page = fresh_page()
    open_job(page, replicas.url)
    first = served_by(page)
    order = [first, next(name for name in REPLICAS if name != first)]
    for restarted in order:
        page.evaluate(RECORDER)
        replicas.restart(restarted)
        wait_for_states(replicas, dict.fromkeys(REPLICAS, "UP"))
        # The session moved to the other replica and its page ran there.
        back_on_a_live_replica(page, 30_000)
    assert served_by(page) == first  # moved away from each replica as it restarted
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Watch list").click()
    expect(page.get_by_role("heading", name="Watch list", exact=True)).to_be_visible()

    reopened = open_store(database_url, data_dir=tmp_path)
    try:
        assert [(w.name, w.job_ids) for w in list_watchlists(reopened, ANALYST)] == saved
    finally:
        reopened.close()
    assert saved == [("capacity", (SCENARIO_IDS["large_job"],)), ("night shift", tuple(ids))]


def test_a_live_page_runs_again_on_its_own_on_the_survivor_when_its_replica_dies(
    replicas: Deployment, fresh_page: NewPage
) -> None:
    page = fresh_page()
    # On a phone in the dark: the killing test above proves the same failover at 1400 px light.
    page.set_viewport_size({"width": 390, "height": 900})
    page.emulate_media(color_scheme="dark")
    open_job(page, replicas.url, RUNNING_JOB_ID, "Running")
    victim = served_by(page)
    page.evaluate(RECORDER)
    killed_at = time.monotonic()
    try:
        replicas.kill(victim)
        # No click: the page's live refresh makes Streamlit's frontend ask for a run itself.
        page.wait_for_function(RAN_AFTER_RECONNECT, timeout=FAILOVER_SECONDS * 1000, polling=100)
        expect(page.get_by_role("heading", name=re.compile("Running$"))).to_be_visible()
        assert time.monotonic() - killed_at < FAILOVER_SECONDS
        assert served_by(page) != victim
        assert page.url.endswith(f"/?job={RUNNING_JOB_ID}")
    finally:
        replicas.restart(victim)


def test_a_snapshot_made_on_one_replica_opens_on_the_other(
    replicas: Deployment, api_url: str, fresh_page: NewPage
) -> None:
    """Snapshots live in the shared store: a colleague sent to the other replica sees one, and
    the API is asked nothing for her."""
    creator = fresh_page()
    open_job(creator, replicas.url)
    creator.get_by_label("Title", exact=True).fill("Across replicas")
    creator.get_by_role("button", name="Create a snapshot").click()
    link = creator.locator('[data-testid="stCode"]', has_text="/snapshot?id=")
    expect(link).to_be_visible(timeout=60_000)
    other = next(name for name in REPLICAS if name != served_by(creator))
    colleague = fresh_page()
    # HAProxy's stickiness cookie names the replica: this colleague lands on the other one.
    colleague.context.add_cookies([{"name": COOKIE_NAME, "value": other, "url": replicas.url}])
    httpx.post(f"{api_url}/_demo/faults/reset").raise_for_status()  # empties its request log
    colleague.goto(link.inner_text().strip())
    wait_for_app(colleague)
    expect(colleague.get_by_role("heading", name="Across replicas")).to_be_visible(timeout=60_000)
    assert served_by(colleague) == other
    assert httpx.get(f"{api_url}/_demo/requests").json() == []


def test_a_page_whose_servers_all_went_away_says_so_until_they_are_back(
    replicas: Deployment, fresh_page: NewPage
) -> None:
    """Every replica killed, as a restart or an outage would: each tab shows a lasting notice
    within 5 s (at 1400 px light and 390 px dark), which goes once a replica answers again and
    the page has run there."""
    pages = [fresh_page(), fresh_page()]
    pages[1].set_viewport_size({"width": 390, "height": 900})
    pages[1].emulate_media(color_scheme="dark")
    for page in pages:
        open_job(page, replicas.url)
        expect(page.get_by_test_id(NOTICE_ID)).to_be_hidden()
        page.evaluate(RECORDER)
    killed_at = time.monotonic()
    try:
        for name in REPLICAS:
            replicas.kill(name)
        for page in pages:
            left_ms = max(0.0, NOTICE_SECONDS - (time.monotonic() - killed_at)) * 1000
            expect(page.get_by_test_id(NOTICE_ID)).to_have_text(LOST, timeout=left_ms)
        # Lasting: still there once HAProxy itself has given both replicas up.
        wait_for_states(replicas, dict.fromkeys(REPLICAS, "DOWN"))
        for page in pages:
            notice = page.get_by_test_id(NOTICE_ID)
            expect(notice).to_be_visible()
            expect(notice).to_have_attribute("role", "alert")
            assert notice_contrast(page) >= 7.0
            box = notice.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= page.evaluate("innerWidth")
    finally:
        for name in REPLICAS:
            replicas.restart(name)
    for page in pages:
        page.wait_for_function(RAN_AFTER_RECONNECT, timeout=60_000, polling=100)
        expect(page.get_by_test_id(NOTICE_ID)).to_be_hidden()
        expect(page.get_by_role("heading", name=COMPLETED)).to_be_visible()


def notice_contrast(page: Page) -> float:
    """WCAG contrast of the notice's text on its own background."""
    colours: dict[str, str] = page.get_by_test_id(NOTICE_ID).evaluate(
        "e => ({text: getComputedStyle(e).color, back: getComputedStyle(e).backgroundColor})"
    )
    return contrast(rgba(colours["text"])[:3], composite([colours["back"]]))
