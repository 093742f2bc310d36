"""The wiring: the forecast budget refuses what exceeds it; the built-in demo is shared by
replicas; a silent store says so in words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from dashboard.session.connection_settings import DEMO_API_URL_KEY
from demo_api.seeded.scenarios import SCENARIO_IDS
from eomer_client.client import EomerClient
from tests.apptest import dashboard_app, function_app
from tests.conftest import DemoApi

CO2 = SCENARIO_IDS["completed_full"]


def _read_forecast(api_url: str, job_id: str, budget: int, outcome: list[str]) -> None:
    """Read the job's forecast within `budget`; `outcome` gets what happened and what is kept."""
    import deps
    from dashboard.forecasts.forecast_csv import ReadOptions
    from dashboard.session.connection_settings import Connection
    from eomer_client.errors import EomerError

    deps.connect(Connection(api_url, "demo-token"))
    live = deps.connected()
    assert isinstance(live, deps.Connected)
    job = live.client.get_job(job_id)
    try:
        deps.forecast_data(live.client, job, ReadOptions(), budget=budget)
        outcome.append("read")
    except EomerError as err:
        outcome.append(f"{type(err).__name__}: {err.message}")
    kept = deps.caches().forecasts
    outcome.append(f"kept {len(kept.files)} file, {len(kept.readings)} reading")


def read_within(demo_api: DemoApi, budget: int) -> list[str]:
    outcome: list[str] = []
    st.cache_resource.clear()  # the process's caches start empty
    try:
        at = function_app(_read_forecast, args=(demo_api.url, CO2, budget, outcome))
        at.run()
    finally:
        st.cache_resource.clear()
    assert not at.exception, at.exception
    return outcome


def file_size(demo_api: DemoApi) -> int:
    with EomerClient(demo_api.url, "demo-token") as client:
        return len(client.download_forecast(client.get_job(CO2)).content)


def test_a_forecast_within_the_budget_is_read_and_kept(demo_api: DemoApi) -> None:
    assert read_within(demo_api, 10 * file_size(demo_api)) == ["read", "kept 1 file, 1 reading"]


def test_a_forecast_whose_file_and_table_exceed_the_budget_is_refused_and_its_reading_dropped(
    demo_api: DemoApi,
) -> None:
    # The file alone fits, so it is downloaded and read; with its table it does not.
    outcome = read_within(demo_api, file_size(demo_api) + 1)
    assert outcome[0].startswith("ContentError: The forecast takes")
    assert "Download it from the job page" in outcome[0]
    assert outcome[1] == "kept 1 file, 0 reading"


def test_a_file_over_the_budget_is_refused_before_it_is_read(demo_api: DemoApi) -> None:
    outcome = read_within(demo_api, file_size(demo_api) // 2)
    assert outcome[0].startswith("ContentTooLargeError:")
    assert outcome[1] == "kept 0 file, 0 reading"


def test_every_dashboard_given_the_shared_demo_uses_it_instead_of_its_own(
    demo_api: DemoApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DEMO_API_URL_KEY, demo_api.url)
    for key in ("EOMER_API_URL", "EOMER_API_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    demo_api.reset()
    job_id = SCENARIO_IDS["completed_no_explainability"]
    try:
        for _replica in range(2):
            # Each replica is a process of its own: nothing of the last one's resources is kept.
            st.cache_resource.clear()
            at = dashboard_app()
            at.query_params["job"] = job_id
            at.run()
            assert not at.exception, at.exception
            shown = [*at.main.markdown, *at.main.caption, *at.main.code]
            assert any(job_id in str(text.value) for text in shown)
    finally:
        st.cache_resource.clear()
    assert demo_api.job_requests(job_id) >= 2


def _ask_a_silent_store(api_url: str, outcome: list[str]) -> None:
    """Sign in and connect, drop two of the store's tables, then save a watch list and read
    the history: `outcome` gets what each said."""
    from sqlalchemy import text

    import deps
    from dashboard.session.connection_settings import Connection, SettingsError
    from store import Store, StoreError

    deps.connect(Connection(api_url, "demo-token"))
    deps.sign_in("https://issuer.example", "silent-store", None, None)
    opened = deps.store()
    assert isinstance(opened, Store)
    with opened.engine.begin() as connection:
        connection.execute(text("DROP TABLE watchlists"))
        connection.execute(text("DROP TABLE job_history"))
    for ask in (lambda: deps.save_watchlist("mine", ["job-1"]), deps.job_history):
        try:
            ask()
            outcome.append("answered")
        except (SettingsError, StoreError) as err:
            outcome.append(str(err))


@pytest.fixture
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A team store of the test's own, so dropping its tables harms no other test."""
    monkeypatch.setenv("EOMER_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


def test_a_store_that_does_not_answer_is_said_in_words_not_as_a_traceback(
    demo_api: DemoApi, own_store: Path
) -> None:
    outcome: list[str] = []
    at = function_app(_ask_a_silent_store, args=(demo_api.url, outcome))
    at.run()
    assert not at.exception, at.exception
    assert outcome == [
        "Saving the watch list failed: the store's database did not answer (OperationalError). "
        "Try again in a moment; the dashboard works meanwhile, without saving.",
        "The job history's database did not answer (OperationalError). "
        "Try again in a moment; the rest of the dashboard works meanwhile.",
    ]


def _connection_state(api_url: str | None, token: str | None) -> None:
    import streamlit as st

    import deps
    from dashboard.session.connection_settings import Connection

    deps.connect(Connection(api_url, token))
    state = deps.connected()
    kind = "connected" if isinstance(state, deps.Connected) else "unconnected"
    st.markdown(f"{kind}|{state.connection.identity == state.data.identity}")


@pytest.mark.parametrize(
    ("url", "token", "shown"),
    [
        (None, None, "unconnected|True"),
        ("http://127.0.0.1:9", None, "unconnected|True"),
        ("ftp://example.com", "t", "unconnected|True"),
        ("http://127.0.0.1:9", "t", "connected|True"),
    ],
)
def test_a_page_gets_a_connected_session_or_an_unconnected_one_with_its_data(
    url: str | None, token: str | None, shown: str
) -> None:
    at = function_app(_connection_state, args=(url, token)).run()
    assert not at.exception, at.exception
    assert at.markdown[0].value.startswith(shown), at.markdown[0].value
