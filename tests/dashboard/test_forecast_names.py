"""Column names as forecasting tools write them: quantile levels, bands, models' parts."""

from __future__ import annotations

import pytest

from dashboard.forecasts.forecast_names import (
    Part,
    excel_part,
    name_part,
    quantile_level,
    unlabelled_bands,
)


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("0.1", 0.1),
        (".1", 0.1),
        ("0,1", 0.1),
        ("q10", 0.1),
        ("Q0.75", 0.75),
        ("p10", 0.1),
        ("p2.5", 0.025),
        ("quantile_0.1", 0.1),
        ("q_0.05", 0.05),
        ("10%", 0.1),
    ],
)
def test_quantile_columns_are_found_in_every_naming(name: str, level: float) -> None:
    assert quantile_level(name) == pytest.approx(level)


@pytest.mark.parametrize("name", ["10", "mean", "q", "1.5", "p0", "item_10", "200%", "0.0"])
def test_names_that_are_not_quantiles_have_no_level(name: str) -> None:
    assert quantile_level(name) is None


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("AutoETS-lo-80", Part("AutoETS", side="lower", coverage=80)),
        ("AutoETS-hi-97.5", Part("AutoETS", side="upper", coverage=97.5)),
        ("TimeGPT-q-10", Part("TimeGPT", level=0.1)),
        ("timesfm-q-0.9", Part("timesfm", level=0.9)),
        ("#Passengers_q0.100", Part("#Passengers", level=0.1)),
        ("sales 0.9", Part("sales", level=0.9)),
        ("sales 0.95 upper", Part("sales", side="upper", coverage=95)),
        ("NHITS-median", Part("NHITS", level=0.5, median=True)),
        ("Lo 80", Part("", side="lower", coverage=80)),
        ("upper_95", Part("", side="upper", coverage=95)),
    ],
)
def test_a_name_says_which_model_and_which_quantile_or_band_edge(name: str, part: Part) -> None:
    assert name_part(name) == part


@pytest.mark.parametrize("name", ["Point Forecast", "item_10", "trend_lower", "yhat_upper"])
def test_names_without_a_model_part_have_none(name: str) -> None:
    assert name_part(name) is None


def test_excel_forecast_sheet_names_are_recognised_in_any_case() -> None:
    assert excel_part("Forecast(Sales)") == ("point", None)
    assert excel_part("lower confidence bound(Sales)") == ("band", "lower")
    assert excel_part("Sales") is None


def test_bands_named_without_coverage_are_found_without_one() -> None:
    names = ["ds", "yhat", "yhat_lower", "yhat_upper", "trend_lower", "trend_upper"]
    assert unlabelled_bands(names) == [("yhat_lower", "yhat_upper")]
    bigquery = ["prediction_interval_lower_bound", "prediction_interval_upper_bound"]
    assert unlabelled_bands([*bigquery, "LOWER_BOUND", "UPPER_BOUND"]) == [tuple(bigquery)]
