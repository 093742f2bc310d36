"""What the comparison is given: the jobs its link names, another tool's forecast, and actuals."""

from __future__ import annotations

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from components.common.upload_field import kept_upload
from dashboard.analysis.comparison_runs import MAX_JOBS, job_list, run_label
from dashboard.forecasts.forecast_csv import ForecastCsvError
from dashboard.forecasts.forecast_data import ForecastData
from dashboard.isolation.isolated_reading import (
    read_forecast_file,
    read_series_table,
    series_observations,
)
from dashboard.safety.upload_limits import MAX_FILE_MB
from dashboard.series.observations import Observations
from dashboard.series_files import SeriesFileError
from dashboard.session.routes import JOB_PARAM
from eomer_client.errors import InvalidJobIdError
from eomer_client.job_ids import validate_job_id

ADD_KEY = "compare_add"
# (file name, its reading): another tool's forecast, one more run.
OTHER_KEY = "compare_other"
OTHER_UPLOAD_KEY = "compare_other_upload"
# Observations: the actuals uploaded on this page.
ACTUALS_KEY = "compare_actuals"
ACTUALS_UPLOAD_KEY = "compare_actuals_upload"
_ACTUALS_FILE_KEY = "compare_actuals_file"
_OTHER_FILE_KEY = "compare_other_file"
_PROBLEM_KEY = "compare_add_problem"


def jobs_in_link() -> list[str]:
    """The usable job IDs of `?job=`, in order; each one dropped is named with the reason."""
    listed = job_list(st.query_params.get_all(JOB_PARAM))
    for problem in listed.dropped:
        st.warning(f"Left out: {escape_untrusted(problem)}", icon=":material/block:")
    return listed.job_ids


def _set_jobs(job_ids: list[str]) -> None:
    if job_ids:
        st.query_params[JOB_PARAM] = job_ids
    else:
        del st.query_params[JOB_PARAM]


def _add_job(current: list[str]) -> None:
    """Button callback: put the typed job ID on the URL, or say why it cannot be."""
    raw = str(st.session_state.get(ADD_KEY, "")).strip()
    try:
        job_id = validate_job_id(raw)
    except InvalidJobIdError as err:
        st.session_state[_PROBLEM_KEY] = f"Not added: {err} Paste the job ID from its page."
        return
    if job_id in current:
        pass
    elif len(current) >= MAX_JOBS:
        st.session_state[_PROBLEM_KEY] = f"At most {MAX_JOBS} jobs: remove one first."
    else:
        _set_jobs([*current, job_id])
    st.session_state[ADD_KEY] = ""


def job_editor(job_ids: list[str]) -> None:
    """Add a job by its ID, or remove one: the link then names the jobs compared."""
    adding, removing = st.columns([3, 2], vertical_alignment="bottom")
    adding.text_input("Job ID to add", key=ADD_KEY, placeholder="Paste a completed job's ID")
    adding.button(
        "Add to the comparison", on_click=_add_job, args=(job_ids,), icon=":material/add:"
    )
    if problem := st.session_state.pop(_PROBLEM_KEY, None):
        st.warning(escape_markdown(problem))
    for index, job_id in enumerate(job_ids):
        removing.button(
            f"Remove {escape_markdown(run_label(index, job_id[:8]))}",
            key=f"compare_remove_{job_id}",
            on_click=_set_jobs,
            args=([other for other in job_ids if other != job_id],),
        )


def _unread(name: str, err: Exception) -> None:
    st.error(f"**{escape_untrusted(name)} could not be read.**  \n{escape_markdown(str(err))}")


def other_tool_forecast() -> tuple[str, ForecastData] | None:
    """Read an uploaded forecast once; it joins the comparison as one more run, named after it."""
    st.caption("A forecast file from any tool the viewer reads; its items match by ID.")
    upload = kept_upload(
        st.file_uploader("A forecast file (CSV)", key=OTHER_UPLOAD_KEY, max_upload_size=MAX_FILE_MB)
    )
    # Read once per upload; a file left out stays out while it sits in the uploader.
    if upload is not None and st.session_state.get(_OTHER_FILE_KEY) != upload.file_id:
        st.session_state[_OTHER_FILE_KEY] = upload.file_id
        try:
            st.session_state[OTHER_KEY] = (upload.name, read_forecast_file(upload.getvalue()))
        except ForecastCsvError as err:
            _unread(upload.name, err)
    if OTHER_KEY in st.session_state and st.button("Leave the file out", key="compare_other_out"):
        del st.session_state[OTHER_KEY]
    kept = st.session_state.get(OTHER_KEY)
    return kept if isinstance(kept, tuple) else None


def page_actuals(max_bytes: int) -> Observations | None:
    """Read uploaded actuals once; they score every run and stay in this session only."""
    st.caption(
        "Observed values at the forecasts' times: an item, a time and a value column, or only "
        "a time and a value for a single series. "
        "They stay in this session and never go into the link."
    )
    upload = kept_upload(
        st.file_uploader(
            "A file of actuals (CSV or spreadsheet)",
            key=ACTUALS_UPLOAD_KEY,
            max_upload_size=max_bytes >> 20,
        )
    )
    if upload is not None and st.session_state.get(_ACTUALS_FILE_KEY) != upload.file_id:
        st.session_state[_ACTUALS_FILE_KEY] = upload.file_id
        try:
            table = read_series_table(upload.getvalue(), upload.name, max_bytes)
            if table.guess is None:
                raise SeriesFileError(table.guess_problem or "Its columns cannot be told apart.")
            found = series_observations(table, table.guess, f"the file {upload.name}")
        except (SeriesFileError, ForecastCsvError) as err:
            _unread(upload.name, err)
            return _kept_actuals()
        st.session_state[ACTUALS_KEY] = found
    if ACTUALS_KEY in st.session_state and st.button(
        "Leave the actuals out", key="compare_actuals_out"
    ):
        del st.session_state[ACTUALS_KEY]
    return _kept_actuals()


def _kept_actuals() -> Observations | None:
    kept = st.session_state.get(ACTUALS_KEY)
    return kept if isinstance(kept, Observations) else None
