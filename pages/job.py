"""Job page: paste a job ID, watch it live, read why it failed or what it explains."""

from __future__ import annotations

import streamlit as st

from components.app_shell import require_app_shell
from components.connection import current_client, demo_job_links
from components.downloads import downloads
from components.explainability import explainability_panel
from components.job_picker import job_picker, share_and_watch
from components.job_summary import (
    covariates_table,
    delivery,
    delivery_failed,
    failure_panel,
    provenance,
)
from components.live_job import job_status
from components.remote_content import remote_content
from dashboard.render_policy import PLOT_ACCEPTED_TYPES, REPORT_ACCEPTED_TYPES
from eomer_client.client import EomerClient
from eomer_client.models import Job, JobStatus

require_app_shell()
st.title("Job")
job_id = job_picker()
if job_id is None:
    st.caption("Paste a job ID above, or open one of these:")
    demo_job_links(where=st.container())
    st.stop()

share_and_watch(job_id)
client = current_client()
if client is None:
    st.warning(
        "**Enter your API token in the sidebar to see this job.** "
        "The job ID is kept; the page loads as soon as a token is set.",
        icon=":material/key:",
    )
    st.stop()

job = job_status(client, job_id)
if job is None or not job.is_terminal:
    st.stop()


def forecast_section(job: Job, client: EomerClient) -> None:
    """The service's forecast plot, whatever format it serves."""
    st.header("Forecast", anchor=False)
    if not job.forecast_plot_url:
        st.caption("The service gave no forecast plot for this job.")
        return
    remote_content(
        client,
        job.forecast_plot_url,
        declared_format=None,
        key="job_forecast_plot",
        title="Forecast plot",
        accept=PLOT_ACCEPTED_TYPES,
    )
    st.page_link(
        "pages/forecast.py",
        label="Explore the forecast item by item",
        query_params={"job": job.job_id},
    )


def report_section(job: Job, client: EomerClient) -> None:
    """The job's report, inline when it can be shown safely, on request."""
    if job.report_url and st.toggle("Show the report", key="job_show_report"):
        remote_content(
            client,
            job.report_url,
            declared_format=None,
            key="job_report",
            title="Report",
            accept=REPORT_ACCEPTED_TYPES,
        )


failure_panel(job)
if job.status == JobStatus.COMPLETED:
    if delivery_failed(job):
        st.warning(
            "**Completed, but delivery failed**: see Delivery below.", icon=":material/warning:"
        )
    forecast_section(job, client)
    st.header("Explainability", anchor=False)
    explainability_panel(job, client)
    st.header("Downloads", anchor=False)
    downloads(job, client)
    report_section(job, client)
st.header("Details", anchor=False)
provenance_column, delivery_column = st.columns(2)
with provenance_column:
    st.subheader("Provenance", anchor=False)
    provenance(job)
with delivery_column:
    st.subheader("Delivery", anchor=False)
    delivery(job)
    st.subheader("External covariates", anchor=False)
    covariates_table(job.external_covariate_metadata)
