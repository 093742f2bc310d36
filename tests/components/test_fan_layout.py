"""Fan charts of several items read right: "n of N", an axis per item of another scale, the
start note inside the plot, titles that fit a phone."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from components.common.chart_style import TITLE_LINE_CHARS
from components.forecast.fan_layout import MAX_SCALE_RATIO
from components.forecast.forecast_chart import fan_figure
from components.forecast.forecast_history import ChartObservations, observed_rows
from dashboard.forecasts.forecast_csv import ForecastData, parse_forecast_csv
from dashboard.series.observations import ITEM, TIME, VALUE, Observations

HEADER = "item_id,timestamp,mean,0.1,0.9"


def forecast(levels: Mapping[str, float], steps: int = 3) -> ForecastData:
    rows = [
        f"{item},2024-01-{10 + step:02d},{level},{0.9 * level},{1.1 * level}"
        for item, level in levels.items()
        for step in range(steps)
    ]
    return parse_forecast_csv(("\n".join([HEADER, *rows]) + "\n").encode())


def items_of(data: ForecastData) -> list[tuple[str, pd.DataFrame]]:
    return [(item, data.item_frame(item)) for item in data.items]


def value_axes(figure: object) -> set[str]:
    return {trace.yaxis or "y" for trace in figure.data}  # type: ignore[attr-defined]


def test_a_chart_of_some_items_says_how_many_of_how_many() -> None:
    data = forecast({"a": 10, "b": 12})
    figure = fan_figure(items_of(data), data.columns, total=2500)
    assert figure.layout.title.text.startswith("2 of 2,500 items: a, b")
    panels = fan_figure(items_of(data), data.columns, small_multiples=True, total=2500)
    assert "2 of 2,500 items" in panels.layout.title.text
    every = fan_figure(items_of(data), data.columns, total=2)
    assert "of" not in every.layout.title.text


def test_items_of_scales_over_tenfold_apart_get_an_axis_each() -> None:
    data = forecast({"big": 1000 * MAX_SCALE_RATIO, "mid": 900, "small": 5})
    figure = fan_figure(items_of(data), data.columns)
    assert value_axes(figure) == {"y", "y2", "y3"}
    assert "own axis" in figure.layout.title.text.lower()


def test_items_of_one_scale_share_one_axis() -> None:
    data = forecast({"a": 100, "b": 100 * MAX_SCALE_RATIO * 0.9})
    assert value_axes(fan_figure(items_of(data), data.columns)) == {"y"}


def history(item: str, days: list[int]) -> Observations:
    times = pd.to_datetime([f"2024-01-{day:02d}" for day in days])
    frame = pd.DataFrame({ITEM: [item] * len(days), TIME: times, VALUE: [1.0] * len(days)})
    return Observations(frame, "a.csv")


def start_note(data: ForecastData, observed: Observations) -> go.layout.Annotation:
    seen = ChartObservations(observed_rows(data, observed, ["a"]))
    figure = fan_figure([("a", data.item_frame("a"))], data.columns, observed=seen)
    [note] = [a for a in figure.layout.annotations if "Forecast starts" in a.text]
    return note


def test_the_start_note_stays_inside_the_plot_on_the_side_with_room() -> None:
    data = forecast({"a": 10}, steps=9)
    long = start_note(data, history("a", [1, 2, 3, 4, 5, 6, 7, 8, 9]))
    assert (long.xanchor, long.yref, long.yanchor) == ("right", "y domain", "top")
    # One day of history before nine of forecast: the start is near the y-axis, so the note
    # goes to the right of the line instead of over the axis.
    short = start_note(data, history("a", [9]))
    assert short.xanchor == "left"
    assert max(len(line) for line in short.text.split("<br>")) <= 22


def test_titles_of_long_item_lists_fit_a_phone_line_by_line() -> None:
    names = {f"warehouse-{n}-north-region-sku-{n:05d}-long": 10 + n for n in range(5)}
    data = forecast(names)
    figure = fan_figure(items_of(data), data.columns, total=2500)
    lines = figure.layout.title.text.split("<br>")
    assert max(len(line) for line in lines) <= TITLE_LINE_CHARS
    assert figure.layout.margin.t >= 30 * len(lines)
