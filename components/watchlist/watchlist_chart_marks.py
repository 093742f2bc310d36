"""What the watch list's charts share: timed jobs, labels, status words, the elapsed axis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import plotly.graph_objects as go

from components.common.chart_style import log_axis_ticks, short_labels, style_of
from dashboard.jobs.timing import elapsed_seconds
from dashboard.safety.plotly_safety import plotly_text
from eomer_client.models import Job

# Bars (or ETA rows) a chart draws unless the viewer asks for every job.
TOP_N = 20
# Drawn at this many seconds on a log axis, which has no zero.
LOG_FLOOR = 0.1


def timed_jobs(jobs: Sequence[Job], now: datetime) -> list[tuple[Job, float]]:
    """The jobs whose elapsed time is known, each with it in seconds."""
    pairs = [(job, elapsed_seconds(job, now)) for job in jobs]
    return [(job, seconds) for job, seconds in pairs if seconds is not None and seconds >= 0]


def chart_labels(job_ids: Sequence[str]) -> dict[str, str]:
    """Short labels of remote IDs, escaped so Plotly shows them as written, never as markup."""
    return {job_id: plotly_text(label) for job_id, label in short_labels(job_ids).items()}


def status_word(status: str) -> str:
    """A status as the chart writes it: an unknown one is remote text, shown as written."""
    return plotly_text(style_of(status).word)


def hover_ids(jobs: Sequence[Job]) -> list[str]:
    """The jobs' full IDs for the hover, escaped as the labels are."""
    return [plotly_text(job.job_id) for job in jobs]


def drawn(seconds: float, log: bool) -> float:
    """Where seconds are drawn: on a log axis, never below LOG_FLOOR."""
    return max(seconds, LOG_FLOOR) if log else seconds


def elapsed_axis(fig: go.Figure, log: bool, seconds: Sequence[float]) -> None:
    """Seconds on x; a log scale, said in the title, when one job dwarfs the rest."""
    if log:
        ticks = log_axis_ticks(drawn(s, log) for s in seconds)
        fig.update_xaxes(title="elapsed (seconds, log scale: one job dwarfs the rest)", **ticks)
    else:
        fig.update_xaxes(title="elapsed (seconds)", rangemode="tozero")
