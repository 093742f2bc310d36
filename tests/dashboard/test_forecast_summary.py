"""Ranking items by relative uncertainty and by change from the first to the last step."""

from __future__ import annotations

import math

from dashboard.forecasts.forecast_csv import ForecastData, parse_forecast_csv
from dashboard.forecasts.forecast_summary import (
    FLAT,
    FROM_ZERO,
    MISSING,
    ONE_STEP,
    largest_change,
    point_values,
    unchanged,
    widest_uncertainty,
)

HEADER = "item_id,timestamp,mean,0.1,0.9"


def forecast(*rows: str, header: str = HEADER) -> ForecastData:
    return parse_forecast_csv(("\n".join([header, *rows]) + "\n").encode())


def test_items_are_ranked_by_interval_width_relative_to_their_level() -> None:
    data = forecast(
        "narrow,2024-01-01,100,95,105",
        "narrow,2024-01-02,100,95,105",
        "wide,2024-01-01,10,5,15",
        "wide,2024-01-02,10,5,15",
    )
    table = widest_uncertainty(data)
    assert table["item"].tolist() == ["wide", "narrow"]
    assert table["relative_width"].tolist() == [1.0, 0.1]
    assert table["interval"].tolist() == ["80%", "80%"]


def test_a_series_around_zero_is_ranked_last_instead_of_dividing_by_zero() -> None:
    data = forecast(
        "zero,2024-01-01,0,-1,1",
        "zero,2024-01-02,0,-1,1",
        "some,2024-01-01,10,9,11",
    )
    table = widest_uncertainty(data)
    assert table["item"].tolist() == ["some", "zero"]
    assert math.isnan(table["relative_width"].iloc[1])
    assert table["mean_width"].iloc[1] == 2.0


def test_without_symmetric_quantiles_there_is_no_uncertainty_ranking() -> None:
    data = forecast("a,2024-01-01,1", header="item_id,timestamp,mean")
    assert widest_uncertainty(data).empty


def test_change_is_measured_from_first_to_last_step_in_time_order() -> None:
    data = forecast(
        "up,2024-01-03,20,0,0",
        "up,2024-01-01,10,0,0",
        "up,2024-01-02,99,0,0",
        "down,2024-01-01,100,0,0",
        "down,2024-01-02,90,0,0",
    )
    table = largest_change(data)
    assert table["item"].tolist() == ["up", "down"]
    assert table[["first", "last", "change", "relative"]].iloc[0].tolist() == [10, 20, 10, 1.0]
    assert table["relative"].iloc[1] == -0.1


def test_a_change_from_zero_is_ranked_by_its_absolute_size_after_relative_ones() -> None:
    data = forecast(
        "from_zero,2024-01-01,0,0,0",
        "from_zero,2024-01-02,50,0,0",
        "small,2024-01-01,10,0,0",
        "small,2024-01-02,11,0,0",
    )
    table = largest_change(data, top=1)
    assert table["item"].tolist() == ["small"]
    assert largest_change(data)["change"].tolist() == [1.0, 50.0]


def test_without_a_mean_the_middle_of_the_widest_interval_is_the_point() -> None:
    data = forecast("a,2024-01-01,2,4", header="item_id,timestamp,q25,q75")
    assert point_values(data).tolist() == [3.0]


def test_a_forecast_flat_for_every_item_says_so_instead_of_ranking_zeros() -> None:
    data = forecast(
        "a,2024-01-01,5,0,0",
        "a,2024-01-02,5.000000000001,0,0",
        "b,2024-01-01,7,0,0",
        "b,2024-01-02,7,0,0",
    )
    table = largest_change(data)
    assert table["note"].tolist() == [FLAT, FLAT]
    assert table["relative"].tolist() == [0.0, 0.0]
    reason = unchanged(table)
    assert reason is not None
    assert "flat" in reason


def test_flat_items_rank_after_changes_from_zero_and_say_why() -> None:
    data = forecast(
        "flat,2024-01-01,5,0,0",
        "flat,2024-01-02,5,0,0",
        "from_zero,2024-01-01,0,0,0",
        "from_zero,2024-01-02,3,0,0",
        "up,2024-01-01,10,0,0",
        "up,2024-01-02,11,0,0",
    )
    table = largest_change(data)
    assert table["item"].tolist() == ["up", "from_zero", "flat"]
    assert table["note"].tolist() == ["", FROM_ZERO, FLAT]
    assert math.isnan(table["relative"].iloc[1])
    assert unchanged(table) is None


def test_negative_values_change_relative_to_their_size_with_the_sign_of_the_change() -> None:
    data = forecast(
        "deeper,2024-01-01,-10,0,0",
        "deeper,2024-01-02,-15,0,0",
        "crossing,2024-01-01,-10,0,0",
        "crossing,2024-01-02,10,0,0",
    )
    table = largest_change(data)
    assert table["item"].tolist() == ["crossing", "deeper"]
    assert table["relative"].tolist() == [2.0, -0.5]


def test_a_missing_first_or_last_value_ranks_last_and_is_named() -> None:
    data = forecast(
        "gap,2024-01-01,1,0,0",
        "gap,2024-01-02,,0,0",
        "inf,2024-01-01,inf,0,0",
        "inf,2024-01-02,4,0,0",
        "up,2024-01-01,10,0,0",
        "up,2024-01-02,12,0,0",
    )
    table = largest_change(data)
    assert table["item"].tolist()[0] == "up"
    assert table["relative"].iloc[0] == 0.2  # one infinite value does not make 10 count as 0
    assert table["note"].tolist()[1:] == [MISSING, MISSING]


def test_single_step_items_have_no_change_to_measure() -> None:
    data = forecast("a,2024-01-01,1,0,0", "b,2024-01-01,,0,0")
    table = largest_change(data)
    assert sorted(table["note"]) == sorted([ONE_STEP, MISSING])
    reason = unchanged(table)
    assert reason is not None
    assert "one step only" in reason


def test_the_widest_interval_of_unstated_coverage_is_said_so() -> None:
    data = forecast(
        "a,2024-01-01,100,95,105", header="item_id,timestamp,yhat,yhat_lower,yhat_upper"
    )
    assert widest_uncertainty(data)["interval"].tolist() == ["coverage not stated"]
