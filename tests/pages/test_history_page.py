"""Recent jobs (/history): only the session's tenant's jobs, filters, trends; and the 404 hint."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.history.history_hint import SWITCH_KEY
from components.history.history_table import PREFIX_KEY, STATUS_KEY
from components.shell.connection import CUSTOM_URL_KEY, PRESET_KEY
from components.shell.connection_token import TOKEN_INPUT_KEY
from dashboard.jobs.job_history import DEMO_ORIGIN
from dashboard.session.connection_settings import ApiPreset
from demo_api.seeded.scenarios import SCENARIO_IDS
from store import JobFacts, Store, api_origin, open_store, recent_jobs, record_jobs
from tests.apptest import dashboard_app
from tests.conftest import DemoApi
from tests.process_resources import clear_process_resources

PAGE = "pages/history.py"
TOKEN = "demo-token"
NOW = datetime.now(UTC)


@pytest.fixture
def team_store(store_data_dir: Path) -> Iterator[Store]:
    """The store the in-process app uses (the run's data folder), opened by the test."""
    opened = open_store(data_dir=store_data_dir)
    yield opened
    opened.close()


@pytest.fixture
def api(demo_api: DemoApi) -> Iterator[DemoApi]:
    demo_api.reset()
    clear_process_resources()
    yield demo_api
    clear_process_resources()


def seed(opened: Store, origin: str, token: str, *facts: JobFacts) -> None:
    record_jobs(opened, opened.tenant_key(origin, token), origin, facts, now=NOW)


def finished(job_id: str, status: str, hours_ago: float, elapsed: float) -> JobFacts:
    created = NOW - timedelta(hours=hours_ago)
    return JobFacts(
        job_id,
        status,
        created_at=created,
        completed_at=created + timedelta(seconds=elapsed),
        elapsed_seconds=elapsed,
        num_items=5,
        preset="chronos_small",
    )


def configured_app(api: DemoApi, token: str = TOKEN) -> AppTest:
    at = dashboard_app()
    at.secrets["EOMER_API_URL"] = api.url
    at.secrets["EOMER_API_TOKEN"] = token
    at.run()
    return at


def fresh_token() -> str:
    """A token of the test's own: its history holds only what the test seeds."""
    return f"history-test-{uuid.uuid4().hex}"


def shown_ids(at: AppTest) -> list[str]:
    return [link.split("job=")[1] for link in at.dataframe[0].value["Job"]]


def test_the_page_lists_only_the_jobs_of_the_sessions_token(
    api: DemoApi, team_store: Store
) -> None:
    origin, mine = api_origin(api.url), fresh_token()
    seed(team_store, origin, mine, finished("mine-a", "completed", 2, 60))
    seed(team_store, origin, mine, finished("mine-b", "failed", 1, 30))
    seed(team_store, origin, fresh_token(), finished("theirs-1", "completed", 1, 5))
    at = configured_app(api, mine).switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert shown_ids(at) == ["mine-b", "mine-a"]  # newest first, nobody else's
    assert [chart.proto.spec for chart in at.get("plotly_chart")]  # the trends drew


def test_prefix_and_status_filters_narrow_the_list(api: DemoApi, team_store: Store) -> None:
    origin, mine = api_origin(api.url), fresh_token()
    seed(team_store, origin, mine, finished("filter-a1", "completed", 3, 60))
    seed(team_store, origin, mine, finished("filter-b1", "failed", 3, 60))
    seed(team_store, origin, mine, finished("other-c1", "failed", 3, 60))
    at = configured_app(api, mine).switch_page(PAGE).run()
    at.text_input(key=PREFIX_KEY).input("filter-").run()
    assert sorted(shown_ids(at)) == ["filter-a1", "filter-b1"]
    at.selectbox(key=STATUS_KEY).set_value("failed").run()
    assert shown_ids(at) == ["filter-b1"]
    at.text_input(key=PREFIX_KEY).input("nothing-like-this").run()
    assert not at.dataframe
    assert "No job in the history matches" in " ".join(i.value for i in at.info)


def test_opening_a_job_writes_it_to_the_tokens_history(api: DemoApi, team_store: Store) -> None:
    at = configured_app(api)
    job_id = SCENARIO_IDS["completed_no_explainability"]
    at.query_params["job"] = job_id
    at.run()
    assert not at.exception, at.exception
    tenant = team_store.tenant_key(api_origin(api.url), TOKEN)
    [entry] = recent_jobs(team_store, tenant, api_origin(api.url), id_prefix=job_id)
    assert entry.facts.status == "completed"
    assert entry.facts.elapsed_seconds is not None


def test_without_a_token_the_page_says_to_connect(api: DemoApi) -> None:
    at = dashboard_app()
    at.secrets["EOMER_API_URL"] = api.url
    at.run().switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert "Connect to an API with a token" in at.info[0].value


def test_a_404_names_the_api_the_job_was_seen_on_and_switches_back(
    api: DemoApi, team_store: Store
) -> None:
    seed(team_store, DEMO_ORIGIN, TOKEN, finished("seen-on-demo-1", "completed", 1, 10))
    at = dashboard_app()
    at.secrets["EOMER_ALLOWED_API_ORIGINS"] = api.url
    at.query_params["job"] = SCENARIO_IDS["completed_no_explainability"]
    at.run()  # a job opened on the built-in demo: the session holds the demo's tenant
    at.sidebar.radio(key=PRESET_KEY).set_value(ApiPreset.CUSTOM).run()
    at.sidebar.text_input(key=CUSTOM_URL_KEY).input(api.url).run()
    at.sidebar.text_input(key=TOKEN_INPUT_KEY).input(TOKEN).run()
    at.query_params["job"] = "seen-on-demo-1"
    at.run()
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "was seen on the built\\-in demo API" in warning
    port = api.url.rsplit(":", 1)[1]
    assert f"the sidebar is on http\u200b\\:\\/\\/127\\.0\\.0\\.1\\:{port}" in warning
    at.button(key=SWITCH_KEY).click().run()
    assert not at.exception, at.exception
    assert at.sidebar.radio(key=PRESET_KEY).value == ApiPreset.DEMO
    assert at.query_params["job"] == "seen-on-demo-1"


def test_a_404_without_a_sighting_adds_no_hint(api: DemoApi) -> None:
    at = configured_app(api)
    at.query_params["job"] = "never-seen-anywhere-1"
    at.run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key == SWITCH_KEY]


def elapsed_drawn(at: AppTest) -> list[float]:
    """The elapsed times the Recent jobs trend draws (medians and p95s of every day)."""
    spec = at.get("plotly_chart")[0].proto.spec  # the first of the two trends
    return [y for trace in json.loads(spec)["data"] for y in trace["y"] if y is not None]


def test_the_trends_follow_the_filters_of_the_table(api: DemoApi, team_store: Store) -> None:
    origin, mine = api_origin(api.url), fresh_token()
    seed(team_store, origin, mine, finished("trend-a1", "completed", 3, 60))
    seed(team_store, origin, mine, finished("other-c1", "completed", 3, 600))
    at = configured_app(api, mine).switch_page(PAGE).run()
    assert max(elapsed_drawn(at)) > 500
    at.text_input(key=PREFIX_KEY).input("trend-").run()
    assert shown_ids(at) == ["trend-a1"]
    assert set(elapsed_drawn(at)) == {60.0}
