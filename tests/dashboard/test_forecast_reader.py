"""Reading whole files: series split by every column that names them, never merged."""

from __future__ import annotations

import pytest

from dashboard.forecasts.forecast_data import ForecastCsvError, ReadOptions
from dashboard.forecasts.forecast_reader import read_forecast

LONG_MODELS = b"""unique_id,ds,model,forecast
A,2024-01-01,ets,1
A,2024-01-01,arima,2
A,2024-01-02,ets,3
A,2024-01-02,arima,4
"""


def test_series_sharing_item_and_time_are_split_by_the_column_that_tells_them_apart() -> None:
    content = b"item_id,date,location,p50\nA,2024-01-01,north,1\nA,2024-01-01,south,100\n"
    data = read_forecast(content)
    assert data.items == ["A · north", "A · south"]
    assert data.columns.series == ("item_id", "location")
    assert [data.duplicate_times(item) for item in data.items] == [0, 0]


def test_a_text_column_with_one_value_splits_nothing_and_is_ignored() -> None:
    data = read_forecast(b"item_id,date,unit,mean\nA,2024-01-01,kg,1\nA,2024-01-02,kg,2\n")
    assert (data.items, data.columns.ignored) == (["A"], ("unit",))


def test_a_model_column_offers_its_models_and_splits_them_until_one_is_chosen() -> None:
    data = read_forecast(LONG_MODELS)
    assert (data.columns.models, data.items) == (("ets", "arima"), ["A · arima", "A · ets"])
    assert "model: each its own series of ets, arima" in data.read_as()
    chosen = read_forecast(LONG_MODELS, ReadOptions(model="ets"))
    assert (chosen.items, chosen.columns.model, chosen.columns.series) == (
        ["A"],
        "ets",
        ("unique_id",),
    )
    assert chosen.item_frame("A")["forecast"].tolist() == [1.0, 3.0]


def test_a_model_not_in_the_model_column_is_refused_listing_the_models() -> None:
    with pytest.raises(ForecastCsvError, match=r"no model 'naive' in column 'model'.*ets, arima"):
        read_forecast(LONG_MODELS, ReadOptions(model="naive"))


def test_rows_repeating_a_time_with_nothing_to_split_them_are_noted() -> None:
    data = read_forecast(b"item_id,date,mean\nA,2024-01-01,1\nA,2024-01-01,2\n")
    assert data.duplicate_times("A") == 1
    assert "1 row(s) repeat a time" in data.read_as()


def test_bigquerys_confidence_level_column_gives_the_band_its_coverage() -> None:
    content = (
        b"forecast_timestamp,forecast_value,confidence_level,prediction_interval_lower_bound,"
        b"prediction_interval_upper_bound\n2024-01-01 00:00:00 UTC,10,0.8,8,12\n"
    )
    band = read_forecast(content).columns.bands[0]
    assert band.coverage == 80


def test_only_the_columns_with_a_role_are_kept() -> None:
    content = b",ds,trend,yhat,yhat_lower,yhat_upper\n0,2024-01-01,5,1,0,2\n"
    data = read_forecast(content)
    assert list(data.frame.columns) == ["ds", "yhat", "yhat_lower", "yhat_upper"]
    assert data.columns.ignored == ("(unnamed column 1)", "trend")


def test_a_blank_series_id_names_its_line() -> None:
    with pytest.raises(ForecastCsvError, match="series column 'item_id' is empty on line 3"):
        read_forecast(b"item_id,date,mean\nA,2024-01-01,1\n,2024-01-02,2\n")
