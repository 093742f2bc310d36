"""Giving columns their roles: series, time, values, dimensions and what is ignored."""

from __future__ import annotations

import pytest

from dashboard.forecasts.forecast_columns import Roles, assign_roles
from dashboard.forecasts.forecast_data import ForecastCsvError, ReadOptions
from dashboard.forecasts.forecast_dialect import sniff_layout


def roles(text: str, **options: object) -> Roles:
    chosen = ReadOptions(**options)  # type: ignore[arg-type]
    return assign_roles(sniff_layout(text.encode(), chosen), chosen)


def test_ids_are_series_and_other_text_columns_are_dimensions() -> None:
    found = roles("store_id,date,region,mean,note\n1,2024-01-01,north,2,ok\n")
    assert (found.series, found.time, found.dimensions) == (
        ("store_id",),
        "date",
        ("region", "note"),
    )


def test_a_target_column_of_numbers_is_no_series() -> None:
    found = roles("item_id,timestamp,target,mean\nA,2024-01-01,5,6\n")
    assert (found.dimensions, found.ignored) == ((), ("target",))


def test_an_unnamed_column_of_dates_is_the_time() -> None:
    assert roles(",pred\n2024-01-01,1\n").time == "(unnamed column 1)"


def test_a_time_named_column_wins_over_an_index_of_row_numbers() -> None:
    found = roles(",ds,yhat\n0,2024-01-01,1\n")
    assert (found.time, found.ignored) == ("ds", ("(unnamed column 1)",))


def test_chosen_columns_replace_the_guess() -> None:
    found = roles("a,b,c,d\nx,2024-01-01,1,2\n", series=("a",), time="b", point="d")
    assert (found.series, found.time, found.values.point, found.ignored) == (
        ("a",),
        "b",
        "d",
        ("c",),
    )


def test_a_chosen_column_that_does_not_exist_is_refused_listing_the_columns() -> None:
    with pytest.raises(ForecastCsvError, match=r"no column 'when'.*a, b"):
        roles("a,b\n2024-01-01,1\n", time="when")


def test_a_repeated_column_name_is_refused() -> None:
    with pytest.raises(ForecastCsvError, match="'mean' appears more than once"):
        roles("item_id,date,mean,mean\nA,2024-01-01,1,2\n")


def test_a_multi_row_header_that_yields_no_values_is_refused_naming_the_header() -> None:
    with pytest.raises(ForecastCsvError, match=r"No forecast values.*joined from a 2-line header"):
        roles(",a,a\n,x,y\n2024-01-01,p,q\n")


def test_a_file_without_number_columns_is_refused_listing_its_columns() -> None:
    with pytest.raises(ForecastCsvError, match=r"No forecast values found among date, comment"):
        roles("date,comment\n2024-01-01,hello\n")


def test_a_wrong_separator_is_named_when_the_names_hold_another() -> None:
    with pytest.raises(ForecastCsvError, match=r"No time column.*hold ';'.*instead of ','"):
        roles("item_id;date;mean\nA;2024-01-01;1\n", separator=",")
