"""Job page: paste a job ID, watch it live, read why it failed or what it explains."""

from __future__ import annotations

from functools import partial

import streamlit as st

import deps
from components.common.waiting import waiting
from components.forecast.forecast_reading import read_options
from components.history.history_hint import seen_elsewhere
from components.job.downloads import downloads
from components.job.job_explainability import explainability_links, explainability_panel
from components.job.job_picker import job_picker, share_and_watch
from components.job.job_results import forecast_section, history_fan, report_section, results_links
from components.job.job_summary import (
    covariates_table,
    delivery,
    delivery_failed,
    failure_panel,
    provenance,
)
from components.job.live_job import job_status
from components.job.raw_answer import raw_answer
from components.job.welcome import welcome
from components.shell.app_shell import require_app_shell
from components.snapshot.create import snapshot_control
from dashboard.jobs.timing import viewer_timezone
from eomer_client.errors import NotFoundError
from eomer_client.models import JobStatus

require_app_shell(deps)
st.title("Job")
job_id = job_picker()
if job_id is None:
    welcome(deps.demo_jobs)
    st.stop()

share_and_watch(job_id)
live = deps.connected()
if isinstance(live, deps.Unconnected):
    st.warning(
        "**Enter your API token in the sidebar to see this job.** "
        "The job ID is kept; the page loads as soon as a token is set.",
        icon=":material/key:",
    )
    st.stop()

client = live.client
job = job_status(live.data.feed(job_id), deps.job_reader(), job_id, live.api_host)
if job is None and isinstance(live.data.feed(job_id).error, NotFoundError):
    tz = viewer_timezone(st.context.timezone)
    seen_elsewhere(job_id, deps.sightings(job_id), deps.session_tenant(), tz)
if job is None or not job.is_terminal:
    st.stop()

content = live.data.content
failure_panel(job)
if job.status == JobStatus.COMPLETED:
    if delivery_failed(job):
        st.warning(
            "**Completed, but delivery failed**: see Delivery below.", icon=":material/warning:"
        )
    observed = live.data.observed(job.job_id)
    # Every link the sections below draw, fetched together: the run waits for the slowest once.
    with waiting("Fetching the job's plots and artifacts"):
        content.prefetch([*results_links(job, plot=observed is None), *explainability_links(job)])
    # One forecast chart: the fan after the history when the history is known, else the plot.
    read = partial(deps.forecast_data, client, job, read_options(job.job_id))
    fan = partial(history_fan, job.job_id, read, observed) if observed is not None else None
    forecast_section(job, content, fan)
    st.header("Explainability", anchor=False)
    explainability_panel(job, content)
    st.header("Downloads", anchor=False)
    downloads(
        job, live.data.downloads_of(job.job_id), content, partial(client.download_forecast, job)
    )
    report_section(job, content)
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


st.header("Share a snapshot", anchor=False)
forecast = partial(deps.forecast_data, client, job, read_options(job.job_id))
observed = live.data.observed(job.job_id)
snapshot_control(job, forecast, observed, live.data.content, deps.create_snapshot)
raw_answer(job, live.connection.token)
