"""Observed values: merging files, matching items and making times comparable."""

from __future__ import annotations

import pandas as pd

from dashboard.caching.content_budget import ContentBudget
from dashboard.caching.session_data import SessionData
from dashboard.series.observations import ITEM, TIME, VALUE, Observations, comparable_times


def _observations(rows: list[tuple[str, str, float]], source: str = "a.csv") -> Observations:
    frame = pd.DataFrame(rows, columns=[ITEM, TIME, VALUE])
    frame[TIME] = pd.to_datetime(frame[TIME])
    return Observations(frame, source)


def test_a_later_file_wins_where_two_overlap_and_both_sources_are_named() -> None:
    first = _observations([("a", "2024-01-01", 1.0), ("a", "2024-01-02", 2.0)])
    later = _observations([("a", "2024-01-02", 5.0), ("a", "2024-01-03", 6.0)], "b.csv")
    both = first.merged(later)
    assert both.frame[VALUE].tolist() == [1.0, 5.0, 6.0]
    assert both.source == "a.csv; b.csv"


def test_the_later_files_value_column_wins_and_an_unnamed_one_keeps_the_earlier() -> None:
    history = Observations(_observations([("a", "2024-01-01", 1.0)]).frame, "h.csv", None, "sales")
    named = Observations(_observations([("a", "2024-01-02", 2.0)]).frame, "b.csv", None, "units")
    unnamed = _observations([("a", "2024-01-03", 3.0)], "c.csv")
    assert history.merged(named).target_name == "units"
    assert history.merged(unnamed).target_name == "sales"


def test_items_are_listed_once_in_first_seen_order_and_kept() -> None:
    observed = _observations([("b", "2024-01-01", 1.0), ("a", "2024-01-01", 2.0)])
    assert observed.items == ["b", "a"]
    # Computed once: a chart asks for every item it draws.
    assert observed.items is observed.items


def test_a_single_series_matches_a_single_forecast_whatever_their_names() -> None:
    observed = _observations([("series", "2024-01-01", 1.0)])
    like = pd.Series(pd.to_datetime(["2024-01-02"]))
    assert len(observed.for_item("forecast", ["forecast"], like)) == 1
    assert observed.for_item("other", ["forecast", "other"], like).empty


def test_naive_observed_times_take_the_forecasts_zone_and_zoned_ones_are_converted() -> None:
    observed = _observations([("a", "2024-01-01 10:00", 1.0)])
    zoned = pd.Series(pd.to_datetime(["2024-01-01 12:00"]).tz_localize("Europe/Berlin"))
    rows = observed.for_item("a", ["a"], zoned)
    assert str(rows[TIME].iloc[0]) == "2024-01-01 10:00:00+01:00"
    utc = observed.frame.assign(**{TIME: observed.frame[TIME].dt.tz_localize("Europe/Berlin")})
    naive_forecast = pd.Series(pd.to_datetime(["2024-01-01"]))
    rows = Observations(utc, "z.csv").for_item("a", ["a"], naive_forecast)
    assert str(rows[TIME].iloc[0]) == "2024-01-01 09:00:00"


def test_times_are_made_comparable_with_another_time_column() -> None:
    zoned = pd.Series(pd.to_datetime(["2026-01-01T00:00:00+01:00"]))
    naive = pd.Series(pd.to_datetime(["2026-01-01T00:00:00"]))
    steps = pd.Series([1, 2])
    converted = comparable_times(zoned, naive)
    assert converted is not None
    assert converted.iloc[0] == pd.Timestamp("2025-12-31T23:00:00")
    assert comparable_times(steps, naive) is None
    localised = comparable_times(naive, zoned)
    assert localised is not None
    assert str(localised.iloc[0]) == "2026-01-01 00:00:00+01:00"


def test_dates_never_match_step_numbers() -> None:
    observed = _observations([("a", "2024-01-01", 1.0)])
    assert observed.for_item("a", ["a"], pd.Series([1, 2, 3])).empty


def test_the_session_merges_a_jobs_input_with_files_attached_later() -> None:
    data = SessionData.start("api token", lambda *_: None, ContentBudget(1024))  # type: ignore[arg-type]
    assert data.observed("job") is None
    data.attach("job", _observations([("a", "2024-01-01", 1.0)]))
    data.attach("job", _observations([("a", "2024-01-02", 2.0)], "b.csv"))
    observed = data.observed("job")
    assert observed is not None
    assert observed.frame[VALUE].tolist() == [1.0, 2.0]


def test_one_series_on_one_item_is_that_item_and_many_are_filtered_by_id() -> None:
    times = [pd.Timestamp("2024-01-01")] * 2
    one = Observations(pd.DataFrame({ITEM: ["forecast"] * 2, TIME: times, VALUE: 1.0}), "f")
    assert one.on_items(["co2"]).items == ["co2"]
    assert one.on_items(["a", "b"]).frame.empty
    many = Observations(pd.DataFrame({ITEM: ["a", "b"], TIME: times, VALUE: 1.0}), "f")
    assert many.on_items(["b"]).items == ["b"]
    assert many.on_items(["c"]).frame.empty
