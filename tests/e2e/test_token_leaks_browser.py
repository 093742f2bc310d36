"""No token reaches the browser or another API: a sentinel server token and a saved token.

The dashboard runs with sign-in, a sentinel EOMER_API_TOKEN, and HTTPS_PROXY pointing at a
loopback recorder that refuses every tunnel (the Eomer cloud is asked, and nothing leaves the
machine). Alice has a saved connection, sealed in the store, to a demo API that knows her
sentinel token. Through the "seen on another API" switch, Custom URL with a recorder typed as
its address, and every button of every page, every websocket frame (both ways) and every
request the recorders get are searched for both sentinels.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard.session.connection_settings import CLOUD_API_URL
from demo_api.seeded.scenarios import SCENARIO_IDS, scenario_ids
from demo_api.server import start_background_server
from harness.browser import wait_for_app
from harness.dashboard import Dashboard, stop_dashboard
from harness.oidc import METADATA_PATH, Provider, start_provider, start_signed_in_dashboard
from harness.oidc import stop_process as stop_provider
from harness.recorder import Recorder
from store import JobFacts, analyst_subject, api_origin, open_store, record_jobs, save_connection
from tests.e2e.sign_in_steps import forget_me, sign_in
from tests.e2e.steps import click_until
from tests.e2e.token_watch import FrameLog, click_every_button

pytestmark = pytest.mark.browser

SERVER_TOKEN = "srv-SENTINEL-4b1d9e0c7a"
SAVED_TOKEN = "saved-SENTINEL-93c2f51e6d"
VISITOR_TOKEN = "visitor-token-for-the-recorder"
LOOPBACK = "127.0.0.1,127.0.0.2,localhost"
SAVED_JOB = scenario_ids("alice")["completed_no_explainability"]
CLOUD_JOB = f"seen-on-cloud-{uuid.uuid4().hex[:10]}"
FULL, OTHER = SCENARIO_IDS["completed_full"], SCENARIO_IDS["completed_no_explainability"]
# Every page, on jobs of the built-in demo that give each its kinds of buttons (the job page's
# many "Prepare" downloads of the full job are one kind: the smaller job has it too), with a
# button each draws last, to know the page is there before its buttons are counted.
PAGES = (
    (f"/?job={OTHER}", "Prepare Report"),
    (f"/forecast?job={FULL}", "Download the selection as CSV"),
    (f"/compare?job={FULL}&job={OTHER}", "Remove B"),
    (f"/watchlist?job={FULL}&job={OTHER}", "Download table (CSV)"),
    ("/new", "Start forecast"),
    ("/history", "Watch selected jobs"),
)


@dataclass(frozen=True)
class Deployment:
    dashboard: Dashboard
    api_url: str
    typed_api: Recorder
    internet: Recorder


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A dashboard of this module's own: sign-in, a sentinel server token and a refusing proxy
    are settings no shared dashboard has."""
    provider = start_provider()
    provider.add_user("alice", email="alice@example.com", name="Alice Analyst")
    api_url = start_background_server(tokens={SAVED_TOKEN: "alice"})
    data_dir = tmp_path_factory.mktemp("token-leaks")
    with Recorder() as typed_api, Recorder() as internet:
        env = {
            "EOMER_API_TOKEN": SERVER_TOKEN,
            "EOMER_ALLOWED_API_ORIGINS": f"{api_url},{typed_api.url}",
            "HTTPS_PROXY": internet.url,
            "NO_PROXY": LOOPBACK,
        }
        dashboard = start_signed_in_dashboard(provider, data_dir, env)
        try:
            _seed(provider, data_dir, api_url)
            yield Deployment(dashboard, api_url, typed_api, internet)
        finally:
            stop_dashboard(dashboard)
            stop_provider(provider.process)


def _seed(provider: Provider, data_dir: Path, api_url: str) -> None:
    """Alice's saved connection, and a job each token saw, in the dashboard's own store."""
    issuer = httpx.get(provider.url + METADATA_PATH).json()["issuer"]
    opened = open_store(data_dir=data_dir)
    try:
        save_connection(opened, analyst_subject(issuer, "alice"), api_url, SAVED_TOKEN)
        for url, token, job_id in (
            (CLOUD_API_URL, SERVER_TOKEN, CLOUD_JOB),
            (api_url, SAVED_TOKEN, SAVED_JOB),
        ):
            origin = api_origin(url)
            tenant = opened.tenant_key(origin, token)
            record_jobs(opened, tenant, origin, [JobFacts(job_id, "completed")])
    finally:
        opened.close()


