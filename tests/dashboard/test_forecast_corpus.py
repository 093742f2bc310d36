"""Each file of tests/data/forecasts read the way its tool meant it, or refused with its cause."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.forecasts.forecast_csv import main

CORPUS = Path(__file__).resolve().parents[1] / "data" / "forecasts"
NOT_FORECASTS = {"generate.py", "README.md"}


@dataclass(frozen=True)
class Read:
    """What the command must say about a file it can chart."""

    file: str
    series: tuple[str, ...]
    time: str
    point: str | None
    coverages: tuple[int | None, ...]
    items: int
    first_id: str
    first_time: str | int
    first_point: float | None
    models: tuple[str, ...] = ()
    args: tuple[str, ...] = ()


UNNAMED = "(unnamed column 1)"
MIDNIGHT_2026 = "2026-01-01T00:00:00"
READ = [
    Read("amazon_forecast_export.csv", ("item_id", "location"), "date", "p50", (80,), 3,
         "item_001 · new_york", "2019-12-31T00:00:00+00:00", 25.02),
    Read("autogluon_predict.csv", ("item_id",), "timestamp", "mean", (80, 60, 40, 20), 2, "H1",
         "1750-01-30T04:00:00", 620.41),
    Read("bigquery_ml_forecast.csv", ("store_id",), "forecast_timestamp", "forecast_value", (90,),
         2, "1", "2024-01-01T00:00:00+00:00", 1024.5),
    Read("chronos2_predict_df.csv", ("id", "target_name"), "timestamp", "predictions", (80,), 4,
         "store_1 · returns", "2024-01-08T00:00:00", 7.1),
    Read("darts_predict.csv", (), "Month", "#Passengers", (), 1, "forecast", MIDNIGHT_2026,
         135.5244632700079),
    Read("darts_quantiles.csv", (), "Month", "#Passengers_q0.500", (80,), 1, "forecast",
         MIDNIGHT_2026, 135.46365579363493),
    Read("epoch_milliseconds.csv", ("unique_id",), "ds", "model_x", (), 1, "m1",
         "2024-01-01T00:00:00", 2.5),
    Read("epoch_seconds.csv", ("series_id",), "time", "forecast", (), 1, "s1",
         "2024-01-01T00:00:00", 5.5),
    Read("excel_european.csv", ("item_id",), "date", "mean", (80,), 2, "0042",
         "2024-01-13T00:00:00", 1234.5),
    Read("excel_forecast_sheet_us.csv", (), "Timeline", "Forecast(Values)", (None,), 1, "forecast",
         "2024-01-10T00:00:00", None),
    Read("excel_unicode_text.txt", ("item_id",), "date", "forecast", (), 1, "A",
         "2024-01-31T00:00:00", 1.5),
    Read("integer_steps.csv", ("item_id",), "step", "mean", (80,), 2, "A", 1, 10.0),
    Read("iso_offsets_summer_time.csv", ("item_id",), "timestamp", "mean", (), 1, "A",
         "2024-03-30T23:00:00+00:00", 1.0),
    Read("mlforecast_levels.csv", ("unique_id",), "ds", "LinearRegression", (80,), 2, "007",
         MIDNIGHT_2026, 136.34552858240426),
    Read("neuralforecast_mqloss.csv", ("unique_id",), "ds", "NHITS-median", (90, 80), 1,
         "Airline1", "1960-01-31T00:00:00", 421.3),
    Read("prophet_predict.csv", (), "ds", "yhat", (None,), 1, "forecast", MIDNIGHT_2026,
         136.283116619175),
    Read("r_forecast_annual.csv", (), UNNAMED, "Point Forecast", (95, 80), 1, "forecast", 2021,
         14.52),
    Read("r_forecast_monthly.csv", (), UNNAMED, "Point Forecast", (95, 80), 1, "forecast",
         "1961-01-01T00:00:00", 441.7479),
    Read("rfc1123.csv", (), "date", "forecast", (95,), 1, "forecast",
         "2024-01-01T00:00:00+00:00", 20.0),
    Read("skforecast_interval.csv", (), UNNAMED, "pred", (None,), 1, "forecast", MIDNIGHT_2026,
         135.87615234260693),
    Read("skforecast_multiseries.csv", ("level",), UNNAMED, "pred", (None,), 2, "store_A",
         MIDNIGHT_2026, 136.94360849952636),
    Read("skforecast_quantiles.csv", (), UNNAMED, "q_0.5", (90,), 1, "forecast", MIDNIGHT_2026,
         135.84978373178294),
    Read("sktime_interval.csv", (), UNNAMED, None, (95, 80), 1, "forecast", MIDNIGHT_2026, None),
    Read("sktime_predict.csv", (), UNNAMED, "sales", (), 1, "forecast", MIDNIGHT_2026,
         135.6742461764025),
    Read("sktime_quantiles.csv", (), UNNAMED, None, (80,), 1, "forecast", MIDNIGHT_2026, None),
    Read("snowflake_forecast.csv", ("SERIES",), "TS", "FORECAST", (None,), 2, "store_1",
         "2024-01-01T00:00:00", 151.2),
    Read("statsforecast_cross_validation.csv", ("unique_id", "cutoff"), "ds", "AutoETS", (), 4,
         "007 · 2025-09-01", "2025-10-01T00:00:00", 127.8349162125762, ("AutoETS", "Naive")),
    Read("statsforecast_levels.csv", ("unique_id",), "ds", "AutoETS", (95, 80), 2, "007",
         MIDNIGHT_2026, 135.460804191969, ("AutoETS", "Naive")),
    Read("statsforecast_levels.csv", ("unique_id",), "ds", "Naive", (95, 80), 2, "007",
         MIDNIGHT_2026, 132.85537270903993, ("AutoETS", "Naive"), ("--model", "Naive")),
    Read("timegpt_quantiles.csv", ("unique_id",), "ds", "TimeGPT", (80,), 2, "BE",
         "2016-12-31T00:00:00", 45.19),
    Read("timesfm_forecast_on_df.csv", ("unique_id",), "ds", "timesfm", (80, 60, 40, 20), 2,
         "T1", "2024-01-01T00:00:00", 10.5),
    Read("uk_dayfirst_ambiguous.csv", ("series",), "date", "forecast", (), 1, "A",
         "2024-02-01T00:00:00", 10.0, (), ("--dayfirst",)),
    Read("uk_dayfirst_ambiguous.csv", ("series",), "date", "forecast", (), 1, "A",
         "2024-01-02T00:00:00", 10.0, (), ("--monthfirst",)),
    Read("prophet_predict.csv", (), "ds", "yhat", (50,), 1, "forecast", MIDNIGHT_2026,
         136.283116619175, (), ("--band", "trend_lower,trend_upper,50")),
    Read("amazon_forecast_export.csv", ("item_id",), "date", "p50", (80,), 2, "item_001",
         "2019-12-31T00:00:00+00:00", 12.11, (), ("--series", "item_id")),
    Read("refused_epoch_unit.csv", ("item_id",), "ts", "mean", (), 1, "A", 5000000, 1.0, (),
         ("--integers", "step")),
]  # fmt: skip
REFUSED = [
    ("darts_samples.csv", "sample paths of '#Passengers'.*Write quantiles"),
    ("refused_dates_in_both_orders.csv", "no one date order reads them all"),
    ("refused_epoch_unit.csv", "fit no one epoch unit.*--integers"),
    ("refused_no_time_column.csv", "No time column found.*Choose the time column"),
    ("refused_one_column.csv", "one single column with every separator tried"),
    ("refused_zone_and_no_zone.csv", "mixes times with a zone.*and without one"),
    ("uk_dayfirst_ambiguous.csv", "day first or month first.*Choose the date order"),
]


def command(
    file: str, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    """What `python3 -m dashboard.forecasts.forecast_csv FILE ARGS` prints: one JSON line."""
    status = main([str(CORPUS / file), *args])
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    answer: dict[str, object] = json.loads(out)
    assert status == (0 if answer["ok"] else 2)
    return answer


@pytest.mark.parametrize("expected", READ, ids=lambda read: f"{read.file}{' '.join(read.args)}")
def test_each_tool_file_is_read_as_its_tool_meant_it(
    expected: Read, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = command(expected.file, expected.args, capsys)
    intervals: list[dict[str, object]] = answer["intervals"]  # type: ignore[assignment]
    assert answer["ok"] is True
    assert (answer["series_columns"], answer["time_column"], answer["point_column"]) == (
        list(expected.series),
        expected.time,
        expected.point,
    )
    assert [band["coverage"] for band in intervals] == list(expected.coverages)
    assert (answer["items"], answer["models"]) == (expected.items, list(expected.models))
    first: dict[str, object] = answer["first_series"]  # type: ignore[assignment]
    assert (first["id"], first["first_time"], first["first_point"]) == (
        expected.first_id,
        expected.first_time,
        expected.first_point,
    )
    assert answer["time_kind"] == ("step" if isinstance(expected.first_time, int) else "datetime")


@pytest.mark.parametrize(("file", "cause"), REFUSED)
def test_each_refused_file_is_refused_naming_the_cause(
    file: str, cause: str, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = command(file, (), capsys)
    assert answer["ok"] is False
    assert set(answer) == {"ok", "error"}
    assert re.search(cause, str(answer["error"]))


def test_every_file_of_the_corpus_is_checked() -> None:
    files = {path.name for path in CORPUS.iterdir()} - NOT_FORECASTS
    checked = {read.file for read in READ} | {file for file, _ in REFUSED}
    assert files == checked
