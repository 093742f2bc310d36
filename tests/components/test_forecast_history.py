"""What a fan chart draws before its forecast: observed rows on its clock, the window, the start."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

import pandas as pd
import pytest

from components.forecast.forecast_history import (
    MIN_HISTORY_POINTS,
    history_window,
    observed_rows,
    offset_zone,
    start_label,
)
from dashboard.forecasts.forecast_csv import parse_forecast_csv
from dashboard.series.observations import TIME, VALUE
from tests.components.forecasts import FORECAST, forecast, observations


def test_zoned_observations_come_back_at_the_forecasts_own_wall_clock_times() -> None:
    data = parse_forecast_csv(FORECAST.encode())
    # The same instants written in UTC: they belong at the forecast's +05:30 wall-clock times.
    utc = observations(["2024-01-01T18:30:00Z", "2024-01-02T18:30:00Z"], [9.0, 10.5])
    rows = observed_rows(data, utc, ["A"])
    assert rows["A"][TIME].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03")]
    assert rows["A"][VALUE].tolist() == [9.0, 10.5]


def test_naive_observations_are_read_as_the_forecasts_wall_clock() -> None:
    data = parse_forecast_csv(FORECAST.encode())
    naive = observations(["2024-01-02", "2024-01-03"], [9.0, 10.5])
    rows = observed_rows(data, naive, ["A"])
    assert rows["A"][TIME].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03")]


def test_items_without_observed_rows_are_left_out() -> None:
    seen = observations(["2023-12-31T23:00:00+05:30"], [9.0], "A")
    assert list(observed_rows(forecast(), seen, ["A", "B"])) == ["A"]


@pytest.mark.parametrize(
    ("offset", "zone"),
    [
        ("+05:30", timezone(timedelta(hours=5, minutes=30))),
        ("-03:00", timezone(timedelta(hours=-3))),
        ("+01", timezone(timedelta(hours=1))),
        ("Z", UTC),
        (None, None),
    ],
)
def test_offsets_as_the_reader_writes_them_become_fixed_zones(
    offset: str | None, zone: timezone | None
) -> None:
    assert offset_zone(offset) == zone


@pytest.mark.parametrize(
    ("first", "offset", "label"),
    [
        (pd.Timestamp("2024-01-03"), "+05:30", "Forecast starts 2024-01-03 00:00:00 (UTC+05:30)"),
        (
            pd.Timestamp("2024-01-03"),
            None,
            "Forecast starts 2024-01-03 00:00:00 (the forecast gives no time zone)",
        ),
        (3, None, "Forecast starts at step 3"),
    ],
)
def test_the_start_is_labelled_with_its_absolute_time_and_zone_or_its_step(
    first: object, offset: str | None, label: str
) -> None:
    assert start_label(first, offset) == label


def test_the_default_history_is_four_forecast_lengths_when_that_is_longer() -> None:
    assert history_window(24) == MIN_HISTORY_POINTS
    assert history_window(100) == 400
