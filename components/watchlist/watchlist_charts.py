"""Plotly charts of the watched jobs' elapsed times: per job, timeline, by size.

Readable from 1 to 500 jobs: the bar charts draw the TOP_N most telling jobs unless asked for
all, a log axis when one job dwarfs the rest, at most MAX_PLOT_PX tall, and text only where it
fits (hover has it all). The typical range and ETAs are watchlist_range_chart.py's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

import plotly.graph_objects as go

from components.common.chart_style import (
    OKABE_ITO_PURPLE,
    dwarfed,
    in_legend_order,
    inside_text,
    log_axis_ticks,
    rows_height,
    style_of,
    titled_layout,
)
from components.watchlist.watchlist_chart_marks import (
    TOP_N,
    chart_labels,
    drawn,
    elapsed_axis,
    hover_ids,
    status_word,
    timed_jobs,
)
from dashboard.jobs.elapsed_stats import work_size
from dashboard.jobs.timing import format_duration
from eomer_client.models import Job


def _bar_text(job: Job, seconds: float) -> str:
    if job.is_terminal:
        return f"{status_word(job.status)} · {format_duration(seconds)}"
    return f"{status_word(job.status)} ▶ {format_duration(seconds)} so far"


def elapsed_figure(
    jobs: Sequence[Job], now: datetime, limit: int | None = TOP_N
) -> go.Figure | None:
    """Horizontal bars of elapsed time, the `limit` longest first; unfinished ones arrowed."""
    timed = sorted(timed_jobs(jobs, now), key=lambda pair: pair[1], reverse=True)[:limit]
    if not timed:
        return None
    log = dwarfed(s for _, s in timed)
    labels = chart_labels([job.job_id for job, _ in timed])
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _ in timed):
        group = [(job, s) for job, s in timed if job.status == status]
        style, live = style_of(status), not group[0][0].is_terminal
        fig.add_bar(
            orientation="h",
            name=status_word(status),
            x=[drawn(s, log) for _, s in group],
            y=[labels[job.job_id] for job, _ in group],
            text=[_bar_text(job, s) for job, s in group],
            customdata=hover_ids([job for job, _ in group]),
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
            marker={"color": style.color, "opacity": 0.5 if live else 0.9},
            marker_pattern_shape=style.pattern,
            marker_line={"color": style.color, "width": 2},
        )
    order = [labels[j.job_id] for j, _ in timed][::-1]
    for job, seconds in timed:
        if not job.is_terminal:  # an arrow at the bar's end: still growing
            x = drawn(seconds, log)
            # The row's index: plotly read a label such as 47145486 as that many rows up,
            # and stretched the axis until all fifty bars shared one row.
            row = order.index(labels[job.job_id])
            fig.add_annotation(x=math.log10(x) if log else x, y=row, ax=-28, ay=0, text="")
    # Said, not guessed, for the same reason.
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order)
    elapsed_axis(fig, log, [s for _, s in timed])
    return titled_layout(inside_text(fig), "Elapsed time per job", height=rows_height(len(timed)))


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


def timeline_figure(
    jobs: Sequence[Job], now: datetime, tz: tzinfo, limit: int | None = TOP_N
) -> go.Figure | None:
    """Gantt-like bars from created to completed (or now), of the `limit` latest created."""
    spans = [span for span in (_span(job, now) for job in jobs) if span is not None]
    if not spans:
        return None
    spans = sorted(spans, key=lambda span: span[1])[-limit if limit else 0 :]
    labels = chart_labels([job.job_id for job, _, _ in spans])
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _, _ in spans):
        group = [span for span in spans if span[0].status == status]
        style = style_of(status)
        fig.add_bar(
            orientation="h",
            name=status_word(status),
            base=[_local(start, tz) for _, start, _ in group],
            x=[(end - start).total_seconds() * 1000 for _, start, end in group],
            y=[labels[job.job_id] for job, _, _ in group],
            text=[
                status_word(status) + ("" if job.is_terminal else " ▶ now") for job, _, _ in group
            ],
            customdata=hover_ids([job for job, _, _ in group]),
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
            marker={"color": style.color, "opacity": 0.9 if group[0][0].is_terminal else 0.5},
            marker_pattern_shape=style.pattern,
            marker_line={"color": style.color, "width": 2},
        )
    fig.update_xaxes(type="date", title=f"time ({getattr(tz, 'key', tz)})")
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[labels[j.job_id] for j, _, _ in spans][::-1],
    )
    return titled_layout(
        inside_text(fig), "Timeline: created to done (or now)", height=rows_height(len(spans))
    )


def size_figure(jobs: Sequence[Job], now: datetime, outliers: Sequence[str]) -> go.Figure | None:
    """Elapsed against work size (items x prediction length), both on log axes."""
    points = [(job, work_size(job), s) for job, s in timed_jobs(jobs, now) if s > 0]
    sized = [(job, size, s) for job, size, s in points if size]
    if not sized:
        return None
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _, _ in sized):
        group = [p for p in sized if p[0].status == status]
        style = style_of(status)
        fig.add_scatter(
            mode="markers",
            name=status_word(status),
            x=[size for _, size, _ in group],
            y=[s for _, _, s in group],
            customdata=hover_ids([job for job, _, _ in group]),
            # The name, not the status pasted in: Plotly would read `%{...}` in remote text.
            hovertemplate="%{customdata}<br>work %{x:,}<br>%{y:.1f} s"
            "<extra>%{fullData.name}</extra>",
            marker={"color": style.color, "symbol": style.symbol, "size": 11, "line": {"width": 1}},
        )
    flagged = [p for p in sized if p[0].job_id in set(outliers)]
    if flagged:
        fig.add_scatter(
            mode="markers",  # named in the legend: a word over each of many close points overlapped
            name="outlier",
            x=[size for _, size, _ in flagged],
            y=[s for _, _, s in flagged],
            text=["outlier"] * len(flagged),
            hoverinfo="skip",
            marker={
                "symbol": "circle-open",
                "size": 22,
                "color": OKABE_ITO_PURPLE,
                "line": {"width": 2},
            },
        )
    fig.update_xaxes(
        title="work size (items x prediction length)", **log_axis_ticks(p[1] for p in sized)
    )
    fig.update_yaxes(title="elapsed (seconds)", **log_axis_ticks(p[2] for p in sized))
    return titled_layout(fig, "Elapsed against work size")
