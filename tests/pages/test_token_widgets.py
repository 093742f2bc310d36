"""No token ever enters a widget or reaches another API: switching APIs keeps it on the server.

The server's token, an analyst's saved token and a token typed earlier in the session are each
followed through the "seen on another API" switch, Custom URL and a typed address; after every
run nothing the browser would receive holds one, and a recorder typed as the Custom URL never
receives one. The Eomer cloud stands behind a loopback proxy that refuses every tunnel.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.history.history_hint import SWITCH_KEY
from components.shell.connection import CUSTOM_URL_KEY, PRESET_KEY
from components.shell.connection_token import TOKEN_INPUT_KEY
from dashboard.session.connection_settings import CLOUD_API_URL, ApiPreset
from harness.recorder import Recorder
from store import (
    JobFacts,
    Store,
    analyst_subject,
    api_origin,
    load_connection,
    open_store,
    record_jobs,
    save_connection,
)
from tests.apptest import dashboard_app
from tests.conftest import DemoApi
from tests.pages.browser_bound import assert_never_sent
from tests.pages.signing import AUTH, ISSUER
from tests.process_resources import clear_process_resources

SERVER_TOKEN = "srv-SENTINEL-token-41c7e2"
SAVED_TOKEN = "saved-SENTINEL-token-9ab3f0"
TYPED_TOKEN = "typed-SENTINEL-token-77d1c5"
VISITOR_TOKEN = "visitor-token-of-the-typed-api"
LOOPBACK = "127.0.0.1,127.0.0.2,localhost"


@dataclass(frozen=True)
class Offline:
    """A recorder to type as Custom URL, and the proxy that stands for the internet."""

    typed_api: Recorder
    internet: Recorder


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[Offline]:
    with Recorder() as typed_api, Recorder() as internet:
        # New connection pools read these: the cloud is asked through a proxy that refuses.
        monkeypatch.setenv("HTTPS_PROXY", internet.url)
        monkeypatch.setenv("NO_PROXY", LOOPBACK)
        clear_process_resources()
        yield Offline(typed_api, internet)
        clear_process_resources()


@pytest.fixture
def team_store(store_data_dir: Path) -> Iterator[Store]:
    opened = open_store(data_dir=store_data_dir)
    yield opened
    opened.close()


def seen(opened: Store, api_url: str, token: str) -> str:
    """A job the history says `token` saw on `api_url`, unknown to every other API."""
    job_id = f"seen-{uuid.uuid4().hex[:12]}"
    origin = api_origin(api_url)
    record_jobs(opened, opened.tenant_key(origin, token), origin, [JobFacts(job_id, "completed")])
    return job_id


def open_job(at: AppTest, job_id: str) -> None:
    at.switch_page("pages/job.py")
    at.query_params["job"] = job_id
    at.run()


def choose(at: AppTest, preset: ApiPreset) -> None:
    at.sidebar.radio(key=PRESET_KEY).set_value(preset).run()


def type_into(at: AppTest, key: str, text: str) -> None:
    at.sidebar.text_input(key=key).input(text).run()


def test_the_servers_token_never_enters_a_widget_nor_reaches_a_typed_url(
    offline: Offline, team_store: Store
) -> None:
    job_id = seen(team_store, CLOUD_API_URL, SERVER_TOKEN)
    at = dashboard_app()
    at.secrets["EOMER_API_TOKEN"] = SERVER_TOKEN
    at.secrets["EOMER_ALLOWED_API_ORIGINS"] = offline.typed_api.url
    at.run()
    choose(at, ApiPreset.CLOUD)
    at.switch_page("pages/history.py").run()  # the session now holds the cloud's tenant
    assert_never_sent(at, SERVER_TOKEN)
    choose(at, ApiPreset.DEMO)
    open_job(at, job_id)
    assert_never_sent(at, SERVER_TOKEN)
    at.button(key=SWITCH_KEY).click().run()
    assert at.sidebar.radio(key=PRESET_KEY).value is ApiPreset.CLOUD
    assert_never_sent(at, SERVER_TOKEN)
    choose(at, ApiPreset.CUSTOM)
    assert_never_sent(at, SERVER_TOKEN)
    type_into(at, CUSTOM_URL_KEY, offline.typed_api.url)
    assert_never_sent(at, SERVER_TOKEN)
    type_into(at, TOKEN_INPUT_KEY, VISITOR_TOKEN)
    assert_never_sent(at, SERVER_TOKEN)
    assert offline.typed_api.holding(VISITOR_TOKEN)  # the typed API was asked, with its token
    assert offline.typed_api.holding(SERVER_TOKEN) == []
    assert offline.internet.holding(SERVER_TOKEN) == []


def test_a_signed_in_analysts_saved_token_never_enters_a_widget_nor_a_typed_url(
    offline: Offline, team_store: Store, demo_api: DemoApi
) -> None:
    sub = f"analyst-{uuid.uuid4().hex[:8]}"
    subject = analyst_subject(ISSUER, sub)
    save_connection(team_store, subject, demo_api.url, SAVED_TOKEN)
    job_id = seen(team_store, demo_api.url, SAVED_TOKEN)
    at = dashboard_app()
    at.secrets["auth"] = AUTH
    at.secrets["EOMER_ALLOWED_API_ORIGINS"] = f"{demo_api.url},{offline.typed_api.url}"
    at.user = {"is_logged_in": True, "iss": ISSUER, "sub": sub, "email": "a@x.test", "name": "A"}
    at.run()  # the saved connection is chosen, its token used without entering the field
    at.switch_page("pages/history.py").run()
    assert_never_sent(at, SAVED_TOKEN)
    choose(at, ApiPreset.DEMO)
    open_job(at, job_id)
    assert_never_sent(at, SAVED_TOKEN)
    at.button(key=SWITCH_KEY).click().run()
    assert at.sidebar.text_input(key=CUSTOM_URL_KEY).value == demo_api.url
    assert_never_sent(at, SAVED_TOKEN)
    type_into(at, CUSTOM_URL_KEY, offline.typed_api.url)
    assert_never_sent(at, SAVED_TOKEN)
    assert offline.typed_api.holding(SAVED_TOKEN) == []
    saved = load_connection(team_store, subject)
    assert saved is None or saved.api_url != offline.typed_api.url
    type_into(at, TOKEN_INPUT_KEY, VISITOR_TOKEN)
    assert_never_sent(at, SAVED_TOKEN)
    assert offline.typed_api.holding(VISITOR_TOKEN)
    assert offline.typed_api.holding(SAVED_TOKEN) == []
    saved = load_connection(team_store, subject)
    assert saved is not None
    assert (saved.api_url, saved.token) == (offline.typed_api.url, VISITOR_TOKEN)


def test_a_token_typed_earlier_comes_back_on_the_server_only_and_for_its_own_api(
    offline: Offline, team_store: Store, demo_api: DemoApi
) -> None:
    job_id = seen(team_store, demo_api.url, TYPED_TOKEN)
    at = dashboard_app()
    at.secrets["EOMER_ALLOWED_API_ORIGINS"] = f"{demo_api.url},{offline.typed_api.url}"
    at.run()
    choose(at, ApiPreset.CUSTOM)
    type_into(at, CUSTOM_URL_KEY, demo_api.url)
    type_into(at, TOKEN_INPUT_KEY, TYPED_TOKEN)
    at.switch_page("pages/history.py").run()  # the session holds the typed token's tenant
    choose(at, ApiPreset.DEMO)
    open_job(at, job_id)
    at.button(key=SWITCH_KEY).click().run()
    # Back on the API it was typed for, with that token, which the browser is not sent again.
    assert at.sidebar.text_input(key=CUSTOM_URL_KEY).value == demo_api.url
    assert_never_sent(at, TYPED_TOKEN)
    assert "Using the token this session used" in " ".join(c.value for c in at.sidebar.caption)
    type_into(at, CUSTOM_URL_KEY, offline.typed_api.url)
    open_job(at, job_id)
    assert_never_sent(at, TYPED_TOKEN)
    assert offline.typed_api.holding(TYPED_TOKEN) == []


def test_a_typed_token_is_not_sent_to_the_next_address_typed(offline: Offline) -> None:
    with Recorder() as first:
        at = dashboard_app()
        at.secrets["EOMER_ALLOWED_API_ORIGINS"] = f"{first.url},{offline.typed_api.url}"
        at.run()
        choose(at, ApiPreset.CUSTOM)
        type_into(at, CUSTOM_URL_KEY, first.url)
        type_into(at, TOKEN_INPUT_KEY, TYPED_TOKEN)
        open_job(at, "job-asked-with-the-typed-token")
        assert first.holding(TYPED_TOKEN)
        type_into(at, CUSTOM_URL_KEY, offline.typed_api.url)
        open_job(at, "job-asked-with-the-typed-token")
        assert not at.exception, at.exception
        assert offline.typed_api.holding(TYPED_TOKEN) == []
        assert at.sidebar.text_input(key=TOKEN_INPUT_KEY).value == ""
