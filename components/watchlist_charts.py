"""Plotly charts of the watched jobs' elapsed times: per job, timeline, by size, typical range."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.elapsed_stats import (
    ETA_METHOD,
    MIN_RANGE_SAMPLES,
    RANGE_METHOD,
    Eta,
    TypicalRange,
    completed_elapsed,
    estimate_etas,
    typical_range,
    work_size,
)
from dashboard.timing import elapsed_seconds, format_absolute, format_duration
from eomer_client.models import Job, JobStatus

# Okabe-Ito colours (colour-blind safe, readable on light and dark backgrounds); every status
# also gets its own marker symbol, bar pattern and word, so colour is never the only cue.
_OKABE_ITO_PURPLE = "#CC79A7"


@dataclass(frozen=True)
class StatusStyle:
    """How one status is drawn."""

    word: str
    color: str
    symbol: str
    pattern: str


STYLES: dict[str, StatusStyle] = {
    JobStatus.COMPLETED: StatusStyle("completed", "#009E73", "circle", ""),
    JobStatus.FAILED: StatusStyle("failed", "#D55E00", "x", "x"),
    JobStatus.RUNNING: StatusStyle("running", "#0072B2", "triangle-right", "/"),
    JobStatus.PENDING: StatusStyle("pending", "#E69F00", "diamond", "."),
}
MAX_BARS = 40
_BAND_FILL = "rgba(86, 180, 233, 0.25)"  # Okabe-Ito sky blue, translucent for either theme


def style_of(status: str) -> StatusStyle:
    return STYLES.get(status, StatusStyle(f"unknown: {status}", _OKABE_ITO_PURPLE, "square", "-"))


def in_legend_order(statuses: Iterable[str]) -> list[str]:
    """Distinct statuses, documented ones first in a fixed order, so legends never reshuffle."""
    present = list(dict.fromkeys(statuses))
    return [s for s in STYLES if s in present] + [s for s in present if s not in STYLES]


def short_labels(job_ids: Sequence[str]) -> dict[str, str]:
    """First 8 characters of each ID, or the whole IDs when the prefixes collide."""
    short = {job_id: job_id[:8] for job_id in job_ids}
    return short if len(set(short.values())) == len(short) else {j: j for j in job_ids}


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(
        title=title, height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10}, legend_title=""
    )
    return fig


def _timed(jobs: Sequence[Job], now: datetime) -> list[tuple[Job, float]]:
    pairs = [(job, elapsed_seconds(job, now)) for job in jobs]
    return [(job, seconds) for job, seconds in pairs if seconds is not None and seconds >= 0]


def _bar_text(job: Job, seconds: float) -> str:
    if job.is_terminal:
        return f"{style_of(job.status).word} · {format_duration(seconds)}"
    return f"{style_of(job.status).word} ▶ {format_duration(seconds)} so far"


def elapsed_figure(jobs: Sequence[Job], now: datetime) -> go.Figure | None:
    """Horizontal bars of elapsed time, longest first; unfinished jobs hatched and arrowed."""
    timed = sorted(_timed(jobs, now), key=lambda pair: pair[1], reverse=True)[:MAX_BARS]
    if not timed:
        return None
    labels = short_labels([job.job_id for job, _ in timed])
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _ in timed):
        group = [(job, s) for job, s in timed if job.status == status]
        style, live = style_of(status), not group[0][0].is_terminal
        fig.add_bar(
            orientation="h",
            name=style.word,
            x=[s for _, s in group],
            y=[labels[job.job_id] for job, _ in group],
            text=[_bar_text(job, s) for job, s in group],
            customdata=[job.job_id for job, _ in group],
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
            marker={"color": style.color, "opacity": 0.5 if live else 0.9},
            marker_pattern_shape=style.pattern,
            marker_line={"color": style.color, "width": 2},
        )
    for job, seconds in timed:
        if not job.is_terminal:  # an arrow at the bar's end: still growing
            fig.add_annotation(x=seconds, y=labels[job.job_id], ax=-28, ay=0, text="")
    fig.update_yaxes(
        categoryorder="array", categoryarray=[labels[j.job_id] for j, _ in timed][::-1]
    )
    fig.update_xaxes(title="elapsed (seconds)", rangemode="tozero")
    fig.update_traces(textposition="auto")
    return _layout(fig, "Elapsed time per job", height=120 + 26 * len(timed))


def _end_of(job: Job, now: datetime) -> datetime | None:
    if not job.is_terminal:
        return now
    if job.completed_at is not None:
        return job.completed_at
    if job.created_at is not None and job.elapsed_seconds is not None:
        return job.created_at + timedelta(seconds=job.elapsed_seconds)
    return None


def _span(job: Job, now: datetime) -> tuple[Job, datetime, datetime] | None:
    end = _end_of(job, now)
    if job.created_at is None or end is None or end < job.created_at:
        return None
    return job, job.created_at, end


def _local(dt: datetime, tz: tzinfo) -> datetime:
    """Wall time in the viewer's zone; Plotly's date axes ignore UTC offsets."""
    return dt.astimezone(tz).replace(tzinfo=None)


def timeline_figure(jobs: Sequence[Job], now: datetime, tz: tzinfo) -> go.Figure | None:
    """Gantt-like bars from created to completed, or to now for unfinished jobs."""
    spans = [span for span in (_span(job, now) for job in jobs) if span is not None]
    if not spans:
        return None
    spans.sort(key=lambda span: span[1])
    labels = short_labels([job.job_id for job, _, _ in spans])
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _, _ in spans):
        group = [span for span in spans if span[0].status == status]
        style = style_of(status)
        fig.add_bar(
            orientation="h",
            name=style.word,
            base=[_local(start, tz) for _, start, _ in group],
            x=[(end - start).total_seconds() * 1000 for _, start, end in group],
            y=[labels[job.job_id] for job, _, _ in group],
            text=[style.word + ("" if job.is_terminal else " ▶ now") for job, _, _ in group],
            customdata=[job.job_id for job, _, _ in group],
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
            marker={"color": style.color, "opacity": 0.9 if group[0][0].is_terminal else 0.5},
            marker_pattern_shape=style.pattern,
            marker_line={"color": style.color, "width": 2},
        )
    fig.update_xaxes(type="date", title=f"time ({getattr(tz, 'key', tz)})")
    fig.update_yaxes(
        categoryorder="array", categoryarray=[labels[j.job_id] for j, _, _ in spans][::-1]
    )
    return _layout(fig, "Timeline: created to completed (or now)", height=120 + 26 * len(spans))


def size_figure(jobs: Sequence[Job], now: datetime, outliers: Sequence[str]) -> go.Figure | None:
    """Elapsed against work size (items x prediction length), both on log axes."""
    points = [(job, work_size(job), s) for job, s in _timed(jobs, now) if s > 0]
    sized = [(job, size, s) for job, size, s in points if size]
    if not sized:
        return None
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _, _ in sized):
        group = [p for p in sized if p[0].status == status]
        style = style_of(status)
        fig.add_scatter(
            mode="markers",
            name=style.word,
            x=[size for _, size, _ in group],
            y=[s for _, _, s in group],
            customdata=[job.job_id for job, _, _ in group],
            hovertemplate="%{customdata}<br>work %{x:,}<br>%{y:.1f} s<extra>"
            + style.word
            + "</extra>",
            marker={"color": style.color, "symbol": style.symbol, "size": 11, "line": {"width": 1}},
        )
    flagged = [p for p in sized if p[0].job_id in set(outliers)]
    if flagged:
        fig.add_scatter(
            mode="markers+text",
            name="outlier",
            x=[size for _, size, _ in flagged],
            y=[s for _, _, s in flagged],
            text=["outlier"] * len(flagged),
            textposition="top center",
            marker={
                "symbol": "circle-open",
                "size": 22,
                "color": _OKABE_ITO_PURPLE,
                "line": {"width": 2},
            },
        )
    fig.update_xaxes(type="log", title="work size (items x prediction length)")
    fig.update_yaxes(type="log", title="elapsed (seconds)")
    return _layout(fig, "Elapsed against work size")


def range_figure(
    completed: Mapping[str, float], band: TypicalRange | None, etas: Mapping[str, Eta]
) -> go.Figure | None:
    """Completed jobs' elapsed with the typical range shaded, outliers flagged, running ETAs."""
    if not completed and not etas:
        return None
    outliers = set(band.outliers) if band else set()
    fig = go.Figure()
    if band is not None:
        fig.add_vrect(
            x0=max(band.low, 0),
            x1=band.high,
            fillcolor=_BAND_FILL,
            line_width=0,
            annotation_text="typical range",
            annotation_position="top left",
        )
        # Top and bottom: a narrow range would put both labels on the same spot.
        fig.add_vline(
            x=band.median,
            line_dash="dash",
            annotation_text="median",
            annotation_position="bottom right",
        )
    for flag, word, symbol in ((False, "completed", "circle"), (True, "outlier", "x-thin-open")):
        ids = [job_id for job_id in completed if (job_id in outliers) == flag]
        if ids:
            fig.add_scatter(
                mode="markers+text" if flag else "markers",
                name=word,
                x=[completed[i] for i in ids],
                y=["completed"] * len(ids),
                text=[word] * len(ids) if flag else None,
                textposition="bottom center",  # the range's label is at the top
                customdata=ids,
                hovertemplate="%{customdata}<br>%{x:.1f} s<extra>" + word + "</extra>",
                marker={
                    "color": STYLES[JobStatus.COMPLETED].color if not flag else _OKABE_ITO_PURPLE,
                    "symbol": symbol,
                    "size": 12,
                    "line": {"width": 2},
                },
            )
    labels = short_labels(list(etas))
    for eta in etas.values():
        fig.add_scatter(
            mode="lines+markers+text",
            name=f"ETA {labels[eta.job_id]}",
            showlegend=False,
            x=[eta.so_far_seconds, max(eta.expected_seconds, eta.so_far_seconds)],
            y=[f"▶ {labels[eta.job_id]}"] * 2,
            text=["so far", f"ETA {format_duration(eta.remaining_seconds)}"],
            textposition="top center",
            line={"dash": "dot", "color": STYLES[JobStatus.RUNNING].color},
            marker={"symbol": ["circle-open", "triangle-right"], "size": 12},
        )
    fig.update_xaxes(title="elapsed (seconds)", rangemode="tozero")
    return _layout(fig, "Typical elapsed range and running jobs' ETA", height=200 + 40 * len(etas))


