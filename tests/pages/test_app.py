"""The app shell under AppTest: the connection sidebar, its presets and the navigation."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import deps
from components.job.job_summary import status_heading
from dashboard.session.connection_settings import ApiPreset
from demo_api.seeded.scenarios import SCENARIO_IDS
from tests.apptest import dashboard_app
from tests.pages.reading import texts

TOKEN = "SENTINEL-token-7c1d"


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing configured: no API address or token in the environment or secrets."""
    monkeypatch.delenv("EOMER_API_URL", raising=False)
    monkeypatch.delenv("EOMER_API_TOKEN", raising=False)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def app(**widgets: object) -> AppTest:
    """A fresh app with sidebar widget values preset.

    AppTest (Streamlit 1.67) reruns skip the entry script when a `pages/` folder exists, so the
    sidebar is only drawn on a first run: each sidebar state gets its own fresh AppTest.
    """
    at = dashboard_app()
    for key, value in widgets.items():
        at.session_state[key] = value
    return at


@pytest.mark.usefixtures("bare_env")
def test_nothing_configured_starts_the_demo_with_a_badge_and_its_jobs() -> None:
    at = app().run()
    assert not at.exception
    assert "Demo data" in texts(at)
    labels = [link.label for link in at.page_link]
    # In the sidebar and under "More demo jobs" on the first page, in an analyst's words.
    assert labels.count("Completed forecast with explainability") >= 2, labels
    assert "Failed\\: rate limited" in labels  # markdown-escaped, shown as written
    assert not any("_" in label for label in labels), labels
    assert len(labels) >= 2 * len(SCENARIO_IDS)


@pytest.mark.usefixtures("bare_env")
def test_demo_job_opens_from_a_link_with_only_its_id() -> None:
    at = app()
    at.query_params["job"] = SCENARIO_IDS["failed_timeout"]
    at.run()
    assert status_heading("failed") in texts(at)


@pytest.mark.usefixtures("configured")
def test_server_token_is_used_but_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EOMER_API_TOKEN", TOKEN)
    at = app()
    at.query_params["job"] = SCENARIO_IDS["failed_timeout"]
    at.run()
    assert "API token configured by the server." in texts(at)
    assert not [w for w in at.text_input if w.key == "connection_token"]
    assert TOKEN not in repr(at._tree)
    assert TOKEN not in texts(at)


@pytest.mark.usefixtures("configured")
def test_link_opened_without_a_token_asks_for_one_and_keeps_the_job(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EOMER_API_TOKEN")
    job_id = SCENARIO_IDS["failed_timeout"]
    at = app()
    at.query_params["job"] = job_id
    at.run()
    assert "Enter your API token in the sidebar" in texts(at)
    assert at.text_input[0].value == job_id
    at = app(connection_token="demo-token")
    at.query_params["job"] = job_id
    at.run()
    assert status_heading("failed") in texts(at)
    assert "demo-token" not in repr(at.query_params)


@pytest.mark.usefixtures("bare_env")
def test_cloud_without_a_token_sends_nothing_and_asks_for_one() -> None:
    at = app(connection_preset=ApiPreset.CLOUD)
    at.query_params["job"] = SCENARIO_IDS["failed_timeout"]
    at.run()
    assert "Enter your API token in the sidebar" in texts(at)


@pytest.mark.usefixtures("bare_env")
def test_custom_http_url_to_a_remote_host_is_refused() -> None:
    at = app(connection_preset=ApiPreset.CUSTOM, connection_custom_url="http://example.com").run()
    assert "https://" in texts(at)
    assert at.sidebar.error


def test_unusable_configured_url_is_reported_and_the_presets_offered(
    monkeypatch: pytest.MonkeyPatch, bare_env: None
) -> None:
    monkeypatch.setenv("EOMER_API_URL", "ftp://files.example.com")
    at = app().run()
    assert "EOMER_API_URL" in texts(at)
    assert at.radio(key="connection_preset")


@pytest.mark.parametrize("page", ["pages/watchlist.py", "pages/forecast.py"])
@pytest.mark.usefixtures("bare_env")
def test_every_page_is_reachable_from_the_navigation(page: str) -> None:
    at = app().run()
    at.switch_page(page).run()
    assert not at.exception


def pool_of(at: AppTest) -> httpx.Client:
    """The wiring's connection pool this app's session uses (deps.Session)."""
    current = at.session_state[deps.SESSION_KEY]
    assert isinstance(current, deps.Session)
    assert current.pool is not None
    return current.pool


@pytest.mark.usefixtures("configured")
def test_released_connection_pool_is_closed_and_the_next_run_opens_a_new_one() -> None:
    job_id = SCENARIO_IDS["failed_timeout"]
    at = app()
    at.query_params["job"] = job_id
    at.run()
    used = pool_of(at)
    st.cache_resource.clear()
    assert used.is_closed
    again = app()
    again.query_params["job"] = job_id
    again.run()
    assert status_heading("failed") in texts(again)
    assert not pool_of(again).is_closed


@pytest.mark.usefixtures("bare_env")
def test_a_typed_url_to_the_servers_own_loopback_is_refused_without_saying_where() -> None:
    at = app(connection_preset=ApiPreset.CUSTOM, connection_custom_url="https://127.0.0.1:9").run()
    page = texts(at)
    assert "is not a public address" in page
    assert "EOMER_ALLOWED_API_ORIGINS" in page
    assert "Enter your API token" not in page  # no client was made for it


@pytest.mark.usefixtures("bare_env")
def test_the_deployment_can_remove_custom_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EOMER_CUSTOM_API", "off")
    at = app().run()
    assert [str(option) for option in at.sidebar.radio[0].options] == [
        ApiPreset.DEMO.label,
        ApiPreset.CLOUD.label,
    ]
