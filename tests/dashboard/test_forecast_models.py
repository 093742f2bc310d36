"""Choosing the value columns: named ones first, then one model of several, then a lone number."""

from __future__ import annotations

import pytest

from dashboard.forecasts.forecast_data import ForecastCsvError, Interval, ReadOptions
from dashboard.forecasts.forecast_models import choose_values

NIXTLA = ["AutoETS", "AutoETS-lo-80", "AutoETS-hi-80", "Naive", "Naive-lo-80", "Naive-hi-80"]


def test_the_first_model_is_read_and_the_others_offered() -> None:
    values = choose_values(NIXTLA, set(NIXTLA), ReadOptions())
    assert (values.point, values.models, values.model) == (
        "AutoETS",
        ("AutoETS", "Naive"),
        "AutoETS",
    )
    assert values.bands == (Interval("AutoETS-lo-80", "AutoETS-hi-80", 80),)
    assert set(values.other_models) == {"Naive", "Naive-lo-80", "Naive-hi-80"}


def test_a_chosen_model_is_read_instead() -> None:
    values = choose_values(NIXTLA, set(NIXTLA), ReadOptions(model="Naive"))
    assert (values.point, values.bands[0].lower) == ("Naive", "Naive-lo-80")


def test_a_model_not_in_the_file_is_refused_listing_those_that_are() -> None:
    with pytest.raises(ForecastCsvError, match=r"no model 'ARIMA'.*AutoETS, Naive"):
        choose_values(NIXTLA, set(NIXTLA), ReadOptions(model="ARIMA"))


def test_one_model_is_no_choice() -> None:
    values = choose_values(["TimeGPT", "TimeGPT-q-10", "TimeGPT-q-90"], set(), ReadOptions())
    assert (values.point, values.models) == ("TimeGPT", ())
    assert values.bands == (Interval("TimeGPT-q-10", "TimeGPT-q-90", 80),)


def test_without_a_bare_model_column_its_median_is_the_point() -> None:
    values = choose_values(["NHITS-median", "NHITS-lo-90", "NHITS-hi-90"], set(), ReadOptions())
    assert (values.point, values.point_label) == ("NHITS-median", "median")


def test_observed_values_are_not_taken_for_a_forecast_beside_one() -> None:
    values = choose_values(["y", "AutoETS"], {"y", "AutoETS"}, ReadOptions())
    assert (values.point, values.models) == ("AutoETS", ())
    names = ["y", "AutoETS", "AutoETS-lo-80", "AutoETS-hi-80"]
    assert choose_values(names, set(names), ReadOptions()).models == ()


def test_a_model_written_without_bands_is_offered_beside_those_with_bands() -> None:
    names = ["AutoETS", "AutoETS-lo-80", "AutoETS-hi-80", "Naive"]
    assert choose_values(names, set(names), ReadOptions()).models == ("AutoETS", "Naive")


def test_a_lone_number_column_is_the_point_whatever_its_name() -> None:
    assert choose_values(["y"], {"y"}, ReadOptions()).point == "y"
    assert choose_values(["#Passengers"], {"#Passengers"}, ReadOptions()).point == "#Passengers"


def test_several_unknown_number_columns_are_models_to_choose_from() -> None:
    values = choose_values(["ARIMA", "ETS"], {"ARIMA", "ETS"}, ReadOptions(model="ETS"))
    assert (values.point, values.models, values.other_models) == (
        "ETS",
        ("ARIMA", "ETS"),
        ("ARIMA",),
    )


def test_sample_paths_are_refused_asking_for_quantiles() -> None:
    names = [f"sales_s{i}" for i in range(4)]
    with pytest.raises(ForecastCsvError, match="4 sample paths of 'sales'"):
        choose_values(names, set(names), ReadOptions())


def test_lower_and_upper_bounds_named_without_coverage_leave_it_unstated() -> None:
    snowflake = choose_values(["FORECAST", "LOWER_BOUND", "UPPER_BOUND"], set(), ReadOptions())
    skforecast = choose_values(["pred", "lower_bound", "upper_bound"], set(), ReadOptions())
    prophet = choose_values(["ds", "yhat", "yhat_lower", "yhat_upper"], set(), ReadOptions())
    assert [values.bands for values in (snowflake, skforecast, prophet)] == [
        (Interval("LOWER_BOUND", "UPPER_BOUND", None),),
        (Interval("lower_bound", "upper_bound", None),),
        (Interval("yhat_lower", "yhat_upper", None),),
    ]


def test_a_band_of_unstated_coverage_comes_after_the_stated_ones() -> None:
    names = ["mean", "yhat_lower", "yhat_upper", "lo-50", "hi-50", "lo-80", "hi-80"]
    bands = choose_values(names, set(), ReadOptions()).bands
    assert [band.coverage for band in bands] == [80, 50, None]


def test_bigquery_says_its_coverage_in_a_column() -> None:
    names = ["forecast_value", "confidence_level", "prediction_interval_lower_bound",
             "prediction_interval_upper_bound"]  # fmt: skip
    assert choose_values(names, set(), ReadOptions()).coverage_column == "confidence_level"


def test_r_and_excel_bands_are_paired_by_coverage_widest_first() -> None:
    r = choose_values(["Point Forecast", "Lo 80", "Hi 80", "Lo 95", "Hi 95"], set(), ReadOptions())
    assert [band.coverage for band in r.bands] == [95, 80]
    excel = ["Forecast(V)", "Lower Confidence Bound(V)", "Upper Confidence Bound(V)"]
    assert choose_values(excel, set(), ReadOptions()).bands == (
        Interval("Lower Confidence Bound(V)", "Upper Confidence Bound(V)", None),
    )


def test_chosen_point_and_bands_replace_the_guess() -> None:
    bands = (Interval("low", "high", 50),)
    values = choose_values(["mean", "p", "low", "high"], set(), ReadOptions(point="p", bands=bands))
    assert (values.point, values.bands) == ("p", bands)
