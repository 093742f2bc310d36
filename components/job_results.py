"""A finished job's results on its page: the service's forecast plot and the report."""

from __future__ import annotations

import streamlit as st

from components.remote_content import remote_content
from dashboard.content_cache import ContentCache, ContentRequest
from dashboard.render_policy import MAX_CONTENT_BYTES, PLOT_ACCEPTED_TYPES, REPORT_ACCEPTED_TYPES
from dashboard.routes import FORECAST_PAGE, JOB_PARAM
from eomer_client.models import Job

REPORT_TOGGLE_KEY = "job_show_report"


def results_links(job: Job) -> list[ContentRequest]:
    """The plot, and the report once shown: what these sections fetch this run."""
    links: list[ContentRequest] = []
    if job.forecast_plot_url:
        links.append(ContentRequest(job.forecast_plot_url, MAX_CONTENT_BYTES, PLOT_ACCEPTED_TYPES))
    if job.report_url and st.session_state.get(REPORT_TOGGLE_KEY, False):
        links.append(ContentRequest(job.report_url, MAX_CONTENT_BYTES, REPORT_ACCEPTED_TYPES))
    return links


def forecast_section(job: Job, content: ContentCache) -> None:
    """The service's forecast plot, whatever format it serves, and a link to the viewer."""
    st.header("Forecast", anchor=False)
    if not job.forecast_plot_url:
        st.caption("The service gave no forecast plot for this job.")
        return
    remote_content(
        content,
        job.forecast_plot_url,
        declared_format=None,
        key="job_forecast_plot",
        title="Forecast plot",
        accept=PLOT_ACCEPTED_TYPES,
    )
    st.page_link(
        FORECAST_PAGE.script,
        label="Explore the forecast item by item",
        query_params={JOB_PARAM: job.job_id},
    )


def report_section(job: Job, content: ContentCache) -> None:
    """The job's report, inline when it can be shown safely, on request."""
    if job.report_url and st.toggle("Show the report", key=REPORT_TOGGLE_KEY):
        remote_content(
            content,
            job.report_url,
            declared_format=None,
            key="job_report",
            title="Report",
            accept=REPORT_ACCEPTED_TYPES,
        )
