"""Fan charts of forecast items: a band per quantile pair, after the history, under the actuals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from components.common.chart_style import TOOLBAR_BAND_PX
from components.forecast.fan_layout import (
    OBSERVED_INK,
    fan_title,
    scales_differ,
    short_name,
    start_marker,
)
from components.forecast.forecast_history import ChartObservations, history_window
from dashboard.analysis.accuracy import outside
from dashboard.forecasts.forecast_csv import ForecastColumns
from dashboard.forecasts.forecast_data import band_label
from dashboard.safety.plotly_safety import plotly_text
from dashboard.series.observations import TIME, VALUE
from dashboard.tables.csv_exports import safe_csv

# Okabe-Ito, reordered so the first colours read on both light and dark backgrounds
# (its yellow and black are left out: each vanishes on one of the two themes).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
# Wider intervals are fainter, so nested bands stay readable where they overlap.
BAND_OPACITY = (0.16, 0.26, 0.36, 0.46)
MAX_ITEMS = 5
# Observed values of a single item: OBSERVED_INK, a mid grey, 4:1 against white and against
# Streamlit's dark background, so history and actuals read as "what happened" beside the
# coloured forecast.
# Actuals outside the widest band: another colour *and* symbol, so colour is never the only cue.
OUTSIDE_COLOUR = "#D55E00"
OUTSIDE_SYMBOL = "x"
_TITLE_PX = 30


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
class _Split:
    """An item's observed rows around its forecast: history before it, actuals on its steps."""

    history: pd.DataFrame
    actuals: pd.DataFrame
    outside: pd.DataFrame


def _split(
    frame: pd.DataFrame, columns: ForecastColumns, rows: pd.DataFrame, whole: bool
) -> _Split:
    times = frame[columns.timestamp]
    history = rows[rows[TIME] < times.min()]
    if not whole:
        history = history.tail(history_window(len(frame)))
    actuals = rows[rows[TIME].isin(times)]
    return _Split(history, actuals, outside(frame, actuals, columns))


def _item_traces(
    frame: pd.DataFrame,
    columns: ForecastColumns,
    style: tuple[str, str, bool],
    observed: _Split | None,
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


def time_axis_title(timestamp: str, offsets: Sequence[str]) -> str:
    """Axis title saying the times are the series' own, never the viewer's zone."""
    written = f", offset {', '.join(offsets)}" if offsets else ""
    return f"{timestamp} (as written in the forecast{written})"


def fan_figure(
    items: Sequence[tuple[str, pd.DataFrame]],
    columns: ForecastColumns,
    *,
    offsets: Sequence[str] = (),
    small_multiples: bool = False,
    observed: ChartObservations | None = None,
    total: int | None = None,
) -> go.Figure:
    """One figure: items overlaid on one axis, or one panel per item (asked for, or because
    their scales differ over tenfold); the title says "n of `total` items" when a subset."""
    seen = observed or ChartObservations()
    panels = len(items) > 1 and (small_multiples or scales_differ(items, columns))
    if panels:
        figure = _small_multiples(items, columns, seen, total)
    else:
        figure = _overlaid(items, columns, seen, total)
    time_title = plotly_text(time_axis_title(columns.timestamp, offsets))
    if panels:
        # Panels one under another: the time axis is named once, under the last panel; a title
        # under each ran into the next panel's item name.
        figure.update_xaxes(title_text=None)
        figure.update_xaxes(title_text=time_title, row=len(items), col=1)
    else:
        figure.update_xaxes(title_text=time_title)
    if seen.value_title:
        figure.update_yaxes(title_text=plotly_text(seen.value_title))
    _one_legend_entry_per_name(figure)
    figure.update_layout(
        hovermode="x unified",
        # Below the plot: above it, a legend of several rows ran into the title.
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0},
        margin={"b": 40},  # the top is the title's (see _title)
    )
    return figure


