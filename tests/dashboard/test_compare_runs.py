"""The runs a comparison holds: the job list of a link, labels, matching items, times on one
axis, actuals merged, and the readings kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from dashboard.analysis.accuracy import score
from dashboard.analysis.comparison_runs import (
    MAX_JOBS,
    ForecastShelf,
    Run,
    job_label,
    job_list,
    match_items,
    merged,
    of_items,
    one_series_named,
    truth_on,
)
from dashboard.forecasts.forecast_data import SINGLE_SERIES, ForecastColumns, ForecastData
from dashboard.forecasts.forecast_reader import read_forecast
from dashboard.isolation.isolated_reading import read_series_table, series_observations
from dashboard.series.observations import ITEM, TIME, VALUE, Observations, StartedForecast

ID_A = "3f2a9c1d-0000-4000-8000-000000000001"
ID_B = "7b1e44aa-0000-4000-8000-000000000002"


def observed(source: str, value: float) -> Observations:
    frame = pd.DataFrame({ITEM: ["x"], TIME: [pd.Timestamp("2026-01-01")], VALUE: [value]})
    return Observations(frame, source)


# The job list of a link


def test_a_link_keeps_valid_distinct_jobs_in_order() -> None:
    listed = job_list([ID_B, ID_A, ID_B])
    assert listed.job_ids == [ID_B, ID_A]
    assert listed.dropped == []


def test_bad_job_ids_are_named_with_the_rule_they_break() -> None:
    listed = job_list([ID_A, "../secrets", "", ID_B])
    assert listed.job_ids == [ID_A, ID_B]
    assert "'../secrets'" in listed.dropped[0]
    assert "slash" in listed.dropped[0]
    assert "empty" in listed.dropped[1]


def test_jobs_past_the_limit_are_dropped_and_said() -> None:
    ids = [f"job-{n}" for n in range(MAX_JOBS + 2)]
    listed = job_list(ids)
    assert listed.job_ids == ids[:MAX_JOBS]
    assert len(listed.dropped) == 2
    assert f"at most {MAX_JOBS}" in listed.dropped[0]


def test_a_job_is_labelled_by_its_preset_when_this_session_started_it() -> None:
    history = observed("sales.csv", 1.0)
    sent = StartedForecast(ID_A, {"Preset": "chronos_tiny"}, "abc", history, datetime.now(UTC))
    assert job_label(0, ID_A, sent) == "A · chronos_tiny"
    assert job_label(1, ID_B, None) == "B · 7b1e44aa"


# Matching items


def test_items_are_matched_by_id_and_the_missing_ones_listed_per_run() -> None:
    match = match_items({"A": ["x", "y", "z"], "B": ["z", "y", "w"], "C": ["y", "z"]})
    assert match.shared == ["y", "z"]
    assert match.missing == {"A": ["w"], "B": ["x"], "C": ["x", "w"]}


def test_runs_with_the_same_items_miss_none() -> None:
    match = match_items({"A": ["x", "y"], "B": ["y", "x"]})
    assert match.shared == ["x", "y"]
    assert match.missing == {}


def test_runs_sharing_nothing_have_no_shared_item() -> None:
    assert match_items({"A": ["x"], "B": ["y"]}).shared == []


# Times on one axis, actuals merged, and the readings kept


def test_runs_are_scored_on_their_shared_items_only_keeping_what_labels_the_values() -> None:
    frame = pd.DataFrame({ITEM: ["x", "y"], TIME: [pd.Timestamp("2026-01-01")] * 2, VALUE: 1.0})
    truth = Observations(frame, "actuals.csv", unit="MWh", target_name="load")
    shared = of_items(truth, ["y"])
    assert shared.items == ["y"]
    assert (shared.source, shared.unit, shared.target_name) == ("actuals.csv", "MWh", "load")


def reading(rows: int) -> ForecastData:
    frame = pd.DataFrame({"item_id": ["x"] * rows, "timestamp": range(rows), "mean": 1.0})
    columns = ForecastColumns(("item_id",), "timestamp", "mean", "mean")
    return ForecastData(frame, columns, {"x": (0, rows)}, items=["x"])


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_shelf_keeps_readings_within_its_budget(rows: int) -> None:
    shelf = ForecastShelf("api token", budget=20_000)
    small = reading(10)
    shelf.kept["a"] = small
    assert shelf.room_for(reading(rows)) is (rows == 10)
    shelf.keep_only(["b"])
    assert shelf.kept == {}


def test_actuals_merge_with_the_later_winning_and_none_given_is_none() -> None:
    truth = merged([observed("job", 1.0), None, observed("page file", 2.0)])
    assert truth is not None
    assert list(truth.frame[VALUE]) == [2.0]
    assert truth.source == "job; page file"
    assert merged([None, None]) is None


# The single-series layout: a file without an item column


MONTHS = pd.date_range("2024-01-01", periods=6, freq="MS")


def co2_forecast() -> ForecastData:
    """A job's forecast of one named series, as the demo's CO2 job has."""
    frame = pd.DataFrame(
        {"item_id": "mauna_loa_co2", "timestamp": MONTHS, "mean": range(6), "0.1": 0.0}
    )
    return read_forecast(frame.to_csv(index=False).encode())


def unnamed_actuals() -> Observations:
    """A two-column file (time, value) read as the pages read it: in a worker, columns guessed."""
    content = pd.DataFrame({"date": MONTHS, "value": [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]})
    table = read_series_table(content.to_csv(index=False).encode(), "actuals.csv", 1 << 20)
    assert table.guess is not None
    assert table.guess.item is None
    return series_observations(table, table.guess, "the file actuals.csv")


def test_actuals_without_an_item_column_score_a_forecast_of_one_named_series() -> None:
    forecast = co2_forecast()
    truth = truth_on([unnamed_actuals()], forecast.items)
    assert truth is not None
    accuracy = score(forecast, of_items(truth, forecast.items))
    assert accuracy is not None
    assert accuracy.steps_scored == 6
    assert accuracy.overall.mae == pytest.approx(0.5)


def test_unnamed_actuals_beside_a_jobs_named_history_still_score_it() -> None:
    forecast = co2_forecast()
    history = Observations(
        pd.DataFrame(
            {
                ITEM: "mauna_loa_co2",
                TIME: pd.date_range("2023-01-01", periods=12, freq="MS"),
                VALUE: 1.0,
            }
        ),
        "the job's input",
    )
    truth = truth_on([history, unnamed_actuals()], forecast.items)
    assert truth is not None
    assert truth.items == ["mauna_loa_co2"]
    accuracy = score(forecast, truth)
    assert accuracy is not None
    assert accuracy.steps_scored == 6


def test_unnamed_actuals_for_many_items_match_none_and_score_nothing() -> None:
    frame = pd.concat([co2_forecast().frame.assign(item_id=name) for name in ("a", "b")])
    forecast = read_forecast(frame.to_csv(index=False).encode())
    truth = truth_on([unnamed_actuals()], forecast.items)
    assert truth is not None
    assert truth.frame.empty
    assert score(forecast, truth) is None


def test_another_tools_forecast_of_one_unnamed_series_takes_the_jobs_series_name() -> None:
    job = co2_forecast()
    other = read_forecast(
        pd.DataFrame({"ds": MONTHS, "yhat": range(6)}).to_csv(index=False).encode()
    )
    assert other.items == [SINGLE_SERIES]
    runs = one_series_named([Run("A", job), Run("B", other)])
    assert [run.data.items for run in runs] == [["mauna_loa_co2"], ["mauna_loa_co2"]]
    assert list(runs[1].data.item_frame("mauna_loa_co2")["yhat"]) == list(range(6))
    assert match_items({run.label: run.data.items for run in runs}).shared == ["mauna_loa_co2"]


def test_jobs_of_two_named_series_are_not_renamed_into_one() -> None:
    other = read_forecast(
        co2_forecast().frame.assign(item_id="sunspots").to_csv(index=False).encode()
    )
    runs = one_series_named([Run("A", co2_forecast()), Run("B", other)])
    assert [run.data.items for run in runs] == [["mauna_loa_co2"], ["sunspots"]]
