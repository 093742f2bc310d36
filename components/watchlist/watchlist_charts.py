"""Plotly charts of the watched jobs' elapsed times: per job, timeline, by size, typical range.

Readable from 1 to 500 jobs: the bar charts draw the TOP_N most telling jobs unless asked for
all, a log axis when one job dwarfs the rest, at most MAX_PLOT_PX tall, and text only where it
fits (hover has it all).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo

import plotly.graph_objects as go

from components.common.chart_style import (
    OKABE_ITO_PURPLE,
    STYLES,
    dwarfed,
    in_legend_order,
    inside_text,
    log_axis_ticks,
    rows_height,
    short_labels,
    style_of,
    titled_layout,
)
from dashboard.jobs.elapsed_stats import (
    Eta,
    TypicalRange,
    work_size,
)
from dashboard.jobs.timing import elapsed_seconds, format_duration
from dashboard.safety.plotly_safety import plotly_text
from eomer_client.models import Job, JobStatus

# Bars (or ETA rows) a chart draws unless the viewer asks for every job.
TOP_N = 20
# Drawn at this many seconds on a log axis, which has no zero.
_LOG_FLOOR = 0.1
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


def elapsed_figure(
    jobs: Sequence[Job], now: datetime, limit: int | None = TOP_N
) -> go.Figure | None:
    """Horizontal bars of elapsed time, the `limit` longest first; unfinished ones arrowed."""
    timed = sorted(_timed(jobs, now), key=lambda pair: pair[1], reverse=True)[:limit]
    if not timed:
        return None
    log = dwarfed(s for _, s in timed)
    labels = _labels([job.job_id for job, _ in timed])
    fig = go.Figure()
    for status in in_legend_order(job.status for job, _ in timed):
        group = [(job, s) for job, s in timed if job.status == status]
        style, live = style_of(status), not group[0][0].is_terminal
        fig.add_bar(
            orientation="h",
            name=_word(status),
            x=[_drawn(s, log) for _, s in group],
            y=[labels[job.job_id] for job, _ in group],
            text=[_bar_text(job, s) for job, s in group],
            customdata=_ids([job for job, _ in group]),
            hovertemplate="%{customdata}<br>%{text}<extra></extra>",
            marker={"color": style.color, "opacity": 0.5 if live else 0.9},
            marker_pattern_shape=style.pattern,
            marker_line={"color": style.color, "width": 2},
        )
    order = [labels[j.job_id] for j, _ in timed][::-1]
    for job, seconds in timed:
        if not job.is_terminal:  # an arrow at the bar's end: still growing
            x = _drawn(seconds, log)
            # The row's index: plotly read a label such as 47145486 as that many rows up,
            # and stretched the axis until all fifty bars shared one row.
            row = order.index(labels[job.job_id])
            fig.add_annotation(x=math.log10(x) if log else x, y=row, ax=-28, ay=0, text="")
    # Said, not guessed, for the same reason.
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order)
    _elapsed_axis(fig, log, [s for _, s in timed])
    return titled_layout(inside_text(fig), "Elapsed time per job", height=rows_height(len(timed)))


def _drawn(seconds: float, log: bool) -> float:
    return max(seconds, _LOG_FLOOR) if log else seconds


def _elapsed_axis(fig: go.Figure, log: bool, seconds: Sequence[float]) -> None:
    """Seconds on x; a log scale, said in the title, when one job dwarfs the rest."""
    if log:
        ticks = log_axis_ticks(_drawn(s, log) for s in seconds)
        fig.update_xaxes(title="elapsed (seconds, log scale: one job dwarfs the rest)", **ticks)
    else:
        fig.update_xaxes(title="elapsed (seconds)", rangemode="tozero")


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
        type="category",
        categoryorder="array",
        categoryarray=[labels[j.job_id] for j, _, _ in spans][::-1],
    )
    return titled_layout(
        inside_text(fig), "Timeline: created to done (or now)", height=rows_height(len(spans))
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


def range_figure(
    completed: Mapping[str, float],
    band: TypicalRange | None,
    etas: Mapping[str, Eta],
    limit: int | None = TOP_N,
) -> go.Figure | None:
    """Completed jobs' elapsed with the typical range shaded, outliers flagged, running ETAs."""
    if not completed and not etas:
        return None
    shown = sorted(etas.values(), key=lambda eta: eta.so_far_seconds, reverse=True)[:limit]
    ends = [max(eta.expected_seconds, eta.so_far_seconds) for eta in shown]
    log = dwarfed([*completed.values(), *ends])
    fig = go.Figure()
    if band is not None:
        _band(fig, band, log)
    _completed_points(fig, completed, set(band.outliers) if band else set(), log)
    if shown:
        _eta_rows(fig, shown, log)
    _elapsed_axis(fig, log, [*completed.values(), *(e.so_far_seconds for e in shown), *ends])
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[*_eta_labels(shown)[::-1], "completed"],
    )
    return titled_layout(
        fig, "Typical elapsed range, running ETAs", height=rows_height(len(shown) + 3)
    )


