"""A finished job's results on its page: the service's forecast plot and the report."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components.common.plain_text import escape_untrusted
from components.common.waiting import waiting
from components.forecast.observed_files import first_item_chart
from components.job.remote_content import remote_content
from dashboard.caching.content_cache import ContentCache, ContentRequest
from dashboard.forecasts.forecast_csv import ForecastCsvError, ForecastData
from dashboard.forecasts.plot_items import items_note
from dashboard.safety.render_policy import (
    MAX_CONTENT_BYTES,
    PLOT_ACCEPTED_TYPES,
    REPORT_ACCEPTED_TYPES,
)
from dashboard.series.observations import Observations
from dashboard.session.routes import FORECAST_PAGE, JOB_PARAM
from eomer_client.errors import EomerError
from eomer_client.models import Job

REPORT_TOGGLE_KEY = "job_show_report"


def results_links(job: Job, *, plot: bool = True) -> list[ContentRequest]:
    """The plot (unless the fan with history stands for it), and the report once shown: what
    these sections fetch this run."""
    links: list[ContentRequest] = []
    if job.forecast_plot_url and plot:
        links.append(ContentRequest(job.forecast_plot_url, MAX_CONTENT_BYTES, PLOT_ACCEPTED_TYPES))
    if job.report_url and st.session_state.get(REPORT_TOGGLE_KEY, False):
        links.append(ContentRequest(job.report_url, MAX_CONTENT_BYTES, REPORT_ACCEPTED_TYPES))
    return links


def forecast_section(
    job: Job, content: ContentCache, with_history: Callable[[], bool] | None = None
) -> None:
    """One forecast chart and one link to the viewer: `with_history()`'s fan after the history
    when it draws one (True), else the service's forecast plot, whatever format it serves."""
    st.header("Forecast", anchor=False)
    if with_history is not None and with_history():
        return
    if not job.forecast_plot_url:
        st.caption("The service gave no forecast plot for this job.")
        return
    service_plot(job, content, "job_forecast_plot")
    st.page_link(
        FORECAST_PAGE.script,
        label="Explore the forecast item by item",
        query_params={JOB_PARAM: job.job_id},
    )


def service_plot(job: Job, content: ContentCache, key: str) -> None:
    """The service's own forecast plot, and "n of N items" under it when it draws only some."""
    if not job.forecast_plot_url:
        return
    drawn = remote_content(
        content,
        job.forecast_plot_url,
        declared_format=None,
        key=key,
        title="Forecast plot",
        accept=PLOT_ACCEPTED_TYPES,
    )
    note = "" if drawn is None else items_note(drawn.figure, job.num_items)
    if note:
        st.caption(note)


def history_fan(job_id: str, read: Callable[[], ForecastData], observed: Observations) -> bool:
    """The forecast's first item after its known history; False, saying why, when not drawn."""
    try:
        with waiting("Reading the forecast to draw it after its history"):
            data = read()
    except (EomerError, ForecastCsvError) as err:
        st.caption(f"The history cannot be drawn: {escape_untrusted(str(err))}")
        return False
    if first_item_chart(job_id, data, observed):
        return True
    st.caption("None of the observed series matches an item of this forecast.")
    return False


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
