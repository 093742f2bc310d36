"""A store that cannot open is said to every viewer without its URL; the log has the details."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from streamlit.testing.v1 import AppTest

from localserve.ports import free_port
from tests.apptest import dashboard_app
from tests.conftest import DemoApi
from tests.pages.browser_bound import sent_to_browser
from tests.pages.signing import app_for, signed_in
from tests.process_resources import clear_process_resources

USER, PASSWORD, HOST, DATABASE = "sentinel_user", "sentinel_pw", "127.0.0.3", "sentinel_db"


@pytest.fixture
def store_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """EOMER_DATABASE_URL names a PostgreSQL nobody listens for; yields its port."""
    port = free_port()
    url = f"postgresql://{USER}:{PASSWORD}@{HOST}:{port}/{DATABASE}"
    monkeypatch.setenv("EOMER_DATABASE_URL", url)
    monkeypatch.setenv("EOMER_SECRET_KEY", Fernet.generate_key().decode())
    clear_process_resources()
    yield port
    clear_process_resources()


def assert_no_part_of_the_url(at: AppTest, port: int) -> None:
    assert not at.exception, at.exception
    sent = sent_to_browser(at)
    for part in (USER, PASSWORD, HOST, f":{port}", DATABASE):
        assert part.encode() not in sent, part


def test_the_history_page_says_the_store_is_down_without_its_url(
    store_down: int, demo_api: DemoApi
) -> None:
    at = dashboard_app()
    at.secrets["EOMER_API_URL"] = demo_api.url
    at.secrets["EOMER_API_TOKEN"] = "demo-token"
    at.run()
    at.switch_page("pages/history.py").run()
    assert_no_part_of_the_url(at, store_down)
    assert "cannot be opened" in " ".join(str(e.value) for e in at.error)


def test_a_signed_in_analyst_is_told_the_store_is_down_without_its_url(
    store_down: int, demo_api: DemoApi
) -> None:
    at = app_for(demo_api, signed_in("store-down-analyst"))
    at.run()
    assert_no_part_of_the_url(at, store_down)
    warnings = " ".join(str(w.value) for w in at.sidebar.warning)
    assert "Saving your settings is off" in warnings
    assert "cannot be opened" in warnings
