"""The watch list's range chart: completed jobs' elapsed in their typical range, running ETAs."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from components.common.chart_style import (
    OKABE_ITO_PURPLE,
    STYLES,
    dwarfed,
    rows_height,
    titled_layout,
)
from components.watchlist.watchlist_chart_marks import (
    LOG_FLOOR,
    TOP_N,
    chart_labels,
    drawn,
    elapsed_axis,
)
from dashboard.jobs.elapsed_stats import Eta, TypicalRange
from dashboard.jobs.timing import format_duration
from dashboard.safety.plotly_safety import plotly_text
from eomer_client.models import JobStatus

_BAND_FILL = "rgba(86, 180, 233, 0.25)"  # Okabe-Ito sky blue, translucent for either theme


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
    elapsed_axis(fig, log, [*completed.values(), *(e.so_far_seconds for e in shown), *ends])
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
    low = max(band.low, LOG_FLOOR if log else 0)
    fig.add_vrect(x0=low, x1=max(band.high, low), fillcolor=_BAND_FILL, line_width=0)
    fig.add_vline(x=drawn(band.median, log), line_dash="dash")
    # Annotations on a log axis take log10 positions (shapes take data values).
    for x, text, y, anchor in (
        (low, "typical range", 1, "top"),
        (band.median, "median", 0, "bottom"),
    ):
        at = math.log10(drawn(x, log)) if log else x
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
                x=[drawn(completed[i], log) for i in ids],
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
    return drawn(eta.so_far_seconds, log), drawn(end, log)


def _eta_labels(etas: Sequence[Eta]) -> list[str]:
    labels = chart_labels([eta.job_id for eta in etas])
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
            x=[drawn(x, log) for x in xs],
            y=rows,
            customdata=words,
            hovertemplate="%{customdata[0]}<br>so far %{customdata[1]}"
            "<br>ETA %{customdata[2]} left<extra></extra>",
            marker={"symbol": symbol, "size": 12, "color": color},
        )
