"""Snapshots (issue 25): made on a job page, opened by link in another session with no API asked;
a guessed ID says "not found", a deleted one "deleted"; only the creator lists and deletes."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from streamlit.testing.v1 import AppTest

import deps
from components.snapshot.create import CREATED_KEY, TITLE_KEY
from dashboard.snapshot.snapshot_visuals import job_links
from demo_api.seeded.scenarios import SCENARIO_IDS
from eomer_client.models import Job
from store import create_snapshot, get_snapshot, open_store
from store.clock import utc_now
from store.schema import Snapshot
from tests.conftest import DemoApi
from tests.pages.conftest import OpenJob
from tests.pages.snapshot_reading import SNAPSHOT, opened_snapshot, page_text

TITLE = "Weekly <b>CO2</b> [run](javascript:alert(1))"


def created(open_job: OpenJob) -> tuple[AppTest, str]:
    """A snapshot of a completed job made from its page: the session and the snapshot's ID."""
    at = open_job(SCENARIO_IDS["completed_full"])
    at.text_input(key=TITLE_KEY).set_value(TITLE)
    next(b for b in at.button if b.label == "Create a snapshot").click().run()
    assert not at.exception, at.exception
    job_id, snapshot_id = at.session_state[CREATED_KEY]
    assert job_id == SCENARIO_IDS["completed_full"]
    return at, snapshot_id


def test_a_colleague_opens_the_link_and_sees_the_job_without_asking_the_api(
    open_job: OpenJob, configured: DemoApi
) -> None:
    _, snapshot_id = created(open_job)
    configured.reset()
    before = len(configured.requests())
    colleague = opened_snapshot(snapshot_id)
    shown = page_text(colleague)
    assert "A snapshot" in shown
    assert "Completed" in shown
    assert "Why the forecast looks like this" in shown
    assert colleague.get("plotly_chart")
    assert len(configured.requests()) == before
    # No connection was made for the colleague's session, so it holds no token either.
    assert deps.SESSION_KEY not in colleague.session_state
    assert "demo-token" not in str(colleague.get("download_button")[0].proto)
    store = open_store()
    try:
        found = get_snapshot(store, snapshot_id)
    finally:
        store.close()
    assert found.snapshot is not None
    assert "demo-token" not in found.snapshot.body
    assert configured.url not in found.snapshot.body


def test_the_title_is_shown_as_text(open_job: OpenJob) -> None:
    _, snapshot_id = created(open_job)
    [header] = [h for h in opened_snapshot(snapshot_id).header if "Weekly" in h.value]
    assert "<b>" not in header.value.replace("\\<b\\>", "")
    assert "](javascript" not in header.value


def test_a_guessed_id_says_not_found(configured: DemoApi) -> None:
    assert "Snapshot not found" in page_text(opened_snapshot("x" * 43))


def test_the_creator_lists_and_deletes_and_the_link_then_says_deleted(
    open_job: OpenJob,
) -> None:
    creator, snapshot_id = created(open_job)
    assert "no snapshots yet" in page_text(opened_snapshot(None))  # another browser lists none
    creator.switch_page(SNAPSHOT).run()
    assert any(snapshot_id in str(code.value) for code in creator.code)
    assert "expires never" in page_text(creator)
    next(b for b in creator.button if b.label == "Delete").click().run()
    assert not creator.exception, creator.exception
    assert "no snapshots yet" in page_text(creator)
    assert "This snapshot was deleted" in page_text(opened_snapshot(snapshot_id))


def test_an_expired_snapshot_says_expired_and_shows_nothing_of_it(configured: DemoApi) -> None:
    store = open_store()
    try:
        saved = create_snapshot(store, "someone", "Old run", '{"job_id": "j", "status": "x"}')
        with store.transaction() as session:
            row = session.get(Snapshot, saved.snapshot_id)
            assert row is not None
            row.expires_at = utc_now() - timedelta(seconds=1)
    finally:
        store.close()
    colleague = opened_snapshot(saved.snapshot_id)
    assert "This snapshot expired" in page_text(colleague)
    assert "Old run" not in page_text(colleague)
    assert not colleague.get("plotly_chart")


def test_remote_visuals_are_copied_in_and_no_stored_field_holds_the_jobs_links(
    open_job: OpenJob, configured: DemoApi
) -> None:
    _, snapshot_id = created(open_job)
    answer = httpx.get(
        f"{configured.url}/jobs/{SCENARIO_IDS['completed_full']}",
        headers={"Authorization": "Bearer demo-token"},
    )
    links = job_links(Job.model_validate(answer.json()))
    assert any("signature=" in link for link in links)  # the demo signs its storage links
    store = open_store()
    try:
        found = get_snapshot(store, snapshot_id)
    finally:
        store.close()
    assert found.snapshot is not None
    body = found.snapshot.body
    for link in links:
        assert link not in body
    assert "signature=" not in body
    assert "/_storage/" not in body
    configured.reset()
    colleague = opened_snapshot(snapshot_id)
    assert not configured.requests()  # drawn from the store: the API is not asked
    kinds = {visual["kind"] for visual in json.loads(body)["visuals"]}
    assert {"plotly", "html"} <= kinds  # the demo's plotly plot and its HTML report
    [frame] = colleague.get("iframe")
    assert '<iframe sandbox="" ' in frame.proto.srcdoc  # the report still isolated
