"""The job page before a job is chosen: what the dashboard does, and demo jobs to start from."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components.common.plain_text import escape_markdown
from dashboard.jobs.demo_tour import LIVE_STATUSES, DemoJob, readable_label, showcase_jobs
from dashboard.session.routes import JOB_PAGE, JOB_PARAM, WATCHLIST_PAGE
from eomer_client.errors import EomerError

WHAT_IT_DOES = (
    "**Follow Eomer forecast jobs live**: paste a job ID above, or open a link a colleague "
    "shared, to see its status, why it failed, its explainability and its forecast.",
    "**Watch many at once** on the watch list, with charts of how long each job takes.",
)
HOW_TO_PASTE = (
    "Paste a job ID, the job's URL, or the JSON that `POST /forecast` answered into the box "
    "above; the page then follows the job until it finishes."
)
MORE_LABEL = "More demo jobs"


def _icon(status: str) -> str:
    if status == "failed":
        return ":material/error:"
    if status in LIVE_STATUSES:
        return ":material/autorenew:"
    return ":material/check_circle:"


def _job_link(label: str, job: DemoJob) -> None:
    st.page_link(
        JOB_PAGE.script,
        label=escape_markdown(label),
        icon=_icon(job.status),
        query_params={JOB_PARAM: job.job_id},
    )


def _demo_jobs(jobs: list[DemoJob]) -> None:
    st.subheader("Try the demo", anchor=False)
    for label, job in showcase_jobs(jobs):
        _job_link(label, job)
    st.page_link(
        WATCHLIST_PAGE.script,
        label=f"Watch all {len(jobs)} demo jobs together",
        icon=WATCHLIST_PAGE.icon,
        query_params={JOB_PARAM: [job.job_id for job in jobs]},
    )
    with st.expander(MORE_LABEL, expanded=False):
        for job in jobs:
            _job_link(readable_label(job), job)


def welcome(load_demo_jobs: Callable[[], list[DemoJob]]) -> None:
    """Two lines on what the dashboard does; on the demo, three jobs and the rest on request."""
    for line in WHAT_IT_DOES:
        st.markdown(line)
    try:
        jobs = load_demo_jobs()
    except (EomerError, ValueError) as err:
        st.caption(f"The demo job list could not be loaded: {escape_markdown(str(err))}")
        jobs = []
    if jobs:
        _demo_jobs(jobs)
    else:
        st.caption(HOW_TO_PASTE)
