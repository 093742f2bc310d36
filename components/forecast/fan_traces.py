"""The traces of one item's fan: bands by coverage, the point forecast, history and actuals."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components.forecast.fan_layout import OBSERVED_INK
from components.forecast.forecast_history import history_window
from dashboard.analysis.accuracy import outside
from dashboard.forecasts.forecast_csv import ForecastColumns
from dashboard.forecasts.forecast_data import band_label
from dashboard.safety.plotly_safety import plotly_text
from dashboard.series.observations import TIME, VALUE

# Okabe-Ito, reordered so the first colours read on both light and dark backgrounds
# (its yellow and black are left out: each vanishes on one of the two themes).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
# Wider intervals are fainter, so nested bands stay readable where they overlap.
BAND_OPACITY = (0.16, 0.26, 0.36, 0.46)
# Observed values of a single item: OBSERVED_INK, a mid grey, 4:1 against white and against
# Streamlit's dark background, so history and actuals read as "what happened" beside the
# coloured forecast.
# Actuals outside the widest band: another colour *and* symbol, so colour is never the only cue.
OUTSIDE_COLOUR = "#D55E00"
OUTSIDE_SYMBOL = "x"


def _rgba(colour: str, opacity: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity})"


def _band_traces(
    frame: pd.DataFrame, columns: ForecastColumns, colour: str, prefix: str, legend: bool
) -> list[go.Scatter]:
    """Two traces per interval: the upper edge, then the lower edge filled up to it."""
    x = frame[columns.timestamp]
    traces = []
    intervals = columns.intervals()
    if prefix and len(intervals) > 2:
        # Overlaid items: two bands each (widest and innermost) keep the colours apart.
        intervals = [intervals[0], intervals[-1]]
    for index, (low, high, coverage) in enumerate(intervals):
        opacity = BAND_OPACITY[min(index + max(0, 4 - len(intervals)), len(BAND_OPACITY) - 1)]
        name = f"{prefix}{band_label(coverage)}"
        common = {"x": x, "mode": "lines", "line": {"width": 0}, "legendgroup": name}
        traces.append(go.Scatter(y=frame[high], name=f"{name} (upper)", showlegend=False, **common))
        traces.append(
            go.Scatter(
                y=frame[low],
                name=name,
                fill="tonexty",
                fillcolor=_rgba(colour, opacity),
                showlegend=legend,
                **common,
            )
        )
    return traces


def _point_trace(
    frame: pd.DataFrame, columns: ForecastColumns, colour: str, prefix: str, legend: bool
) -> go.Scatter | None:
    if columns.point is None:
        return None
    name = f"{prefix}{plotly_text(columns.point_label)}"  # a column name from the forecast file
    return go.Scatter(
        x=frame[columns.timestamp],
        y=frame[columns.point],
        name=name,
        mode="lines+markers",
        marker={"size": 4},
        line={"color": colour, "width": 2},
        legendgroup=name,
        showlegend=legend,
    )


def _observed_traces(
    observed: pd.DataFrame, style: tuple[str, str, bool], name: str, line: bool
) -> go.Scatter:
    colour, prefix, legend = style
    shape = {"line": {"color": colour, "width": 1.5}} if line else {"marker": {"color": colour}}
    return go.Scatter(
        x=observed[TIME],
        y=observed[VALUE],
        name=f"{prefix}{name}",
        mode="lines" if line else "markers",
        legendgroup=f"{prefix}{name}",
        showlegend=legend,
        **shape,
    )


def _outside_trace(
    points: pd.DataFrame, coverage: int | None, prefix: str, legend: bool
) -> go.Scatter:
    band = "band, whose coverage is not stated" if coverage is None else f"{coverage}% band"
    name = f"{prefix}Outside the {band}"
    return go.Scatter(
        x=points[TIME],
        y=points[VALUE],
        name=name,
        mode="markers",
        marker={"color": OUTSIDE_COLOUR, "symbol": OUTSIDE_SYMBOL, "size": 10},
        legendgroup=name,
        showlegend=legend,
    )


@dataclass(frozen=True)
class ObservedSplit:
    """An item's observed rows around its forecast: history before it, actuals on its steps."""

    history: pd.DataFrame
    actuals: pd.DataFrame
    outside: pd.DataFrame


def split_observed(
    frame: pd.DataFrame, columns: ForecastColumns, rows: pd.DataFrame, whole: bool
) -> ObservedSplit:
    times = frame[columns.timestamp]
    history = rows[rows[TIME] < times.min()]
    if not whole:
        history = history.tail(history_window(len(frame)))
    actuals = rows[rows[TIME].isin(times)]
    return ObservedSplit(history, actuals, outside(frame, actuals, columns))


def item_traces(
    frame: pd.DataFrame,
    columns: ForecastColumns,
    style: tuple[str, str, bool],
    observed: ObservedSplit | None,
) -> list[go.Scatter]:
    """History first, then the fan, then the actuals over it (the widest band's misses apart)."""
    colour, prefix, legend = style
    point = _point_trace(frame, columns, colour, prefix, legend)
    traces = _band_traces(frame, columns, colour, prefix, legend)
    traces += [point] if point is not None else []
    if observed is None:
        return traces
    # One item's observations are grey beside its coloured forecast; overlaid items keep
    # their own colour so each history leads into its own fan.
    ink = (OBSERVED_INK if not prefix else colour, prefix, legend)
    if not observed.history.empty:
        traces.insert(0, _observed_traces(observed.history, ink, "History", True))
    if not observed.actuals.empty:
        traces.append(_observed_traces(observed.actuals, ink, "Actual", False))
    if not observed.outside.empty:
        coverage = columns.intervals()[0][2]
        traces.append(_outside_trace(observed.outside, coverage, prefix, legend))
    return traces
