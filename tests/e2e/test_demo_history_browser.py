"""On the built-in demo, what one viewer uploads is in her Recent jobs, across reloads, and in
no other viewer's (issue 20, item 11): everyone there holds the same token."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from harness.browser import wait_for_app
from harness.dashboard import Dashboard

pytestmark = pytest.mark.browser
NewPage = Callable[[], Page]
JOB_URL = re.compile(r"/\?job=([0-9a-f-]{36})$")


def start_a_demo_forecast(page: Page, dashboard: Dashboard) -> str:
    """From /new, a demo data set sent to the built-in demo; the job's ID."""
    page.goto(f"{dashboard.url}/new")
    wait_for_app(page)
    page.get_by_text("Use a demo data set", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name="Start forecast").click()
    page.wait_for_url(JOB_URL, timeout=90_000)
    match = JOB_URL.search(page.url)
    assert match is not None
    wait_for_app(page)  # the job page's run, which writes the job to the history, has ended
    expect(page.get_by_text(match.group(1)).first).to_be_visible(timeout=60_000)
    return match.group(1)


def open_recent_jobs(page: Page, dashboard: Dashboard) -> None:
    page.goto(f"{dashboard.url}/history")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Recent jobs")).to_be_visible()


def test_a_viewers_demo_upload_is_in_her_recent_jobs_and_in_no_one_elses(
    dashboard: Dashboard, new_page: NewPage, fresh_page: NewPage
) -> None:
    uploader, other = new_page(), fresh_page()  # two browsers: two cookie jars
    job_id = start_a_demo_forecast(uploader, dashboard)
    open_recent_jobs(uploader, dashboard)  # a page load: a new session of the same browser
    expect(uploader.get_by_test_id("stDataFrame").first).to_contain_text(job_id, timeout=30_000)
    open_recent_jobs(other, dashboard)
    expect(other.get_by_text("No jobs in this browser's history")).to_be_visible()
    expect(other.get_by_text(job_id)).to_have_count(0)
