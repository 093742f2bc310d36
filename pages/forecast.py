"""Forecast viewer: a completed job's plot, then its items one by one with their uncertainty."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from components.app_shell import require_app_shell
from components.connection import current_client, session_cache
from components.error_box import error_box
from components.forecast_chart import fan_figure, forecast_chart, selection_numbers
from components.forecast_picker import item_picker, summary_tables
from components.job_picker import job_picker
from components.plain_text import escape_markdown
from components.remote_content import remote_content
from dashboard.forecast_csv import ForecastCsvError, ForecastData, parse_forecast_csv
from dashboard.render_policy import PLOT_ACCEPTED_TYPES
from eomer_client.client import EomerClient
from eomer_client.errors import ContentTooLargeError, EomerError
from eomer_client.models import Job, JobStatus

require_app_shell()
JOB_PAGE = "pages/job.py"
# Big enough for ~2.5 million rows with nine quantiles; the parsed frame is about as large
# again, and it stays in this session's memory while the page is open.
MAX_CSV_BYTES = 300 * 1024 * 1024
# Per session and connection (API and token), not st.cache_data, which every session and
# tenant would share.
DATA_KEY = "forecast_data"


def load_forecast(client: EomerClient, job: Job) -> ForecastData:
    """The parsed CSV, downloaded once per connection and job; only the latest job is kept."""
    stored: dict[str, ForecastData] = session_cache(DATA_KEY)
    if job.job_id not in stored:
        stored.clear()  # free the previous job's frame before parsing this one
        with st.spinner("Downloading and reading the forecast CSV…"):
            fetched = client.download_forecast(job, max_bytes=MAX_CSV_BYTES)
            stored[job.job_id] = parse_forecast_csv(fetched.content)
    return stored[job.job_id]


def show_failure(err: EomerError | ForecastCsvError) -> NoReturn:
    """Too large and unreadable CSVs get their own words; client errors go to the error box."""
    if isinstance(err, ContentTooLargeError):
        st.error(
            f"The forecast CSV is larger than {MAX_CSV_BYTES // 2**20} MB, the viewer's limit. "
            "Download it from the job page and open it in a tool made for large files.",
            icon=":material/data_alert:",
        )
    elif isinstance(err, ForecastCsvError):
        st.error(f"**The forecast CSV could not be read.**  \n{escape_markdown(str(err))}")
    elif error_box(err, retry_key="forecast_retry", title="Forecast"):
        st.rerun()
    st.stop()


st.title("Forecast viewer")
job_id = job_picker()
client = current_client()
if client is None:
    st.info("Set the API and its token in the sidebar to open a forecast.")
    st.stop()
if job_id is None:
    st.info("Paste a completed job's ID above to explore its forecast item by item.")
    st.stop()
try:
    job = client.get_job(job_id)
except EomerError as err:
    show_failure(err)
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
    st.page_link(JOB_PAGE, label="Open the job's page", query_params={"job": job_id})
    st.stop()

if job.forecast_plot_url:
    with st.expander("The service's own forecast plot", icon=":material/image:"):
        remote_content(
            client,
            job.forecast_plot_url,
            declared_format=None,
            key="forecast_service_plot",
            title="Forecast plot",
            accept=PLOT_ACCEPTED_TYPES,
        )
try:
    data = load_forecast(client, job)
except (EomerError, ForecastCsvError) as err:
    show_failure(err)

st.subheader("Where to look first")
summary_tables(data)
st.subheader("Items")
chosen = item_picker(data, f"{client.base_url} {job_id}")
if not chosen:
    st.info("Pick one or more items above to draw their forecast.")
    st.stop()
small_multiples = len(chosen) > 1 and st.toggle("One panel per item", key="forecast_panels")
figure = fan_figure(
    [(item, data.item_frame(item)) for item in chosen],
    data.columns,
    offsets=data.offsets,
    small_multiples=small_multiples,
)
forecast_chart(figure, key="forecast_fan")
if data.columns.ignored:
    st.caption(f"Columns not drawn: {escape_markdown(', '.join(data.columns.ignored))}")
selection_numbers(
    data.selection(chosen), data.columns.timestamp, file_name=f"forecast-{job_id}-selection.csv"
)
