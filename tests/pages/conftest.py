"""AppTest fixtures: the whole app on a demo API, opened on a job the way a link opens it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, DemoApi

OpenJob = Callable[[str], AppTest]


@pytest.fixture
def configured(demo_api: DemoApi, monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoApi]:
    """The deployment presets the demo API's address and token, as a shared server would."""
    monkeypatch.setenv("EOMER_API_URL", demo_api.url)
    monkeypatch.setenv("EOMER_API_TOKEN", "demo-token")
    demo_api.reset()
    st.cache_data.clear()
    yield demo_api
    st.cache_data.clear()


@pytest.fixture
def open_job(configured: DemoApi) -> OpenJob:
    """Run the app with `?job=<raw>` and return it after the first full run."""

    def run(raw: str) -> AppTest:
        at = AppTest.from_file(ROOT / "app.py", default_timeout=60)
        at.query_params["job"] = raw
        at.run()
        assert not at.exception, at.exception
        return at

    return run
