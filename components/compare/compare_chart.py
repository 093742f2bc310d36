"""Runs side by side on one chart: each run's point forecast and widest band in its own colour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.chart_style import titled_layout
from components.common.item_picker import PickerKeys, pick_items
from components.common.plain_text import escape_untrusted
from components.forecast.fan_layout import short_name
from components.forecast.fan_traces import PALETTE
from components.forecast.forecast_chart import forecast_chart, time_axis_title
from dashboard.analysis.comparison_runs import Run, observed_on_axis
from dashboard.forecasts.forecast_data import ForecastColumns, band_label
from dashboard.safety.plotly_safety import plotly_text
from dashboard.series.observations import TIME, VALUE, Observations, comparable_times

# The widest band only: two runs' nested bands would blur into one another.
BAND_OPACITY = 0.18
# Observed values are no run's: a grey that reads on light and dark backgrounds.
OBSERVED_COLOUR = "#8C8C8C"
# History before the forecasts: enough to see the level and season, not years of it.
HISTORY_POINTS = 200
COMPARE_PICKER = PickerKeys(
    "compare",
    "Items to compare",
    "Part of an item ID ({count:,} shared)",
    "Not in every run",
    "Pick an item all runs share below.",
)
ITEMS_KEY = COMPARE_PICKER.items


@dataclass(frozen=True)
class ChartRun:
    """One run's rows for the item drawn, and how its columns were read."""

    label: str
    frame: pd.DataFrame
    columns: ForecastColumns


@dataclass(frozen=True)
class Overlay:
    """The figure, and the runs left out because their times cannot share its axis."""

    figure: go.Figure
    not_drawn: tuple[str, ...] = ()


def run_colour(index: int) -> str:
    """Okabe-Ito, in the order the forecast viewer uses; the same run keeps its colour."""
    return PALETTE[index % len(PALETTE)]


def _rgba(colour: str, opacity: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity})"


def _run_traces(run: ChartRun, times: pd.Series, colour: str) -> list[go.Scatter]:
    name = plotly_text(run.label)  # presets and file names come from people and files
    traces = []
    intervals = run.columns.intervals()
    if intervals:
        low, high, coverage = intervals[0]
        edge = {"x": times, "mode": "lines", "line": {"width": 0}, "legendgroup": name}
        traces.append(
            go.Scatter(y=run.frame[high], name=f"{name} (upper)", showlegend=False, **edge)
        )
        traces.append(
            go.Scatter(
                y=run.frame[low],
                name=f"{name} · {band_label(coverage)}",
                fill="tonexty",
                fillcolor=_rgba(colour, BAND_OPACITY),
                **edge,
            )
        )
    if run.columns.point is not None:
        traces.append(
            go.Scatter(
                x=times,
                y=run.frame[run.columns.point],
                name=name,
                mode="lines+markers",
                marker={"size": 4},
                line={"color": colour, "width": 2},
                legendgroup=name,
            )
        )
    return traces


def _observed_traces(observed: pd.DataFrame, start: object, end: object) -> list[go.Scatter]:
    """History before the forecasts as a line; actuals within their horizon as points."""
    before = observed[observed[TIME] < start].tail(HISTORY_POINTS)
    within = observed[(observed[TIME] >= start) & (observed[TIME] <= end)]
    traces = []
    if not before.empty:
        line = {"color": OBSERVED_COLOUR, "width": 1.5}
        traces.append(go.Scatter(x=before[TIME], y=before[VALUE], name="history", line=line))
    if not within.empty:
        traces.append(
            go.Scatter(
                x=within[TIME],
                y=within[VALUE],
                name="actuals",
                mode="markers",
                marker={"color": OBSERVED_COLOUR, "size": 8, "symbol": "x"},
            )
        )
    return traces


def overlay_figure(
    item: str,
    runs: Sequence[ChartRun],
    observed: pd.DataFrame | None = None,
    *,
    offsets: Sequence[str] = (),
) -> Overlay:
    """One item across runs, on the first run's time axis; `observed` already on that axis."""
    like = runs[0].frame[runs[0].columns.timestamp]
    drawn: list[go.Scatter] = []
    not_drawn: list[str] = []
    starts, ends = [], []
    for index, run in enumerate(runs):
        times = comparable_times(run.frame[run.columns.timestamp], like)
        if times is None or times.empty:
            not_drawn.append(run.label)
            continue
        starts.append(times.min())
        ends.append(times.max())
        drawn.extend(_run_traces(run, times, run_colour(index)))
    figure = go.Figure()
    if observed is not None and not observed.empty and starts:
        figure.add_traces(_observed_traces(observed, min(starts), max(ends)))
    figure.add_traces(drawn)
    titled_layout(figure, short_name(item), height=380)
    figure.update_xaxes(title_text=plotly_text(time_axis_title(runs[0].columns.timestamp, offsets)))
    figure.update_layout(
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        margin={"b": 40},
    )
    return Overlay(figure, tuple(not_drawn))


def elapsed_figure(labels: Sequence[str], seconds: Sequence[float | None]) -> go.Figure:
    """How long each job took, one bar each in its run's colour; unknown ones have none."""
    shown = [plotly_text(label) for label in labels]
    figure = go.Figure(
        go.Bar(
            x=[value if value is not None else 0 for value in seconds],
            y=shown,
            orientation="h",
            marker={"color": [run_colour(i) for i in range(len(labels))]},
            text=[f"{value:,.1f} s" if value is not None else "unknown" for value in seconds],
            textposition="auto",
            hovertemplate="%{y}: %{x:,.1f} s<extra></extra>",
        )
    )
    titled_layout(figure, "Elapsed time", height=60 + 36 * len(labels))
    figure.update_xaxes(title_text="seconds", rangemode="tozero")
    figure.update_yaxes(autorange="reversed")
    return figure


def compare_chart(overlay: Overlay, *, key: str) -> None:
    """Draw the overlay with Streamlit's theme, and name the runs it could not draw."""
    forecast_chart(overlay.figure, key=key)
    if overlay.not_drawn:
        st.caption(
            "Not drawn, their times are not on this axis (dates and steps, or none): "
            + escape_untrusted(", ".join(overlay.not_drawn))
        )


def item_overlays(
    runs: Sequence[Run], shared: Sequence[str], truth: Observations | None
) -> list[tuple[str, go.Figure]]:
    """The picker over the items every run has, then each chosen item's runs on one chart.

    Returns each item drawn with its figure (what a snapshot of the page keeps).
    """
    if not shared:
        st.warning("The runs share no item ID, so no item can be drawn for all of them.")
        return []
    chosen = pick_items(COMPARE_PICKER, shared, " ".join(run.label for run in runs))
    reference = runs[0].data
    drawn = []
    for number, item in enumerate(chosen):
        observed = observed_on_axis(reference, truth, item) if truth is not None else None
        chart_runs = [ChartRun(label, data.item_frame(item), data.columns) for label, data in runs]
        overlay = overlay_figure(item, chart_runs, observed, offsets=reference.offsets)
        compare_chart(overlay, key=f"compare_chart_{number}")
        drawn.append((item, overlay.figure))
    return drawn
