"""Fan charts of forecast items: the point line and a shaded band per symmetric quantile pair."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from dashboard.csv_exports import safe_csv
from dashboard.forecast_csv import ForecastColumns
from dashboard.plotly_safety import plotly_text

# Okabe-Ito, reordered so the first colours read on both light and dark backgrounds
# (its yellow and black are left out: each vanishes on one of the two themes).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
# Wider intervals are fainter, so nested bands stay readable where they overlap.
BAND_OPACITY = (0.16, 0.26, 0.36, 0.46)
MAX_ITEMS = 5


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
        name = f"{prefix}{coverage}% interval"
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


def _item_traces(
    frame: pd.DataFrame, columns: ForecastColumns, colour: str, prefix: str, legend: bool
) -> list[go.Scatter]:
    point = _point_trace(frame, columns, colour, prefix, legend)
    bands = _band_traces(frame, columns, colour, prefix, legend)
    return [*bands, point] if point is not None else bands


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
) -> go.Figure:
    """One figure: items overlaid on one axis, or one panel per item."""
    if small_multiples and len(items) > 1:
        figure = _small_multiples(items, columns)
    else:
        figure = go.Figure()
        for index, (item, frame) in enumerate(items):
            # Item IDs and column names come from the forecast file: shown as written.
            prefix = f"{plotly_text(item)} · " if len(items) > 1 else ""
            figure.add_traces(
                _item_traces(frame, columns, PALETTE[index % len(PALETTE)], prefix, True)
            )
    figure.update_xaxes(title_text=plotly_text(time_axis_title(columns.timestamp, offsets)))
    figure.update_layout(
        hovermode="x unified",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"t": 60, "b": 40},
    )
    return figure


def _small_multiples(
    items: Sequence[tuple[str, pd.DataFrame]], columns: ForecastColumns
) -> go.Figure:
    cols = 2
    rows = math.ceil(len(items) / cols)
    titles = [plotly_text(item) for item, _ in items]
    figure = make_subplots(rows=rows, cols=cols, subplot_titles=titles)
    for index, (_, frame) in enumerate(items):
        # One colour for every panel, so the single legend explains all of them.
        traces = _item_traces(frame, columns, PALETTE[0], "", index == 0)
        figure.add_traces(traces, rows=index // cols + 1, cols=index % cols + 1)
    figure.update_layout(height=320 * rows)
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
