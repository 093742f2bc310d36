"""Forecast viewer: a completed job's items one by one, their uncertainty, history and accuracy."""

from __future__ import annotations

from functools import partial

import streamlit as st

import deps
from components.common.plain_text import escape_markdown
from components.common.waiting import waiting
from components.forecast.accuracy_table import accuracy_section
from components.forecast.forecast_chart import fan_figure, forecast_chart, selection_numbers
from components.forecast.forecast_picker import forecast_failure, item_picker, summary_tables
from components.forecast.forecast_reading import corrections, read_as_line, read_options
from components.forecast.observed_files import chart_observations, observed_files, read_plot_history
from components.job.job_picker import job_picker
from components.job.job_results import service_plot
from components.shell.app_shell import require_app_shell
from components.snapshot.create import snapshot_form
from components.snapshot.freeze import viewer_content
from dashboard.analysis.accuracy import score
from dashboard.forecasts.forecast_csv import ForecastCsvError
from dashboard.session.routes import JOB_PAGE, JOB_PARAM
from eomer_client.errors import EomerError
from eomer_client.models import JobStatus

require_app_shell(deps)
st.title("Forecast viewer")
job_id = job_picker()
live = deps.connected()
if isinstance(live, deps.Unconnected):
    st.info("Set the API and its token in the sidebar to open a forecast.")
    st.stop()
if job_id is None:
    st.info("Paste a completed job's ID above to explore its forecast item by item.")
    st.stop()
try:
    with waiting(f"Asking the API at {live.api_host} for job {job_id}"):
        job = deps.job_reader()(job_id)
except EomerError as err:
    forecast_failure(err, deps.MAX_FORECAST_BYTES)
    st.stop()
if job.status != JobStatus.COMPLETED:
    later = (
        "It failed, so it will have none: its page says why."
        if job.status == JobStatus.FAILED
        else "Come back when it is completed."
    )
    st.warning(
        f"Job {escape_markdown(job_id)} is **{escape_markdown(str(job.status))}**: it has no "
        f"forecast to explore. {later}",
        icon=":material/hourglass_top:",
    )
    st.page_link(JOB_PAGE.script, label="Open the job's page", query_params={JOB_PARAM: job_id})
    st.stop()

# The history the job page shows in the service's plot is the viewer's too.
read_plot_history(job, live.data)
observed = observed_files(job_id, live.data)
if job.forecast_plot_url:
    with st.expander("The service's own forecast plot", icon=":material/image:"):
        service_plot(job, live.data.content, "forecast_service_plot")
try:
    with waiting(f"Downloading and reading the forecast file of job {job_id}"):
        data = deps.forecast_data(live.client, job, read_options(job_id))
except EomerError as err:
    forecast_failure(err, deps.MAX_FORECAST_BYTES)
    st.stop()
except ForecastCsvError as err:
    forecast_failure(err, deps.MAX_FORECAST_BYTES)
    corrections(job_id, None)
    st.stop()

read_as_line(data)
corrections(job_id, data)

st.subheader("Where to look first")
summary_tables(data)
accuracy = score(data, observed) if observed is not None else None
if observed is not None:
    accuracy_section(accuracy, job_id)
st.subheader("Items")
chosen = item_picker(data, f"{live.client.base_url} {job_id}")
if not chosen:
    st.info("Pick one or more items above to draw their forecast.")
    st.stop()
small_multiples = len(chosen) > 1 and st.toggle("One panel per item", key="forecast_panels")
figure = fan_figure(
    [(item, data.item_frame(item)) for item in chosen],
    data.columns,
    offsets=data.offsets,
    small_multiples=small_multiples,
    observed=chart_observations(data, observed, chosen),
    total=len(data.items),
)
forecast_chart(figure, key="forecast_fan")
if data.columns.ignored:
    st.caption(f"Columns not drawn: {escape_markdown(', '.join(data.columns.ignored))}")
selection_numbers(
    data.selection(chosen),
    data.columns.timestamp,
    file_name=f"forecast-{job_id}-selection.csv",
    time_is_date=data.columns.time_kind == "datetime",
)

st.subheader("Share a snapshot", anchor=False)
snapshot_form(
    "forecast",
    f"Job {job_id}: " + ", ".join(chosen),
    f"{job_id} {' '.join(chosen)} {small_multiples}",
    partial(viewer_content, job, figure, accuracy),
    deps.create_snapshot,
)
