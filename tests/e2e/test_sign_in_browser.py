"""Signing in with a real OpenID Connect provider: the saved connection follows the analyst.

oidc-provider-mock runs as a process; its login form asks for the `sub` to sign in as. The
dashboard reads `[auth]` secrets pointing at it, and keeps its store in a folder of the test,
which the test then opens with the store's own API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from dashboard.jobs.explanations import explain
from demo_api.seeded.scenarios import scenario_ids
from demo_api.server import start_background_server
from harness.browser import wait_for_app
from harness.dashboard import Dashboard, stop_dashboard
from harness.oidc import (
    METADATA_PATH,
    Provider,
    start_provider,
    start_signed_in_dashboard,
    stop_process,
)
from localserve.ports import free_port
from store import (
    analyst_subject,
    list_watchlists,
    load_analyst,
    load_connection,
    open_store,
)
from tests.e2e.sign_in_steps import (
    connect_custom,
    forget_me,
    sign_in,
    sign_out,
    uses_saved_connection,
)

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]
NOT_FOUND = explain("job_not_found").summary

# A sentinel no database file may ever hold in clear.
ALICE_TOKEN = "tok-alice-SENTINEL-5c1e9b"
BOB_TOKEN = "tok-bob-other-tenant"
TOKENS = {ALICE_TOKEN: "alpha", BOB_TOKEN: "beta"}
ALICE_JOB = scenario_ids("alpha")["completed_no_explainability"]
BOB_JOB = scenario_ids("beta")["completed_no_explainability"]


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    running = start_provider()
    running.add_user("alice", email="alice@example.com", name="Alice Analyst")
    running.add_user("bob", email="bob@example.com", name="Bob Builder")
    yield running
    stop_process(running.process)


@pytest.fixture(scope="module")
def api_url() -> str:
    return start_background_server(faults=True, tokens=TOKENS)


def _subject(provider: Provider, sub: str) -> str:
    issuer = httpx.get(provider.url + METADATA_PATH).json()["issuer"]
    return analyst_subject(issuer, sub)


def open_job_link(page: Page, dashboard: Dashboard, job_id: str) -> None:
    page.goto(f"{dashboard.url}/?job={job_id}")
    wait_for_app(page)


def sees_job_from_link(page: Page, dashboard: Dashboard, job_id: str) -> None:
    open_job_link(page, dashboard, job_id)
    expect(page.get_by_role("heading", name="Completed")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(f"Job ID: {job_id}")).to_be_visible()


def job_not_found_from_link(page: Page, dashboard: Dashboard, job_id: str) -> None:
    open_job_link(page, dashboard, job_id)
    alert = page.get_by_test_id("stAlert").filter(has_text=NOT_FOUND)
    expect(alert).to_contain_text(job_id, timeout=30_000)
    expect(page.get_by_role("heading", name="Completed")).to_have_count(0)


def open_watchlist_link(page: Page, dashboard: Dashboard, *job_ids: str) -> None:
    page.goto(f"{dashboard.url}/watchlist?" + "&".join(f"job={job_id}" for job_id in job_ids))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Watch list", exact=True)).to_be_visible()


def save_watchlist(page: Page, name: str) -> None:
    panel = page.get_by_test_id("stExpander").filter(has_text="Saved watch lists")
    panel.locator("summary").click()
    panel.get_by_label("Name for the current list").fill(name)
    # Clicked straight after typing, as an analyst does: the name is sent as the field loses
    # focus, in the click's own rerun. (Enter first, then a click, raced the Enter's rerun: CI
    # once saw the click drawn away and nothing saved.)
    save = panel.get_by_role("button", name="Save current list")
    expect(save).to_be_enabled()
    save.click()
    expect(panel).to_contain_text(f"Saved as {name}", timeout=30_000)


def database_files(data_dir: Path) -> list[bytes]:
    return [path.read_bytes() for path in data_dir.iterdir() if path.name.startswith("eomer.db")]


def test_a_signed_in_analysts_connection_survives_reloads_tabs_and_restarts(
    provider: Provider, api_url: str, fresh_page: NewPage, tmp_path: Path
) -> None:
    env = {"EOMER_ALLOWED_API_ORIGINS": api_url}
    port = free_port()
    dashboard = start_signed_in_dashboard(provider, tmp_path, env, port=port)
    alice, bob = fresh_page(), fresh_page()
    # A shared link opened signed out: the provider's round trip lands on it, query and all.
    shared = f"/watchlist?job={ALICE_JOB}&job={BOB_JOB}"
    sign_in(alice, dashboard.url, "alice", "Alice Analyst", link=shared)
    expect(alice.get_by_role("heading", name="Watch list", exact=True)).to_be_visible()
    expect(alice).to_have_url(dashboard.url + shared)
    sign_in(bob, dashboard.url, "bob", "Bob Builder")
    # A job's link on a phone in the dark lands on that job as well (its sidebar collapsed).
    phone = fresh_page()
    phone.set_viewport_size({"width": 390, "height": 900})
    phone.emulate_media(color_scheme="dark")
    sign_in(phone, dashboard.url, "bob", "Bob Builder", link=f"/?job={BOB_JOB}")
    expect(phone).to_have_url(f"{dashboard.url}/?job={BOB_JOB}")
    # The job page, asked for that job (Bob has not connected to the API that knows it yet).
    link = phone.get_by_test_id("stCode").filter(has_text="/?job=")
    expect(link).to_have_text(f"{dashboard.url}/?job={BOB_JOB}")
    phone.close()
    connect_custom(alice, api_url, ALICE_TOKEN)
    sees_job_from_link(alice, dashboard, ALICE_JOB)

    alice.reload()
    wait_for_app(alice)
    uses_saved_connection(alice)
    another_tab = alice.context.new_page()
    sees_job_from_link(another_tab, dashboard, ALICE_JOB)
    uses_saved_connection(another_tab)
    open_watchlist_link(alice, dashboard, ALICE_JOB)
    uses_saved_connection(alice)
    save_watchlist(alice, "alice-list")

    # Bob, signed in at the same time, has nothing of Alice's: demo API, no saved lists.
    open_job_link(bob, dashboard, ALICE_JOB)
    expect(bob.get_by_test_id("stSidebar")).not_to_contain_text("Using your saved token")
    open_watchlist_link(bob, dashboard)
    bob_panel = bob.get_by_test_id("stExpander").filter(has_text="Saved watch lists")
    bob_panel.locator("summary").click()
    expect(bob_panel).to_contain_text("No saved watch lists yet.")
    connect_custom(bob, api_url, BOB_TOKEN)
    job_not_found_from_link(bob, dashboard, ALICE_JOB)  # Alice's link, with Bob's own token
    sees_job_from_link(bob, dashboard, BOB_JOB)

    assert all(ALICE_TOKEN.encode() not in content for content in database_files(tmp_path))

    stop_dashboard(dashboard)
    dashboard = start_signed_in_dashboard(provider, tmp_path, env, port=port)
    try:
        revisit = alice.context.new_page()
        open_job_link(revisit, dashboard, ALICE_JOB)
        if revisit.get_by_role("heading", name="Sign in to use the dashboard").is_visible():
            sign_in(revisit, dashboard.url, "alice", "Alice Analyst")
        sees_job_from_link(revisit, dashboard, ALICE_JOB)
        uses_saved_connection(revisit)

        opened = open_store(data_dir=tmp_path)
        alice_subject, bob_subject = _subject(provider, "alice"), _subject(provider, "bob")
        saved = load_connection(opened, alice_subject)
        assert saved is not None
        assert (saved.api_url, saved.token) == (api_url, ALICE_TOKEN)
        assert [w.name for w in list_watchlists(opened, alice_subject)] == ["alice-list"]
        assert list_watchlists(opened, bob_subject) == []

        forget_me(revisit)
        expect(revisit.get_by_role("heading", name="Sign in to use the dashboard")).to_be_visible(
            timeout=30_000
        )
        assert load_analyst(opened, alice_subject) is None
        assert load_connection(opened, alice_subject) is None
        assert list_watchlists(opened, alice_subject) == []
        bob_saved = load_connection(opened, bob_subject)
        assert bob_saved is not None
        assert bob_saved.token == BOB_TOKEN

        sign_out(bob, dashboard)
        opened.close()
    finally:
        stop_dashboard(dashboard)
