"""On the built-in demo every viewer holds the same token: each browser session's Recent jobs
are its own, so what one viewer uploads never shows in another's (issue 20, item 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import deps
from demo_api.seeded.scenarios import SCENARIO_IDS
from tests.apptest import dashboard_app
from tests.process_resources import clear_process_resources

HISTORY = "pages/history.py"


@pytest.fixture
def fresh_caches(store_data_dir: Path) -> Iterator[None]:
    """The app's caches emptied around the test; the store is the run's data folder."""
    clear_process_resources()
    yield
    clear_process_resources()


def demo_session() -> AppTest:
    """A browser session on the built-in demo (nothing configured)."""
    at = dashboard_app()
    at.run()
    assert not at.exception, at.exception
    return at


def started_on_the_demo(at: AppTest) -> str:
    """Start a forecast of a demo data set from /new; the ID of the job it started."""
    at.switch_page("pages/new.py").run()
    at.radio(key="new_source").set_value("Use a demo data set").run()
    next(button for button in at.button if button.label == "Start forecast").click().run()
    assert not at.exception, at.exception
    session = at.session_state[deps.SESSION_KEY]
    assert isinstance(session, deps.Session)
    [job_id] = session.data.started
    return job_id


def history_ids(at: AppTest) -> list[str]:
    at.switch_page(HISTORY).run()
    assert not at.exception, at.exception
    if not at.dataframe:
        return []
    return [link.split("job=")[1] for link in at.dataframe[0].value["Job"]]


def test_a_job_one_viewer_uploads_to_the_demo_is_in_her_recent_jobs_only(
    fresh_caches: None,
) -> None:
    uploader, other = demo_session(), demo_session()
    job_id = started_on_the_demo(uploader)
    assert job_id in history_ids(uploader)
    assert job_id not in history_ids(other)
    assert "No jobs in this browser's history" in " ".join(info.value for info in other.info)


def test_a_demo_job_two_viewers_open_is_in_both_their_recent_jobs(fresh_caches: None) -> None:
    # The second viewer's answer may come from the process's shared cache: her history is still
    # written, since another browser's write says nothing of hers.
    job_id = SCENARIO_IDS["completed_full"]
    first, second = demo_session(), demo_session()
    for viewer in (first, second):
        viewer.query_params["job"] = job_id
        viewer.run()
        assert not viewer.exception, viewer.exception
    assert job_id in history_ids(first)
    assert job_id in history_ids(second)
