"""Fan charts: one band per symmetric quantile pair, named by its coverage, per item or panel."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import pytest

from components.forecast_chart import PALETTE, fan_figure, time_axis_title
from dashboard.forecast_csv import ForecastData, parse_forecast_csv

ROWS = [
    "A,2024-01-01T00:00:00+05:30,10,8,9,11,12",
    "A,2024-01-01T01:00:00+05:30,11,9,10,12,13",
    "B,2024-01-01T00:00:00+05:30,20,18,19,21,22",
    "B,2024-01-01T01:00:00+05:30,21,19,20,22,23",
]


def forecast(header: str = "item_id,timestamp,mean,0.1,0.25,0.75,0.9") -> ForecastData:
    return parse_forecast_csv(("\n".join([header, *ROWS]) + "\n").encode())


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
    assert [annotation.text for annotation in panels.layout.annotations] == [escaped, "B"]