def _band(fig: go.Figure, band: TypicalRange, log: bool) -> None:
    """The typical range shaded and its median dashed, each labelled once, top and bottom."""
    low = max(band.low, _LOG_FLOOR if log else 0)
    fig.add_vrect(x0=low, x1=max(band.high, low), fillcolor=_BAND_FILL, line_width=0)
    fig.add_vline(x=_drawn(band.median, log), line_dash="dash")
    # Annotations on a log axis take log10 positions (shapes take data values).
    for x, text, y, anchor in (
        (low, "typical range", 1, "top"),
        (band.median, "median", 0, "bottom"),
    ):
        at = math.log10(_drawn(x, log)) if log else x
        fig.add_annotation(
            x=at, y=y, yref="paper", text=text, showarrow=False, xanchor="left", yanchor=anchor
        )


def _completed_points(
    fig: go.Figure, completed: Mapping[str, float], outliers: set[str], log: bool
) -> None:
    for flag, word, symbol in ((False, "completed", "circle"), (True, "outlier", "x-thin-open")):
        ids = [job_id for job_id in completed if (job_id in outliers) == flag]
        if ids:
            fig.add_scatter(
                mode="markers",  # the legend names them: words over close points overlapped
                name=word,
                x=[_drawn(completed[i], log) for i in ids],
                y=["completed"] * len(ids),
                customdata=[plotly_text(job_id) for job_id in ids],
                hovertemplate="%{customdata}<br>%{x:.1f} s<extra>" + word + "</extra>",
                marker={
                    "color": STYLES[JobStatus.COMPLETED].color if not flag else OKABE_ITO_PURPLE,
                    "symbol": symbol,
                    "size": 12,
                    "line": {"width": 2},
                },
            )


def _xs(eta: Eta, end: float, log: bool) -> tuple[float, float]:
    return _drawn(eta.so_far_seconds, log), _drawn(end, log)


def _eta_labels(etas: Sequence[Eta]) -> list[str]:
    labels = _labels([eta.job_id for eta in etas])
    return [f"▶ {labels[eta.job_id]}" for eta in etas]


def _eta_rows(fig: go.Figure, etas: Sequence[Eta], log: bool) -> None:
    """Per running job a dotted line from time so far to expected total: no text on the chart,
    which overlapped with many rows; the hover and the ETA table below say it in words."""
    rows = _eta_labels(etas)
    words = [
        [
            plotly_text(e.job_id),
            format_duration(e.so_far_seconds),
            format_duration(e.remaining_seconds),
        ]
        for e in etas
    ]
    ends = [max(eta.expected_seconds, eta.so_far_seconds) for eta in etas]
    color = STYLES[JobStatus.RUNNING].color
    fig.add_scatter(
        mode="lines",
        name="to expected finish",
        showlegend=False,
        hoverinfo="skip",
        x=[x for eta, end in zip(etas, ends, strict=True) for x in (*_xs(eta, end, log), None)],
        y=[y for row in rows for y in (row, row, None)],
        line={"dash": "dot", "color": color},
    )
    for name, xs, symbol in (
        ("so far", [eta.so_far_seconds for eta in etas], "circle-open"),
        ("expected total (ETA)", ends, "triangle-right"),
    ):
        fig.add_scatter(
            mode="markers",
            name=name,
            x=[_drawn(x, log) for x in xs],
            y=rows,
            customdata=words,
            hovertemplate="%{customdata[0]}<br>so far %{customdata[1]}"
            "<br>ETA %{customdata[2]} left<extra></extra>",
            marker={"symbol": symbol, "size": 12, "color": color},
        )
