"""Fan charts: one band per symmetric quantile pair, named by its coverage, per item or panel."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from components.forecast.fan_layout import OBSERVED_INK
from components.forecast.fan_traces import OUTSIDE_COLOUR, OUTSIDE_SYMBOL, PALETTE
from components.forecast.forecast_chart import fan_figure, time_axis_title
from components.forecast.forecast_history import (
    MIN_HISTORY_POINTS,
    ChartObservations,
    history_window,
    observed_rows,
)
from dashboard.forecasts.forecast_csv import ForecastData, parse_forecast_csv
from dashboard.safety.plotly_safety import plotly_text
from dashboard.series.observations import ITEM, TIME, VALUE, Observations
from tests.components.forecasts import FORECAST, forecast, observations


def legend_names(figure: object) -> list[str]:
    return [trace.name for trace in figure.data if trace.showlegend is not False]  # type: ignore[attr-defined]


def test_one_item_gets_a_mean_line_and_a_band_per_interval_named_by_coverage() -> None:
    data = forecast()
    figure = fan_figure([("A", data.item_frame("A"))], data.columns, offsets=data.offsets)
    assert legend_names(figure) == ["80% interval", "50% interval", "mean"]
    filled = [trace for trace in figure.data if trace.fill == "tonexty"]
    assert [trace.y.tolist() for trace in filled] == [[8.0, 9.0], [9.0, 10.0]]


@pytest.mark.parametrize("engine", ["json", "orjson"])
def test_the_time_axis_shows_the_series_own_wall_clock_times(engine: str) -> None:
    data = forecast()
    figure = fan_figure([("A", data.item_frame("A"))], data.columns, offsets=data.offsets)
    # What the browser receives: naive times, so Plotly cannot shift them to the viewer's zone.
    # Each serialiser spells them its own way (orjson drops zero microseconds): compare times.
    sent = [
        datetime.fromisoformat(x) for x in json.loads(figure.to_json(engine=engine))["data"][0]["x"]
    ]
    assert sent == [datetime(2024, 1, 1, 0, 0), datetime(2024, 1, 1, 1, 0)]
    assert all(moment.tzinfo is None for moment in sent)
    assert figure.layout.xaxis.title.text == "timestamp (as written in the forecast, offset +05:30)"


def test_overlaid_items_are_named_in_the_legend_and_take_distinct_colours() -> None:
    data = forecast()
    items = [(item, data.item_frame(item)) for item in ("A", "B")]
    figure = fan_figure(items, data.columns)
    assert "B · 80% interval" in legend_names(figure)
    lines = [trace.line.color for trace in figure.data if trace.mode == "lines+markers"]
    assert lines == [PALETTE[0], PALETTE[1]]


def test_small_multiples_draw_one_panel_per_item_with_one_legend() -> None:
    data = forecast()
    items = [(item, data.item_frame(item)) for item in ("A", "B")]
    figure = fan_figure(items, data.columns, small_multiples=True)
    assert [annotation.text for annotation in figure.layout.annotations] == ["A", "B"]
    assert {trace.xaxis for trace in figure.data} == {"x", "x2"}
    assert legend_names(figure) == ["80% interval", "50% interval", "mean"]
    # The time axis is named once, under the last panel: a title under each ran into the next
    # panel's item name.
    assert figure.layout.xaxis.title.text is None
    assert figure.layout.xaxis2.title.text.startswith("timestamp (as written")


def test_without_a_point_column_only_the_bands_are_drawn() -> None:
    data = forecast("item_id,timestamp,lo,0.1,0.25,0.75,0.9")
    figure = fan_figure([("A", data.item_frame("A"))], data.columns)
    assert legend_names(figure) == ["80% interval", "50% interval"]


def test_axis_title_without_offsets_says_times_are_as_written() -> None:
    assert time_axis_title("ds", ()) == "ds (as written in the forecast)"


HOSTILE_ITEM = '<a href="http://127.0.0.2:9/item" target="_top">A</a>'


def test_remote_item_ids_and_column_names_are_drawn_as_written() -> None:
    item = '"' + HOSTILE_ITEM.replace('"', '""') + '"'
    rows = [f"{item},2024-01-01T00:00:00,10,8,12", f"{item},2024-01-01T01:00:00,11,9,13"]
    text = "\n".join(["item_id,<b>when</b>,mean,0.1,0.9", *rows, "B,2024-01-01T00:00:00,1,0,2"])
    data = parse_forecast_csv((text + "\n").encode())
    columns = dataclasses.replace(data.columns, point_label="<i>mean</i>")
    items = [(name, data.item_frame(name)) for name in (HOSTILE_ITEM, "B")]
    escaped = '&lt;a href="http://127.0.0.2:9/item" target="_top"&gt;A&lt;/a&gt;'
    overlaid = fan_figure(items, columns)
    assert f"{escaped} · &lt;i&gt;mean&lt;/i&gt;" in legend_names(overlaid)
    assert overlaid.layout.xaxis.title.text.startswith("&lt;b&gt;when&lt;/b&gt; (as written")
    panels = fan_figure(items, columns, small_multiples=True)
    # Cut to fit a phone, and still escaped.
    cut = '&lt;a href="http://127.0.0.2:9/i…'
    assert [annotation.text for annotation in panels.layout.annotations] == [cut, "B"]


# History and actuals: observed values drawn with the fan.


def with_history(data: ForecastData, observed: Observations, **options: object) -> go.Figure:
    rows = observed_rows(data, observed, ["A"])
    seen = ChartObservations(rows, time_offset=data.time_offset, **options)  # type: ignore[arg-type]
    return fan_figure([("A", data.item_frame("A"))], data.columns, observed=seen)


def trace_named(figure: go.Figure, name: str) -> go.Scatter:
    return next(trace for trace in figure.data if trace.name == name)


SEEN = observations(
    [f"2024-01-0{day}T00:00:00+05:30" for day in (1, 2, 3, 4)], [7.0, 9.0, 10.5, 20.0]
)


def test_history_is_drawn_before_the_fan_and_actuals_over_it() -> None:
    data = parse_forecast_csv(FORECAST.encode())
    figure = with_history(data, SEEN)
    names = [trace.name for trace in figure.data]
    assert names.index("History") < names.index("80% interval") < names.index("Actual")
    assert trace_named(figure, "History").y.tolist() == [7.0, 9.0]
    assert trace_named(figure, "Actual").y.tolist() == [10.5, 20.0]
    assert trace_named(figure, "History").line.color == OBSERVED_INK


def test_actuals_outside_the_widest_band_get_their_own_symbol_colour_and_legend_name() -> None:
    data = parse_forecast_csv(FORECAST.encode())
    missed = trace_named(with_history(data, SEEN), "Outside the 80% band")
    assert missed.y.tolist() == [20.0]
    assert missed.marker.symbol == OUTSIDE_SYMBOL
    assert missed.marker.color == OUTSIDE_COLOUR
    assert missed.showlegend is not False


def test_the_forecast_start_is_marked_with_its_absolute_time_and_zone() -> None:
    data = parse_forecast_csv(FORECAST.encode())
    figure = with_history(data, SEEN)
    [line] = figure.layout.shapes
    assert pd.Timestamp(line.x0) == pd.Timestamp("2024-01-03")
    [start] = figure.layout.annotations
    assert start.text == "Forecast starts<br>2024-01-03 00:00:00<br>(UTC+05:30)"
    assert start.hovertext == "Forecast starts 2024-01-03 00:00:00 (UTC+05:30)"


def test_step_times_align_with_observed_steps_and_the_start_names_its_step() -> None:
    text = "item_id,step,mean,0.1,0.9\nA,3,10,8,12\nA,4,11,9,13\n"
    data = parse_forecast_csv(text.encode())
    frame = pd.DataFrame({ITEM: ["A"] * 3, TIME: [1.0, 2.0, 3.0], VALUE: [5.0, 6.0, 30.0]})
    figure = with_history(data, Observations(frame, "steps.csv"))
    assert trace_named(figure, "History").x.tolist() == [1.0, 2.0]
    assert trace_named(figure, "Outside the 80% band").y.tolist() == [30.0]
    assert figure.layout.annotations[0].text == "Forecast starts<br>at step 3"


def test_the_chart_is_titled_by_its_item_and_its_value_axis_by_the_unit() -> None:
    data = forecast()
    hostile = dataclasses.replace(data, items=[HOSTILE_ITEM])
    seen = ChartObservations({}, value_title="<b>ppm</b>")
    figure = fan_figure([(HOSTILE_ITEM, data.item_frame("A"))], hostile.columns, observed=seen)
    assert figure.layout.title.text == plotly_text(HOSTILE_ITEM[:29]) + "…"
    assert figure.layout.yaxis.title.text == "&lt;b&gt;ppm&lt;/b&gt;"


def test_a_long_history_shows_its_last_seasons_unless_the_whole_history_is_asked_for() -> None:
    data = parse_forecast_csv(FORECAST.replace("+05:30", "").encode())
    times = pd.date_range(end="2024-01-02", periods=1000, freq="D")
    long = observations([str(time) for time in times], [float(n) for n in range(1000)])
    shown = trace_named(with_history(data, long), "History")
    assert len(shown.x) == history_window(3) == MIN_HISTORY_POINTS
    assert shown.y[-1] == 999.0
    whole = trace_named(with_history(data, long, whole_history=True), "History")
    assert len(whole.x) == 1000


def test_small_multiples_with_history_keep_one_legend_entry_per_name() -> None:
    data = forecast()
    times = ["2023-12-31T22:00:00+05:30", "2023-12-31T23:00:00+05:30"]
    both = observations(times, [1.0, 2.0], "A").merged(observations(times, [3.0, 4.0], "B"))
    rows = observed_rows(data, both, ["A", "B"])
    seen = ChartObservations(rows, time_offset=data.time_offset)
    items = [(item, data.item_frame(item)) for item in ("A", "B")]
    figure = fan_figure(items, data.columns, small_multiples=True, observed=seen)
    assert legend_names(figure).count("History") == 1
    assert len(figure.layout.shapes) == 2  # a start line in each panel
    assert {shape.xref for shape in figure.layout.shapes} == {"x", "x2"}


def test_overlaid_items_draw_each_history_in_the_items_own_colour() -> None:
    data = forecast()
    times = ["2023-12-31T00:00:00+05:30"]
    both = observations(times, [1.0], "A").merged(observations(times, [2.0], "B"))
    seen = ChartObservations(observed_rows(data, both, ["A", "B"]), time_offset=data.time_offset)
    items = [(item, data.item_frame(item)) for item in ("A", "B")]
    figure = fan_figure(items, data.columns, observed=seen)
    assert trace_named(figure, "B · History").line.color == PALETTE[1]
    assert len(figure.layout.shapes) == 1  # both start together: one line
    assert figure.layout.title.text == "A, B"


def test_a_band_of_unstated_coverage_is_named_without_a_percentage() -> None:
    text = FORECAST.replace(
        "item_id,timestamp,mean,0.1,0.9", "item_id,timestamp,mean,lower_bound,upper_bound"
    )
    data = parse_forecast_csv(text.encode())
    figure = with_history(data, SEEN)
    assert legend_names(figure)[1:3] == ["interval, coverage not stated", "mean"]
    missed = trace_named(figure, "Outside the band, whose coverage is not stated")
    assert missed.y.tolist() == [20.0]
    assert not any("%" in str(trace.name) for trace in figure.data)
