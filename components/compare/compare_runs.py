"""The runs to compare: each job's answer and forecast, kept for reruns, or why it is left out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from components.common.waiting import waiting
from components.forecast.forecast_reading import read_options
from dashboard.analysis.comparison import ComparedJob
from dashboard.analysis.comparison_runs import ForecastShelf, Run, job_label, run_label
from dashboard.forecasts.forecast_csv import ForecastCsvError
from dashboard.forecasts.forecast_data import ForecastData, ReadOptions
from dashboard.jobs.explanations import explain_error
from dashboard.series.observations import StartedForecast
from dashboard.session.routes import JOB_PAGE, JOB_PARAM
from eomer_client.errors import EomerError
from eomer_client.models import Job, JobStatus

# ForecastShelf: the compared jobs' readings, for the connection that fetched them.
SHELF_KEY = "compare_forecasts"

# Downloads and reads a job's forecast file (deps.forecast_data with the page's client).
FetchForecast = Callable[[Job, ReadOptions], ForecastData]


@dataclass(frozen=True)
class Runs:
    """The runs drawn, jobs first then another tool's file, and the facts of the jobs among them."""

    forecasts: list[Run]
    facts: list[ComparedJob]


def forecast_shelf(identity: str, budget: int) -> ForecastShelf:
    """The session's shelf of compared readings; another connection starts an empty one."""
    shelf = st.session_state.get(SHELF_KEY)
    if not isinstance(shelf, ForecastShelf) or shelf.identity != identity:
        shelf = ForecastShelf(identity, budget)
        st.session_state[SHELF_KEY] = shelf
    return shelf


def _completed(job_id: str, answer: Job | EomerError) -> Job | None:
    """The job when it is completed; otherwise say plainly why it is left out."""
    if isinstance(answer, EomerError):
        st.warning(
            f"Job {escape_markdown(job_id)} is left out: {escape_untrusted(answer.message)} "
            f"{escape_markdown(explain_error(answer).next_step)}",
            icon=":material/error:",
        )
        return None
    if answer.status == JobStatus.COMPLETED:
        return answer
    failed = answer.status == JobStatus.FAILED
    why = "it failed (its page says why)" if failed else "come back when it is completed"
    st.warning(
        f"Job {escape_markdown(job_id)} is **{escape_markdown(str(answer.status))}**, so it has "
        f"no forecast to compare: {why}.",
        icon=":material/hourglass_top:",
    )
    st.page_link(JOB_PAGE.script, label="Open its page", query_params={JOB_PARAM: job_id})
    return None


def _forecast(fetch: FetchForecast, job: Job, shelf: ForecastShelf) -> ForecastData | None:
    """The job's forecast, kept for the comparison's reruns; problems said in place."""
    if job.job_id in shelf.kept:
        return shelf.kept[job.job_id]
    try:
        with waiting(f"Downloading and reading the forecast of job {job.job_id}"):
            data = fetch(job, read_options(job.job_id))
    except (EomerError, ForecastCsvError) as err:
        text = err.message if isinstance(err, EomerError) else str(err)
        st.warning(
            f"The forecast of job {escape_markdown(job.job_id)} is left out: "
            f"{escape_untrusted(text)} The forecast viewer says more on this job.",
            icon=":material/data_alert:",
        )
        return None
    if not shelf.room_for(data):
        st.warning(
            f"The forecast of job {escape_markdown(job.job_id)} is left out: with the others it "
            "takes more memory than one session may keep. Compare fewer or smaller jobs.",
            icon=":material/memory:",
        )
        return None
    shelf.kept[job.job_id] = data
    return data


def gather_runs(
    job_ids: Sequence[str],
    answers: Mapping[str, Job | EomerError],
    started: Mapping[str, StartedForecast],
    fetch: FetchForecast,
    shelf: ForecastShelf,
    other: tuple[str, ForecastData] | None,
) -> Runs:
    """Each completed job's forecast, then another tool's file; each one left out says why."""
    shelf.keep_only(job_ids)
    forecasts: list[Run] = []
    facts: list[ComparedJob] = []
    for index, job_id in enumerate(job_ids):
        job = _completed(job_id, answers[job_id])
        data = _forecast(fetch, job, shelf) if job is not None else None
        if job is not None and data is not None:
            label = job_label(index, job_id, started.get(job_id))
            forecasts.append(Run(label, data))
            facts.append(ComparedJob(label, job, started.get(job_id)))
    if other is not None:
        forecasts.append(Run(run_label(len(job_ids), other[0]), other[1]))
    return Runs(forecasts, facts)
