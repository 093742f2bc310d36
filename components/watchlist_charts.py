"""Plotly charts of the watched jobs' elapsed times: per job, timeline, by size, typical range."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo

import plotly.graph_objects as go

from components.chart_style import (
    OKABE_ITO_PURPLE,
    STYLES,
    in_legend_order,
    short_labels,
    style_of,
    titled_layout,
)
from dashboard.elapsed_stats import (
    Eta,
    TypicalRange,
    work_size,
)
from dashboard.plotly_safety import plotly_text
from dashboard.timing import elapsed_seconds, format_duration
from eomer_client.models import Job, JobStatus

MAX_BARS = 40
_BAND_FILL = "rgba(86, 180, 233, 0.25)"  # Okabe-Ito sky blue, translucent for either theme


def _timed(jobs: Sequence[Job], now: datetime) -> list[tuple[Job, float]]:
    pairs = [(job, elapsed_seconds(job, now)) for job in jobs]
    return [(job, seconds) for job, seconds in pairs if seconds is not None and seconds >= 0]


def _labels(job_ids: Sequence[str]) -> dict[str, str]:
    """Short labels of remote IDs, escaped so Plotly shows them as written, never as markup."""
    return {job_id: plotly_text(label) for job_id, label in short_labels(job_ids).items()}


def _word(status: str) -> str:
    """A status as the chart writes it: an unknown one is remote text, shown as written."""
    return plotly_text(style_of(status).word)


def _ids(jobs: Sequence[Job]) -> list[str]:
    return [plotly_text(job.job_id) for job in jobs]


def _bar_text(job: Job, seconds: float) -> str:
    if job.is_terminal:
        return f"{_word(job.status)} · {format_duration(seconds)}"
    return f"{_word(job.status)} ▶ {format_duration(seconds)} so far"


def elapsed_figure(jobs: Sequence[Job], now: datetime) -> go.Figure | None:
    """Horizontal bars of elapsed time, longest first; unfinished jobs hatched and arrowed."""
    timed = sorted(_timed(jobs, now), key=lambda pair: pair[1], reverse=True)[:MAX_BARS]
    if not timed:
        return None
    labels = _labels([job.job_id for job, _ in timed])
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _ in timed):
        group = [(job, s) for job, s in timed if job.status == status]
        style, live = style_of(status), not group[0][0].is_terminal
        fig.add_bar(
            orientation="h",
            name=_word(status),
            x=[s for _, s in group],
            y=[labels[job.job_id] for job, _ in group],
            text=[_bar_text(job, s) for job, s in group],
            customdata=_ids([job for job, _ in group]),
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
    return titled_layout(fig, "Elapsed time per job", height=120 + 26 * len(timed))


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
    labels = _labels([job.job_id for job, _, _ in spans])
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _, _ in spans):
        group = [span for span in spans if span[0].status == status]
        style = style_of(status)
        fig.add_bar(
            orientation="h",
            name=_word(status),
            base=[_local(start, tz) for _, start, _ in group],
            x=[(end - start).total_seconds() * 1000 for _, start, end in group],
            y=[labels[job.job_id] for job, _, _ in group],
            text=[_word(status) + ("" if job.is_terminal else " ▶ now") for job, _, _ in group],
            customdata=_ids([job for job, _, _ in group]),
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
            marker={"color": style.color, "opacity": 0.9 if group[0][0].is_terminal else 0.5},
            marker_pattern_shape=style.pattern,
            marker_line={"color": style.color, "width": 2},
        )
    fig.update_xaxes(type="date", title=f"time ({getattr(tz, 'key', tz)})")
    fig.update_yaxes(
        categoryorder="array", categoryarray=[labels[j.job_id] for j, _, _ in spans][::-1]
    )
    return titled_layout(
        fig, "Timeline: created to completed (or now)", height=120 + 26 * len(spans)
    )


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
            name=_word(status),
            x=[size for _, size, _ in group],
            y=[s for _, _, s in group],
            customdata=_ids([job for job, _, _ in group]),
            # The name, not the status pasted in: Plotly would read `%{...}` in remote text.
            hovertemplate="%{customdata}<br>work %{x:,}<br>%{y:.1f} s"
            "<extra>%{fullData.name}</extra>",
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
                "color": OKABE_ITO_PURPLE,
                "line": {"width": 2},
            },
        )
    fig.update_xaxes(type="log", title="work size (items x prediction length)")
    fig.update_yaxes(type="log", title="elapsed (seconds)")
    return titled_layout(fig, "Elapsed against work size")


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
                customdata=[plotly_text(job_id) for job_id in ids],
                hovertemplate="%{customdata}<br>%{x:.1f} s<extra>" + word + "</extra>",
                marker={
                    "color": STYLES[JobStatus.COMPLETED].color if not flag else OKABE_ITO_PURPLE,
                    "symbol": symbol,
                    "size": 12,
                    "line": {"width": 2},
                },
            )
    labels = _labels(list(etas))
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
    return titled_layout(
        fig, "Typical elapsed range and running jobs' ETA", height=200 + 40 * len(etas)
    )