def _overlaid(
    items: Sequence[tuple[str, pd.DataFrame]],
    columns: ForecastColumns,
    seen: ChartObservations,
    total: int | None,
) -> go.Figure:
    figure = go.Figure()
    starts = []
    for index, (item, frame) in enumerate(items):
        # Item IDs and column names come from the forecast file: shown as written.
        prefix = f"{plotly_text(item)} · " if len(items) > 1 else ""
        split = _observed(item, frame, columns, seen)
        style = (PALETTE[index % len(PALETTE)], prefix, True)
        figure.add_traces(_item_traces(frame, columns, style, split))
        if split is not None and not split.history.empty:
            starts.append(frame[columns.timestamp].min())
    xs = _drawn_times(figure)
    for first in dict.fromkeys(starts):  # items overlaid usually share their start
        start_marker(figure, first, seen.time_offset, xs, {})
    _title(figure, fan_title([item for item, _ in items], total, own_axes=False))
    figure.update_layout(height=460)
    return figure


def _drawn_times(figure: go.Figure, axis: str = "x") -> list[object]:
    """Every time the figure's traces on `axis` draw: where the start line stands among them."""
    times: list[object] = []
    for trace in figure.data:
        if (trace.xaxis or "x") == axis and trace.x is not None:
            times.extend(x for x in trace.x if x is not None)
    return times


def _title(figure: go.Figure, text: str) -> None:
    """`text` at the top left, below Plotly's toolbar, with room for each of its lines."""
    lines = text.count("<br>") + 1
    figure.update_layout(
        title={
            "text": text,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            # Below Plotly's toolbar and Streamlit's full-screen button (see chart_style).
            "pad": {"t": TOOLBAR_BAND_PX},
        },
        margin={"t": TOOLBAR_BAND_PX + _TITLE_PX * lines + 10},
    )


def _observed(
    item: str, frame: pd.DataFrame, columns: ForecastColumns, seen: ChartObservations
) -> _Split | None:
    rows = seen.rows.get(item)
    return None if rows is None else _split(frame, columns, rows, seen.whole_history)


def _one_legend_entry_per_name(figure: go.Figure) -> None:
    """Panels repeat the same traces: only the first of each name stays in the legend."""
    named: set[str] = set()
    for trace in figure.data:
        if trace.showlegend is False:
            continue
        if trace.name in named:
            trace.showlegend = False
        named.add(trace.name)


def _small_multiples(
    items: Sequence[tuple[str, pd.DataFrame]],
    columns: ForecastColumns,
    seen: ChartObservations,
    total: int | None,
) -> go.Figure:
    """One panel per item, one under the other (two side by side were squeezed on a phone),
    each with its own value axis."""
    rows = len(items)
    titles = [short_name(item) for item, _ in items]
    figure = make_subplots(rows=rows, cols=1, subplot_titles=titles, vertical_spacing=0.3 / rows)
    for index, (item, frame) in enumerate(items):
        # One colour for every panel, so the single legend explains all of them.
        split = _observed(item, frame, columns, seen)
        traces = _item_traces(frame, columns, (PALETTE[0], "", True), split)
        figure.add_traces(traces, rows=index + 1, cols=1)
        if split is not None and not split.history.empty:
            xs = [x for trace in traces for x in (trace.x if trace.x is not None else ())]
            place = {"row": index + 1, "col": 1}
            start_marker(figure, frame[columns.timestamp].min(), seen.time_offset, xs, place)
    _title(figure, fan_title([item for item, _ in items], total, own_axes=True))
    figure.update_layout(height=80 + 280 * rows)
    return figure


def forecast_chart(figure: go.Figure, *, key: str) -> None:
    """Draw with Streamlit's theme so the chart follows the light or dark theme."""
    st.plotly_chart(figure, theme="streamlit", width="stretch", key=key)


def selection_numbers(
    frame: pd.DataFrame, timestamp: str, *, file_name: str, time_is_date: bool = True
) -> None:
    """The selected items' rows as a table, and the same rows as a CSV download."""
    time_column = (
        st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")
        if time_is_date
        else st.column_config.NumberColumn(format="%d")  # integer steps, not dates
    )
    st.dataframe(
        frame, hide_index=True, column_config={timestamp: time_column}, key="forecast_numbers"
    )
    st.download_button(
        "Download the selection as CSV",
        safe_csv(frame, date_format="%Y-%m-%dT%H:%M:%S"),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key="forecast_download",
        on_click="ignore",
    )