def chart_section(jobs: Sequence[Job], now: datetime, tz: tzinfo) -> None:
    """Every chart that has something to draw, each with a note of what it leaves out."""
    if not jobs:
        st.info("No job data yet: charts appear once a watched job has loaded.")
        return
    completed = completed_elapsed(jobs, now)
    band = typical_range(completed)
    etas = estimate_etas(jobs, now)
    figures = {
        "elapsed": elapsed_figure(jobs, now),
        "timeline": timeline_figure(jobs, now, tz),
        "size": size_figure(jobs, now, band.outliers if band else []),
        "range": range_figure(completed, band, etas),
    }
    for name, figure in figures.items():
        if figure is not None:
            st.plotly_chart(figure, theme="streamlit", key=f"watchlist_chart_{name}")
    missing = [name for name, figure in figures.items() if figure is None]
    if missing:
        st.caption(
            f"Not drawn for lack of data (times, sizes or completed jobs): {', '.join(missing)}."
        )
    st.caption(
        RANGE_METHOD if band else f"Typical range: needs {MIN_RANGE_SAMPLES} completed jobs."
    )
    if etas:
        st.caption(ETA_METHOD)
        st.dataframe(_eta_frame(etas.values(), tz), hide_index=True, key="watchlist_etas")


def _eta_frame(etas: Iterable[Eta], tz: tzinfo) -> pd.DataFrame:
    rows = [
        {
            "Job ID": eta.job_id,
            "Running for": format_duration(eta.so_far_seconds),
            "Expected total": format_duration(eta.expected_seconds),
            "Expected finish": "overdue: longer than similar jobs"
            if eta.so_far_seconds > eta.expected_seconds
            else format_absolute(eta.finish_at, tz),
            "Based on": eta.basis,
        }
        for eta in etas
    ]
    return pd.DataFrame(rows)
