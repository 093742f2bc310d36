"""The overlay of runs: one colour per run, its widest band, history once and actuals as points."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.compare.compare_chart import (
    HISTORY_POINTS,
    OBSERVED_COLOUR,
    ChartRun,
    elapsed_figure,
    overlay_figure,
    run_colour,
)
from dashboard.forecasts.forecast_data import ForecastColumns, Interval
from dashboard.series.observations import ITEM, TIME, VALUE

TIMES = pd.date_range("2026-01-01", periods=3, freq="D")
BANDED = ForecastColumns(
    ("item_id",),
    "timestamp",
    "mean",
    "mean",
    bands=(Interval("0.1", "0.9", 80), Interval("0.3", "0.7", 40)),
)
POINT_ONLY = ForecastColumns(("item_id",), "timestamp", "yhat", "yhat")


def frame(times: object = TIMES, level: float = 10.0) -> pd.DataFrame:
    values = [level, level + 1, level + 2]
    return pd.DataFrame(
        {
            "timestamp": times,
            "mean": values,
            "yhat": values,
            "0.1": [v - 2 for v in values],
            "0.9": [v + 2 for v in values],
            "0.3": [v - 1 for v in values],
            "0.7": [v + 1 for v in values],
        }
    )


def names(figure: go.Figure) -> list[str]:
    return [trace.name for trace in figure.data if trace.showlegend is not False]


def test_each_run_draws_its_point_and_only_its_widest_band_in_its_own_colour() -> None:
    runs = [
        ChartRun("A · chronos_small", frame(), BANDED),
        ChartRun("B · 7b1e44aa", frame(), BANDED),
    ]
    figure = overlay_figure("store_1", runs).figure
    assert names(figure) == [
        "A · chronos_small · 80% interval",
        "A · chronos_small",
        "B · 7b1e44aa · 80% interval",
        "B · 7b1e44aa",
    ]
    points = [trace for trace in figure.data if trace.mode == "lines+markers"]
    assert [trace.line.color for trace in points] == [run_colour(0), run_colour(1)]
    bands = [trace for trace in figure.data if trace.fill == "tonexty"]
    assert bands[0].fillcolor.startswith("rgba(0,114,178,")  # run A's blue, faint
    assert bands[1].fillcolor.startswith("rgba(230,159,0,")  # run B's orange
    assert list(bands[0].y) == [8.0, 9.0, 10.0]  # the 80% band's lower edge, not the 40% one


def test_a_run_without_bands_draws_its_point_only() -> None:
    runs = [ChartRun("A", frame(), BANDED), ChartRun("B · prophet.csv", frame(), POINT_ONLY)]
    assert names(overlay_figure("x", runs).figure) == ["A · 80% interval", "A", "B · prophet.csv"]


def test_history_is_drawn_once_as_a_line_and_actuals_as_points() -> None:
    before = pd.date_range(end="2025-12-31", periods=HISTORY_POINTS + 50, freq="D")
    times = [*before, TIMES[0], TIMES[1]]
    observed = pd.DataFrame({ITEM: "x", TIME: times, VALUE: range(len(times))})
    runs = [ChartRun("A", frame(), BANDED), ChartRun("B", frame(), BANDED)]
    figure = overlay_figure("x", runs, observed).figure
    history = [trace for trace in figure.data if trace.name == "history"]
    actuals = [trace for trace in figure.data if trace.name == "actuals"]
    assert len(history) == 1
    assert len(history[0].x) == HISTORY_POINTS  # the latest ones, not years of them
    assert actuals[0].mode == "markers"
    assert actuals[0].marker.color == OBSERVED_COLOUR
    assert len(actuals[0].x) == 2


def test_a_run_whose_times_cannot_share_the_axis_is_named_not_drawn() -> None:
    steps = ChartRun("C · steps.csv", frame(times=[1, 2, 3]), POINT_ONLY)
    overlay = overlay_figure("x", [ChartRun("A", frame(), BANDED), steps])
    assert overlay.not_drawn == ("C · steps.csv",)
    assert "C · steps.csv" not in names(overlay.figure)


def test_zoned_times_are_drawn_on_the_first_runs_clock() -> None:
    zoned = frame(times=pd.date_range("2026-01-01T01:00", periods=3, freq="D", tz="+01:00"))
    figure = overlay_figure("x", [ChartRun("A", frame(), BANDED), ChartRun("B", zoned, BANDED)])
    point_b = next(trace for trace in figure.figure.data if trace.name == "B")
    assert pd.Timestamp(point_b.x[0]) == TIMES[0]


def test_labels_and_items_from_files_are_shown_literally() -> None:
    run = ChartRun("B · <a href='x'>f</a>.csv", frame(), POINT_ONLY)
    figure = overlay_figure("<b>item</b>", [ChartRun("A", frame(), BANDED), run]).figure
    assert "B · &lt;a href='x'&gt;f&lt;/a&gt;.csv" in names(figure)
    assert figure.layout.title.text == "&lt;b&gt;item&lt;/b&gt;"


def test_elapsed_bars_say_unknown_where_the_api_gave_no_time() -> None:
    figure = elapsed_figure(["A", "B"], [42.0, None])
    (bars,) = figure.data
    assert list(bars.x) == [42.0, 0]
    assert list(bars.text) == ["42.0 s", "unknown"]
    assert list(bars.marker.color) == [run_colour(0), run_colour(1)]