def sidebar_choice(page: Page, label: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    radio = sidebar.get_by_role("radio", name=label)
    click_until(page, sidebar.get_by_text(label, exact=True), radio.is_checked, f"{label} chosen")
    wait_for_app(page)


def go_to(page: Page, title: str) -> None:
    """Another page in the same session (a link of the navigation, not a new load)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    wait_for_app(page)


def show_job(page: Page, job_id: str) -> None:
    field = page.get_by_label("Job ID, job URL or POST /forecast JSON")
    field.fill(job_id)
    field.press("Enter")
    expect(page).to_have_url(re.compile(f"job={job_id}"))
    expect(
        page.get_by_text(f"Job ID: {job_id}").or_(page.get_by_text("was seen on"))
    ).to_be_visible()
    wait_for_app(page)


def switch_back(page: Page, host: str) -> None:
    """The 404 names where the job was seen; its button points the sidebar there."""
    expect(page.get_by_test_id("stAlert").filter(has_text="was seen on")).to_contain_text(host)
    button = page.get_by_role("button", name=re.compile("Switch the sidebar to"))
    expect(button).to_contain_text(host)
    button.click()
    wait_for_app(page)


def type_sidebar(page: Page, label: str, text: str) -> None:
    field = page.get_by_test_id("stSidebar").get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")
    wait_for_app(page)


def assert_no_leak(deployment: Deployment, frames: FrameLog) -> None:
    """Neither sentinel in a frame so far, nor at a recorder."""
    for secret in (SERVER_TOKEN, SAVED_TOKEN):
        assert frames.holding(secret) == 0, "a token reached the browser"
        assert deployment.typed_api.holding(secret) == [], "a token reached the typed API"
        assert deployment.internet.holding(secret) == [], "a token reached the proxy"


def test_no_token_reaches_the_browser_or_a_typed_api_through_any_page_or_button(
    deployment: Deployment, browser: Browser
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    frames = FrameLog()
    frames.watch(page)
    try:
        sign_in(page, deployment.dashboard.url, "alice", "Alice Analyst")
        # The server's token: the session holds the cloud's tenant, then switches back to it.
        sidebar_choice(page, "Eomer cloud")
        go_to(page, "Recent jobs")
        expect(page.get_by_test_id("stMain")).to_contain_text(CLOUD_JOB)
        sidebar_choice(page, "Built-in demo API")
        go_to(page, "Job")
        show_job(page, CLOUD_JOB)
        switch_back(page, "eomer-api.onrender.com")
        assert_no_leak(deployment, frames)
        sidebar_choice(page, "Custom URL")
        type_sidebar(page, "API URL", deployment.typed_api.url)
        assert_no_leak(deployment, frames)
        expect(page.get_by_test_id("stMain")).to_contain_text("Enter your API token")
        # Alice's saved token: the job was seen with it on her API; the switch uses it there.
        sidebar_choice(page, "Built-in demo API")
        show_job(page, SAVED_JOB)
        switch_back(page, deployment.api_url.rsplit(":", 1)[1])
        expect(page.get_by_role("heading", name="Completed")).to_be_visible()
        assert_no_leak(deployment, frames)
        type_sidebar(page, "API URL", deployment.typed_api.url)
        expect(page.get_by_test_id("stMain")).to_contain_text("Enter your API token")
        type_sidebar(page, "API token", VISITOR_TOKEN)
        # The recorder answers 404 to all: the typed API was asked, with the typed token only.
        expect(page.get_by_test_id("stMain")).to_contain_text("No job with this ID exists")
        assert_no_leak(deployment, frames)
        clicked: dict[str, list[str]] = {}
        for path, last_button in PAGES:
            page.goto(deployment.dashboard.url + path)
            expect(page.get_by_role("button", name=last_button)).to_be_visible()
            wait_for_app(page)
            clicked[path] = click_every_button(page, skip=("Sign out", "Forget me"))
        forget_me(page)
    finally:
        context.close()

    # Every page's buttons were clicked. How many a page shows depends on where a click's rerun
    # leads (a "Show job" opens another page): 13 to 17 in all were seen, so the floor is 10.
    assert all(clicked.values()), clicked
    assert sum(len(keys) for keys in clicked.values()) >= 10, clicked
    assert_no_leak(deployment, frames)
    # The search reads decoded frames: what the page showed and what was typed are there.
    assert frames.holding(CLOUD_JOB)
    assert frames.holding(VISITOR_TOKEN)
    assert deployment.typed_api.holding(VISITOR_TOKEN)
    for secret in (SERVER_TOKEN, SAVED_TOKEN):
        assert secret not in deployment.dashboard.output()
    # The cloud was asked with the server's token, through a tunnel that never opened.
    tunnels = [r.target for r in deployment.internet.requests() if r.method == "CONNECT"]
    assert "eomer-api.onrender.com:443" in tunnels
