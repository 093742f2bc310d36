"""Fan charts of forecast items: a band per quantile pair, after the history, under the actuals."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from components.common.chart_style import TOOLBAR_BAND_PX
from components.forecast.fan_layout import (
    fan_title,
    scales_differ,
    short_name,
    start_marker,
)
from components.forecast.fan_traces import PALETTE, ObservedSplit, item_traces, split_observed
from components.forecast.forecast_history import ChartObservations
from dashboard.forecasts.forecast_csv import ForecastColumns
from dashboard.safety.plotly_safety import plotly_text
from dashboard.tables.csv_exports import safe_csv

_TITLE_PX = 30


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
        figure.add_traces(item_traces(frame, columns, style, split))
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
) -> ObservedSplit | None:
    rows = seen.rows.get(item)
    return None if rows is None else split_observed(frame, columns, rows, seen.whole_history)


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
        traces = item_traces(frame, columns, (PALETTE[0], "", True), split)
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
