"""The job page before a job is chosen: what the dashboard does, and where a newcomer starts."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import PageLink

from components.job.welcome import HOW_TO_PASTE, MORE_LABEL, WHAT_IT_DOES
from components.shell.app_shell import THEME_HINT
from dashboard.jobs.demo_tour import SHOWCASES
from dashboard.session.routes import JOB_PARAM, WATCHLIST_PAGE
from demo_api.seeded.scenarios import SCENARIO_IDS
from tests.apptest import dashboard_app
from tests.pages.reading import texts

# Each session is handed live jobs of its own, running from the moment the page asked for them.
LIVE_LABELS = {SHOWCASES[1].label}
LIVE_SCENARIOS = ("pending_progressing", "running_progressing")


def seeded_id(job_id: str) -> str:
    """The seeded job a session's own live job plays (`<seeded-id>.<start>`), else the ID."""
    seeded, _, start = job_id.rpartition(".")
    return seeded if seeded in SCENARIO_IDS.values() and start.isdigit() else job_id


@pytest.fixture
def built_in_demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing configured, so the session is on the built-in demo API."""
    monkeypatch.delenv("EOMER_API_URL", raising=False)
    monkeypatch.delenv("EOMER_API_TOKEN", raising=False)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def first_page() -> AppTest:
    at = dashboard_app().run()
    assert not at.exception, at.exception
    return at


def main_links(at: AppTest) -> list[PageLink]:
    return [link for link in at.main.get("page_link") if isinstance(link, PageLink)]


def job_ids_of(link: PageLink) -> list[str]:
    return parse_qs(link.proto.query_string).get(JOB_PARAM, [])


@pytest.mark.usefixtures("built_in_demo")
def test_first_page_says_what_it_does_and_offers_a_completed_a_live_and_a_failed_job() -> None:
    at = first_page()
    page = texts(at)
    assert all(line in page for line in WHAT_IT_DOES)
    first_three = main_links(at)[:3]
    assert first_three[0].value == SHOWCASES[0].label
    assert first_three[1].value.replace("\\", "") in LIVE_LABELS
    assert first_three[2].value.replace("\\", "") == SHOWCASES[2].label
    opened = [job_ids_of(link) for link in first_three]
    assert [[seeded_id(job_id) for job_id in ids] for ids in opened] == [
        [SCENARIO_IDS["completed_full"]],
        [SCENARIO_IDS["running_progressing"]],
        [SCENARIO_IDS["failed_validation_error"]],
    ]
    # The live one is the session's own, not the seeded job every viewer shares.
    assert opened[1] != [SCENARIO_IDS["running_progressing"]]
    assert not at.error


@pytest.mark.usefixtures("built_in_demo")
def test_every_session_gets_live_jobs_of_its_own() -> None:
    def live_ids(at: AppTest) -> set[str]:
        opened = {i for link in main_links(at) for i in job_ids_of(link)}
        return {i for i in opened if i != seeded_id(i)}

    first, second = live_ids(first_page()), live_ids(first_page())
    assert sorted(seeded_id(i) for i in first) == sorted(SCENARIO_IDS[s] for s in LIVE_SCENARIOS)
    assert len(second) == len(LIVE_SCENARIOS)
    assert not first & second


@pytest.mark.usefixtures("built_in_demo")
def test_one_link_opens_the_watch_list_on_every_demo_job() -> None:
    watch_all = [link for link in main_links(first_page()) if link.value.startswith("Watch all")]
    (link,) = watch_all
    assert link.proto.page.endswith(WATCHLIST_PAGE.url_path)
    assert sorted(seeded_id(i) for i in job_ids_of(link)) == sorted(SCENARIO_IDS.values())
    assert link.value == f"Watch all {len(SCENARIO_IDS)} demo jobs together"


@pytest.mark.usefixtures("built_in_demo")
def test_every_demo_job_waits_behind_more_under_a_readable_name() -> None:
    at = first_page()
    (more,) = [expander for expander in at.main.expander if expander.label == MORE_LABEL]
    links = [link for link in more.get("page_link") if isinstance(link, PageLink)]
    shown = sorted(seeded_id(i) for link in links for i in job_ids_of(link))
    assert shown == sorted(SCENARIO_IDS.values())
    assert not [link.value for link in links if "_" in link.value or "·" in link.value]
    # The main page never lists the scenarios outside "More": three, the watch list, the rest.
    assert len(main_links(at)) == 3 + 1 + len(SCENARIO_IDS)


@pytest.mark.usefixtures("configured")
def test_away_from_the_demo_the_first_page_says_how_to_paste_a_job_id() -> None:
    at = first_page()
    page = texts(at)
    assert all(line in page for line in WHAT_IT_DOES)
    assert HOW_TO_PASTE.replace("`", "") in page.replace("`", "")
    assert main_links(at) == []
    assert not at.main.expander


@pytest.mark.usefixtures("built_in_demo")
def test_sidebar_says_where_the_theme_switch_is() -> None:
    captions = [str(caption.value) for caption in first_page().sidebar.caption]
    assert THEME_HINT in captions
