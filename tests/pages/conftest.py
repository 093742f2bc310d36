"""AppTest fixtures: the whole app on a demo API, opened on a job the way a link opens it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import deps
from demo_api.server import start_background_server
from tests.apptest import dashboard_app
from tests.conftest import DemoApi
from tests.pages.reading import open_app
from tests.process_resources import clear_process_resources

OpenJob = Callable[[str], AppTest]


def preset_deployment(api: DemoApi, monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoApi]:
    """The deployment presets `api`'s address and token, as a shared server would; no faults."""
    monkeypatch.setenv("EOMER_API_URL", api.url)
    monkeypatch.setenv("EOMER_API_TOKEN", "demo-token")
    api.reset()
    st.cache_data.clear()
    # Job answers and forecasts are shared by the sessions of a process: each test starts cold.
    deps.caches.clear()
    yield api
    st.cache_data.clear()
    deps.caches.clear()


@pytest.fixture
def configured(demo_api: DemoApi, monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoApi]:
    """The session's demo API, preset by the deployment."""
    yield from preset_deployment(demo_api, monkeypatch)


@pytest.fixture
def open_job(configured: DemoApi) -> OpenJob:
    """Run the app with `?job=<raw>` and return it after the first full run."""
    return open_app


@pytest.fixture(scope="session")
def slow_demo() -> DemoApi:
    """A demo whose progressing jobs stay pending or running for the whole test run."""
    return DemoApi(start_background_server(faults=True, progress_seconds=3600))


@pytest.fixture
def on_slow_demo(slow_demo: DemoApi, monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoApi]:
    """The slow demo, preset by the deployment."""
    yield from preset_deployment(slow_demo, monkeypatch)


@pytest.fixture(scope="module")
def api_url() -> str:
    """A demo API of the module's own; faults mode only logs requests, none is injected."""
    return start_background_server(faults=True)


def requests_for(api_url: str, path: str) -> int:
    """How many requests for `path` the demo API has answered so far: what the API saw."""
    return sum(1 for entry in DemoApi(api_url).requests() if entry["path"] == path)


@pytest.fixture
def app(api_url: str) -> Iterator[AppTest]:
    """The whole app, configured for the demo through secrets, opened on its default page."""
    clear_process_resources()
    at = dashboard_app()
    at.secrets["EOMER_API_URL"] = api_url
    at.secrets["EOMER_API_TOKEN"] = "demo-token"
    at.run()
    yield at
    clear_process_resources()
