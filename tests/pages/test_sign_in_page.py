"""The whole app with sign-in configured: the gate, the saved connection, forget me, saved lists."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from components.common.watched_ids import WATCHED_KEY
from components.shell.connection import CUSTOM_URL_KEY, PRESET_KEY
from components.shell.connection_token import TOKEN_INPUT_KEY
from components.snapshot.create import CREATED_KEY as SNAPSHOT_CREATED_KEY
from components.watchlist.saved_watchlists import CHOSEN_KEY, NAME_KEY
from dashboard.jobs.watched_jobs import WatchedJobs
from dashboard.session.connection_settings import SNAPSHOTS_MEMBERS_ONLY_KEY, ApiPreset
from demo_api.seeded.scenarios import SCENARIO_IDS
from deps import DEMO_HISTORY_KEY, pending_returns
from store import (
    Store,
    analyst_subject,
    list_watchlists,
    load_analyst,
    load_connection,
    open_store,
    save_watchlist,
)
from tests.apptest import dashboard_app
from tests.conftest import DemoApi
from tests.pages.signing import AUTH, ISSUER, app_for, signed_in
from tests.process_resources import clear_process_resources

TOKEN = "demo-token"
GATE = "Sign in to use the dashboard"


@pytest.fixture
def team_store(store_data_dir: Path) -> Iterator[Store]:
    """The store the in-process app writes to (the run's data folder), opened by the test."""
    opened = open_store(data_dir=store_data_dir)
    yield opened
    opened.close()


@pytest.fixture
def api(demo_api: DemoApi) -> Iterator[DemoApi]:
    demo_api.reset()
    clear_process_resources()
    yield demo_api
    clear_process_resources()


def new_sub() -> str:
    return f"analyst-{uuid.uuid4().hex[:8]}"


def connect_custom(at: AppTest, url: str, token: str) -> None:
    at.sidebar.radio(key=PRESET_KEY).set_value(ApiPreset.CUSTOM).run()
    at.sidebar.text_input(key=CUSTOM_URL_KEY).input(url).run()
    at.sidebar.text_input(key=TOKEN_INPUT_KEY).input(token).run()
    assert not at.exception, at.exception


def sidebar_text(at: AppTest) -> str:
    parts = [*at.sidebar.markdown, *at.sidebar.caption, *at.sidebar.warning, *at.sidebar.error]
    return " ".join(str(part.value) for part in parts)


def test_a_signed_out_visitor_sees_only_the_sign_in_page_and_no_api_is_asked(
    api: DemoApi,
) -> None:
    at = app_for(api, {"is_logged_in": False})
    at.run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == [GATE]
    labels = [b.label for b in at.button]
    assert labels.count("Sign in with idp.example.test") == 2  # sidebar and page
    assert not at.sidebar.radio  # no connection settings: nothing to connect
    assert api.requests() == []


def test_the_connection_is_saved_on_connect_and_chosen_in_the_next_session(
    api: DemoApi, team_store: Store
) -> None:
    sub = new_sub()
    first = app_for(api, signed_in(sub))
    first.run()
    assert "Signed in as" in sidebar_text(first)
    connect_custom(first, api.url, TOKEN)
    assert "Connection saved for your next visit" in sidebar_text(first)
    saved = load_connection(team_store, analyst_subject(ISSUER, sub))
    assert saved is not None
    assert (saved.api_url, saved.token) == (api.url, TOKEN)

    reloaded = app_for(api, signed_in(sub))
    reloaded.run()
    assert not reloaded.exception, reloaded.exception
    assert reloaded.sidebar.radio(key=PRESET_KEY).value is ApiPreset.CUSTOM
    assert reloaded.sidebar.text_input(key=CUSTOM_URL_KEY).value == api.url
    # The token is used, never put back in the field (a widget's value reaches the browser).
    assert reloaded.sidebar.text_input(key=TOKEN_INPUT_KEY).value == ""
    assert "Using your saved token" in sidebar_text(reloaded)


def test_choosing_the_demo_replaces_the_saved_connection(api: DemoApi, team_store: Store) -> None:
    sub = new_sub()
    at = app_for(api, signed_in(sub))
    at.run()
    connect_custom(at, api.url, TOKEN)
    at.sidebar.radio(key=PRESET_KEY).set_value(ApiPreset.DEMO).run()
    assert load_connection(team_store, analyst_subject(ISSUER, sub)) is None


def test_another_analyst_never_gets_the_first_ones_connection(
    api: DemoApi, team_store: Store
) -> None:
    first = app_for(api, signed_in(new_sub()))
    first.run()
    connect_custom(first, api.url, TOKEN)
    other = app_for(api, signed_in(new_sub(), name="Bo"))
    other.run()
    assert other.sidebar.radio(key=PRESET_KEY).value is ApiPreset.DEMO
    assert "Using your saved token" not in sidebar_text(other)


def test_without_sign_in_the_next_session_starts_on_the_demo(api: DemoApi) -> None:
    at = dashboard_app()
    at.secrets["EOMER_ALLOWED_API_ORIGINS"] = api.url
    at.run()
    connect_custom(at, api.url, TOKEN)
    assert "Connection saved" not in sidebar_text(at)
    again = dashboard_app()
    again.secrets["EOMER_ALLOWED_API_ORIGINS"] = api.url
    again.run()
    assert again.sidebar.radio(key=PRESET_KEY).value is ApiPreset.DEMO


def test_forget_me_asks_first_then_deletes_the_analysts_rows_and_signs_out(
    api: DemoApi, team_store: Store
) -> None:
    sub = new_sub()
    subject = analyst_subject(ISSUER, sub)
    at = app_for(api, signed_in(sub))
    at.run()
    connect_custom(at, api.url, TOKEN)
    save_watchlist(team_store, subject, "mine", ["job-1"])
    at.sidebar.button(key="sign_in_forget").click().run()
    assert load_analyst(team_store, subject) is not None  # nothing yet: a confirm step first
    at.sidebar.button(key="sign_in_forget_no").click().run()
    at.sidebar.button(key="sign_in_forget").click().run()
    at.sidebar.button(key="sign_in_forget_yes").click().run()
    assert not at.exception, at.exception
    assert load_analyst(team_store, subject) is None
    assert load_connection(team_store, subject) is None
    assert list_watchlists(team_store, subject) == []
    assert [t.value for t in at.title] == [GATE]


def test_sign_in_settings_missing_a_key_are_named_and_the_dashboard_still_works(
    api: DemoApi,
) -> None:
    broken = {key: value for key, value in AUTH.items() if key != "client_secret"}
    at = app_for(api, {"is_logged_in": False}, auth=broken)
    at.run()
    assert not at.exception, at.exception
    errors = " ".join(str(e.value) for e in at.sidebar.error)
    assert "lacks client" in errors
    assert "test-client-secret" not in errors
    assert GATE not in [t.value for t in at.title]
    assert at.sidebar.radio(key=PRESET_KEY).value is ApiPreset.DEMO


def test_saved_watch_lists_are_saved_opened_and_deleted_for_the_analyst(
    api: DemoApi, team_store: Store
) -> None:
    sub = new_sub()
    subject = analyst_subject(ISSUER, sub)
    at = app_for(api, signed_in(sub))
    at.session_state[WATCHED_KEY] = WatchedJobs(["job-a", "job-b"])
    at.switch_page("pages/watchlist.py").run()
    assert not at.exception, at.exception
    at.text_input(key=NAME_KEY).input("Morning").run()
    at.button(key="watchlist_saved_save").click().run()
    assert [(w.name, w.job_ids) for w in list_watchlists(team_store, subject)] == [
        ("Morning", ("job-a", "job-b"))
    ]
    save_watchlist(team_store, subject, "Evening", ["job-c"])
    at.run()
    at.selectbox(key=CHOSEN_KEY).set_value("Evening").run()
    at.button(key="watchlist_saved_open").click().run()
    assert at.session_state[WATCHED_KEY].ids == ["job-c"]
    assert at.query_params["job"] == "job-c"
    at.button(key="watchlist_saved_delete").click().run()
    assert [w.name for w in list_watchlists(team_store, subject)] == ["Morning"]


def test_the_saved_watch_lists_panel_is_absent_without_sign_in(api: DemoApi) -> None:
    at = dashboard_app()
    at.switch_page("pages/watchlist.py").run()
    assert not at.exception, at.exception
    assert "Saved watch lists" not in [e.label for e in at.expander]


def test_forget_me_signs_out_the_analysts_other_tabs_and_they_recreate_nothing(
    api: DemoApi, team_store: Store
) -> None:
    sub = new_sub()
    subject = analyst_subject(ISSUER, sub)
    here, other_tab = app_for(api, signed_in(sub)), app_for(api, signed_in(sub))
    here.run()
    other_tab.run()
    connect_custom(here, api.url, TOKEN)
    other_tab.sidebar.radio(key=PRESET_KEY).set_value(ApiPreset.CUSTOM).run()
    other_tab.sidebar.text_input(key=CUSTOM_URL_KEY).input(api.url).run()
    here.sidebar.button(key="sign_in_forget").click().run()
    here.sidebar.button(key="sign_in_forget_yes").click().run()
    assert load_analyst(team_store, subject) is None
    # The other tab completes a connection: it finds itself signed out, and saves nothing.
    other_tab.sidebar.text_input(key=TOKEN_INPUT_KEY).input(TOKEN).run()
    assert not other_tab.exception, other_tab.exception
    assert [t.value for t in other_tab.title] == [GATE]
    assert "Forget me" in " ".join(w.value for w in other_tab.sidebar.warning)
    other_tab.run()
    assert [t.value for t in other_tab.title] == [GATE]
    assert load_analyst(team_store, subject) is None
    assert load_connection(team_store, subject) is None


def test_with_sign_in_on_a_snapshot_is_for_members_when_the_deployment_says_so(
    api: DemoApi,
) -> None:
    sub = new_sub()
    author = app_for(api, signed_in(sub))
    author.run()
    connect_custom(author, api.url, TOKEN)
    author.query_params["job"] = SCENARIO_IDS["completed_full"]
    author.run()
    next(b for b in author.button if b.label == "Create a snapshot").click().run()
    assert not author.exception, author.exception
    _, snapshot_id = author.session_state[SNAPSHOT_CREATED_KEY]

    def opened(user: dict[str, Any], snapshot: str | None, members_only: str = "") -> AppTest:
        at = app_for(api, user)
        at.secrets[SNAPSHOTS_MEMBERS_ONLY_KEY] = members_only
        at.switch_page("pages/snapshot.py")
        if snapshot is not None:
            at.query_params["id"] = snapshot
        at.run()
        assert not at.exception, at.exception
        return at

    # The deployment keeps snapshots for members: a visitor signed out is asked to sign in.
    for members_only in ("true", "On", "maybe"):
        visitor = opened({"is_logged_in": False}, snapshot_id, members_only)
        assert [t.value for t in visitor.title] == [GATE]
        assert not visitor.info
    assert "MEMBERS\\_ONLY" in visitor.error[0].value  # "maybe" is named, not guessed
    member = opened(signed_in(new_sub(), name="Bo Member"), snapshot_id)
    assert any("by Ada Analyst" in info.value for info in member.info)
    # Her snapshots follow her to another browser; another member lists none of them.
    assert any(snapshot_id in str(code.value) for code in opened(signed_in(sub), None).code)
    assert not opened(signed_in(new_sub()), None).code


def signed_out_at(api: DemoApi, script: str, query: dict[str, list[str]]) -> AppTest:
    """A signed-out browser session opened on a shared link: the sign-in page, and its button."""
    at = app_for(api, {"is_logged_in": False})
    # The browser's key: in a browser, from its XSRF cookie, which AppTest cannot send.
    at.session_state[DEMO_HISTORY_KEY] = f"browser-{uuid.uuid4().hex}"
    at.switch_page(script)
    for key, values in query.items():
        at.query_params[key] = values
    at.run()
    assert [t.value for t in at.title] == [GATE]
    return at


def back_from_the_provider(api: DemoApi, before: AppTest, sub: str) -> AppTest:
    """The same browser (its key), signed in, as Streamlit's callback sends it: a new session
    on `/`."""
    at = app_for(api, signed_in(sub))
    at.session_state[DEMO_HISTORY_KEY] = before.session_state[DEMO_HISTORY_KEY]
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("script", "query", "title"),
    [
        ("pages/watchlist.py", {"job": ["job-a", "job-b"]}, "Watch list"),
        ("pages/job.py", {"job": [SCENARIO_IDS["completed_full"]]}, "Job"),
    ],
)
def test_signing_in_from_a_shared_link_lands_on_its_page_with_its_query(
    api: DemoApi, script: str, query: dict[str, list[str]], title: str
) -> None:
    before = signed_out_at(api, script, query)
    next(b for b in before.main.button if b.label.startswith("Sign in with")).click().run()
    assert not before.exception, before.exception
    after = back_from_the_provider(api, before, new_sub())
    assert [t.value for t in after.title] == [title]
    # AppTest keeps a lone value as a string, several as a list.
    shown = {k: v if isinstance(v, list) else [v] for k, v in after.query_params.items()}
    assert shown == query
    # Given once: a later visit to `/` by the same browser stays there.
    later = back_from_the_provider(api, before, new_sub())
    assert [t.value for t in later.title] == ["Job"]
    assert not later.query_params


