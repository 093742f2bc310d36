"""With sign-in configured, a signed-out visitor can upload nothing: no upload widget is drawn
for her, and Streamlit's upload route refuses her files (issue 20, item 8)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from harness.browser import wait_for_app
from harness.dashboard import Dashboard, stop_dashboard
from harness.oidc import Provider, start_provider, start_signed_in_dashboard, stop_process
from harness.upload_attacks import put_file, session_of, watch_frames

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]


@pytest.fixture(scope="module")
def signed_in_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """A dashboard with sign-in on: the session-scoped one has none. One for this module."""
    provider: Provider = start_provider()
    provider.add_user("carol", email="carol@example.com", name="Carol Analyst")
    data_dir: Path = tmp_path_factory.mktemp("gate-store")
    running = start_signed_in_dashboard(provider, data_dir, {})
    yield running
    stop_dashboard(running)
    stop_process(provider.process)


def test_a_signed_out_visitor_gets_no_upload_widget_and_the_route_refuses_her_files(
    signed_in_dashboard: Dashboard, fresh_page: NewPage
) -> None:
    page = fresh_page()
    frames = watch_frames(page)
    page.goto(f"{signed_in_dashboard.url}/new")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sign in to use the dashboard")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    session = session_of(page, frames, signed_in_dashboard.url)
    assert put_file(page, signed_in_dashboard.url, session, "rogue", 1 << 20) == 403


def test_a_signed_in_analyst_uploads_as_before(
    signed_in_dashboard: Dashboard, fresh_page: NewPage
) -> None:
    page = fresh_page()
    frames = watch_frames(page)
    page.goto(signed_in_dashboard.url)
    wait_for_app(page)
    page.get_by_test_id("stMain").get_by_role("button", name="Sign in with 127.0.0.1").click()
    page.get_by_placeholder("sub").fill("carol")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{signed_in_dashboard.url}/**")
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="New forecast").click()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(1)
    session = session_of(page, frames, signed_in_dashboard.url)
    assert put_file(page, signed_in_dashboard.url, session, "honest", 1 << 20) == 204
