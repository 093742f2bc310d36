"""What a read forecast says about itself: its bands, its value columns, its "read as" line."""

from __future__ import annotations

from dashboard.forecasts.forecast_csv import parse_forecast_csv
from dashboard.forecasts.forecast_data import ForecastColumns, Interval


def test_intervals_keep_the_old_tuple_shape_widest_first() -> None:
    columns = ForecastColumns(
        ("id",), "date", "mean", "mean", bands=(Interval("lo", "hi", 95), Interval("a", "b", 80))
    )
    assert columns.intervals() == [("lo", "hi", 95), ("a", "b", 80)]
    assert columns.value_columns == ["mean", "lo", "hi", "a", "b"]


def test_a_single_series_has_no_item_column() -> None:
    assert ForecastColumns((), "ds", "yhat", "yhat").item == ""


def test_the_read_as_line_names_every_role_and_what_was_ignored() -> None:
    content = (
        "\ufeffunique_id;ds;y;AutoETS;AutoETS-lo-80;AutoETS-hi-80;Naive\n"
        "A;31/01/2024;1,5;1,5;1,0;2,0;1,4\n"
    ).encode()
    line = parse_forecast_csv(content).read_as()
    assert line == (
        "series: unique_id (1); time: ds (datetime, day first); point: AutoETS; "
        "bands: AutoETS-lo-80 to AutoETS-hi-80 (80%); model: AutoETS of AutoETS, Naive; "
        "separator ';', decimal ','; ignored: y"
    )


def test_the_read_as_line_says_when_coverage_is_not_stated_and_times_are_utc() -> None:
    content = (
        b"ds,yhat,yhat_lower,yhat_upper\n"
        b"2024-03-31T01:00+01:00,1,0,2\n2024-03-31T03:00+02:00,1,0,2\n"
    )
    line = parse_forecast_csv(content).read_as()
    assert "time: ds (datetime, offset UTC)" in line
    assert "yhat_lower to yhat_upper (coverage not stated)" in line
    assert line.startswith("series: none (one series) (1)")