def test_a_kept_path_to_another_host_is_not_followed(api: DemoApi) -> None:
    before = signed_out_at(api, "pages/watchlist.py", {"job": ["job-a"]})
    browser = before.session_state[DEMO_HISTORY_KEY]
    pending_returns().remember(browser, "//evil.example/watchlist?job=job-a")
    after = back_from_the_provider(api, before, new_sub())
    assert [t.value for t in after.title] == ["Job"]
    assert not after.query_params


def test_with_sign_in_on_a_snapshots_link_opens_signed_out_by_default_but_not_the_list(
    api: DemoApi,
) -> None:
    author = app_for(api, signed_in(new_sub()))
    author.run()
    connect_custom(author, api.url, TOKEN)
    author.query_params["job"] = SCENARIO_IDS["completed_full"]
    author.run()
    next(b for b in author.button if b.label == "Create a snapshot").click().run()
    _, snapshot_id = author.session_state[SNAPSHOT_CREATED_KEY]
    api.reset()
    visitor = app_for(api, {"is_logged_in": False})
    visitor.switch_page("pages/snapshot.py")
    visitor.query_params["id"] = snapshot_id
    visitor.run()
    assert not visitor.exception, visitor.exception
    assert GATE not in [t.value for t in visitor.title]
    assert any("A snapshot" in info.value for info in visitor.info)
    assert visitor.get("plotly_chart")
    assert not api.requests()
    lister = app_for(api, {"is_logged_in": False})
    lister.switch_page("pages/snapshot.py").run()
    assert [t.value for t in lister.title] == [GATE]
