"""Signed in behind HAProxy: a killed replica's session comes back on the other, still signed in.

Two replicas share PostgreSQL, EOMER_SECRET_KEY and one `[auth]` file pointing at a real
oidc-provider-mock; the analyst's custom API is a demo API in this process.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from demo_api.seeded.scenarios import scenario_ids
from demo_api.server import start_background_server
from deploy.deployment import Deployment
from harness.browser import wait_for_app
from harness.haproxy import log_sections, stop_replica_set
from harness.oidc import Provider, start_provider, start_signed_in_replica_set, stop_process
from localserve.postgres import running_postgres
from tests.e2e.sign_in_steps import connect_custom, sign_in, uses_saved_connection
from tests.e2e.steps import FAILOVER_SECONDS, RAN_AFTER_RECONNECT, RECORDER, served_by

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]

TOKEN = "tok-replicas-signed-in"
# Running for the whole test: its page refreshes itself, so after a reconnect it runs again
# without anyone touching it.
RUNNING_JOB_ID = scenario_ids("alpha")["running_progressing"]
RUNNING = re.compile(r"Running$")
PROGRESS_SECONDS = 3600


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    running = start_provider()
    running.add_user("carol", email="carol@example.com", name="Carol Analyst")
    yield running
    stop_process(running.process)


@pytest.fixture(scope="module")
def api_url() -> str:
    return start_background_server(progress_seconds=PROGRESS_SECONDS, tokens={TOKEN: "alpha"})


@pytest.fixture(scope="module")
def replicas(provider: Provider, api_url: str) -> Iterator[Deployment]:
    with running_postgres() as postgres:
        database_url = postgres.create_database("signed_in")
        env = {"EOMER_ALLOWED_API_ORIGINS": api_url}
        deployment = start_signed_in_replica_set(provider, 2, database_url, env)
        yield deployment
        stop_replica_set(deployment)


@pytest.fixture(autouse=True)
def logs_on_failure(replicas: Deployment, provider: Provider) -> Iterator[None]:
    """pytest shows this output only when the test fails."""
    yield
    for title, text in [*log_sections(replicas), ("oidc-provider-mock", provider.output())]:
        sys.stdout.write(f"\n----- {title} -----\n{text[-20_000:]}\n")


def test_killing_a_replica_brings_a_signed_in_session_back_with_its_page_and_connection(
    replicas: Deployment, api_url: str, fresh_page: NewPage
) -> None:
    page = fresh_page()
    sign_in(page, replicas.url, "carol", "Carol Analyst")
    connect_custom(page, api_url, TOKEN)
    page.goto(f"{replicas.url}/?job={RUNNING_JOB_ID}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=RUNNING)).to_be_visible(timeout=60_000)
    uses_saved_connection(page)
    before, victim = page.url, served_by(page)
    page.evaluate(RECORDER)

    killed_at = time.monotonic()
    replicas.kill(victim)
    # No click, no sign-in: the live page runs again on the survivor by itself.
    page.wait_for_function(RAN_AFTER_RECONNECT, timeout=FAILOVER_SECONDS * 1000, polling=100)
    expect(page.get_by_role("heading", name=RUNNING)).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Signed in as Carol Analyst")
    expect(sidebar).to_contain_text("Using your saved token")
    expect(sidebar.get_by_label("API URL")).to_have_value(api_url)
    elapsed = time.monotonic() - killed_at
    assert elapsed < FAILOVER_SECONDS, f"back after {elapsed:.1f} s"
    assert served_by(page) not in {victim, ""}
    assert page.url == before
    expect(page.get_by_role("heading", name="Sign in to use the dashboard")).to_have_count(0)
